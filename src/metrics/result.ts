import type { ResultBom } from "../bom/types.js";

/**
 * The JSON contract of `iovsim run --json` (docs/architecture.md §5). SI units: seconds,
 * bits per second, bytes. Arrays sorted by name/id; absent values are null.
 */

export interface LatencySummary {
  mean: number | null;
  p50: number | null;
  p99: number | null;
  p999: number | null;
  max: number | null;
  samples: number;
}

export interface WorkloadResult {
  name: string;
  unit: "message" | "io";
  offeredBps: number;
  deliveredBps: number;
  latency: LatencySummary;
  /** 95 % CI half-widths across replications; null with one replication. */
  ci95: { "latency.mean": number | null; "latency.p99": number | null; deliveredBps: number | null };
  sent: number;
  delivered: number;
  dropped: number;
  inFlight: number;
  /** Messages created in the window and still unfinished at its end (work stuck behind a failure, or a normal tail in flight). */
  unfinished: number;
  /**
   * Latency over the window's delivered messages and its unfinished ones counted at their
   * age at the end (lower bounds of their latency): what the SLA judges besides `latency`,
   * so that work stuck at the end counts against it (src/metrics/sla.ts).
   */
  latencyWithUnfinished: { mean: number | null; p99: number | null };
  dropReasons: Record<string, number>;
  /** How its messages travel: udp (open loop), tcp, dctcp; null for storage I/O. (Always set by `aggregate`.) */
  transport?: "udp" | "tcp" | "dctcp" | null;
  /** TCP/DCTCP workloads: segment counters over the whole run (summed over replications); else null. */
  tcp?: TcpResult | null;
}

/**
 * A TCP workload's segments, whole run. Conservation: segmentsSent + retransmitted =
 * arrived + dropped + inFlight (every transmission arrived, was dropped, or is still
 * travelling); its goodput is the new data that arrived.
 */
export interface TcpResult {
  /** Segments of new data sent. */
  segmentsSent: number;
  /** Segments sent again (fast retransmits, tail loss probes, timeouts). */
  retransmitted: number;
  /** Transmissions that reached the receiver (duplicates included). */
  arrived: number;
  /** Arrivals of data the receiver already had. */
  duplicates: number;
  /** Transmissions the network dropped. */
  dropped: number;
  /** Transmissions still travelling at the end (counted by walking the fabric). */
  inFlight: number;
  fastRetransmits: number;
  timeouts: number;
  /** ACKs that echoed an ECN mark. */
  ecnEchoes: number;
  /** Bytes of new data that arrived. */
  goodputBytes: number;
}

export interface LinkResult {
  id: string;
  from: string;
  to: string;
  capacityBps: number;
  utilization: number;
  pausedSeconds: number;
  meanQueueBytes: number;
  maxQueueBytes: number;
  dropped: number;
  /** ECN-capable transfers marked CE at this port. (Always set by `aggregate`.) */
  ecnMarked?: number;
  /** Per traffic class (DCB classes, InfiniBand VLs), or null without classes. (Always set by `aggregate`.) */
  classes?: ClassResult[] | null;
}

export interface ClassResult {
  name: string;
  noDrop: boolean;
  /** Share of the line rate this class transmitted. */
  utilization: number;
  /** PFC: time a PAUSE was in force on this class; InfiniBand: time its head waited for credit. */
  pausedSeconds: number;
  dropped: number;
  ecnMarked: number;
  maxQueueBytes: number;
}

export type SlaMetric = "latency.p99" | "latency.mean" | "lossRatio" | "deliveredBps";

export interface SlaResult {
  workload: string;
  metric: SlaMetric;
  target: number;
  actual: number | null;
  status: "met" | "missed" | "undecided";
}

/**
 * An SLA row of a run (`iovsim run --json`, plan.json): the verdict with the evidence
 * behind it (src/metrics/verdicts.ts): the interval, the warm-up cut from each replication
 * and the window measured after it.
 */
export interface SlaVerdict extends SlaResult {
  /** Half the 95 % interval's width, in the target's unit (null: no interval). */
  halfWidth: number | null;
  /** The 95 % interval: Student t across replications; Wilson (widened to t) for lossRatio. Null: none. */
  low: number | null;
  high: number | null;
  /** Seconds cut from the start of each replication as warm-up (mean over replications). */
  warmup: number | null;
  /** Seconds measured after the warm-up (mean over replications). */
  window: number | null;
  /** How the warm-up was found: detected from the output (MSER-5) or the file's (runs with faults). */
  warmupMethod: "mser-5" | "fixed" | null;
  /** MSER-5 found most replications' series settled (null: fixed warm-up or nothing run). */
  settled: boolean | null;
  /** Observations after the warm-up, all replications together (latencies, finished messages, deliveries). */
  samples: number | null;
  replications: number | null;
  /** The half-width is within the precision target (null: the run had no precision target). */
  precise: boolean | null;
}

