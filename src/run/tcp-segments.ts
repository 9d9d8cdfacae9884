/**
 * A TCP sender's sequence space from the oldest unacknowledged segment on: per sequence
 * number its state, payload, owning message, last transmission and its time, and whether
 * it was sent more than once (Karn). Parallel typed arrays indexed by `seq - base`, grown by
 * doubling and compacted now and then, so a long bulk transfer keeps a window-sized memory.
 */

import type { Message } from "../workload/message.js";

/** Sent, not known to have arrived or been lost. */
export const OUT = 0;
/** Acknowledged (cumulatively or selectively). */
export const SACKED = 1;
/** Declared lost, waiting to be sent again. */
export const LOST = 2;
/** Its message was lost to a failure: never sent again. */
export const GONE = 3;

export class SegmentWindow {
  /** Sequence number of index 0. */
  base = 0;
  private cap = 64;
  state = new Uint8Array(64);
  payload = new Float64Array(64);
  /** Index of the segment's last transmission. */
  lastTx = new Float64Array(64);
  /** When the last transmission was sent (ticks). */
  sentAt = new Float64Array(64);
  /** 1: sent more than once (its ACK gives no RTT sample). */
  resent = new Uint8Array(64);
  owner: (Message | undefined)[] = new Array(64);

  /** Makes room for sequence number `seq`; returns its index. */
  slot(seq: number): number {
    if (seq - this.base >= this.cap) this.grow();
    return seq - this.base;
  }

  /** Drops the entries below `keepFrom` (all acknowledged) once they are at least half of `end - base`. */
  release(keepFrom: number, end: number): void {
    const drop = keepFrom - this.base;
    if (drop >= 32 && drop * 2 >= end - this.base) this.compact(drop, end - this.base);
  }

  private grow(): void {
    const cap = this.cap * 2;
    const grown = <T extends Uint8Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(cap);
      b.set(a);
      return b;
    };
    this.state = grown(this.state, (n) => new Uint8Array(n));
    this.payload = grown(this.payload, (n) => new Float64Array(n));
    this.lastTx = grown(this.lastTx, (n) => new Float64Array(n));
    this.sentAt = grown(this.sentAt, (n) => new Float64Array(n));
    this.resent = grown(this.resent, (n) => new Uint8Array(n));
    this.owner.length = cap;
    this.cap = cap;
  }

  /** Drops the first `n` of `len` entries. */
  private compact(n: number, len: number): void {
    this.state.copyWithin(0, n, len);
    this.payload.copyWithin(0, n, len);
    this.lastTx.copyWithin(0, n, len);
    this.sentAt.copyWithin(0, n, len);
    this.resent.copyWithin(0, n, len);
    this.owner.copyWithin(0, n, len);
    this.owner.fill(undefined, len - n, len);
    this.base += n;
  }
}
