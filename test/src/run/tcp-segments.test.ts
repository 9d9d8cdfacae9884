import { describe, expect, it } from "vitest";
import { OUT, SACKED, SegmentWindow } from "../../../src/run/tcp-segments.js";

describe("SegmentWindow", () => {
  it("grows past its first 64 slots and keeps what was written", () => {
    const w = new SegmentWindow();
    for (let seq = 0; seq < 200; seq++) {
      const i = w.slot(seq);
      w.state[i] = seq % 2 === 0 ? OUT : SACKED;
      w.payload[i] = seq;
    }
    expect(w.state.length).toBeGreaterThanOrEqual(200);
    expect(Array.from(w.payload.subarray(0, 200))).toEqual(Array.from({ length: 200 }, (_, s) => s));
  });

  it("drops an acknowledged prefix once it is at least half the window, and indexes from the new base", () => {
    const w = new SegmentWindow();
    for (let seq = 0; seq < 100; seq++) w.payload[w.slot(seq)] = seq;
    w.release(40, 100); // 40 of 100: less than half, kept
    expect(w.base).toBe(0);
    w.release(60, 100);
    expect(w.base).toBe(60);
    expect(w.payload[70 - w.base]).toBe(70);
    expect(w.owner[99 - w.base + 1]).toBeUndefined();
  });

  it("does not compact for fewer than 32 acknowledged segments", () => {
    const w = new SegmentWindow();
    for (let seq = 0; seq < 40; seq++) w.slot(seq);
    w.release(31, 40);
    expect(w.base).toBe(0);
  });
});
