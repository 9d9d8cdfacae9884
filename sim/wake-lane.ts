/** Something the kernel resumes by calling `wake()` (a process; an interrupt's delivery). */
export interface Waker {
  wake(): void;
}

/**
 * The wake lane: wake-ups due now at URGENT priority (process starts,
 * interrupts), kept in a FIFO beside the event heap instead of in it.
 *
 * Why: a SimPy-style model starts a process per customer, packet or request,
 * and each start is a zero-delay URGENT event. As a heap event it costs a slot,
 * a sift and the handler table; here it costs a ring store and a direct
 * `wake()` call. The order is unchanged: each entry carries the insertion
 * sequence number it would have had in the heap, and the kernel fires a heap
 * event first only when that event is also due now, URGENT, and older.
 * (Not `Fifo`: the sequence numbers, up to 2^44, live unboxed in a Float64Array
 * beside the items, under the same head.)
 */
export class WakeLane {
  private items: (Waker | undefined)[] = new Array<Waker | undefined>(64).fill(undefined);
  private seqs = new Float64Array(64);
  private head = 0;
  /** Entries waiting. */
  length = 0;

  push(w: Waker, seq: number): void {
    if (this.length === this.items.length) this.grow();
    const i = (this.head + this.length++) & (this.items.length - 1);
    this.items[i] = w;
    this.seqs[i] = seq;
  }

  /** Insertion sequence number of the oldest entry (the lane must not be empty). */
  headSeq(): number {
    return this.seqs[this.head]!;
  }

  /** Takes out the oldest entry (the lane must not be empty). */
  shift(): Waker {
    const w = this.items[this.head]!;
    this.items[this.head] = undefined;
    this.head = (this.head + 1) & (this.items.length - 1);
    this.length--;
    return w;
  }

  private grow(): void {
    const c = this.items.length;
    const items = new Array<Waker | undefined>(2 * c).fill(undefined);
    const seqs = new Float64Array(2 * c);
    for (let k = 0; k < c; k++) {
      const i = (this.head + k) & (c - 1);
      items[k] = this.items[i];
      seqs[k] = this.seqs[i]!;
    }
    this.items = items;
    this.seqs = seqs;
    this.head = 0;
  }
}
