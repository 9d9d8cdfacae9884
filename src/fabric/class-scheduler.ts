/**
 * Transmission selection among traffic classes: 802.1Qaz on converged Ethernet (strict
 * priority classes, then ETS bandwidth shares) and InfiniBand VL arbitration (a high- and
 * a low-priority weighted table with a limit on the high one). Inside a class, the port's
 * own queues (vNICs, VFs, hosts) keep their scheduler (FIFO or DRR, see `scheduler.ts`).
 *
 * Model:
 * - Classes are grouped in tiers, served in order: a tier sends only when every tier before
 *   it has nothing eligible. Inside a tier, deficit round robin by wire bytes with quanta
 *   ∝ the classes' weights (Shreedhar & Varghese 1995), so it is work-conserving: a class
 *   with nothing to send leaves its share to the others.
 *   - 802.1Qaz: each strict-priority class is a tier of its own (the highest priority
 *     first), and the ETS classes share the last tier with weights = their bandwidth
 *     percentages (IEEE 802.1Qaz-2011 §37.3, transmission selection algorithms "strict
 *     priority" and "ETS"). Shares apply to what the strict classes leave.
 *   - InfiniBand (IBA Vol. 1 Rel. 1.2.1 §7.6.9): tier 0 is the high-priority table, tier 1
 *     the low-priority table, each entry a VL and a weight in units of 64 bytes. The
 *     spec's tables are visited entry by entry; DRR with the same weights gives the same
 *     long-run shares, a VL listed twice gets the sum of its weights. `LimitOfHighPriority`
 *     (units of 4,096 bytes; 0 = one packet; 255 = unbounded): once the high table has sent
 *     more than the limit while a low-priority packet was eligible, one low-priority packet
 *     goes next (`tierLimitBytes`).
 * - A class is eligible when its head transfer may go: the port's gate says no while the
 *   class is paused by PFC or lacks credit for the head (per-VL credits), and the inner
 *   scheduler returns null while every sub-queue is shaped out. An ineligible class is
 *   passed over without its quantum (like a shaped-out DRR queue).
 * - Queue numbering: queue q of a port with S sub-queues per class is class ⌊q / S⌋,
 *   sub-queue q mod S (`queueOf`). Routes carry these flat numbers, so the hot path needs
 *   no lookup by priority.
 * Cost: O(1) per transfer when every backlogged class is eligible; a peek that meets
 * blocked classes visits each at most once per tier.
 */

import { Fifo } from "../../sim/fifo.js";
import { createScheduler, type Scheduler, type SchedulerOptions } from "./scheduler.js";
import type { Transfer } from "./transfer.js";

/** The port's say on whether class `cls` may send `head` now (flow control). */
export interface ClassGate {
  classReady(cls: number, head: Transfer): boolean;
}

export interface ClassSchedulerOptions {
  /** Tier of each class (0 served first). */
  readonly tiers: readonly number[];
  /** DRR weight of each class inside its tier (> 0). */
  readonly weights: readonly number[];
  /** Sub-queues inside every class (the port's own queues); default one FIFO. */
  readonly inner?: SchedulerOptions;
  /**
   * Bytes tier 0 may send while a lower tier has an eligible packet before the lower tiers
   * get one packet (InfiniBand LimitOfHighPriority × 4,096). Default Infinity (strict).
   */
  readonly tierLimitBytes?: number;
}

const NONE = -1;

export class ClassScheduler implements Scheduler {
  readonly queueCount: number;
  readonly classCount: number;
  /** Sub-queues per class. */
  readonly subQueues: number;
  /** Classes drop per class (`PortClasses`), not by a per-queue threshold. */
  readonly dynamicThreshold = 0;
  bytes = 0;
  length = 0;
  /** Waiting wire bytes per class. */
  readonly classBytes: Float64Array;
  /** Transfers waiting per class. */
  readonly classLength: Uint32Array;
  /** Set by the port: its flow-control state per class. */
  gate: ClassGate | null = null;
  /** After a null `peek` with transfers queued: some class was held back by the gate (not only by shapers). */
  blockedByGate = false;
  /** The class the last successful `peek` chose, or -1. */
  selectedClass = NONE;

  private readonly inner: Scheduler[] = [];
  private readonly tierOf: Uint8Array;
  private readonly tierCount: number;
  /** Per tier: classes with queued transfers, in round-robin order. */
  private readonly active: Fifo<number>[] = [];
  private readonly granted: Uint8Array;
  private readonly inActive: Uint8Array;
  private readonly quantum: Float64Array;
  private readonly deficit: Float64Array;
  private readonly tierLimit: number;
  /** Bytes tier 0 sent since a lower tier last sent. */
  private highSent = 0;
  /** Classes with queued transfers, and (when it is one) which. */
  private activeCount = 0;
  private lastActive = 0;
  private readonly txBytes: Float64Array;

