/**
 * What the page draws, read from the running fabric (worker side) through its
 * transmit tracer (`Fabric.onTransmit`, called once per transfer per hop). Tracing
 * only reads: the run's result is the same with or without it (test/web).
 *
 * - Bins of simulated time: each transmission occupies its port over [begin, end);
 *   that interval is split exactly over the bins it overlaps, so a port's busy time in
 *   a bin never exceeds the bin (utilization ≤ 1 by construction, not by clamping).
 *   A transfer's last hop adds its payload, over the same interval, to its workload's
 *   delivered bytes (for storage I/O only the data share: not the command or status
 *   bytes), so a workload's rate is bounded by the links it arrives on.
 *   A transmission never begins before the current time, so a bin that ends at or
 *   before `now` is final and can be closed.
 * - Sampled transfers: every SAMPLE_EVERY-th message (by id, so the choice is
 *   deterministic) is recorded hop by hop for the moving dots.
 * - Routes: every route object the first time a message starts on it, with the
 *   workload instance that took it: the paths each host really uses (after a
 *   failover, the new ones).
 */
import type { EgressPort } from "../../src/fabric/egress-port.js";
import type { Route, Transfer } from "../../src/fabric/transfer.js";
import type { WorkloadStats } from "../../src/metrics/workload-stats.js";
import type { Replication } from "../../src/run/replication.js";
import { COMMAND_BYTES, STATUS_BYTES } from "../../src/run/transport.js";
import { IN_FLIGHT, type Message } from "../../src/workload/message.js";
import { type BinBatch, HOP_FIELDS, type SeenRoute } from "./protocol.js";

/** One message in this many is traced for the dots. */
export const SAMPLE_EVERY = 64;
/** Hops sent with one snapshot at most (the earliest win): the page draws a few hundred dots. */
export const MAX_HOPS = 400;

interface OpenBin {
  readonly index: number;
  readonly busy: Float64Array;
  readonly bytes: Float64Array;
}

export class FabricTracer {
  private readonly portIndex = new Map<EgressPort, number>();
  private readonly workloadIndex = new Map<WorkloadStats, number>();
  private readonly ports: readonly EgressPort[];
  private readonly open = new Map<number, OpenBin>();
  /** The bin most hops fall in (a one-entry cache in front of `open`). */
  private hot: OpenBin | null = null;
  /** First bin not closed yet. */
  private nextToClose = 0;
  private closed: Array<{ index: number; busy: Float64Array; bytes: Float64Array; qTotal: number; qMax: number }> = [];
  private hops: number[] = [];
  private readonly seen = new Set<Route>();
  /** Instance and ports of each route reported. */
  private readonly seenWays = new Set<string>();
  private routes: SeenRoute[] = [];

  constructor(
    rep: Replication,
    readonly binTicks: number,
  ) {
    this.ports = rep.net.fabric.ports;
    this.ports.forEach((p, i) => {
      this.portIndex.set(p, i);
    });
    rep.stats.forEach((s, i) => {
      this.workloadIndex.set(s, i);
    });
    rep.net.fabric.onTransmit = (port, t, begin, end) => this.transmit(port, t, begin, end);
  }

  private bin(index: number): OpenBin {
    const hot = this.hot;
    if (hot !== null && hot.index === index) return hot;
    let b = this.open.get(index);
    if (b === undefined) {
      b = {
        index,
        busy: new Float64Array(this.ports.length),
        bytes: new Float64Array(this.workloadIndex.size),
      };
      this.open.set(index, b);
    }
    this.hot = b;
    return b;
  }

