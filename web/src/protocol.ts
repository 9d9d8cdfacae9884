/**
 * Messages between the page and the simulation worker. Everything here is plain
 * data (structured-cloneable); the worker owns the `Replication`, the page only
 * ever sees snapshots and, at the end, the CLI's result JSON.
 *
 * Rates are never measured over wall-clock windows: the worker cuts simulated time
 * into fixed bins (`RunMeta.binTicks`) and every rate the page shows (link
 * utilization, delivered throughput) is a bin's, computed from the exact transmit
 * times of every transfer, so it cannot exceed a link's capacity and does not depend
 * on how fast the machine runs. Snapshots (at most SNAPSHOTS_PER_SECOND a second of
 * wall time) carry the bins closed since the previous one plus the state now.
 */
import type { FaultResultJson, RunResult } from "../../src/metrics/result.js";
import type { FaultTarget, ResolvedFault, ResolvedTopology } from "../../src/topology/types.js";

/**
 * The worker posts at most this many snapshots per second of wall time while it runs
 * (plus one after every step, pause, fault and at the end). Between snapshots it
 * simulates in slices of about SLICE_MS and yields, so pause and fault messages get
 * through within a slice.
 */
export const SNAPSHOTS_PER_SECOND = 10;
/** Wall time of one simulation slice before the worker yields to its message queue. */
export const SLICE_MS = 25;
/** About this many bins of simulated time per run (a 1-2-5 step: 200 µs for a 22 ms run). */
export const BINS_PER_RUN = 120;

/** Simulated seconds per wall second; null: as fast as the machine goes. */
export type Speed = number | null;

/** The speed the page starts with: 1 ms simulated per second, so a reference rack's 22 ms take 22 s to watch. */
export const DEFAULT_SPEED = 0.001;

/** How a run is set up beyond its topology and seed. */
export interface LoadOptions {
  /** Detection + failover time in ticks (null: no failover; absent: the design's default). */
  readonly failoverTicks?: number | null;
  /**
   * Faults to apply on top of the topology's own, e.g. the faults a user injected in a
   * previous run, so that a replay shows the same run (every number but the
   * fingerprint equal).
   */
  readonly extraFaults?: readonly ResolvedFault[];
}

export type ToWorker =
  /** A new run: replaces any previous one (paused at t = 0 until `run` or `step`). */
  | { readonly type: "load"; readonly topo: ResolvedTopology; readonly seed: number; readonly options?: LoadOptions }
  | { readonly type: "run" }
  | { readonly type: "pause" }
  /** Advance by `ticks` of simulated time, then pause. */
  | { readonly type: "step"; readonly ticks: number }
  | { readonly type: "speed"; readonly speed: Speed }
  /** Fail or restore a component at the current simulated time. */
  | { readonly type: "fault"; readonly action: "fail" | "restore"; readonly target: FaultTarget };

/** One workload instance, in the order the replication creates them (workloads, then instances). */
export interface InstanceMeta {
  readonly workload: number;
  readonly host: string;
  readonly vm: string | null;
  /** How it reaches the fabric: a vif name, `vf<n>` on an adapter port, or the port(s) themselves. */
  readonly via: string;
  /** The adapter port it starts from (the first of a team). */
  readonly port: string;
}

/** Static facts about a loaded run: port order for the snapshot arrays. */
export interface RunMeta {
  readonly type: "meta";
  readonly topology: string;
  readonly seed: number;
  readonly endTicks: number;
  readonly warmupTicks: number;
  /** Width of one bin of simulated time, ticks. */
  readonly binTicks: number;
  /** One entry per egress port (link direction), in `Fabric.ports` order. */
  readonly ports: readonly PortMeta[];
  readonly workloads: readonly { readonly name: string; readonly unit: "message" | "io" }[];
  readonly instances: readonly InstanceMeta[];
}

export interface PortMeta {
  /** `node:port` of the transmitter. */
  readonly id: string;
  /** `node:port` of the receiver. */
  readonly to: string;
  /** Fabric node names of the two ends (`host3/host` is the CPU side of server host3). */
  readonly node: string;
  readonly peer: string;
  readonly capacityBps: number;
  readonly lossless: boolean;
  /** Its traffic classes (DCB classes on Ethernet, data VLs on InfiniBand), or null without classes. */
  readonly classes: readonly { readonly name: string; readonly noDrop: boolean }[] | null;
}

/** Bins closed since the previous snapshot, oldest first. */
export interface BinBatch {
  /** Index of the first bin (bin k covers [k·binTicks, (k+1)·binTicks)). */
  readonly first: number;
  readonly count: number;
  /** Busy fraction of each port's transmitter, [bin][port] flattened; within [0, 1] by construction. */
  readonly utilization: Float32Array;
  /** Payload bits per simulated second arriving at the workload's destination, [bin][workload]. */
  readonly deliveredBps: Float64Array;
  /** Bytes queued in the whole fabric and at the deepest port, at each bin's end. */
  readonly queueTotal: Float64Array;
  readonly queueMax: Float64Array;
}

/** Per-port state now; arrays indexed like `RunMeta.ports`. */
export interface LinkState {
  /** Bytes waiting now. */
  readonly queueBytes: number[];
  /** 1 when the port is paused by lossless flow control now (every class with work held back). */
  readonly paused: number[];
  /** Classes held back by flow control now (PFC pause or no credit), a bit per class; 0 without classes. */
  readonly classPaused: number[];
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
  /** Latency so far in the window, seconds (null: no sample yet). */
  readonly p50: number | null;
  readonly p99: number | null;
  readonly p999: number | null;
  readonly mean: number | null;
}

/** A route seen for the first time: the instance whose message took it, and its ports (indices into `RunMeta.ports`). */
export interface SeenRoute {
  readonly instance: number;
  readonly ports: readonly number[];
}

export interface Snapshot {
  readonly type: "snapshot";
  /** Simulated time, ticks. */
  readonly now: number;
  readonly events: number;
  readonly running: boolean;
  /** Events per wall second spent simulating (the worker's own rate, snapshots excluded). */
  readonly eventsPerSecond: number;
  readonly bins: BinBatch;
  readonly links: LinkState;
  readonly workloads: readonly WorkloadSnapshot[];
  /** Per `fail` fault so far: blast radius and losses (the result's `faults`, to now). */
  readonly faults: readonly FaultResultJson[];
  /** Sampled transfers since the last snapshot: [port index, begin, end, message id, workload index] per hop. */
  readonly hops: readonly number[];
  /** Routes taken for the first time since the last snapshot (also new routes after a failover). */
  readonly routes: readonly SeenRoute[];
}

/** Numbers per hop in `Snapshot.hops`. */
export const HOP_FIELDS = 5;

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

/** A bin width for a run of `endTicks`: the 1-2-5 step nearest above endTicks / BINS_PER_RUN (at least 1 µs). */
export function binTicksFor(endTicks: number): number {
  const raw = Math.max(1e6, endTicks / BINS_PER_RUN);
  const decade = 10 ** Math.floor(Math.log10(raw));
  for (const step of [1, 2, 5, 10]) if (step * decade >= raw) return step * decade;
  return 10 * decade;
}
