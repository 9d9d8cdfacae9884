import { fc, it as propIt } from "@fast-check/vitest";
import { describe, expect, it, vi } from "vitest";
import { exponential } from "../../../sim/distributions.js";
import { Rng, streamSeed } from "../../../sim/random.js";
import { QuantileSketch } from "../../../sim/stats/quantile-sketch.js";

/** The exact value the sketch approximates: the sorted sample at rank ⌊q·(n−1)⌋. */
function exactQuantile(sorted: readonly number[], q: number): number {
  return sorted[Math.floor(q * (sorted.length - 1))]!;
}

function sketchOf(xs: readonly number[], alpha?: number): QuantileSketch {
  const s = new QuantileSketch(alpha);
  for (const x of xs) s.add(x);
  return s;
}

/** Relative error, with 0 reported for 0 exactly. */
function relativeError(estimate: number, truth: number): number {
  return truth === 0 ? Math.abs(estimate) : Math.abs(estimate - truth) / truth;
}

// mantissa·10^exponent spreads values over 60 decades, unlike a uniform double generator.
const manyDecades = fc
  .tuple(fc.double({ min: 1, max: 10, noNaN: true }), fc.integer({ min: -30, max: 30 }))
  .map(([m, e]) => m * 10 ** e);
const quantiles = [0, 0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999, 1];
// Bucket edges come from a floating-point cubic; rounding can misplace a value sitting within
// ~1e-13 (relative) of an edge, which adds at most that much to the error.
const SLACK = 1e-12;

