/** The planner (docs/architecture.md §3): per design, the least of the study's objective that meets every SLA; rank robustness. Browser-safe. */

export {
  type Candidate,
  type CandidateCounts,
  combinations,
  enumerateCandidates,
  HARDWARE_SCORE_RULE,
  hardwareScore,
} from "./candidates.js";
export { type Evaluator, inProcessEvaluator, type ReplicationJob, runReplicationJob } from "./evaluator.js";
export { costSettings, OBJECTIVE_RULES, type Objective, objectiveAmount } from "./objective.js";
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
export { DISTRIBUTION, drawValues, ROBUST_SHARE, rankRobustness, triangular } from "./robust.js";
