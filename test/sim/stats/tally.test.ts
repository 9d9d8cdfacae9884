import { describe, expect, it } from "vitest";
import { Rng, streamSeed } from "../../../sim/random.js";
import { Tally } from "../../../sim/stats/tally.js";

function tallyOf(xs: readonly number[]): Tally {
  const t = new Tally();
  for (const x of xs) t.add(x);
  return t;
}

describe("Tally", () => {
  it("gives the textbook statistics of [2, 4, 4, 4, 5, 5, 7, 9]: mean 5, sample variance 32/7", () => {
    const t = tallyOf([2, 4, 4, 4, 5, 5, 7, 9]);
    expect(t.count).toBe(8);
    expect(t.mean).toBe(5);
    expect(t.variance).toBeCloseTo(32 / 7, 14);
    expect(t.stddev).toBeCloseTo(Math.sqrt(32 / 7), 14);
    expect([t.min, t.max, t.sum]).toEqual([2, 9, 40]);
  });

  it("keeps the variance exact on data offset by 1e9, where the sum-of-squares formula collapses", () => {
    const rng = new Rng(streamSeed(5, 0, "tally-offset"));
    const xs = Array.from({ length: 100_000 }, () => 1e9 + rng.random());
    // Reference on the deviations x − 1e9, which are exact in floating point; the variance
    // does not depend on the offset, so a two-pass computation on them is the truth.
    const ds = xs.map((x) => x - 1e9);
    const dMean = ds.reduce((s, d) => s + d, 0) / ds.length;
    const mean = 1e9 + dMean;
    const twoPass = ds.reduce((s, d) => s + (d - dMean) ** 2, 0) / (ds.length - 1);
    const naive = (xs.reduce((s, x) => s + x * x, 0) - xs.length * mean * mean) / (xs.length - 1);

    const t = tallyOf(xs);
    expect(t.mean).toBeCloseTo(mean, 6);
    expect(Math.abs(t.variance / twoPass - 1)).toBeLessThan(1e-12);
    expect(twoPass).toBeCloseTo(1 / 12, 2); // sanity: variance of U(0,1)
    expect(Math.abs(naive / twoPass - 1)).toBeGreaterThan(0.1); // why Welford: the naive one is garbage
  });

  it("reports NaN, not a misleading 0, for statistics it cannot know yet", () => {
    const t = new Tally();
    expect([t.count, t.sum]).toEqual([0, 0]);
    expect([t.mean, t.variance, t.min, t.max]).toEqual([Number.NaN, Number.NaN, Number.NaN, Number.NaN]);
    t.add(3);
    expect([t.mean, t.min, t.max]).toEqual([3, 3, 3]);
    expect(t.variance).toBeNaN();
  });

  it("forgets everything on reset, as at the end of a warm-up period", () => {
    const t = tallyOf([100, 200, 300]);
    t.reset();
    for (const x of [1, 2, 3]) t.add(x);
    expect([t.count, t.mean, t.variance, t.min, t.max, t.sum]).toEqual([3, 2, 1, 1, 3, 6]);
  });
});
