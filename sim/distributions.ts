/**
 * Probability distributions sampled from an injected `Rng`.
 *
 * Every sampler uses a fixed number of `rng.random()` calls per sample (1, or 2 for the
 * normal family), so the position of a stream after k samples never depends on the values
 * drawn, and nothing is cached between calls: a distribution object is immutable and can be
 * shared by any number of models and streams. Parameters are checked once, at construction.
 */
import type { Rng } from "./random.js";

export interface Distribution {
  sample(rng: Rng): number;
  /** Exact mean of the distribution (not of any sample). */
  readonly mean: number;
  /** Human-readable form, e.g. `exponential(mean=2)`, for logs and result files. */
  describe(): string;
}

function fail(name: string, what: string, got: unknown): never {
  throw new RangeError(`${name}: ${what}, got ${String(got)}`);
}

function finite(name: string, param: string, v: number): void {
  if (!Number.isFinite(v)) fail(name, `${param} must be a finite number`, v);
}

class Deterministic implements Distribution {
  constructor(readonly mean: number) {}
  sample(_rng: Rng): number {
    return this.mean;
  }
  describe(): string {
    return `deterministic(${this.mean})`;
  }
}

/** Always `v` (a finite number); draws nothing from the stream. */
export function deterministic(v: number): Distribution {
  finite("deterministic", "value", v);
  return new Deterministic(v);
}

class Uniform implements Distribution {
  readonly mean: number;
  constructor(
    private readonly a: number,
    private readonly b: number,
  ) {
    this.mean = (a + b) / 2;
  }
  sample(rng: Rng): number {
    return this.a + (this.b - this.a) * rng.random();
  }
  describe(): string {
    return `uniform(${this.a}, ${this.b})`;
  }
}

/** Continuous uniform on [a, b); finite a <= b (a == b degenerates to a constant). */
export function uniform(a: number, b: number): Distribution {
  finite("uniform", "a", a);
  finite("uniform", "b", b);
  if (!(a <= b)) fail("uniform", `a must be <= b (b = ${b})`, a);
  return new Uniform(a, b);
}

class Exponential implements Distribution {
  constructor(readonly mean: number) {}
  sample(rng: Rng): number {
    // 1 − u is in (0, 1], so the log is finite.
    return -this.mean * Math.log(1 - rng.random());
  }
  describe(): string {
    return `exponential(mean=${this.mean})`;
  }
}

/** Exponential with the given mean (= 1/rate), mean finite and > 0: memoryless inter-arrival times. */
export function exponential(mean: number): Distribution {
  if (!(mean > 0) || !Number.isFinite(mean)) fail("exponential", "mean must be > 0 and finite", mean);
  return new Exponential(mean);
}

/** Standard normal by Box–Muller from exactly two uniforms; the sine partner is discarded, not cached. */
function standardNormal(rng: Rng): number {
  const r = Math.sqrt(-2 * Math.log(1 - rng.random()));
  return r * Math.cos(2 * Math.PI * rng.random());
}

class Normal implements Distribution {
  constructor(
    readonly mean: number,
    private readonly sigma: number,
  ) {}
  sample(rng: Rng): number {
    return this.mean + this.sigma * standardNormal(rng);
  }
  describe(): string {
    return `normal(mu=${this.mean}, sigma=${this.sigma})`;
  }
}

/** Normal(mu, sigma²), finite mu and sigma >= 0; unbounded, so clamp at the call site if a sign matters. */
export function normal(mu: number, sigma: number): Distribution {
  finite("normal", "mu", mu);
  if (!(sigma >= 0) || !Number.isFinite(sigma)) fail("normal", "sigma must be >= 0 and finite", sigma);
  return new Normal(mu, sigma);
}

class Lognormal implements Distribution {
  readonly mean: number;
  constructor(
    private readonly mu: number,
    private readonly sigma: number,
  ) {
    this.mean = Math.exp(mu + (sigma * sigma) / 2);
  }
  sample(rng: Rng): number {
    return Math.exp(this.mu + this.sigma * standardNormal(rng));
  }
  describe(): string {
    return `lognormal(mu=${this.mu}, sigma=${this.sigma})`;
  }
}

/** exp(Normal(mu, sigma²)): `mu`, `sigma` are of the underlying normal (log scale), sigma >= 0. */
export function lognormal(params: { mu: number; sigma: number }): Distribution {
  finite("lognormal", "mu", params.mu);
  if (!(params.sigma >= 0) || !Number.isFinite(params.sigma)) {
    fail("lognormal", "sigma must be >= 0 and finite", params.sigma);
  }
  return new Lognormal(params.mu, params.sigma);
}

