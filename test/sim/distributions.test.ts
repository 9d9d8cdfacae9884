import { describe, expect, it } from "vitest";
import {
  boundedPareto,
  type Distribution,
  deterministic,
  empirical,
  exponential,
  lognormal,
  lognormalFromMean,
  normal,
  uniform,
} from "../../sim/distributions.js";
import { Rng, streamSeed } from "../../sim/random.js";

const N = 100_000;

function draw(dist: Distribution, name: string, n = N): Float64Array {
  const rng = new Rng(streamSeed(2024, 0, name));
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = dist.sample(rng);
  return out;
}

function moments(xs: Float64Array): { mean: number; variance: number } {
  let sum = 0;
  for (const x of xs) sum += x;
  const mean = sum / xs.length;
  let ss = 0;
  for (const x of xs) ss += (x - mean) ** 2;
  return { mean, variance: ss / (xs.length - 1) };
}

/** |estimate − truth| within 4 standard errors: a seeded test that fails only on a real bias. */
function expectWithin4SE(estimate: number, truth: number, standardError: number): void {
  expect(Math.abs(estimate - truth)).toBeLessThan(4 * standardError);
}

/** Hyndman–Fan type 7: linear interpolation at rank q·(n−1) of the sorted values. */
function type7(sorted: readonly number[], q: number): number {
  const h = q * (sorted.length - 1);
  const i = Math.floor(h);
  const lo = sorted[i]!;
  return i + 1 < sorted.length ? lo + (h - i) * (sorted[i + 1]! - lo) : lo;
}

/** A stand-in Rng whose random() returns a chosen u, to read a sampler's inverse CDF directly. */
const fixedU = (u: number) => ({ random: () => u }) as unknown as Rng;

describe("deterministic", () => {
  it("always returns its value and draws nothing from the stream", () => {
    const rng = new Rng([1, 2, 3, 4]);
    const d = deterministic(3.5);
    expect([d.sample(rng), d.sample(rng), d.mean, d.describe()]).toEqual([3.5, 3.5, 3.5, "deterministic(3.5)"]);
    expect(rng.state()).toEqual([1, 2, 3, 4]);
  });
});

describe("uniform", () => {
  it("has mean (a+b)/2 and variance (b−a)²/12 within 4 standard errors", () => {
    const { mean, variance } = moments(draw(uniform(2, 10), "uniform"));
    const v = 64 / 12;
    expectWithin4SE(mean, 6, Math.sqrt(v / N));
    expectWithin4SE(variance, v, Math.sqrt((4096 / 80 - v * v) / N)); // μ4 = (b−a)⁴/80
  });
});

describe("exponential", () => {
  it("has mean m and variance m² within 4 standard errors", () => {
    const d = exponential(2);
    const { mean, variance } = moments(draw(d, "exponential"));
    expect(d.mean).toBe(2);
    expectWithin4SE(mean, 2, Math.sqrt(4 / N));
    expectWithin4SE(variance, 4, Math.sqrt((9 * 16 - 16) / N)); // μ4 = 9m⁴
  });

  it("explains a bad parameter in the error", () => {
    expect(() => exponential(-1)).toThrow(new RangeError("exponential: mean must be > 0 and finite, got -1"));
    expect(() => exponential(0)).toThrow(RangeError);
    expect(() => exponential(Number.NaN)).toThrow(RangeError);
  });
});

describe("normal", () => {
  it("has mean mu and variance sigma² within 4 standard errors", () => {
    const { mean, variance } = moments(draw(normal(5, 3), "normal"));
    expectWithin4SE(mean, 5, 3 / Math.sqrt(N));
    expectWithin4SE(variance, 9, Math.sqrt((2 * 81) / N)); // μ4 − σ⁴ = 2σ⁴
  });

  it("uses exactly two uniforms per sample, so stream positions never depend on values", () => {
    const a = new Rng([9, 8, 7, 6]);
    const b = new Rng([9, 8, 7, 6]);
    const d = normal(0, 1);
    for (let i = 0; i < 10; i++) d.sample(a);
    for (let i = 0; i < 20; i++) b.random();
    expect(a.state()).toEqual(b.state());
  });

  it("rejects a negative sigma", () => {
    expect(() => normal(0, -1)).toThrow("normal: sigma must be >= 0 and finite, got -1");
  });
});

