/**
 * Egress scheduling: which queued transfer a port sends next.
 *
 * - One queue, no shaping: FIFO (`FifoScheduler`), the fast path.
 * - Several queues: deficit round robin by bytes (Shreedhar & Varghese 1995) with
 *   per-queue weights (equal weights = byte-fair round robin), and optional per-queue
 *   shaping by a token bucket (`DrrScheduler`). Used for SR-IOV VF queues, vNIC
 *   committed/peak rates (weight ∝ committed rate, shaper = peak rate) and MR-IOV
 *   per-host arbitration with per-host limits.
 *
 * Assumptions:
 * - Everything is counted in wire bytes at this port (the bytes the transmitter is
 *   busy with), so weights and shaper rates are line-rate shares, overhead included.
 * - Quantum of a queue = its weight / the smallest weight × the port's full-size wire
 *   bytes, so every visit can send at least one full-size transfer (O(1) per transfer).
 * - A shaped queue may send when its bucket holds the head's wire bytes; a shaped-out
 *   queue is skipped without receiving its quantum. The bucket starts full. Its level is
 *   computed from elapsed time (no refill events).
 * - `peek` chooses and `pop` takes: a port blocked on credit keeps the chosen transfer at
 *   the head (head-of-line blocking across all queues, one credit pool per port).
 * - Buffer sharing between the queues of a lossy port (`dynamicThreshold`, optional): the
 *   dynamic threshold of shared-memory switches (Choudhury and Hahne, "Dynamic queue length
 *   thresholds for shared-memory packet switches", IEEE/ACM ToN 6(2), 1998): a queue may
 *   grow while it holds less than α × the port's free buffer, so one stream that fills its
 *   queue keeps at most α/(1 + α) of the buffer and a quiet queue always finds room. Without
 *   it every queue draws on the port's one buffer until it is full (drop-tail per port).
 */

import { Fifo } from "../../sim/fifo.js";
import { TICKS_PER_SECOND } from "../../sim/units.js";
import type { Transfer } from "./transfer.js";

export interface ShaperOptions {
  /** Sustained rate in bits per second (wire bytes × 8). */
  readonly rateBps: number;
  /** Bucket depth in bytes; at least the largest transfer's wire bytes. */
  readonly burstBytes: number;
}

export interface SchedulerOptions {
  /** Number of queues; default 1. */
  readonly queues?: number;
  /** DRR weight per queue (> 0); default all 1 (round robin by bytes). */
  readonly weights?: readonly number[];
  /** Token-bucket shaper per queue; null/undefined = unshaped. */
  readonly shapers?: readonly (ShaperOptions | null | undefined)[];
  /** α of the dynamic threshold per queue at a lossy port (absent: drop-tail on the port's whole buffer). */
  readonly dynamicThreshold?: number;
}

export interface Scheduler {
  readonly queueCount: number;
  /** Wire bytes queued (waiting, not being transmitted). */
  readonly bytes: number;
  /** Transfers queued. */
  readonly length: number;
  enqueue(t: Transfer, queue: number): void;
  /** The transfer to send next, or null when none may go now (empty, or every queue shaped out). Repeated calls return the same transfer until `pop`. */
  peek(now: number): Transfer | null;
  /** Removes and returns the transfer the last `peek` returned. */
  pop(now: number): Transfer;
  /** After `peek` returned null with transfers queued: the earliest tick a queue becomes eligible (Infinity if never). */
  nextEligibleAt(now: number): number;
  /** Wire bytes taken from `queue` since the last `resetStats`. */
  queueTxBytes(queue: number): number;
  /** Wire bytes waiting in `queue`. */
  queueBytes(queue: number): number;
  /** α of the dynamic per-queue threshold, or 0 for none (see the header). */
  readonly dynamicThreshold: number;
  resetStats(): void;
  forEach(fn: (t: Transfer) => void): void;
  /** Removes and returns every queued transfer (a failed port drops them), in queue order. */
  drain(): Transfer[];
}

/** One queue, first in first out. O(1) per operation. */
export class FifoScheduler implements Scheduler {
  readonly queueCount = 1;
  readonly dynamicThreshold = 0;
  bytes = 0;
  length = 0;
  private readonly fifo = new Fifo<Transfer>(4);
  private txBytes = 0;

  enqueue(t: Transfer, _queue: number): void {
    this.fifo.push(t);
    this.bytes += t.wire;
    this.length++;
  }

  peek(_now: number): Transfer | null {
    return this.length === 0 ? null : this.fifo.peek()!;
  }

  pop(_now: number): Transfer {
    const t = this.fifo.shift()!;
    this.bytes -= t.wire;
    this.length--;
    this.txBytes += t.wire;
    return t;
  }