/** Lognormal with the given mean (> 0) and coefficient of variation cv = stddev/mean (>= 0). */
export function lognormalFromMean(mean: number, cv: number): Distribution {
  if (!(mean > 0) || !Number.isFinite(mean)) fail("lognormalFromMean", "mean must be > 0 and finite", mean);
  if (!(cv >= 0) || !Number.isFinite(cv)) fail("lognormalFromMean", "cv must be >= 0 and finite", cv);
  const s2 = Math.log1p(cv * cv);
  return lognormal({ mu: Math.log(mean) - s2 / 2, sigma: Math.sqrt(s2) });
}

/** expm1(t·x)/t, continuous at t = 0 where it equals x. */
function expm1Ratio(t: number, x: number): number {
  return t === 0 ? x : Math.expm1(t * x) / t;
}

class BoundedPareto implements Distribution {
  readonly mean: number;
  /** 1 − (low/high)^alpha: the probability mass the unbounded Pareto puts below `high`. */
  private readonly mass: number;
  constructor(
    private readonly alpha: number,
    private readonly low: number,
    private readonly high: number,
  ) {
    const logRatio = Math.log(high / low);
    this.mass = -Math.expm1(-alpha * logRatio);
    // E[X] = alpha·L/mass · (1 − r^(1−alpha))/(alpha − 1) with r = H/L; written with expm1 so
    // alpha near 1 loses no digits, and alpha = 1 gives the closed form alpha·L·ln(r)/mass.
    this.mean = ((alpha * low) / this.mass) * expm1Ratio(1 - alpha, logRatio);
  }
  sample(rng: Rng): number {
    // Inverse CDF: F(x) = (1 − (L/x)^alpha) / mass.
    const x = this.low / (1 - rng.random() * this.mass) ** (1 / this.alpha);
    return Math.min(x, this.high); // pow rounding may land one ulp above high
  }
  describe(): string {
    return `boundedPareto(alpha=${this.alpha}, low=${this.low}, high=${this.high})`;
  }
}

/** Pareto(alpha) truncated to [low, high]: heavy-tailed sizes/durations with a hard maximum; alpha > 0, 0 < low < high. */
export function boundedPareto(alpha: number, low: number, high: number): Distribution {
  if (!(alpha > 0) || !Number.isFinite(alpha)) fail("boundedPareto", "alpha must be > 0 and finite", alpha);
  if (!(low > 0) || !Number.isFinite(low)) fail("boundedPareto", "low must be > 0 and finite", low);
  if (!(high > low) || !Number.isFinite(high)) fail("boundedPareto", `high must be finite and > low (${low})`, high);
  return new BoundedPareto(alpha, low, high);
}

class Empirical implements Distribution {
  readonly mean: number;
  constructor(
    private readonly sorted: Float64Array,
    private readonly interpolate: boolean,
  ) {
    const n = sorted.length;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += sorted[i]!;
    if (!interpolate || n === 1) {
      this.mean = sum / n;
    } else {
      // Piecewise-linear inverse CDF: each of the n−1 segments has mass 1/(n−1) and mean at its midpoint.
      this.mean = (sum - (sorted[0]! + sorted[n - 1]!) / 2) / (n - 1);
    }
  }
  sample(rng: Rng): number {
    const s = this.sorted;
    const n = s.length;
    if (!this.interpolate) return s[Math.min(Math.floor(rng.random() * n), n - 1)]!;
    if (n === 1) return s[0]!;
    const h = rng.random() * (n - 1);
    const i = Math.floor(h);
    const lo = s[i]!;
    return i + 1 < n ? lo + (h - i) * (s[i + 1]! - lo) : lo;
  }
  describe(): string {
    const s = this.sorted;
    const mode = this.interpolate ? "interpolated" : "discrete";
    return `empirical(n=${s.length}, ${mode}, min=${s[0]}, max=${s[s.length - 1]})`;
  }
}

/**
 * Resamples observed data. Discrete (default): each value with probability 1/n. With
 * `interpolate: true`: the piecewise-linear inverse CDF through the sorted values, so
 * F⁻¹(q) is the sample quantile at rank q·(n−1) (Hyndman–Fan type 7, R's default) and
 * samples are continuous in [min, max]. The input is copied; values must be finite.
 */
export function empirical(values: readonly number[], options: { interpolate?: boolean } = {}): Distribution {
  if (values.length === 0) fail("empirical", "values must not be empty", "[]");
  const sorted = Float64Array.from(values);
  for (const v of sorted) finite("empirical", "every value", v);
  sorted.sort();
  return new Empirical(sorted, options.interpolate ?? false);
}
