export {
  evaluateFlows,
  type FlowLinkResult,
  type FlowOptions,
  type FlowResult,
  type FlowWorkloadResult,
} from "./evaluate.js";
export { type FlowFailureResult, FlowModel } from "./model.js";
export {
  type Allocation,
  type FluidFlow,
  type FluidProblem,
  type FluidUse,
  type PackedAllocation,
  solveFluid,
  waterfill,
} from "./waterfill.js";
