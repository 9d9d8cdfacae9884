import { describe, expect, it } from "vitest";
import { normal } from "../../../sim/distributions.js";
import { Rng, streamSeed } from "../../../sim/random.js";
import { batchMeans, confidenceInterval, normalQuantile, studentTQuantile } from "../../../sim/stats/confidence.js";

const relErr = (a: number, b: number) => Math.abs(a / b - 1);

describe("studentTQuantile", () => {
  it.each([
    { df: 1, table: 12.7062 },
    { df: 2, table: 4.3027 },
    { df: 5, table: 2.5706 },
    { df: 9, table: 2.2622 },
    { df: 30, table: 2.0423 },
    { df: 100, table: 1.984 },
  ])("matches the two-sided 0.95 table value for df = $df: $table", ({ df, table }) => {
    expect(studentTQuantile(0.975, df)).toBeCloseTo(table, 4);
  });

  it("becomes the normal quantile 1.95996 as df → ∞", () => {
    expect(studentTQuantile(0.975, Number.POSITIVE_INFINITY)).toBeCloseTo(1.95996, 5);
    // Acklam's approximation guarantees a relative error below 1.15e-9.
    expect(relErr(normalQuantile(0.975), 1.959963984540054)).toBeLessThan(1.15e-9);
    expect(relErr(normalQuantile(1e-6), -4.753424308822899)).toBeLessThan(1.15e-9);
  });

  it.each([
    { p: 0.975, df: 2, reference: 4.302652729749462 },
    { p: 0.975, df: 9, reference: 2.262157162798205 },
    { p: 0.995, df: 3.5, reference: 5.085702223091256 },
    { p: 0.9, df: 100, reference: 1.290074761346516 },
    { p: 1e-6, df: 4, reference: -41.577854150450975 },
    { p: 0.975, df: 50_000, reference: 1.9600114310936798 },
  ])("agrees with SciPy's t.ppf to 1e-9 relative: p = $p, df = $df", ({ p, df, reference }) => {
    expect(relErr(studentTQuantile(p, df), reference)).toBeLessThan(1e-9);
  });

  it("is odd around p = 1/2", () => {
    expect(studentTQuantile(0.5, 7)).toBe(0);
    for (const df of [1, 2, 3.5, 20]) expect(studentTQuantile(0.1, df)).toBeCloseTo(-studentTQuantile(0.9, df), 12);
  });

  it("rejects p outside (0, 1) and df <= 0", () => {
    expect(() => studentTQuantile(1, 5)).toThrow(RangeError);
    expect(() => studentTQuantile(0.5, 0)).toThrow("studentTQuantile: df must be > 0, got 0");
  });
});

describe("confidenceInterval", () => {
  it("is mean ± t·s/√n on a small hand-checked sample", () => {
    const ci = confidenceInterval([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(ci.mean).toBe(5.5);
    expect(ci.n).toBe(10);
    // s = √(55/6) = 3.02765; t(0.975, 9) = 2.26216 → 2.16585.
    expect(ci.halfWidth).toBeCloseTo(2.16585, 5);
  });

  it("has no half-width with fewer than two values", () => {
    expect(confidenceInterval([4])).toEqual({ mean: 4, halfWidth: null, n: 1 });
    expect(confidenceInterval([])).toEqual({ mean: Number.NaN, halfWidth: null, n: 0 });
  });

  it("covers the true mean about 95 % of the time over 2000 seeded normal experiments", () => {
    const d = normal(3, 2);
    let covered = 0;
    const experiments = 2000;
    for (let e = 0; e < experiments; e++) {
      const rng = new Rng(streamSeed(17, e, "coverage"));
      const ci = confidenceInterval(Array.from({ length: 10 }, () => d.sample(rng)));
      if (Math.abs(ci.mean - 3) <= ci.halfWidth!) covered++;
    }
    // Binomial SE is √(0.95·0.05/2000) ≈ 0.005, so [0.93, 0.97] is ±4 SE.
    expect(covered / experiments).toBeGreaterThanOrEqual(0.93);
    expect(covered / experiments).toBeLessThanOrEqual(0.97);
  });

  it("rejects a level outside (0, 1)", () => {
    expect(() => confidenceInterval([1, 2], 95)).toThrow(RangeError);
  });
});

describe("batchMeans", () => {
  /** A stationary AR(1) series: strongly autocorrelated, like successive waits in a busy queue. */
  function ar1(rng: Rng, n: number, mean: number, phi: number): number[] {
    const eps = normal(0, 1);
    let x = mean + eps.sample(rng) / Math.sqrt(1 - phi * phi); // start in steady state: no warm-up
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      x = mean + phi * (x - mean) + eps.sample(rng);
      out.push(x);
    }
    return out;
  }

  it("covers the mean of an autocorrelated series where a naive i.i.d. interval fails", () => {
    let batched = 0;
    let naive = 0;
    const experiments = 200;
    for (let e = 0; e < experiments; e++) {
      const xs = ar1(new Rng(streamSeed(23, e, "ar1")), 20_000, 10, 0.9);
      const b = batchMeans(xs, 20);
      if (Math.abs(b.mean - 10) <= b.halfWidth!) batched++;
      const c = confidenceInterval(xs);
      if (Math.abs(c.mean - 10) <= c.halfWidth!) naive++;
    }
    // Batches of 1000 ≫ the correlation time (1+φ)/(1−φ) = 19; the naive interval is √19 ≈ 4.4× too narrow.
    expect(batched / experiments).toBeGreaterThanOrEqual(0.89);
    expect(naive / experiments).toBeLessThan(0.6);
  });

  it("splits into equal consecutive batches, discarding the leading remainder", () => {
    const xs = Array.from({ length: 105 }, (_, i) => i);
    const b = batchMeans(xs, 10);
    expect([b.n, b.batchSize, b.discarded]).toEqual([10, 10, 5]);
    expect(b.mean).toBeCloseTo(54.5, 12); // mean of 5..104
    // Batch means 9.5, 19.5, …, 99.5: s = 10·√(55/6), so the half-width is t(0.975, 9)·s/√10.
    expect(b.halfWidth).toBeCloseTo(2.262157162798205 * 10 * Math.sqrt(55 / 6 / 10), 9);
  });

  it("gives no interval with fewer observations than batches", () => {
    expect(batchMeans([1, 2, 3], 20)).toEqual({ mean: 2, halfWidth: null, n: 0, batchSize: 0, discarded: 3 });
    expect(() => batchMeans([1, 2, 3], 1)).toThrow(RangeError);
  });
});
