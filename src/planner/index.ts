/** The planner (DESIGN.md §3): least hardware per design that meets every SLA. Browser-safe. */

export {
  type CandidateEval,
  combinations,
  type DesignPlan,
  type Evaluator,
  type Evidence,
  type Fidelity,
  type FlowSummary,
  flowSla,
  HARDWARE_SCORE_RULE,
  hardwareScore,
  inProcessEvaluator,
  type PlanOptions,
  type PlanProgress,
  type PlanResult,
  type PlanSlaRow,
  plan,
  SEARCH_RULE,
  type StudySize,
} from "./plan.js";