  nextEligibleAt(_now: number): number {
    return Number.POSITIVE_INFINITY;
  }

  queueTxBytes(queue: number): number {
    return queue === 0 ? this.txBytes : 0;
  }

  queueBytes(queue: number): number {
    return queue === 0 ? this.bytes : 0;
  }

  resetStats(): void {
    this.txBytes = 0;
  }

  forEach(fn: (t: Transfer) => void): void {
    for (let i = 0; i < this.fifo.length; i++) fn(this.fifo.at(i)!);
  }

  drain(): Transfer[] {
    const out: Transfer[] = [];
    while (this.fifo.length > 0) out.push(this.fifo.shift()!);
    this.bytes = 0;
    this.length = 0;
    return out;
  }
}

/** Tokens below the head's size that still count as enough: absorbs float rounding of rate × time. */
const TOKEN_EPSILON = 1e-6;

// Per-queue numbers of a DRR scheduler, `QUEUE_SLOTS` doubles per queue side by side (one
// 64-byte cache line per queue), then each queue's transmitted bytes, then the ring of
// active queues, then each queue's waiting bytes: one array instead of ten typed arrays and
// a ring object, so a visit reads one or two cache lines and a site's thousands of DRR ports
// hold 1/8 of the objects (issue 16: MR-IOV sites have a DRR scheduler at half their ports).
const QUANTUM = 0;
const DEFICIT = 1;
/** Wire bytes of a non-empty queue's head transfer. */
const HEAD_WIRE = 2;
/** 1 while the queue is in the active ring. */
const IN_ACTIVE = 3;
/** Shaper rate, bytes per tick; 0 for an unshaped queue. */
const RATE = 4;
const BURST = 5;
const TOKENS = 6;
const TOKEN_TIME = 7;
const QUEUE_SLOTS = 8;

/** Doubles a DRR scheduler over `queues` queues keeps in its slab. */
export function drrSlots(queues: number): number {
  return queues * (QUEUE_SLOTS + 3);
}

/** Where a scheduler keeps its numbers: `n` zeroed doubles at `base` of `slab` (a port's fabric slab), or its own array. */
export type SlotAllocator = (n: number) => { slab: Float64Array; base: number };

const ownSlots: SlotAllocator = (n) => ({ slab: new Float64Array(n), base: 0 });

/**
 * Deficit round robin over `queues` FIFOs with optional token-bucket shaping.
 * O(1) per transfer when nothing is shaped out; a peek that meets shaped-out queues
 * skips each at most once per call. A head larger than a quantum (a frame crossing PCIe
 * as several TLPs) takes several rounds over the active queues; the round reads only
 * the numbers array (each queue's head wire bytes are kept there), never the queued
 * transfers, so it stays in a few cache lines however large the simulated site is.
 */
export class DrrScheduler implements Scheduler {
  readonly queueCount: number;
  readonly dynamicThreshold: number;
  bytes = 0;
  length = 0;
  private readonly fifos: Fifo<Transfer>[] = [];
  /** The numbers (see `QUEUE_SLOTS`): queue q's at `b + q * QUEUE_SLOTS`. */
  private readonly s: Float64Array;
  private readonly b: number;
  /** First slot of the transmitted bytes per queue, and of the active ring (queue indices in round-robin order; the head is the queue being visited). */
  private readonly txAt: number;
  private readonly ringAt: number;
  /** First slot of the waiting bytes per queue. */
  private readonly bytesAt: number;
  private ringHead = 0;
  private ringCount = 0;
  /** The head of the ring has received its quantum for this visit. */
  private granted = false;
  /** Queue whose head `peek` chose, or -1. */
  private selected = -1;