  /** `fullWireBytes`: wire bytes of a full-size transfer at this port (the base quantum). */
  constructor(options: ClassSchedulerOptions, fullWireBytes: number) {
    const n = options.tiers.length;
    if (n < 1 || n > 16) throw new RangeError(`class scheduler: 1 to 16 classes, got ${n}`);
    if (options.weights.length !== n)
      throw new RangeError(`class scheduler: ${options.weights.length} weights for ${n} classes`);
    this.classCount = n;
    this.tierOf = Uint8Array.from(options.tiers);
    this.tierCount = Math.max(...options.tiers) + 1;
    for (let t = 0; t < this.tierCount; t++) {
      if (!options.tiers.includes(t)) throw new RangeError(`class scheduler: tier ${t} has no class`);
      this.active.push(new Fifo<number>(4));
    }
    this.granted = new Uint8Array(this.tierCount);
    this.inActive = new Uint8Array(n);
    this.quantum = new Float64Array(n);
    this.deficit = new Float64Array(n);
    this.classBytes = new Float64Array(n);
    this.classLength = new Uint32Array(n);
    for (let c = 0; c < n; c++) {
      const w = options.weights[c]!;
      if (!(w > 0 && Number.isFinite(w)))
        throw new RangeError(`class scheduler: weights must be > 0 and finite, got ${w}`);
    }
    for (let c = 0; c < n; c++) {
      const tier = this.tierOf[c]!;
      let min = Number.POSITIVE_INFINITY;
      for (let k = 0; k < n; k++) if (this.tierOf[k] === tier) min = Math.min(min, options.weights[k]!);
      this.quantum[c] = (options.weights[c]! / min) * fullWireBytes;
      this.inner.push(createScheduler(options.inner, fullWireBytes));
    }
    this.subQueues = this.inner[0]!.queueCount;
    this.queueCount = n * this.subQueues;
    this.txBytes = new Float64Array(this.queueCount);
    const limit = options.tierLimitBytes ?? Number.POSITIVE_INFINITY;
    if (!(limit >= 0)) throw new RangeError(`class scheduler: tierLimitBytes must be >= 0, got ${limit}`);
    this.tierLimit = limit;
  }

  /** The flat queue number of sub-queue `sub` of class `cls`. */
  queueOf(cls: number, sub: number): number {
    return cls * this.subQueues + sub;
  }

  /** The class of flat queue `queue`. */
  classOf(queue: number): number {
    return (queue / this.subQueues) | 0;
  }

  enqueue(t: Transfer, queue: number): void {
    const s = this.subQueues;
    const c = (queue / s) | 0;
    if (!(c >= 0 && c < this.classCount)) {
      throw new RangeError(`scheduler: queue ${queue} does not exist (0..${this.queueCount - 1})`);
    }
    this.inner[c]!.enqueue(t, queue - c * s);
    this.bytes += t.wire;
    this.length++;
    this.classBytes[c]! += t.wire;
    this.classLength[c]!++;
    if (this.inActive[c] === 0) {
      this.inActive[c] = 1;
      this.activeCount++;
      this.lastActive = c;
      this.active[this.tierOf[c]!]!.push(c);
    }
  }

  peek(now: number): Transfer | null {
    this.selectedClass = NONE;
    this.blockedByGate = false;
    if (this.length === 0) return null;
    if (this.activeCount === 1) {
      // One class with work (the common case at most ports): no arbitration to do.
      const c = this.lastActive;
      const head = this.inner[c]!.peek(now);
      if (head === null) return null;
      if (this.gate !== null && !this.gate.classReady(c, head)) {
        this.blockedByGate = true;
        return null;
      }
      this.selectedClass = c;
      return head;
    }
    // Past the high-priority limit, the lower tiers get the next packet if they have one.
    if (this.highSent > this.tierLimit) {
      for (let tier = 1; tier < this.tierCount; tier++) {
        const t = this.pick(tier, now);
        if (t !== null) return t;
      }
      this.highSent = 0;
      return this.pick(0, now);
    }
    for (let tier = 0; tier < this.tierCount; tier++) {
      const t = this.pick(tier, now);
      if (t !== null) return t;
    }
    return null;
  }

