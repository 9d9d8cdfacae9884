/**
 * What a solve works out per port before its flows' latencies (solve.ts): each local
 * resource's port figures, the traffic statistics of each port and of each queue of a
 * multi-queue port, and the wait at each (port, queue), computed once (the formulas in
 * evaluate.ts's header). Kept in typed arrays indexed by local resource and by
 * `queueBase[l] + queue`, not in objects: an object's number fields are boxed (a heap
 * number each), and these are read and written at every hop of every flow.
 */
import { TICKS_PER_SECOND } from "../../sim/units.js";
import type { AnyPort } from "../network/port-view.js";
import type { Hops } from "./hops.js";
import { mg1 } from "./latency.js";
import type { FlowSet } from "./solve.js";
import type { PackedAllocation } from "./waterfill.js";

/** A port that drops what overflows its buffer (not lossless, a finite buffer). */
export function isLossy(p: AnyPort): boolean {
  return !p.lossless && Number.isFinite(p.bufferBytes);
}

/** What the statistics and waits read of each local resource that is a port (read per hop: arrays, not the port object). */
export interface LocalPorts {
  /** Global number of each local resource (ports, then shapers). */
  readonly resources: readonly number[];
  /** Its port (null: a shaper). */
  readonly ports: readonly (AnyPort | null)[];
  readonly nL: number;
  /** Line rate left for data (PCIe SKP ordered sets take their share), bits/s. */
  readonly cap: Float64Array;
  readonly queueCount: Int32Array;
  readonly lossy: Uint8Array;
  /**
   * α of the dynamic per-queue buffer threshold of a lossy multi-queue port (0: its queues
   * share the buffer to the last byte): there an elastic stream fills only its own queue's
   * share, α/(1 + α) of the buffer, and the other queues still find room (scheduler.ts).
   */
  readonly alpha: Float64Array;
  /** Propagation and the peer's latency, seconds. */
  readonly propagation: Float64Array;
  readonly peerLatency: Float64Array;
  /** (8 / capacity)² and ³: the same powers as per hop, computed once per port. */
  readonly perByte2: Float64Array;
  readonly perByte3: Float64Array;
  /**
   * Per (port, queue) arrays, each local port's queues from queueBase[l] on (the queues it
   * numbers, and any a route names): plain indices, not Map keys (past 2³¹ they are slow).
   */
  readonly queueBase: Int32Array;
}

export function localPorts(m: FlowSet, resources: readonly number[], hops: Hops): LocalPorts {
  const nL = resources.length;
  const nP = m.nP;
  const ports = resources.map((g) => (g < nP ? m.ports[g]! : null));
  const cap = new Float64Array(nL);
  const queueCount = new Int32Array(nL);
  const lossy = new Uint8Array(nL);
  const alpha = new Float64Array(nL);
  const propagation = new Float64Array(nL);
  const peerLatency = new Float64Array(nL);
  const perByte2 = new Float64Array(nL);
  const perByte3 = new Float64Array(nL);
  for (let l = 0; l < nL; l++) {
    cap[l] = m.capacities[resources[l]!]!;
    const secondsPerByte = 8 / cap[l]!;
    perByte2[l] = secondsPerByte ** 2;
    perByte3[l] = secondsPerByte ** 3;
    const p = ports[l]!;
    if (p === null) {
      queueCount[l] = 1;
      continue;
    }
    queueCount[l] = p.scheduler.queueCount;
    lossy[l] = isLossy(p) ? 1 : 0;
    if (lossy[l] && queueCount[l]! > 1) alpha[l] = p.scheduler.dynamicThreshold ?? 0;
    propagation[l] = p.propagationTicks / TICKS_PER_SECOND;
    peerLatency[l] = p.peerLatencyTicks / TICKS_PER_SECOND;
  }
  const queueBase = new Int32Array(nL + 1);
  for (let h = 0; h < hops.queue.length; h++) {
    const l = hops.local[h]!;
    queueBase[l + 1] = Math.max(queueBase[l + 1]!, hops.queue[h]! + 1);
  }
  for (let l = 0; l < nL; l++) {
    const own = resources[l]! < nP ? queueCount[l]! : 1;
    queueBase[l + 1] = queueBase[l]! + Math.max(queueBase[l + 1]!, own);
  }
  return {
    resources,
    ports,
    nL,
    cap,
    queueCount,
    lossy,
    alpha,
    propagation,
    peerLatency,
    perByte2,
    perByte3,
    queueBase,
  };
}

/**
 * Per port: λ·E[S²] and λ·E[S³] of the messages' wire times (s², s³), elastic window bytes,
 * and whether an elastic flow is bottlenecked there; per queue of a multi-queue port (at
 * `queueBase[l] + queue`): wire load (bits/s), λE[S²], λE[S³], largest transfer, whether an
 * elastic flow uses it, and whether any flow does.
 */
export interface PortStatistics {
  readonly lambdaS2: Float64Array;
  readonly lambdaS3: Float64Array;
  readonly elasticWindow: Float64Array;
  readonly elasticSat: Uint8Array;
  readonly queueLoad: Float64Array;
  readonly queueS2: Float64Array;
  readonly queueS3: Float64Array;
  readonly queueTransfer: Float64Array;
  readonly queueElastic: Uint8Array;
  readonly queueUsed: Uint8Array;
}