  /**
   * `fullWireBytes`: wire bytes of a full-size transfer at this port (the base quantum).
   * `slots`: where the numbers live (default: an array of the scheduler's own).
   */
  constructor(options: SchedulerOptions, fullWireBytes: number, slots: SlotAllocator = ownSlots) {
    const n = options.queues ?? 1;
    if (!(Number.isInteger(n) && n >= 1)) throw new RangeError(`scheduler: queues must be an integer >= 1, got ${n}`);
    this.queueCount = n;
    const alpha = options.dynamicThreshold ?? 0;
    if (!(alpha >= 0 && Number.isFinite(alpha)))
      throw new RangeError(`scheduler: dynamicThreshold must be >= 0 and finite, got ${alpha}`);
    this.dynamicThreshold = alpha;
    const weights = options.weights ?? new Array<number>(n).fill(1);
    if (weights.length !== n) throw new RangeError(`scheduler: ${weights.length} weights for ${n} queues`);
    for (const w of weights) {
      if (!(w > 0 && Number.isFinite(w))) throw new RangeError(`scheduler: weights must be > 0 and finite, got ${w}`);
    }
    const shapers = options.shapers ?? [];
    if (shapers.length > n) throw new RangeError(`scheduler: ${shapers.length} shapers for ${n} queues`);
    const minWeight = Math.min(...weights);
    const { slab, base } = slots(drrSlots(n));
    this.s = slab;
    this.b = base;
    this.txAt = base + n * QUEUE_SLOTS;
    this.ringAt = this.txAt + n;
    this.bytesAt = this.ringAt + n;
    for (let q = 0; q < n; q++) {
      this.fifos.push(new Fifo<Transfer>(4));
      const k = base + q * QUEUE_SLOTS;
      slab[k + QUANTUM] = (weights[q]! / minWeight) * fullWireBytes;
      const sh = shapers[q];
      if (sh !== null && sh !== undefined) {
        if (!(sh.rateBps > 0 && Number.isFinite(sh.rateBps))) {
          throw new RangeError(`scheduler: shaper rateBps must be > 0 and finite, got ${sh.rateBps}`);
        }
        if (!(sh.burstBytes >= fullWireBytes && Number.isFinite(sh.burstBytes))) {
          throw new RangeError(
            `scheduler: shaper burstBytes must be at least one full-size transfer (${fullWireBytes} wire bytes), got ${sh.burstBytes}`,
          );
        }
        slab[k + RATE] = sh.rateBps / 8 / TICKS_PER_SECOND;
        slab[k + BURST] = sh.burstBytes;
        slab[k + TOKENS] = sh.burstBytes;
      }
    }
  }

  enqueue(t: Transfer, queue: number): void {
    const fifo = this.fifos[queue];
    if (fifo === undefined)
      throw new RangeError(`scheduler: queue ${queue} does not exist (0..${this.queueCount - 1})`);
    const s = this.s;
    const k = this.b + queue * QUEUE_SLOTS;
    if (s[k + RATE]! > 0 && t.wire > s[k + BURST]!) {
      throw new RangeError(
        `scheduler: a ${t.wire}-byte transfer can never fit queue ${queue}'s ${s[k + BURST]}-byte burst`,
      );
    }
    if (fifo.length === 0) s[k + HEAD_WIRE] = t.wire;
    fifo.push(t);
    this.bytes += t.wire;
    s[this.bytesAt + queue]! += t.wire;
    this.length++;
    if (s[k + IN_ACTIVE] === 0) {
      s[k + IN_ACTIVE] = 1;
      // Each queue is in the ring at most once, so n slots always hold it.
      let at = this.ringHead + this.ringCount;
      if (at >= this.queueCount) at -= this.queueCount;
      s[this.ringAt + at] = queue;
      this.ringCount++;
    }
  }

  peek(now: number): Transfer | null {
    if (this.selected >= 0) return this.fifos[this.selected]!.peek()!;
    if (this.length === 0) return null;
    const s = this.s;
    if (this.ringCount === 1) {
      // One queue with work (the common case): the round is that queue alone, visited until
      // its deficit covers its head, one quantum per visit, as the loop below would do.
      const q = s[this.ringAt + this.ringHead]! | 0;
      const k = this.b + q * QUEUE_SLOTS;
      if (s[k + RATE] === 0) {
        const wire = s[k + HEAD_WIRE]!;
        const quantum = s[k + QUANTUM]!;
        if (!this.granted) {
          s[k + DEFICIT]! += quantum;
          this.granted = true;
        }
        while (wire > s[k + DEFICIT]!) s[k + DEFICIT]! += quantum;
        this.selected = q;
        return this.fifos[q]!.peek()!;
      }
    }
    let shapedOut = 0;
    for (;;) {
      const q = s[this.ringAt + this.ringHead]! | 0;
      const k = this.b + q * QUEUE_SLOTS;
      const wire = s[k + HEAD_WIRE]!;
      if (s[k + RATE]! > 0 && this.level(k, now) < wire - TOKEN_EPSILON) {
        // Shaped out: pass it over without its quantum.
        this.rotate();
        if (++shapedOut >= this.ringCount) return null;
        continue;
      }
      if (!this.granted) {
        s[k + DEFICIT]! += s[k + QUANTUM]!;
        this.granted = true;
      }
      if (wire <= s[k + DEFICIT]!) {
        this.selected = q;
        return this.fifos[q]!.peek()!;
      }
      this.rotate();
      shapedOut = 0;
    }
  }