  pop(now: number): Transfer {
    const c = this.selectedClass;
    if (c < 0) throw new Error("scheduler: pop without a successful peek");
    const t = this.inner[c]!.pop(now);
    const wire = t.wire;
    this.bytes -= wire;
    this.length--;
    this.classBytes[c]! -= wire;
    this.classLength[c]!--;
    const tier = this.tierOf[c]!;
    // Alone, a class owes nothing to the others: its deficit stays at zero until it competes.
    if (this.activeCount === 1) {
      this.deficit[c] = 0;
      this.granted[tier] = 0;
    } else this.deficit[c]! -= wire;
    // The high-priority limit counts only while a lower tier has work waiting.
    if (tier === 0) this.highSent = this.activeCount === 1 ? 0 : this.highSent + wire;
    else this.highSent = 0;
    this.txBytes[t.route.queues[t.hop]!]! += wire;
    if (this.classLength[c] === 0) {
      this.deficit[c] = 0;
      this.inActive[c] = 0;
      this.activeCount--;
      this.active[tier]!.shift(); // the class served is always its ring's head
      this.granted[tier] = 0;
      if (this.activeCount === 1) this.lastActive = this.firstActive();
    }
    this.selectedClass = NONE;
    return t;
  }

  nextEligibleAt(now: number): number {
    let earliest = Number.POSITIVE_INFINITY;
    for (let tier = 0; tier < this.tierCount; tier++) {
      const ring = this.active[tier]!;
      for (let i = 0; i < ring.length; i++) {
        const c = ring.at(i)!;
        const inner = this.inner[c]!;
        const head = inner.peek(now);
        // A class the gate holds back wakes the port through its flow-control event instead.
        if (head !== null) {
          if (this.gate === null || this.gate.classReady(c, head)) return now;
          continue;
        }
        const at = inner.nextEligibleAt(now);
        if (at < earliest) earliest = at;
      }
    }
    return earliest;
  }

  /** The transfer class `cls` would send next (ignoring the gate), or null. */
  classHead(cls: number, now: number): Transfer | null {
    return this.classLength[cls] === 0 ? null : this.inner[cls]!.peek(now);
  }

  queueTxBytes(queue: number): number {
    return this.txBytes[queue] ?? 0;
  }

  queueBytes(queue: number): number {
    const s = this.subQueues;
    return this.inner[(queue / s) | 0]?.queueBytes(queue % s) ?? 0;
  }

  /** Wire bytes class `cls` sent since the last `resetStats`. */
  classTxBytes(cls: number): number {
    let sum = 0;
    for (let s = 0; s < this.subQueues; s++) sum += this.txBytes[this.queueOf(cls, s)]!;
    return sum;
  }

  resetStats(): void {
    this.txBytes.fill(0);
    for (const s of this.inner) s.resetStats();
  }

  forEach(fn: (t: Transfer) => void): void {
    for (const s of this.inner) s.forEach(fn);
  }

  drain(): Transfer[] {
    const out: Transfer[] = [];
    for (const s of this.inner) out.push(...s.drain());
    for (const ring of this.active) while (ring.length > 0) ring.shift();
    this.inActive.fill(0);
    this.deficit.fill(0);
    this.granted.fill(0);
    this.classBytes.fill(0);
    this.classLength.fill(0);
    this.activeCount = 0;
    this.selectedClass = NONE;
    this.highSent = 0;
    this.bytes = 0;
    this.length = 0;
    return out;
  }

  /** The one class with queued transfers (when `activeCount` is 1). */
  private firstActive(): number {
    for (const ring of this.active) if (ring.length > 0) return ring.peek()!;
    return 0;
  }

  /** Deficit round robin over tier `tier`'s backlogged classes; sets `selectedClass`. */
  private pick(tier: number, now: number): Transfer | null {
    const ring = this.active[tier]!;
    let skipped = 0;
    while (ring.length > 0) {
      const c = ring.peek()!;
      const head = this.inner[c]!.peek(now);
      if (head === null || (this.gate !== null && !this.gate.classReady(c, head))) {
        if (head !== null) this.blockedByGate = true;
        // Not eligible: pass it over without its quantum.
        ring.push(ring.shift()!);
        this.granted[tier] = 0;
        if (++skipped >= ring.length) return null;
        continue;
      }
      if (this.granted[tier] === 0) {
        this.deficit[c]! += this.quantum[c]!;
        this.granted[tier] = 1;
      }
      if (head.wire <= this.deficit[c]!) {
        this.selectedClass = c;
        return head;
      }
      ring.push(ring.shift()!);
      this.granted[tier] = 0;
      skipped = 0;
    }
    return null;
  }
}
