import { describe, expect, it } from "vitest";
import { WakeLane, type Waker } from "../../sim/wake-lane.js";

function waker(log: number[], id: number): Waker {
  return { wake: () => log.push(id) };
}

describe("WakeLane", () => {
  it("gives back wakers first in, first out, with the sequence number each came with, across growth and wrap-around", () => {
    const lane = new WakeLane();
    const log: number[] = [];
    let next = 0;
    let expected = 0;
    // Interleave pushes and shifts so the ring wraps before it grows (starts at 64).
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 50 * (round + 1); i++) lane.push(waker(log, next), 1000 + next++);
      for (let i = 0; i < 40; i++) {
        expect(lane.headSeq()).toBe(1000 + expected);
        lane.shift().wake();
        expect(log.at(-1)).toBe(expected++);
      }
    }
    while (lane.length > 0) {
      expect(lane.headSeq()).toBe(1000 + expected);
      lane.shift().wake();
      expected++;
    }
    expect(log).toEqual(Array.from({ length: next }, (_, i) => i));
  });
});