describe("lognormal", () => {
  it("is exp of a normal: log-samples have mean mu and variance sigma²", () => {
    const d = lognormal({ mu: 1, sigma: 0.5 });
    const logs = draw(d, "lognormal").map(Math.log);
    const { mean, variance } = moments(logs);
    expectWithin4SE(mean, 1, 0.5 / Math.sqrt(N));
    expectWithin4SE(variance, 0.25, Math.sqrt((2 * 0.0625) / N));
    expect(d.mean).toBeCloseTo(Math.exp(1.125), 12);
  });

  it("lognormalFromMean hits the requested mean and coefficient of variation", () => {
    const d = lognormalFromMean(10, 0.5);
    expect(d.mean).toBeCloseTo(10, 12);
    const { mean, variance } = moments(draw(d, "lognormalFromMean"));
    expectWithin4SE(mean, 10, 5 / Math.sqrt(N));
    // Lognormal excess kurtosis ≈ 5 at cv = 0.5, so the sample cv has a relative SE ≈ 0.42 %: 2 % ≈ 4.7 SE.
    expect(Math.abs(Math.sqrt(variance) / mean / 0.5 - 1)).toBeLessThan(0.02);
    expect(() => lognormalFromMean(0, 1)).toThrow(RangeError);
    expect(() => lognormalFromMean(1, -0.1)).toThrow(RangeError);
  });
});

describe("boundedPareto", () => {
  /** E[X] by the midpoint rule in log space, independent of the closed form. */
  function numericMean(alpha: number, low: number, high: number): number {
    const steps = 200_000;
    const a = Math.log(low);
    const h = (Math.log(high) - a) / steps;
    let num = 0;
    let den = 0;
    for (let i = 0; i < steps; i++) {
      const x = Math.exp(a + (i + 0.5) * h);
      const w = x ** -alpha * h; // pdf(x)·dx with dx = x·d(ln x), up to a constant
      num += x * w;
      den += w;
    }
    return num / den;
  }

  it("has the closed-form mean, including alpha = 1 and its neighbours", () => {
    for (const alpha of [0.5, 1 - 1e-9, 1, 1 + 1e-9, 1.5, 2.5]) {
      expect(boundedPareto(alpha, 2, 5000).mean / numericMean(alpha, 2, 5000)).toBeCloseTo(1, 8);
    }
  });

  it("stays in [low, high] and matches its mean within 4 standard errors", () => {
    const d = boundedPareto(1.2, 1, 1000);
    const xs = draw(d, "boundedPareto");
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...xs)).toBeLessThanOrEqual(1000);
    const { mean, variance } = moments(xs);
    expectWithin4SE(mean, d.mean, Math.sqrt(variance / N));
  });

  it("maps u = 0 to low and u → 1 to high", () => {
    const d = boundedPareto(1.2, 1, 1000);
    expect(d.sample(fixedU(0))).toBe(1);
    expect(d.sample(fixedU(1 - 2 ** -53))).toBeCloseTo(1000, 6);
  });

  it("rejects low <= 0, high <= low and alpha <= 0", () => {
    expect(() => boundedPareto(1, 0, 10)).toThrow(RangeError);
    expect(() => boundedPareto(1, 10, 10)).toThrow("boundedPareto: high must be finite and > low (10), got 10");
    expect(() => boundedPareto(0, 1, 10)).toThrow(RangeError);
  });
});

describe("empirical", () => {
  const data = [7.5, 1, 3, 3, 12, 4.25, 9, 2, 5.5, 10];
  const sorted = [...data].sort((a, b) => a - b);

  it("with interpolation, reproduces the input's type-7 quantiles exactly", () => {
    const d = empirical(data, { interpolate: true });
    for (const q of [0, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99]) {
      expect(d.sample(fixedU(q))).toBeCloseTo(type7(sorted, q), 12);
    }
  });

  it("with interpolation, puts mass q below each input quantile and has the stated mean", () => {
    const d = empirical(data, { interpolate: true });
    const xs = draw(d, "empirical-interp");
    for (const q of [0.1, 0.5, 0.9]) {
      const below = xs.filter((x) => x <= type7(sorted, q)).length / N;
      expectWithin4SE(below, q, Math.sqrt((q * (1 - q)) / N));
    }
    const { mean, variance } = moments(xs);
    expectWithin4SE(mean, d.mean, Math.sqrt(variance / N));
  });

  it("without interpolation, resamples the values with their frequencies", () => {
    const d = empirical([1, 2, 2, 7]);
    expect(d.mean).toBe(3);
    const xs = draw(d, "empirical-discrete");
    expect(new Set(xs)).toEqual(new Set([1, 2, 7]));
    const share2 = xs.filter((x) => x === 2).length / N;
    expectWithin4SE(share2, 0.5, Math.sqrt(0.25 / N));
  });

  it("copies its input and rejects empty or non-finite data", () => {
    const input = [3, 1, 2];
    const d = empirical(input);
    input[0] = 100;
    expect(d.mean).toBe(2);
    expect(() => empirical([])).toThrow(RangeError);
    expect(() => empirical([1, Number.NaN])).toThrow(RangeError);
  });
});
