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
  resetStats(): void;
  forEach(fn: (t: Transfer) => void): void;
  /** Removes and returns every queued transfer (a failed port drops them), in queue order. */
  drain(): Transfer[];
}

/** One queue, first in first out. O(1) per operation. */
export class FifoScheduler implements Scheduler {
  readonly queueCount = 1;
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

/**
 * Deficit round robin over `queues` FIFOs with optional token-bucket shaping.
 * O(1) per transfer when nothing is shaped out; a peek that meets shaped-out queues
 * skips each at most once per call. A head larger than a quantum (a frame crossing PCIe
 * as several TLPs) takes several rounds over the active queues; the round reads only
 * typed arrays (each queue's head wire bytes are kept in `headWire`), never the queued
 * transfers, so it stays in a few cache lines however large the simulated site is.
 */
export class DrrScheduler implements Scheduler {
  readonly queueCount: number;
  bytes = 0;
  length = 0;
  private readonly fifos: Fifo<Transfer>[] = [];
  private readonly quantum: Float64Array;
  private readonly deficit: Float64Array;
  /** Wire bytes of each non-empty queue's head transfer. */
  private readonly headWire: Float64Array;
  private readonly inActive: Uint8Array;
  /** Non-empty queues in round-robin order; the head is the queue being visited. */
  private readonly active = new Fifo<number>(4);
  /** The head of `active` has received its quantum for this visit. */
  private granted = false;
  /** Queue whose head `peek` chose, or -1. */
  private selected = -1;
  private readonly shaped: Uint8Array;
  /** Shaper rate, bytes per tick. */
  private readonly rate: Float64Array;
  private readonly burst: Float64Array;
  private readonly tokens: Float64Array;
  private readonly tokenTime: Float64Array;
  private readonly txBytes: Float64Array;

  /** `fullWireBytes`: wire bytes of a full-size transfer at this port (the base quantum). */
  constructor(options: SchedulerOptions, fullWireBytes: number) {
    const n = options.queues ?? 1;
    if (!(Number.isInteger(n) && n >= 1)) throw new RangeError(`scheduler: queues must be an integer >= 1, got ${n}`);
    this.queueCount = n;
    const weights = options.weights ?? new Array<number>(n).fill(1);
    if (weights.length !== n) throw new RangeError(`scheduler: ${weights.length} weights for ${n} queues`);
    for (const w of weights) {
      if (!(w > 0 && Number.isFinite(w))) throw new RangeError(`scheduler: weights must be > 0 and finite, got ${w}`);
    }
    const shapers = options.shapers ?? [];
    if (shapers.length > n) throw new RangeError(`scheduler: ${shapers.length} shapers for ${n} queues`);
    const minWeight = Math.min(...weights);
    this.quantum = new Float64Array(n);
    this.deficit = new Float64Array(n);
    this.headWire = new Float64Array(n);
    this.inActive = new Uint8Array(n);
    this.shaped = new Uint8Array(n);
    this.rate = new Float64Array(n);
    this.burst = new Float64Array(n);
    this.tokens = new Float64Array(n);
    this.tokenTime = new Float64Array(n);
    this.txBytes = new Float64Array(n);
    for (let q = 0; q < n; q++) {
      this.fifos.push(new Fifo<Transfer>(4));
      this.quantum[q] = (weights[q]! / minWeight) * fullWireBytes;
      const s = shapers[q];
      if (s !== null && s !== undefined) {
        if (!(s.rateBps > 0 && Number.isFinite(s.rateBps))) {
          throw new RangeError(`scheduler: shaper rateBps must be > 0 and finite, got ${s.rateBps}`);
        }
        if (!(s.burstBytes >= fullWireBytes && Number.isFinite(s.burstBytes))) {
          throw new RangeError(
            `scheduler: shaper burstBytes must be at least one full-size transfer (${fullWireBytes} wire bytes), got ${s.burstBytes}`,
          );
        }
        this.shaped[q] = 1;
        this.rate[q] = s.rateBps / 8 / TICKS_PER_SECOND;
        this.burst[q] = s.burstBytes;
        this.tokens[q] = s.burstBytes;
      }
    }
  }

  enqueue(t: Transfer, queue: number): void {
    const fifo = this.fifos[queue];
    if (fifo === undefined)
      throw new RangeError(`scheduler: queue ${queue} does not exist (0..${this.queueCount - 1})`);
    if (this.shaped[queue] === 1 && t.wire > this.burst[queue]!) {
      throw new RangeError(
        `scheduler: a ${t.wire}-byte transfer can never fit queue ${queue}'s ${this.burst[queue]}-byte burst`,
      );
    }
    if (fifo.length === 0) this.headWire[queue] = t.wire;
    fifo.push(t);
    this.bytes += t.wire;
    this.length++;
    if (this.inActive[queue] === 0) {
      this.inActive[queue] = 1;
      this.active.push(queue);
    }
  }