  pop(now: number): Transfer {
    const q = this.selected;
    if (q < 0) throw new Error("scheduler: pop without a successful peek");
    const fifo = this.fifos[q]!;
    const t = fifo.shift()!;
    const wire = t.wire;
    const s = this.s;
    const k = this.b + q * QUEUE_SLOTS;
    s[k + DEFICIT]! -= wire;
    this.bytes -= wire;
    s[this.bytesAt + q]! -= wire;
    this.length--;
    s[this.txAt + q]! += wire;
    if (s[k + RATE]! > 0) s[k + TOKENS] = this.level(k, now) - wire;
    if (fifo.length === 0) {
      s[k + DEFICIT] = 0;
      s[k + IN_ACTIVE] = 0;
      this.shiftRing();
      this.granted = false;
    } else s[k + HEAD_WIRE] = fifo.peek()!.wire;
    this.selected = -1;
    return t;
  }

  nextEligibleAt(now: number): number {
    let earliest = Number.POSITIVE_INFINITY;
    const s = this.s;
    for (let i = 0; i < this.ringCount; i++) {
      const q = s[this.ringAt + ((this.ringHead + i) % this.queueCount)]! | 0;
      const k = this.b + q * QUEUE_SLOTS;
      if (s[k + RATE] === 0) return now;
      const need = s[k + HEAD_WIRE]! - this.level(k, now);
      const at = need <= TOKEN_EPSILON ? now : now + Math.ceil(need / s[k + RATE]!);
      if (at < earliest) earliest = at;
    }
    return earliest;
  }

  /** Queue `queue`'s shaper rate in wire bits per second, or null when it is unshaped (or does not exist). */
  shaperRateBps(queue: number): number | null {
    if (!(Number.isInteger(queue) && queue >= 0 && queue < this.queueCount)) return null;
    const rate = this.s[this.b + queue * QUEUE_SLOTS + RATE]!;
    return rate > 0 ? rate * 8 * TICKS_PER_SECOND : null;
  }

  queueTxBytes(queue: number): number {
    return Number.isInteger(queue) && queue >= 0 && queue < this.queueCount ? this.s[this.txAt + queue]! : 0;
  }

  queueBytes(queue: number): number {
    return Number.isInteger(queue) && queue >= 0 && queue < this.queueCount ? this.s[this.bytesAt + queue]! : 0;
  }

  resetStats(): void {
    this.s.fill(0, this.txAt, this.txAt + this.queueCount);
  }

  forEach(fn: (t: Transfer) => void): void {
    for (const fifo of this.fifos) for (let i = 0; i < fifo.length; i++) fn(fifo.at(i)!);
  }

  drain(): Transfer[] {
    const out: Transfer[] = [];
    for (const fifo of this.fifos) while (fifo.length > 0) out.push(fifo.shift()!);
    const s = this.s;
    for (let q = 0; q < this.queueCount; q++) {
      const k = this.b + q * QUEUE_SLOTS;
      s[k + IN_ACTIVE] = 0;
      s[k + DEFICIT] = 0;
      s[this.bytesAt + q] = 0;
    }
    this.ringHead = 0;
    this.ringCount = 0;
    this.granted = false;
    this.selected = -1;
    this.bytes = 0;
    this.length = 0;
    return out;
  }

  /** Bucket level at `now` of the queue whose numbers start at `k` (brought forward and stored). */
  private level(k: number, now: number): number {
    const s = this.s;
    const elapsed = now - s[k + TOKEN_TIME]!;
    if (elapsed > 0) {
      s[k + TOKENS] = Math.min(s[k + BURST]!, s[k + TOKENS]! + elapsed * s[k + RATE]!);
      s[k + TOKEN_TIME] = now;
    }
    return s[k + TOKENS]!;
  }

  /** Removes the ring's head (the visited queue). */
  private shiftRing(): void {
    this.ringHead = this.ringHead + 1 === this.queueCount ? 0 : this.ringHead + 1;
    this.ringCount--;
  }

  /** Moves the visited queue to the back of the round. */
  private rotate(): void {
    const q = this.s[this.ringAt + this.ringHead]!;
    this.shiftRing();
    let at = this.ringHead + this.ringCount;
    if (at >= this.queueCount) at -= this.queueCount;
    this.s[this.ringAt + at] = q;
    this.ringCount++;
    this.granted = false;
  }
}

/** FIFO for a single unshaped queue, DRR otherwise. */
export function createScheduler(
  options: SchedulerOptions | undefined,
  fullWireBytes: number,
  slots?: SlotAllocator,
): Scheduler {
  const shaped = (options?.shapers ?? []).some((s) => s !== null && s !== undefined);
  if ((options?.queues ?? 1) === 1 && !shaped && options?.weights === undefined && !options?.dynamicThreshold)
    return new FifoScheduler();
  return new DrrScheduler(options ?? {}, fullWireBytes, slots);
}
