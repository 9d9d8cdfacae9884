/**
 * Confidence intervals for simulation output: Student-t intervals over independent
 * replications, and batch means for one long steady-state run.
 *
 * Everything here runs once per report, not per event, so it favours accuracy over speed.
 */

export interface ConfidenceInterval {
  readonly mean: number;
  /** The interval is mean ± halfWidth; null when it cannot be estimated (fewer than 2 values). */
  readonly halfWidth: number | null;
  /** Number of (independent) values the interval rests on. */
  readonly n: number;
}

export interface BatchMeansInterval extends ConfidenceInterval {
  /** Observations per batch (0 when there were fewer observations than batches). */
  readonly batchSize: number;
  /** Leading observations left out so the rest divides into equal batches. */
  readonly discarded: number;
}

// Acklam's rational approximation of the normal quantile, relative error < 1.15e-9.
const A = [
  -39.69683028665376, 220.9460984245205, -275.928510446969, 138.357751867269, -30.66479806614716, 2.506628277459239,
];
const B = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
const C = [
  -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
  2.938163982698783,
];
const D = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];

function poly(c: readonly number[], x: number): number {
  let r = 0;
  for (const k of c) r = r * x + k;
  return r;
}

/** Standard normal quantile Φ⁻¹(p) for p in (0, 1), relative error < 1.2e-9 (Acklam). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile: p must be in (0, 1), got ${p}`);
  if (p < 0.02425 || p > 0.97575) {
    const q = Math.sqrt(-2 * Math.log(p < 0.5 ? p : 1 - p));
    const x = poly(C, q) / (poly(D, q) * q + 1);
    return p < 0.5 ? x : -x;
  }
  const q = p - 0.5;
  const r = q * q;
  return (poly(A, r) * q) / (poly(B, r) * r + 1);
}

// Lanczos approximation (g = 7, n = 9), ~15 significant digits.
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

function lnGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  const z = x - 1;
  let s = LANCZOS[0]!;
  for (let i = 1; i < 9; i++) s += LANCZOS[i]! / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(s);
}

/** Continued fraction for the incomplete beta (modified Lentz, as in Numerical Recipes `betacf`). */
function betaFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  d = 1 / (Math.abs(d) < tiny ? tiny : d);
  let h = d;
  for (let m = 1; m <= 10000; m++) {
    const m2 = 2 * m;
    // Even step: d_2m = m(b − m)x / ((a + 2m − 1)(a + 2m)).
    let aa = (m * (b - m) * x) / ((a - 1 + m2) * (a + m2));
    d = 1 + aa * d;
    d = 1 / (Math.abs(d) < tiny ? tiny : d);
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    h *= d * c;
    // Odd step: d_2m+1 = −(a + m)(a + b + m)x / ((a + 2m)(a + 2m + 1)).
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + 1 + m2));
    d = 1 + aa * d;
    d = 1 / (Math.abs(d) < tiny ? tiny : d);
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return h;
}

/** Regularized incomplete beta I_x(a, b); the caller passes y = 1 − x computed without cancellation. */
function incompleteBeta(a: number, b: number, x: number, y: number): number {
  if (x <= 0) return 0;
  if (y <= 0) return 1;
  const front = Math.exp(lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log(y));
  // Evaluate the fraction on the side where it converges fast; the other side by symmetry.
  if (x < (a + 1) / (a + b + 2)) return (front * betaFraction(a, b, x)) / a;
  return 1 - (front * betaFraction(b, a, y)) / b;
}

/** P(T > t) for t >= 0, computed directly (no 1 − CDF), so small tails keep their digits. */
function tUpperTail(t: number, df: number): number {
  const t2 = t * t;
  return 0.5 * incompleteBeta(df / 2, 0.5, df / (df + t2), t2 / (df + t2));
}

function tDensity(t: number, df: number): number {
  const logC = lnGamma((df + 1) / 2) - lnGamma(df / 2) - 0.5 * Math.log(df * Math.PI);
  return Math.exp(logC - ((df + 1) / 2) * Math.log1p((t * t) / df));
}

/** Cornish–Fisher expansion of the t quantile around the normal quantile z (Abramowitz & Stegun 26.7.5). */
function cornishFisher(z: number, df: number): number {
  const z2 = z * z;
  const g1 = (z * (z2 + 1)) / 4;
  const g2 = (z * ((5 * z2 + 16) * z2 + 3)) / 96;
  const g3 = (z * (((3 * z2 + 19) * z2 + 17) * z2 - 15)) / 384;
  const g4 = (z * ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945)) / 92160;
  return z + (g1 + (g2 + (g3 + g4 / df) / df) / df) / df;
}

