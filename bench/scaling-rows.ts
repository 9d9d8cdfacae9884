/**
 * The scaling bench's rows (bench/scaling.ts measures them, bench/scaling-report.ts prints
 * and judges them): one packet-level or flow-level measurement of a (design, hosts) site.
 */
import type { Design } from "../src/topology/types.js";

export interface PacketRow {
  design: Design;
  hosts: number;
  /** Why there is no measurement (the generator refuses the size), else null. */
  note: string | null;
  flows: number | null;
  events: number | null;
  eventsPerSecond: number | null;
  cpuMicrosPerEvent: number | null;
  wallPerSimulatedMs: number | null;
  cpuPerSimulatedMs: number | null;
  /** CPU seconds per simulated second per host: flat when packet level is linear in the site and the work per host the same. */
  cpuPerSimulatedSecondPerHost: number | null;
  /** µs of the main thread alone per event (V8's compiler and collector helpers apart); null off Linux. */
  mainCpuMicrosPerEvent: number | null;
  /** The work per host: events per simulated ms per host (it falls where a site's shared uplinks and array saturate). */
  eventsPerSimulatedMsPerHost: number | null;
  buildCpuSeconds: number | null;
  peakRssMiB: number | null;
  heapBytesPerFlow: number | null;
  /** Events pending at the window's end: the size of the event queue the window worked on. */
  pendingEvents: number | null;
}

export interface FlowRow {
  design: Design;
  hosts: number;
  flows: number;
  ports: number;
  cpu: { build: number; flows: number; solve: number; total: number };
  peakRssMiB: number;
  /** This size's CPU over the previous row's, and the n·log n bound for it (null on the first row). */
  growth: number | null;
  nLogNBound: number | null;
}

/** A row with no figures, and why (a generator that refuses the size). */
export function unmeasured(design: Design, hosts: number, note: string): PacketRow {
  return {
    design,
    hosts,
    note,
    flows: null,
    events: null,
    eventsPerSecond: null,
    cpuMicrosPerEvent: null,
    wallPerSimulatedMs: null,
    cpuPerSimulatedMs: null,
    cpuPerSimulatedSecondPerHost: null,
    mainCpuMicrosPerEvent: null,
    eventsPerSimulatedMsPerHost: null,
    buildCpuSeconds: null,
    peakRssMiB: null,
    heapBytesPerFlow: null,
    pendingEvents: null,
  };
}
