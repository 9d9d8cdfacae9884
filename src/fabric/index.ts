export { ClassScheduler, type ClassSchedulerOptions } from "./class-scheduler.js";
export {
  BUSY,
  CUT_THROUGH_HEAD_BYTES,
  EgressPort,
  PAUSED,
  type PortConfig,
  type PortState,
  type PortStats,
  READY,
} from "./egress-port.js";
export { Fabric, type FabricProbes, type LinkOptions, type PortOptions } from "./fabric.js";
export { type FlowControl, type PfcThresholds, pfcThresholds } from "./flow-control.js";
export { type Forwarding, Node, type NodeOptions } from "./node.js";
export { type ClassStats, PortClasses, type PortClassOptions, type TrafficClassConfig } from "./port-classes.js";
export {
  createScheduler,
  DrrScheduler,
  FifoScheduler,
  type Scheduler,
  type SchedulerOptions,
  type ShaperOptions,
} from "./scheduler.js";
export { hashSelect, SwitchNode, type SwitchOptions } from "./switch-node.js";
export { type Route, Transfer } from "./transfer.js";
