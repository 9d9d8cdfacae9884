/** The planner (DESIGN.md §3): least hardware per design that meets every SLA. Browser-safe. */

export {
  type Candidate,
  type CandidateCounts,
  combinations,
  enumerateCandidates,
  HARDWARE_SCORE_RULE,
  hardwareScore,
} from "./candidates.js";
export { type Evaluator, inProcessEvaluator, type ReplicationJob, runReplicationJob } from "./evaluator.js";
export {
  type CandidateEval,
  type DesignPlan,
  type Evidence,
  type Fidelity,
  type FlowSummary,
  flowSla,
  type PlanOptions,
  type PlanProgress,
  type PlanResult,
  type PlanSlaRow,
  plan,
  SEARCH_RULE,
  type StudySize,
} from "./plan.js";
