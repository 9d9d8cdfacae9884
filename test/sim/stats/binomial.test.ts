import { describe, expect, it } from "vitest";
import { wilsonInterval } from "../../../sim/stats/binomial.js";

describe("wilsonInterval", () => {
  // Newcombe (1998), Statistics in Medicine 17:857–872, Table II, method 3 (score interval without
  // continuity correction), to the four decimals printed there.
  it.each([
    { x: 81, n: 263, low: 0.2553, high: 0.3662 },
    { x: 15, n: 148, low: 0.0624, high: 0.1605 },
    { x: 0, n: 20, low: 0, high: 0.1611 },
    { x: 1, n: 29, low: 0.0061, high: 0.1718 },
  ])("matches Newcombe's table for $x of $n: [$low, $high]", ({ x, n, low, high }) => {
    const ci = wilsonInterval(x, n);
    expect(ci.estimate).toBe(x / n);
    expect(ci.low).toBeCloseTo(low, 4);
    expect(ci.high).toBeCloseTo(high, 4);
  });

  it("bounds zero losses in 5,000 messages by z²/(n + z²) = 7.7e-4, not by 0", () => {
    const ci = wilsonInterval(0, 5000);
    expect(ci.low).toBe(0);
    expect(ci.high).toBeCloseTo(1.959964 ** 2 / (5000 + 1.959964 ** 2), 9);
  });

  it("is symmetric under swapping successes and failures", () => {
    const a = wilsonInterval(3, 40);
    const b = wilsonInterval(37, 40);
    expect(a.low).toBeCloseTo(1 - b.high, 12);
    expect(a.high).toBeCloseTo(1 - b.low, 12);
  });

  it("narrows with the level", () => {
    const w95 = wilsonInterval(10, 200);
    const w80 = wilsonInterval(10, 200, 0.8);
    expect(w80.high - w80.low).toBeLessThan(w95.high - w95.low);
  });

  it("has NaN bounds with no trials and rejects impossible counts", () => {
    expect(wilsonInterval(0, 0)).toEqual({ estimate: Number.NaN, low: Number.NaN, high: Number.NaN, trials: 0 });
    expect(() => wilsonInterval(5, 4)).toThrow("wilsonInterval: successes must be a whole number in [0, 4], got 5");
    expect(() => wilsonInterval(1, 2.5)).toThrow(RangeError);
  });
});
