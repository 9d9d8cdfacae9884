/**
 * An egress port's statistics over the measurement window: busy time, time PAUSED, the
 * time-weighted waiting bytes (kept on the fabric's slab), drops, ECN marks and what was
 * transmitted. The counters are updated by the state machine (`egress-port.ts`); this
 * layer opens the window, keeps the waiting-bytes average and the PAUSED time, and reads
 * the window out.
 *
 * Assumptions:
 * - Time PAUSED counts only while work is queued and blocked by flow control; a port
 *   whose queues are all shaped out is READY with one wake-up scheduled.
 * - Utilization counts serialization time (DLLPs included); a cut-through transmission
 *   started late (see `node.ts`) is reserved, not busy, until it starts.
 */

import { TICKS_PER_SECOND } from "../../sim/units.js";
import {
  BUSY,
  BUSY_TICKS,
  PAUSED,
  PEAK_HELD,
  PEER_HELD,
  type PortStats,
  Q_AREA,
  Q_LAST,
  Q_MAX,
  Q_VALUE,
  READY,
  TX_BEGIN,
  TX_END,
  TX_PAYLOAD,
  TX_WIRE,
} from "./port-config.js";
import { PortCore } from "./port-core.js";

export abstract class PortMeasures extends PortCore {
  /** Starts the measurement window now (end of warm-up). Queue contents and state carry over. */
  resetStats(): void {
    const now = this.sim.now;
    const f = this.f;
    const k = this.k;
    this.windowStart = now;
    f[k + BUSY_TICKS] = this.state === BUSY ? Math.max(0, f[k + TX_END]! - Math.max(f[k + TX_BEGIN]!, now)) : 0;
    this.pausedTicks = 0;
    this.pausedSince = now;
    // The waiting-bytes average restarts here, keeping the current value.
    if (!(now >= f[k + Q_LAST]!)) this.queueBackwards(now);
    f[k + Q_AREA] = 0;
    f[k + Q_LAST] = now;
    this.queueStart = now;
    f[k + Q_MAX] = f[k + Q_VALUE]!;
    this.dropped = 0;
    this.marked = 0;
    this.txTransfers = 0;
    f[k + TX_WIRE] = 0;
    f[k + TX_PAYLOAD] = 0;
    f[k + PEAK_HELD] = f[k + PEER_HELD]!;
    this.scheduler.resetStats();
    this.classes?.resetStats(now);
  }

  /** Measurements over [last resetStats, now]. Allocates the result object. */
  stats(): PortStats {
    const now = this.sim.now;
    const window = now - this.windowStart;
    const f = this.f;
    const k = this.k;
    const future = this.state === BUSY ? Math.max(0, f[k + TX_END]! - Math.max(f[k + TX_BEGIN]!, now)) : 0;
    const paused = this.pausedTicks + (this.state === PAUSED ? now - this.pausedSince : 0);
    return {
      id: this.id,
      to: this.to,
      capacityBps: this.capacityBps,
      utilization: window > 0 ? (f[k + BUSY_TICKS]! - future) / window : null,
      pausedSeconds: paused / TICKS_PER_SECOND,
      meanQueueBytes: this.queueMean(now),
      maxQueueBytes: f[k + Q_MAX]!,
      dropped: this.dropped,
      transmittedBytes: f[k + TX_WIRE]!,
      transmittedPayloadBytes: f[k + TX_PAYLOAD]!,
      transmittedTransfers: this.txTransfers,
      peakPeerBufferBytes: this.lossless && this.classes === null ? f[k + PEAK_HELD]! : null,
      ecnMarked: this.classes === null ? this.marked : this.classes.marked.reduce((a, b) => a + b, 0),
      classes: this.classes === null ? null : this.classes.stats(now, (c) => this.classScheduler!.classTxBytes(c)),
    };
  }

  /** The waiting bytes change to `value` at `now` (TimeWeighted.update, on the slab). */
  protected queueUpdate(value: number, now: number): void {
    const f = this.f;
    const k = this.k;
    const last = f[k + Q_LAST]!;
    if (!(now >= last)) this.queueBackwards(now);
    f[k + Q_AREA] = f[k + Q_AREA]! + f[k + Q_VALUE]! * (now - last);
    f[k + Q_LAST] = now;
    f[k + Q_VALUE] = value;
    if (value > f[k + Q_MAX]!) f[k + Q_MAX] = value;
  }

  /** Time-average waiting bytes since the window start (TimeWeighted.mean). */
  protected queueMean(now: number): number {
    const f = this.f;
    const k = this.k;
    const last = f[k + Q_LAST]!;
    if (!(now >= last)) this.queueBackwards(now);
    const elapsed = now - this.queueStart;
    if (elapsed === 0) return f[k + Q_VALUE]!;
    return (f[k + Q_AREA]! + f[k + Q_VALUE]! * (now - last)) / elapsed;
  }

  // Kept out of line so the hot path stays small enough to inline.
  protected queueBackwards(now: number): never {
    throw new RangeError(`port ${this.id}: time must not go backwards (last ${this.f[this.k + Q_LAST]}, got ${now})`);
  }

  protected enterPaused(now: number): void {
    if (this.state !== PAUSED) {
      this.state = PAUSED;
      this.pausedSince = now;
    }
  }

  protected leavePaused(now: number): void {
    this.pausedTicks += now - this.pausedSince;
    this.state = READY;
  }
}
