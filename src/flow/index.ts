export {
  evaluateFlows,
  type FlowLinkResult,
  type FlowOptions,
  type FlowResult,
  type FlowWorkloadResult,
} from "./evaluate.js";
export { type Allocation, type FluidFlow, type FluidUse, waterfill } from "./waterfill.js";