/** How the run length was chosen (null: a fixed number of replications). */
export interface PrecisionSummary {
  /** Target: every SLA row's half-width ≤ relative × max(|target|, |estimate|). */
  relative: number;
  minReplications: number;
  maxReplications: number;
  /** Cap on simulated seconds over all replications. */
  maxSeconds: number;
  /** Rounds of replications run (each sized from the last round's half-widths). */
  rounds: number;
  /** Simulated seconds of each replication (doubles when MSER-5 finds no steady state). */
  replicationSeconds: number;
  /** Simulated seconds of every replication run, those a doubling replaced included. */
  simulatedSeconds: number;
  /**
   * Why it stopped: every row precise; the planner's early stops (a row missed, every row decided); a cap
   * (rows not precise say so); or the run budget (`--max-events`/`--max-wall`: the rounds that finished).
   */
  stop: "precise" | "missed" | "decided" | "max-replications" | "max-seconds" | "budget";
}

/** One `fail` fault of the topology's `faults:` (src/run/faults.ts), merged over replications. */
export interface FaultResultJson {
  /**
   * The replication the fault belongs to, when replications drew different faults (`failures:`);
   * absent when every replication had the same faults (merged into one entry).
   */
  replication?: number;
  /** Seconds from the start of the run. */
  at: number;
  /** `node`, `node:port`, `node:adapter` or `node:module`. */
  target: string;
  /** Servers with a flow whose route crossed the target when it failed (the blast radius). */
  affectedServers: string[];
  affectedWorkloads: string[];
  /** Longest time an affected flow had no working path (failover, restore or end of run), seconds. */
  outageSeconds: number;
  /** Messages/I/Os lost with the fault's reasons (summed over replications). */
  lost: number;
  /** Storage I/Os the multipath layer re-issued after losing a part to this fault. */
  retried: number;
  restoredAt: number | null;
  /** Affected flows still without a path at the end of the run (the most over replications). */
  strandedFlows: number;
  /** Servers/workloads with an affected flow no failover can save (no path avoids the target). */
  unprotectedServers: string[];
  unprotectedWorkloads: string[];
  /** The failover mechanisms that move the affected flows (src/run/failover.ts): flows each, and its time in seconds (null: off). */
  failover: Array<{ mechanism: string; flows: number; seconds: number | null }>;
  /** Per workload, messages unfinished at the end on flows this fault still kept without a working path. */
  stuck: Record<string, number>;
  /**
   * SLA rows of the affected workloads over two phases of the fault: `during` (from the
   * failure to the failover time, the restore or the end of the run) and `after` (from then
   * to the restore or the end; null without failover or when nothing is left). One
   * replication's point estimate (no CI).
   */
  sla: FaultSla[];
}

export interface FaultSla {
  workload: string;
  metric: SlaMetric;
  target: number;
  during: { actual: number | null; status: SlaResult["status"] };
  after: { actual: number | null; status: SlaResult["status"] } | null;
}

export interface RunResult {
  iovsim: string;
  topology: string;
  design: string;
  seed: number;
  replications: number;
  fingerprint: string;
  window: { start: number; end: number };
  simulatedSeconds: number;
  events: number;
  wallSeconds: number;
  workloads: WorkloadResult[];
  links: LinkResult[];
  /** The bill of materials (docs/architecture.md §5 shape; `iovsim bom` prints the full one). */
  bom: ResultBom | null;
  sla: SlaVerdict[];
  /** The precision target that chose the number and length of replications; null: fixed. */
  precision: PrecisionSummary | null;
  /** Per `fail` fault, sorted by time; empty without faults. */
  faults: FaultResultJson[];
}

/** Sorts by a string key with a locale-independent comparison (byte order), so output is identical everywhere. */
export function byKey<T>(key: (t: T) => string): (a: T, b: T) => number {
  return (a, b) => {
    const x = key(a);
    const y = key(b);
    return x < y ? -1 : x > y ? 1 : 0;
  };
}