  private transmit(port: EgressPort, t: Transfer, begin: number, end: number): void {
    const p = this.portIndex.get(port)!;
    const msg = t.owner as Message;
    const last = t.hop + 1 === t.route.ports.length;
    let payload = 0;
    let w = -1;
    // Only a message still in flight counts: parts of a dropped or superseded one are ignored on arrival.
    if (last && msg.state === IN_FLIGHT) {
      w = this.workloadIndex.get(msg.stats) ?? -1;
      payload = t.payload * dataShare(msg);
    }
    const bt = this.binTicks;
    const span = end - begin;
    for (let k = Math.floor(begin / bt); k * bt < end; k++) {
      const from = Math.max(begin, k * bt);
      const to = Math.min(end, (k + 1) * bt);
      if (to <= from) continue;
      const b = this.bin(k);
      b.busy[p]! += to - from;
      if (w >= 0 && payload > 0) b.bytes[w]! += (payload * (to - from)) / span;
    }
    if (t.hop === 0 && !this.seen.has(t.route)) {
      this.seen.add(t.route);
      // An I/O workload's lanes are routes of their own that may take the same ports: the view shows each way once.
      const ports = t.route.ports.map((q) => this.portIndex.get(q) ?? -1);
      const key = `${msg.source}|${ports.join(",")}`;
      if (!this.seenWays.has(key)) {
        this.seenWays.add(key);
        this.routes.push({ instance: msg.source, ports });
      }
    }
    if (msg.id % SAMPLE_EVERY === 0 && this.hops.length < HOP_FIELDS * MAX_HOPS)
      this.hops.push(p, begin, end, msg.id, this.workloadIndex.get(msg.stats) ?? 0);
  }

  /** Closes every bin that ends at or before `now` (nothing can fall into it any more). */
  closeUpTo(now: number): void {
    const bt = this.binTicks;
    const fabricPorts = this.ports;
    while ((this.nextToClose + 1) * bt <= now) {
      const k = this.nextToClose++;
      const b = this.open.get(k);
      this.open.delete(k);
      if (this.hot?.index === k) this.hot = null;
      let qTotal = 0;
      let qMax = 0;
      // The queues at the bin's end: exact when the caller stops at bin boundaries (the worker does).
      for (const q of fabricPorts) {
        const bytes = q.scheduler.bytes;
        qTotal += bytes;
        if (bytes > qMax) qMax = bytes;
      }
      this.closed.push({
        index: k,
        busy: b?.busy ?? new Float64Array(fabricPorts.length),
        bytes: b?.bytes ?? new Float64Array(this.workloadIndex.size),
        qTotal,
        qMax,
      });
    }
  }

  /** The first bin boundary after `now`: where the caller should stop next. */
  nextBoundary(now: number): number {
    return (Math.floor(now / this.binTicks) + 1) * this.binTicks;
  }

  /** The bins closed since the last call. */
  takeBins(): BinBatch {
    const list = this.closed;
    this.closed = [];
    const P = this.ports.length;
    const W = this.workloadIndex.size;
    const bt = this.binTicks;
    const seconds = bt / 1e12;
    const utilization = new Float32Array(list.length * P);
    const deliveredBps = new Float64Array(list.length * W);
    const queueTotal = new Float64Array(list.length);
    const queueMax = new Float64Array(list.length);
    list.forEach((b, i) => {
      for (let p = 0; p < P; p++) utilization[i * P + p] = b.busy[p]! / bt;
      for (let w = 0; w < W; w++) deliveredBps[i * W + w] = (b.bytes[w]! * 8) / seconds;
      queueTotal[i] = b.qTotal;
      queueMax[i] = b.qMax;
    });
    return {
      first: list[0]?.index ?? this.nextToClose,
      count: list.length,
      utilization,
      deliveredBps,
      queueTotal,
      queueMax,
    };
  }

  /** Sampled hops since the last call ([port, begin, end, message id, workload] each). */
  takeHops(): number[] {
    const out = this.hops;
    this.hops = [];
    return out;
  }

  /** Routes seen for the first time since the last call. */
  takeRoutes(): SeenRoute[] {
    const out = this.routes;
    this.routes = [];
    return out;
  }
}

/**
 * The share of a transfer's payload that is the workload's data: all of it for a
 * network message; for storage I/O the data bytes of the leg that carries them (a
 * write's way out, a read's way back), not the command or status frames.
 */
function dataShare(msg: Message): number {
  if (msg.phase === 0 && msg.isRead) return 0;
  if (msg.phase === 2 && !msg.isRead) return 0;
  // A message has phase 0 and no command; an I/O leg carries COMMAND_BYTES out or STATUS_BYTES back.
  const unitIo = msg.phase === 2 || msg.stats.unit === "io";
  if (!unitIo) return 1;
  const overhead = msg.phase === 0 ? COMMAND_BYTES : STATUS_BYTES;
  return msg.bytes / (msg.bytes + overhead);
}