  peek(now: number): Transfer | null {
    if (this.selected >= 0) return this.fifos[this.selected]!.peek()!;
    if (this.length === 0) return null;
    const active = this.active;
    const headWire = this.headWire;
    if (active.length === 1) {
      // One queue with work (the common case): the round is that queue alone, visited until
      // its deficit covers its head, one quantum per visit, as the loop below would do.
      const q = active.peek()!;
      if (this.shaped[q] === 0) {
        const wire = headWire[q]!;
        const quantum = this.quantum[q]!;
        if (!this.granted) {
          this.deficit[q]! += quantum;
          this.granted = true;
        }
        while (wire > this.deficit[q]!) this.deficit[q]! += quantum;
        this.selected = q;
        return this.fifos[q]!.peek()!;
      }
    }
    let shapedOut = 0;
    for (;;) {
      const q = active.peek()!;
      const wire = headWire[q]!;
      if (this.shaped[q] === 1 && this.level(q, now) < wire - TOKEN_EPSILON) {
        // Shaped out: pass it over without its quantum.
        this.rotate();
        if (++shapedOut >= active.length) return null;
        continue;
      }
      if (!this.granted) {
        this.deficit[q]! += this.quantum[q]!;
        this.granted = true;
      }
      if (wire <= this.deficit[q]!) {
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
    this.deficit[q]! -= wire;
    this.bytes -= wire;
    this.length--;
    this.txBytes[q]! += wire;
    if (this.shaped[q] === 1) this.tokens[q] = this.level(q, now) - wire;
    if (fifo.length === 0) {
      this.deficit[q] = 0;
      this.inActive[q] = 0;
      this.active.shift();
      this.granted = false;
    } else this.headWire[q] = fifo.peek()!.wire;
    this.selected = -1;
    return t;
  }

  nextEligibleAt(now: number): number {
    let earliest = Number.POSITIVE_INFINITY;
    for (let i = 0; i < this.active.length; i++) {
      const q = this.active.at(i)!;
      if (this.shaped[q] === 0) return now;
      const need = this.headWire[q]! - this.level(q, now);
      const at = need <= TOKEN_EPSILON ? now : now + Math.ceil(need / this.rate[q]!);
      if (at < earliest) earliest = at;
    }
    return earliest;
  }

  /** A shaped queue's rate in wire bits per second, or null (the flow level's view of the shaper). */
  shaperRateBps(queue: number): number | null {
    return this.shaped[queue] === 1 ? this.rate[queue]! * 8 * TICKS_PER_SECOND : null;
  }

  queueTxBytes(queue: number): number {
    return this.txBytes[queue] ?? 0;
  }

  /** Bytes queued in one queue. */
  queueBytes(queue: number): number {
    let sum = 0;
    const fifo = this.fifos[queue];
    if (fifo !== undefined) for (let i = 0; i < fifo.length; i++) sum += fifo.at(i)!.wire;
    return sum;
  }

  resetStats(): void {
    this.txBytes.fill(0);
  }

  forEach(fn: (t: Transfer) => void): void {
    for (const fifo of this.fifos) for (let i = 0; i < fifo.length; i++) fn(fifo.at(i)!);
  }

  drain(): Transfer[] {
    const out: Transfer[] = [];
    for (const fifo of this.fifos) while (fifo.length > 0) out.push(fifo.shift()!);
    while (this.active.length > 0) this.active.shift();
    this.inActive.fill(0);
    this.deficit.fill(0);
    this.granted = false;
    this.selected = -1;
    this.bytes = 0;
    this.length = 0;
    return out;
  }

  /** Bucket level at `now` (brought forward and stored). */
  private level(q: number, now: number): number {
    const elapsed = now - this.tokenTime[q]!;
    if (elapsed > 0) {
      this.tokens[q] = Math.min(this.burst[q]!, this.tokens[q]! + elapsed * this.rate[q]!);
      this.tokenTime[q] = now;
    }
    return this.tokens[q]!;
  }

  /** Moves the visited queue to the back of the round. */
  private rotate(): void {
    this.active.push(this.active.shift()!);
    this.granted = false;
  }
}

/** FIFO for a single unshaped queue, DRR otherwise. */
export function createScheduler(options: SchedulerOptions | undefined, fullWireBytes: number): Scheduler {
  const shaped = (options?.shapers ?? []).some((s) => s !== null && s !== undefined);
  if ((options?.queues ?? 1) === 1 && !shaped && options?.weights === undefined) return new FifoScheduler();
  return new DrrScheduler(options ?? {}, fullWireBytes);
}
