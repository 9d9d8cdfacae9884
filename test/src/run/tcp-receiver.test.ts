import { describe, expect, it } from "vitest";
import { WorkloadStats } from "../../../src/metrics/workload-stats.js";
import { TcpReceiver } from "../../../src/run/tcp-receiver.js";
import { DROPPED, Message } from "../../../src/workload/message.js";

function receiver() {
  const done: number[] = [];
  const r = new TcpReceiver({ complete: (m: Message) => done.push(m.id) });
  const stats = new WorkloadStats("w", "message");
  const msg = (id: number) => new Message(id, stats, 0, 3000, 0, false, 0);
  return { r, done, msg };
}

describe("TcpReceiver", () => {
  it("completes a message when its last segment and every one before it have arrived", () => {
    const { r, done, msg } = receiver();
    r.expect(1, msg(1)); // segments 0–1
    r.expect(3, msg(2)); // segments 2–3
    expect(r.receive(0)).toBe(true);
    expect(r.receive(2)).toBe(true);
    expect(r.receive(3)).toBe(true);
    expect(done).toEqual([]); // head-of-line blocked behind segment 1
    expect(r.receive(1)).toBe(true);
    expect(done).toEqual([1, 2]);
    expect(r.next).toBe(4);
  });

  it("counts a segment it already has as a duplicate", () => {
    const { r, msg } = receiver();
    r.expect(2, msg(1));
    r.receive(0);
    r.receive(2);
    expect(r.receive(0)).toBe(false);
    expect(r.receive(2)).toBe(false);
  });

  it("skips the sequence numbers of a message given up, so later messages complete", () => {
    const { r, done, msg } = receiver();
    const lost = msg(1);
    r.expect(1, lost);
    r.expect(3, msg(2));
    r.receive(2);
    r.receive(3);
    lost.state = DROPPED; // the transport gives the message up before the receiver skips it
    r.skip(0, 1);
    expect(r.next).toBe(4);
    expect(done).toEqual([2]);
  });
});
