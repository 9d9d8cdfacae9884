import { describe, expect, it } from "vitest";
import { exponential, normal } from "../../../sim/distributions.js";
import { Rng, streamSeed } from "../../../sim/random.js";
import { MSER_MIN_BATCHES, mser } from "../../../sim/stats/mser.js";

const mean = (xs: ArrayLike<number>, from = 0): number => {
  let s = 0;
  for (let i = from; i < xs.length; i++) s += xs[i]!;
  return s / (xs.length - from);
};

/**
 * Delays of successive customers of an M/M/1 queue by Lindley's recursion
 * W_{n+1} = max(0, W_n + S_n − A_{n+1}), started from `w0` (a "bad" initial condition).
 */
function mm1Delays(n: number, rho: number, w0: number, seed: number): Float64Array {
  const rng = new Rng(streamSeed(seed, 0, "mser"));
  const service = exponential(1);
  const arrival = exponential(1 / rho);
  const w = new Float64Array(n);
  w[0] = w0;
  for (let i = 1; i < n; i++) w[i] = Math.max(0, w[i - 1]! + service.sample(rng) - arrival.sample(rng));
  return w;
}

describe("MSER-5", () => {
  it("cuts a lone outlying first batch: MSER(0) = 14.4/100 > MSER(1) = 0, ties to the smaller cut", () => {
    // Batches of 1: Z = 5, 1, 1, …, 1 (10 values). MSER(0): mean 1.4, Σ(Z − 1.4)² = 3.6² + 9·0.4² = 14.4,
    // over 10² → 0.144. MSER(d ≥ 1) = 0 (all ones): the smallest such d is 1.
    const t = mser([5, 1, 1, 1, 1, 1, 1, 1, 1, 1], 1);
    expect(t).toEqual({ discard: 1, batchesDiscarded: 1, batches: 10, statistic: 0, settled: true });
  });

  it("forms batches of five and discards whole batches", () => {
    const series = [...Array<number>(10).fill(9), ...Array<number>(90).fill(2)];
    // Two batches of 9 then eighteen of 2: cutting both leaves no spread at all.
    expect(mser(series)).toMatchObject({ discard: 10, batchesDiscarded: 2, batches: 20, settled: true });
  });

  it("cuts little from a stationary series", () => {
    const rng = new Rng(streamSeed(7, 0, "iid"));
    const n = normal(10, 1);
    const xs = Array.from({ length: 5000 }, () => n.sample(rng));
    const t = mser(xs);
    expect(t.settled).toBe(true);
    expect(t.discard).toBeLessThan(500);
  });

  // A linear trend: MSER(d) = (1 − 1/(k − d)²)/12 falls with d, so the minimum is the half-way boundary.
  it("does not settle on a series that trends through the whole run", () => {
    const xs = Array.from({ length: 1000 }, (_, i) => i);
    const t = mser(xs);
    expect(t.settled).toBe(false);
    // The fallback cut is the best one in the first half.
    expect(t.batchesDiscarded).toBeLessThanOrEqual(t.batches / 2);
  });

  it("gives no verdict on fewer than ten batches", () => {
    expect(mser([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], 5)).toMatchObject({
      discard: 0,
      batches: 2,
      settled: false,
    });
    expect(MSER_MIN_BATCHES).toBe(10);
  });

  // White (1997) and Franklin & White (2008) test MSER on M/M/1 delays from a bad start. At ρ = 0.8
  // the stationary mean delay is ρ/(μ − λ) = 4 (service mean 1); starting 200 above it, the delay
  // drifts down by E[A − S] = 0.25 per customer: a transient of about 800 customers.
  it("removes the bias of an M/M/1 run started far from steady state (Lindley recursion, ρ = 0.8)", () => {
    const exact = 0.8 / (1 - 0.8);
    let biasFull = 0;
    let biasCut = 0;
    for (let seed = 1; seed <= 10; seed++) {
      const w = mm1Delays(40_000, 0.8, 200, seed);
      const t = mser(w);
      expect(t.settled).toBe(true);
      expect(t.discard).toBeGreaterThan(300);
      biasFull += mean(w) - exact;
      biasCut += mean(w, t.discard) - exact;
    }
    // Plain mean: about +0.5 (≈ 200 · 800 / 2 / 40,000 + …); truncated: within sampling noise.
    expect(biasFull / 10).toBeGreaterThan(0.4);
    expect(Math.abs(biasCut / 10)).toBeLessThan(0.15);
  });

  it("rejects a batch size that is not a positive integer", () => {
    expect(() => mser([1, 2, 3], 0)).toThrow("mser: batchSize must be an integer >= 1, got 0");
  });
});