/**
 * Quantile of Student's t with `df` degrees of freedom (df > 0, not necessarily an integer;
 * `Infinity` gives the normal quantile). Closed forms for df = 1 and 2; otherwise Newton's
 * method on the exact upper tail (incomplete beta), started from Cornish–Fisher. The tail is
 * convex for t > 0, so after the first step Newton climbs monotonically to the root: no
 * overshoot, no bracketing needed. Relative error < 1e-10 for df < 1e5 (checked against
 * SciPy over p in [1e-10, 1 − 1e-8], df in [0.3, 99999]); ~1e-9 for df >= 1e5 and df = ∞,
 * where the expansion is used as is and Acklam's normal quantile sets the limit.
 */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`studentTQuantile: p must be in (0, 1), got ${p}`);
  if (!(df > 0)) throw new RangeError(`studentTQuantile: df must be > 0, got ${df}`);
  if (p === 0.5) return 0;
  const q = p < 0.5 ? p : 1 - p; // upper-tail probability of |t|
  let t: number;
  if (df === 1) {
    // Cauchy: t = cot(πq). Far in the tail take 1/tan(πq); nearer the centre tan(π(½ − q)),
    // where ½ − q is exact, so neither branch rounds away the digits of q.
    t = q < 0.25 ? 1 / Math.tan(Math.PI * q) : Math.tan(Math.PI * (0.5 - q));
  } else if (df === 2) {
    t = (1 - 2 * q) / Math.sqrt(2 * q * (1 - q));
  } else {
    const z = -normalQuantile(q);
    t = cornishFisher(z, df);
    // Beyond 1e5 df the expansion's error (~z^11/df^5) is far below the normal quantile's.
    if (df < 1e5) t = newtonTail(Math.max(t, 0), q, df);
  }
  return p < 0.5 ? -t : t;
}

function newtonTail(start: number, q: number, df: number): number {
  let t = start;
  for (let iter = 0; iter < 500; iter++) {
    const next = Math.max(0, t + (tUpperTail(t, df) - q) / tDensity(t, df));
    if (!Number.isFinite(next)) break; // density underflow in an absurd tail: keep the best so far
    const converged = Math.abs(next - t) <= 1e-14 * next;
    t = next;
    if (converged) break;
  }
  return t;
}

function checkLevel(level: number): void {
  if (!(level > 0 && level < 1)) throw new RangeError(`confidence level must be in (0, 1), got ${level}`);
}

/**
 * Student-t interval for the mean of independent, identically distributed values, e.g. one
 * summary per replication: mean ± t_{(1+level)/2, n−1} · s/√n. Exact for normal values,
 * approximate (CLT) otherwise. n < 2 gives halfWidth null; n = 0 also gives mean NaN.
 */
export function confidenceInterval(values: readonly number[], level = 0.95): ConfidenceInterval {
  checkLevel(level);
  const n = values.length;
  let sum = 0;
  for (const v of values) sum += v;
  const mean = n > 0 ? sum / n : Number.NaN;
  if (n < 2) return { mean, halfWidth: null, n };
  // Two passes: the data are in memory, and this is exact where a one-pass formula is not.
  let ss = 0;
  for (const v of values) ss += (v - mean) * (v - mean);
  const stderr = Math.sqrt(ss / (n - 1) / n);
  return { mean, halfWidth: studentTQuantile((1 + level) / 2, n - 1) * stderr, n };
}

/**
 * Non-overlapping batch means: split one run's observations (in time order, after warm-up)
 * into `batches` equal consecutive batches and treat the batch means as ~i.i.d. normal.
 *
 * Applies to steady-state measures of a single long run whose observations are
 * autocorrelated (successive delays in a queue), where a plain interval over the raw
 * observations is far too narrow. Valid only when each batch is much longer than the
 * correlation time; 10–30 batches is the usual range. Not for transient measures, and not
 * a substitute for deleting the warm-up period. The n mod batches leading observations (the
 * ones closest to the warm-up) are discarded. With fewer observations than batches there
 * is no interval: mean of all observations, halfWidth null, n = 0.
 */
export function batchMeans(observations: readonly number[], batches = 20, level = 0.95): BatchMeansInterval {
  checkLevel(level);
  if (!Number.isInteger(batches) || batches < 2) {
    throw new RangeError(`batchMeans: batches must be an integer >= 2, got ${batches}`);
  }
  const total = observations.length;
  const batchSize = Math.floor(total / batches);
  if (batchSize === 0) {
    const { mean } = confidenceInterval(observations, level);
    return { mean, halfWidth: null, n: 0, batchSize: 0, discarded: total };
  }
  const discarded = total - batchSize * batches;
  const means: number[] = [];
  for (let b = 0; b < batches; b++) {
    let sum = 0;
    const start = discarded + b * batchSize;
    for (let i = start; i < start + batchSize; i++) sum += observations[i]!;
    means.push(sum / batchSize);
  }
  return { ...confidenceInterval(means, level), batchSize, discarded };
}