describe("QuantileSketch", () => {
  propIt.prop(
    [fc.array(manyDecades, { minLength: 1, maxLength: 400, size: "max" }), fc.double({ min: 0, max: 1, noNaN: true })],
    {
      seed: 3,
      numRuns: 300,
    },
  )("reports quantile(q) within alpha relative error of the rank-⌊q·(n−1)⌋ sample value", (xs, q) => {
    const sorted = [...xs].sort((a, b) => a - b);
    const sketch = sketchOf(xs);
    for (const p of [q, ...quantiles]) {
      expect(relativeError(sketch.quantile(p), exactQuantile(sorted, p))).toBeLessThanOrEqual(0.005 + SLACK);
    }
  });

  propIt.prop(
    [
      fc.array(fc.oneof(fc.constant(0), fc.double({ min: 2.3e-308, max: Number.MAX_VALUE, noNaN: true })), {
        minLength: 1,
        maxLength: 200,
      }),
      fc.constantFrom(0.001, 0.02, 0.1),
    ],
    { seed: 4, numRuns: 100 },
  )("keeps the guarantee over the whole normal double range, with zeros, for any alpha", (xs, alpha) => {
    const sorted = [...xs].sort((a, b) => a - b);
    const sketch = sketchOf(xs, alpha);
    for (const p of quantiles) {
      expect(relativeError(sketch.quantile(p), exactQuantile(sorted, p))).toBeLessThanOrEqual(alpha + SLACK);
    }
  });

  it("finds p50 ≈ ln 2 and p99 ≈ ln 100 of 1e5 exponential(1) samples within 2 %", () => {
    const rng = new Rng(streamSeed(99, 0, "sketch-exp"));
    const d = exponential(1);
    const sketch = new QuantileSketch();
    for (let i = 0; i < 100_000; i++) sketch.add(d.sample(rng));
    expect(Math.abs(sketch.quantile(0.5) / Math.LN2 - 1)).toBeLessThan(0.02);
    expect(Math.abs(sketch.quantile(0.99) / Math.log(100) - 1)).toBeLessThan(0.02);
    expect(sketch.count).toBe(100_000);
  });

  propIt.prop(
    [fc.array(manyDecades, { maxLength: 300, size: "max" }), fc.array(manyDecades, { maxLength: 300, size: "max" })],
    {
      seed: 5,
      numRuns: 200,
    },
  )("gives the same answers after merge(other) as after adding everything to one sketch", (xs, ys) => {
    const merged = sketchOf(xs);
    merged.merge(sketchOf(ys));
    const all = sketchOf([...xs, ...ys]);
    expect([merged.count, merged.min, merged.max]).toEqual([all.count, all.min, all.max]);
    if (all.count > 0) for (const q of quantiles) expect(merged.quantile(q)).toBe(all.quantile(q));
  });

  propIt.prop(
    [
      fc.array(
        fc.tuple(fc.integer({ min: -1000, max: 1000 }), fc.double({ min: 0, max: 1e-3, noNaN: true }), fc.boolean()),
        { minLength: 2, maxLength: 200, size: "max" },
      ),
      fc.constantFrom(0.001, 0.005, 0.05),
    ],
    { seed: 6, numRuns: 200 },
  )("keeps the guarantee just above and below powers of two, where buckets are widest", (pairs, alpha) => {
    // ℓ(x) = e + P(s) bends most against log2 where the significand s is near 0 (or 1).
    const xs = pairs.map(([e, d, below]) => 2 ** e * (below ? 1 - d / 2 : 1 + d));
    const sorted = [...xs].sort((a, b) => a - b);
    const sketch = sketchOf(xs, alpha);
    for (const p of quantiles) {
      expect(relativeError(sketch.quantile(p), exactQuantile(sorted, p))).toBeLessThanOrEqual(alpha + SLACK);
    }
  });

  it("uses no Math.log, exp or pow, whose last bit differs between engines: the same buckets in every browser", () => {
    const spies = (["log", "exp", "pow", "log2", "cbrt"] as const).map((f) => vi.spyOn(Math, f));
    try {
      const s = new QuantileSketch(0.01);
      for (let i = 1; i < 2000; i++) s.add(i * 1.37e-6);
      for (const q of quantiles) s.quantile(q);
      for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });

  it("can merge a sketch into itself (doubling every count)", () => {
    const s = sketchOf([1, 2, 3, 1000]);
    s.merge(s);
    expect(s.count).toBe(8);
    expect(s.quantile(0.5)).toBe(sketchOf([1, 1, 2, 2, 3, 3, 1000, 1000]).quantile(0.5));
  });

  it("refuses to merge sketches with different alpha", () => {
    expect(() => new QuantileSketch(0.01).merge(new QuantileSketch(0.005))).toThrow(RangeError);
  });

  it("tracks count, min and max exactly and answers q = 0 and q = 1 with them", () => {
    const s = sketchOf([3.5, 2.25, 1e-7, 6.02e23]);
    expect([s.count, s.min, s.max]).toEqual([4, 1e-7, 6.02e23]);
    expect([s.quantile(0), s.quantile(1)]).toEqual([1e-7, 6.02e23]);
  });

  it("grows its buckets in both directions as values drift", () => {
    const s = new QuantileSketch();
    const xs: number[] = [];
    for (let e = 0; e <= 40; e += 0.01) xs.push(10 ** e, 10 ** -e);
    for (const x of xs) s.add(x);
    const sorted = xs.sort((a, b) => a - b);
    for (const q of quantiles)
      expect(relativeError(s.quantile(q), exactQuantile(sorted, q))).toBeLessThan(0.005 + SLACK);
  });

  it("counts zeros separately and reports them as 0", () => {
    const s = sketchOf([0, 0, 0, 5]);
    expect(s.quantile(0.5)).toBe(0);
    expect(s.quantile(1)).toBe(5);
  });

  it("rejects negative, NaN and infinite values, and q outside [0, 1]", () => {
    const s = new QuantileSketch();
    expect(() => s.add(-1)).toThrow("QuantileSketch: values must be finite and >= 0, got -1");
    expect(() => s.add(Number.NaN)).toThrow(RangeError);
    expect(() => s.add(Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => s.quantile(1.5)).toThrow(RangeError);
    expect(() => new QuantileSketch(0)).toThrow(RangeError);
  });

  it("starts over on reset, and is NaN while empty", () => {
    const s = sketchOf([100, 200]);
    s.reset();
    expect([s.count, s.min, s.max, s.quantile(0.5)]).toEqual([0, Number.NaN, Number.NaN, Number.NaN]);
    s.add(7);
    expect([s.count, s.quantile(0.5)]).toEqual([1, 7]);
  });
});
