/** The planner (DESIGN.md §3): least hardware per design that meets every SLA. Browser-safe. */

export { type Evaluator, inProcessEvaluator, type ReplicationJob, runReplicationJob } from "./evaluator.js";
export {
  type CandidateEval,
  combinations,
  type DesignPlan,
  type Evidence,
  type Fidelity,
  type FlowSummary,
  flowSla,
  HARDWARE_SCORE_RULE,
  hardwareScore,
  type PlanOptions,
  type PlanProgress,
  type PlanResult,
  type PlanSlaRow,
  plan,
  SEARCH_RULE,
  type StudySize,
} from "./plan.js";
