/**
 * Messages between the page and the simulation worker. Everything here is plain
 * data (structured-cloneable); the worker owns the `Replication`, the page only
 * ever sees snapshots and, at the end, the CLI's result JSON.
 */
import type { FaultResultJson, RunResult } from "../../src/metrics/result.js";
import type { FaultTarget, ResolvedFault, ResolvedTopology } from "../../src/topology/types.js";

/**
 * The worker posts this many snapshots per second of wall time while it runs
 * (plus one after every step, pause, fault and at the end). Between snapshots it
 * simulates in slices of about SLICE_MS and yields, so pause and fault messages
 * get through within a slice.
 */
export const SNAPSHOTS_PER_SECOND = 10;
/** Wall time of one simulation slice before the worker yields to its message queue. */
export const SLICE_MS = 25;

/** Simulated seconds per wall second; null: as fast as the machine goes. */
export type Speed = number | null;

export type ToWorker =
  /** A new run: replaces any previous one (paused at t = 0 until `run` or `step`). */
  | { readonly type: "load"; readonly topo: ResolvedTopology; readonly seed: number }
  | { readonly type: "run" }
  | { readonly type: "pause" }
  /** Advance by `ticks` of simulated time, then pause. */
  | { readonly type: "step"; readonly ticks: number }
  | { readonly type: "speed"; readonly speed: Speed }
  /** Fail or restore a component at the current simulated time. */
  | { readonly type: "fault"; readonly action: "fail" | "restore"; readonly target: FaultTarget };

/** Static facts about a loaded run: port order for the snapshot arrays. */
export interface RunMeta {
  readonly type: "meta";
  readonly topology: string;
  readonly seed: number;
  readonly endTicks: number;
  readonly warmupTicks: number;
  /** One entry per egress port (link direction), in `Fabric.ports` order. */
  readonly ports: readonly PortMeta[];
  readonly workloads: readonly { readonly name: string; readonly unit: "message" | "io" }[];
}

export interface PortMeta {
  /** `node:port` of the transmitter. */
  readonly id: string;
  /** `node:port` of the receiver. */
  readonly to: string;
  readonly capacityBps: number;
  readonly lossless: boolean;
}

/** Per-port state; arrays indexed like `RunMeta.ports`. */
export interface LinkSnapshot {
  /** Busy fraction of the transmitter since the previous snapshot. */
  readonly utilization: number[];
  /** Transfers completed per simulated second since the previous snapshot. */
  readonly transfersPerSecond: number[];
  /** Bytes waiting now. */
  readonly queueBytes: number[];
  /** 1 when the port is paused by lossless flow control now. */
  readonly paused: number[];
  /** 1 when the port is failed now. */
  readonly failed: number[];
  /** Since the end of warm-up (the result's window). */
  readonly dropped: number[];
  readonly pausedSeconds: number[];
  readonly maxQueueBytes: number[];
}

export interface WorkloadSnapshot {
  readonly name: string;
  /** Whole run, from t = 0. */
  readonly sent: number;
  readonly delivered: number;
  readonly dropped: number;
  /** Since the previous snapshot, bits per simulated second (0 during warm-up is real). */
  readonly deliveredBps: number;
  /** Latency so far in the window, seconds (null: no sample yet). */
  readonly p50: number | null;
  readonly p99: number | null;
  readonly p999: number | null;
  readonly mean: number | null;
}

export interface Snapshot {
  readonly type: "snapshot";
  /** Simulated time, ticks. */
  readonly now: number;
  readonly events: number;
  readonly running: boolean;
  /** Events per wall second spent simulating (the worker's own rate, snapshots excluded). */
  readonly eventsPerSecond: number;
  readonly links: LinkSnapshot;
  readonly workloads: readonly WorkloadSnapshot[];
  /** Per `fail` fault so far: blast radius and losses (the result's `faults`, to now). */
  readonly faults: readonly FaultResultJson[];
  /** Sampled transfers since the last snapshot (sampler.ts): [port index, begin, end, message id] per hop. */
  readonly hops: readonly number[];
}

export type FromWorker =
  | RunMeta
  | Snapshot
  /** A fault was scheduled: it acts at `fault.atTicks` (the next tick). */
  | { readonly type: "fault"; readonly fault: ResolvedFault; readonly ports: readonly string[] }
  /** The run finished: the CLI's result JSON (`iovsim run --json`), wallSeconds of the worker. */
  | { readonly type: "done"; readonly result: RunResult; readonly wallSeconds: number; readonly busySeconds: number }
  /** The worker started or stopped simulating (after `run`, `pause` or `step`). */
  | { readonly type: "state"; readonly running: boolean }
  | { readonly type: "error"; readonly message: string };
