import { describe, expect, it } from "vitest";
import { TimeWeighted } from "../../../sim/stats/time-weighted.js";

describe("TimeWeighted", () => {
  // Queue length: 0 on [0,2), 3 on [2,5), 1 on [5,10), 4 from 10 on.
  function queue(): TimeWeighted {
    const q = new TimeWeighted(0, 0);
    q.update(3, 2);
    q.update(1, 5);
    q.update(4, 10);
    return q;
  }

  it("averages a hand-computed piecewise-constant signal", () => {
    const q = queue();
    // ∫ over [0,10] = 0·2 + 3·3 + 1·5 = 14; over [0,12] add 4·2 = 8.
    expect(q.mean(10)).toBeCloseTo(1.4, 14);
    expect(q.mean(12)).toBeCloseTo(22 / 12, 14);
    expect([q.min, q.max, q.value]).toEqual([0, 4, 4]);
  });

  it("counts the value held between updates, not the number of updates", () => {
    const busy = new TimeWeighted(0, 0);
    for (let t = 0; t < 1000; t += 10) {
      busy.update(1, t);
      busy.update(0, t + 3); // busy 3 ticks out of every 10
    }
    expect(busy.mean(1000)).toBeCloseTo(0.3, 14);
  });

  it("restarts the average at reset(now) but keeps the current value", () => {
    const q = new TimeWeighted(0, 0);
    q.update(3, 2);
    q.update(1, 5);
    q.reset(6); // warm-up ends while the value 1 is held
    expect(q.mean(6)).toBe(1); // empty interval: the current value
    expect([q.min, q.max]).toEqual([1, 1]);
    q.update(4, 10);
    // [6,10): 1·4, [10,14): 4·4 → 20 / 8.
    expect(q.mean(14)).toBeCloseTo(2.5, 14);
    expect([q.min, q.max]).toEqual([1, 4]);
  });

  it("accepts repeated updates at the same time: only the last value is held", () => {
    const q = new TimeWeighted(5, 100);
    q.update(7, 100);
    q.update(2, 100);
    expect(q.mean(110)).toBe(2);
    expect([q.min, q.max]).toEqual([2, 7]);
  });

  it("works with any time unit, e.g. integer picosecond ticks far from zero", () => {
    const start = 2 ** 50;
    const q = new TimeWeighted(1, start);
    q.update(3, start + 1_000);
    expect(q.mean(start + 4_000)).toBeCloseTo((1_000 + 3 * 3_000) / 4_000, 12);
  });

  it("rejects time going backwards", () => {
    const q = queue();
    expect(() => q.update(1, 9)).toThrow(RangeError);
    expect(() => q.mean(9)).toThrow(RangeError);
    expect(() => q.reset(Number.NaN)).toThrow(RangeError);
  });
});