export function portStatistics(
  m: FlowSet,
  list: readonly number[],
  alloc: PackedAllocation,
  hops: Hops,
  ports: LocalPorts,
): PortStatistics {
  const { nL, queueBase, perByte2, perByte3, queueCount } = ports;
  const lambdaS2 = new Float64Array(nL);
  const lambdaS3 = new Float64Array(nL);
  const elasticWindow = new Float64Array(nL);
  const elasticSat = new Uint8Array(nL);
  const nQ = queueBase[nL]!;
  const queueLoad = new Float64Array(nQ);
  const queueS2 = new Float64Array(nQ);
  const queueS3 = new Float64Array(nQ);
  const queueTransfer = new Float64Array(nQ);
  const queueElastic = new Uint8Array(nQ);
  const queueUsed = new Uint8Array(nQ);
  const nP = m.nP;
  const legs = hops.legs;
  for (let k = 0; k < list.length; k++) {
    const slot = m.slots[list[k]!]!;
    const x = alloc.rates[k]!;
    const elastic = slot.demand === Number.POSITIVE_INFINITY;
    const meanBytes = m.wires[slot.workload]!.meanBytes;
    for (let h = hops.start[k]!; h < hops.start[k + 1]!; h++) {
      const l = hops.local[h]!;
      const at = hops.at[h]!;
      const wire = legs.wire[at]!;
      const transferWire = wire / legs.transfers[at]!;
      const perByte = 1 / meanBytes;
      const lambda = (x / 8) * perByte;
      // A window-limited (elastic) stream arrives transfer by transfer, not as whole messages.
      const perTransfer = lambda * legs.transfers[hops.first[h]!]!;
      const s2 = elastic ? perTransfer * transferWire ** 2 * perByte2[l]! : lambda * legs.wire2[at]! * perByte2[l]!;
      const s3 = elastic ? perTransfer * transferWire ** 3 * perByte3[l]! : lambda * legs.wire3[at]! * perByte3[l]!;
      lambdaS2[l]! += s2;
      lambdaS3[l]! += s3;
      if (queueCount[l]! > 1) {
        const key = queueBase[l]! + hops.queue[h]!;
        queueUsed[key] = 1;
        queueLoad[key]! += (x * wire) / meanBytes;
        queueS2[key]! += s2;
        queueS3[key]! += s3;
        queueTransfer[key] = Math.max(queueTransfer[key]!, transferWire);
        if (elastic) queueElastic[key] = 1;
      }
      if (elastic) elasticWindow[l]! += (slot.windowBytes * wire) / meanBytes;
    }
    const b = alloc.bottleneck[k]!;
    if (elastic && b >= 0 && ports.resources[b]! < nP) elasticSat[b] = 1;
  }
  return {
    lambdaS2,
    lambdaS3,
    elasticWindow,
    elasticSat,
    queueLoad,
    queueS2,
    queueS3,
    queueTransfer,
    queueElastic,
    queueUsed,
  };
}

/**
 * The wait (seconds) at a local port for a flow in a scheduler queue: random part (mean,
 * variance) and fixed part, at `queueBase[l] + queue`, each computed when first asked for.
 */
export class Waits {
  readonly mean: Float64Array;
  readonly variance: Float64Array;
  readonly fixed: Float64Array;
  private readonly done: Uint8Array;

  constructor(
    private readonly ports: LocalPorts,
    private readonly stats: PortStatistics,
    private readonly load: Float64Array,
  ) {
    const n = ports.queueBase[ports.nL]!;
    this.mean = new Float64Array(n);
    this.variance = new Float64Array(n);
    this.fixed = new Float64Array(n);
    this.done = new Uint8Array(n);
  }

  /** The row of (local port `l`, `queue`), its wait worked out. */
  at(l: number, queue: number): number {
    const key = this.ports.queueBase[l]! + queue;
    if (this.done[key] === 0) {
      this.compute(l, queue, key);
      this.done[key] = 1;
    }
    return key;
  }

  private compute(l: number, queue: number, key: number): void {
    const { ports, stats } = this;
    const { elasticSat, queueUsed, queueElastic } = stats;
    const c = ports.cap[l]!;
    const queueCount = ports.queueCount[l]!;
    if (queueCount > 1 && queueUsed[key] && !(elasticSat[l] && queueElastic[key])) {
      // DRR: it waits for its own queue's traffic (M/G/1 on that load) plus, per other busy
      // queue, one transfer with the probability that queue is busy (1 for an elastic one here).
      let extra = 0;
      const base = ports.queueBase[l]!;
      for (let q = 0; q < queueCount; q++) if (q !== queue) extra += this.busyTransfer(l, base + q);
      const g = mg1(stats.queueLoad[key]! / c, stats.queueS2[key]!, stats.queueS3[key]!);
      this.set(key, g.mean, g.variance, extra);
    } else if (elasticSat[l]) {
      // The standing queue: the windows' bytes, at most the buffer (or an elastic queue's dynamic share of it).
      const a = ports.alpha[l]!;
      const cap = ports.lossy[l] ? ports.ports[l]!.bufferBytes * (a > 0 ? a / (1 + a) : 1) : Number.POSITIVE_INFINITY;
      const bytes = Math.min(cap, stats.elasticWindow[l]!);
      this.set(key, 0, 0, (bytes * 8) / c);
    } else {
      const g = mg1(this.load[l]! / c, stats.lambdaS2[l]!, stats.lambdaS3[l]!);
      this.set(key, g.mean, g.variance, 0);
    }
  }

  /** Seconds queue `key` of local port `l` adds to another queue's flow: one transfer, times the chance it is busy. */
  private busyTransfer(l: number, key: number): number {
    const { ports, stats } = this;
    if (!stats.queueUsed[key]) return 0;
    const c = ports.cap[l]!;
    const busy = stats.elasticSat[l] && stats.queueElastic[key] ? 1 : Math.min(1, stats.queueLoad[key]! / c);
    return (busy * stats.queueTransfer[key]! * 8) / c;
  }

  private set(key: number, mean: number, variance: number, fixed: number): void {
    this.mean[key] = mean;
    this.variance[key] = variance;
    this.fixed[key] = fixed;
  }
}
