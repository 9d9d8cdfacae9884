/**
 * A TCP receiver that delivers in order: a message completes when its last byte and every
 * byte before it have arrived (head-of-line blocking behind a lost segment). Segments that
 * arrive above a hole wait in `early`; a message given up (lost to a failure) has its
 * sequence numbers marked as arrived, so the receiver skips them.
 */

import { Fifo } from "../../sim/fifo.js";
import { IN_FLIGHT, type Message } from "../workload/message.js";

export class TcpReceiver {
  /** The next sequence number expected in order. */
  next = 0;
  private readonly early = new Set<number>();
  /** Each sent message's last sequence number, in order, and the message. */
  private readonly doneSeq = new Fifo<number>(8);
  private readonly doneMsg = new Fifo<Message>(8);

  constructor(private readonly host: { complete(msg: Message): void }) {}

  /** Segment `seq` arrived; returns false for a duplicate (already received). */
  receive(seq: number): boolean {
    if (seq < this.next || this.early.has(seq)) return false;
    if (seq === this.next) this.advance(seq + 1);
    else this.early.add(seq);
    return true;
  }

  /** `msg`'s last segment is `lastSeq`: it completes once everything up to it has arrived. */
  expect(lastSeq: number, msg: Message): void {
    this.doneSeq.push(lastSeq);
    this.doneMsg.push(msg);
  }

  /** Sequence numbers `from`…`last` will never come (their message was given up). */
  skip(from: number, last: number): void {
    for (let s = Math.max(from, this.next); s <= last; s++) this.early.add(s);
    if (this.early.has(this.next)) this.advance(this.next);
  }

  /** Messages sent, not yet complete here. */
  forEachUnfinished(fn: (msg: Message) => void): void {
    for (const m of this.doneMsg) fn(m);
  }

  private advance(next: number): void {
    let n = next;
    const early = this.early;
    while (early.has(n)) {
      early.delete(n);
      n++;
    }
    this.next = n;
    while (this.doneSeq.length > 0 && this.doneSeq.peek()! < n) {
      this.doneSeq.shift();
      const msg = this.doneMsg.shift()!;
      if (msg.state === IN_FLIGHT) this.host.complete(msg);
    }
  }
}
