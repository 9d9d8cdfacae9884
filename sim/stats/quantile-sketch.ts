/**
 * DDSketch (Masson, Rim & Lee, VLDB 2019): streaming quantiles with relative accuracy.
 *
 * Guarantee: for q in [0, 1], `quantile(q)` is within relative error `alpha` of x_k, the
 * element at 0-based rank k = ⌊q·(n−1)⌋ of the sorted observations (the paper's rank
 * convention; no interpolation between neighbours): |quantile(q) − x_k| ≤ alpha·x_k, up to
 * ~1e-13 relative from floating-point rounding at bucket edges. The default alpha = 0.005
 * gives 0.5 %, half the 1 % budget, independently of n and of the distribution's shape.
 *
 * How: buckets are equal steps of a log-like function ℓ(x) = e + P(s) for x = 2^e·(1 + s),
 * with e and s read from the float's bits and P a cubic through P(0) = 0 and P(1) = 1 (the
 * coefficients of DataDog's "cubically interpolated" mapping). A positive x goes to bucket
 * i = ⌈m·ℓ(x)⌉. Since d ln x / dℓ ≤ 7/10 everywhere, steps of 1/m = (10/7)·ln γ in ℓ are at
 * most ln γ in ln x, γ = (1 + alpha)/(1 − alpha): every bucket (L, U] has U/L ≤ γ, and it
 * reports L·(1 + alpha), within alpha of every point in it. Ranks 0 and n − 1 return the exact
 * min and max; other results are clamped to [min, max].
 *
 * Why not ⌈log_γ x⌉ (the paper's memory-optimal mapping): Math.log costs about as much as the
 * rest of a process step, and its last bit is left to each engine, so a value near a bucket
 * edge could land in another bucket in another browser. Here `add` is a store, two integer
 * loads and a cubic, and everything (m included) is + − × ÷ and bit reads: the same buckets
 * on every engine. The price is 1 % more buckets (10/7 against 1/ln 2).
 *
 * Cost: `add` allocates nothing (except amortised growth). Memory is one float64 per bucket
 * between the smallest and largest positive value, ≈ 232 buckets per decade at the default
 * alpha (1e-9…1e9: ~33 KB); buckets are never collapsed. `quantile` is O(buckets). Values
 * below the smallest normal double (2.2e-308: zero and subnormals) are counted in a separate
 * zero bucket; ranks that fall in it report the exact minimum (0 whenever a zero was added),
 * outside the alpha guarantee only for subnormals.
 */
const MIN_POSITIVE = 2.2250738585072014e-308;
const INITIAL_BUCKETS = 128;

// P(s) = A·s³ + B·s² + C·s: increasing on [0, 1], P(0) = 0, P(1) = 1, and (1 + s)·P'(s) ≥ 10/7.
const A = 6 / 35;
const B = -3 / 5;
const C = 10 / 7;

// A double's bits, read through a shared buffer. HI is the 32-bit word holding the sign, the
// exponent and the significand's top 20 bits (index 1 on little-endian machines).
const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
F64[0] = 1;
const HI = U32[1] === 0x3ff00000 ? 1 : 0;
const LO = 1 - HI;

/** ℓ(x) = e + P(s) for a positive normal x = 2^e·(1 + s): log2 x exactly at powers of 2, and increasing. */
function logLike(x: number): number {
  F64[0] = x;
  const hi = U32[HI]!;
  const s = (hi & 0xfffff) * 2 ** -20 + U32[LO]! * 2 ** -52;
  return (hi >>> 20) - 1023 + ((A * s + B) * s + C) * s;
}

/** x with ℓ(x) = y, by bisection on s (only + − × ÷: the same bits on every engine). */
function logLikeInverse(y: number): number {
  const e = Math.floor(y);
  const f = y - e;
  let lo = 0;
  let hi = 1;
  for (let k = 0; k < 60; k++) {
    const mid = (lo + hi) / 2;
    if (((A * mid + B) * mid + C) * mid < f) lo = mid;
    else hi = mid;
  }
  return powInt(2, e) * (1 + (lo + hi) / 2);
}

/** ln((1 + a)/(1 − a)) = 2·atanh(a) = 2·(a + a³/3 + a⁵/5 + …), summed with + × ÷ only. */
function lnGamma(a: number): number {
  let sum = 0;
  let term = a;
  const a2 = a * a;
  for (let k = 1; term / k > sum * 1e-17; k += 2) {
    sum += term / k;
    term *= a2;
  }
  return 2 * sum;
}

export class QuantileSketch {
  readonly alpha: number;
  /** Buckets per unit of ℓ (≈ per doubling of x): 7 / (10·ln γ). */
  private readonly multiplier: number;
  private counts = new Float64Array(INITIAL_BUCKETS);
  /** Bucket index stored at counts[0]. */
  private offset = 0;
  // Sentinels for "no positive value yet": any real index compares below/above them.
  private minIndex = Number.MAX_SAFE_INTEGER;
  private maxIndex = Number.MIN_SAFE_INTEGER;
  private n = 0;
  private zeros = 0;
  private lo = Number.POSITIVE_INFINITY;
  private hi = Number.NEGATIVE_INFINITY;

  constructor(alpha = 0.005) {
    if (!(alpha > 0 && alpha < 1)) throw new RangeError(`QuantileSketch: alpha must be in (0, 1), got ${alpha}`);
    this.alpha = alpha;
    this.multiplier = 7 / (10 * lnGamma(alpha));
  }

  /** Record a finite value >= 0; throws RangeError for negatives, NaN and Infinity. */
  add(x: number): void {
    if (!(x >= 0) || x === Number.POSITIVE_INFINITY) this.reject(x);
    this.n++;
    if (x < this.lo) this.lo = x;
    if (x > this.hi) this.hi = x;
    if (x < MIN_POSITIVE) {
      this.zeros++;
      return;
    }
    const i = Math.ceil(logLike(x) * this.multiplier);
    if (i < this.offset || i >= this.offset + this.counts.length) this.grow(i, i);
    const k = i - this.offset;
    this.counts[k] = this.counts[k]! + 1;
    if (i < this.minIndex) this.minIndex = i;
    if (i > this.maxIndex) this.maxIndex = i;
  }

  get count(): number {
    return this.n;
  }

  /** Exact smallest value added; NaN when empty. */
  get min(): number {
    return this.n > 0 ? this.lo : Number.NaN;
  }

  /** Exact largest value added; NaN when empty. */
  get max(): number {
    return this.n > 0 ? this.hi : Number.NaN;
  }

  /** Approximate value at rank ⌊q·(n−1)⌋ (see the class comment); NaN when empty. */
  quantile(q: number): number {
    if (!(q >= 0 && q <= 1)) throw new RangeError(`QuantileSketch: q must be in [0, 1], got ${q}`);
    if (this.n === 0) return Number.NaN;
    const rank = q * (this.n - 1);
    // The extreme ranks are known exactly; so is the zero bucket's content (lo is its smallest value).
    if (rank < 1 || rank < this.zeros) return this.lo;
    if (rank >= this.n - 1) return this.hi;
    let seen = this.zeros;
    const counts = this.counts;
    let i = this.minIndex;
    for (; i < this.maxIndex; i++) {
      seen += counts[i - this.offset]!;
      if (seen > rank) break;
    }
    // Bucket i is (L, U] with ℓ(L) = (i − 1)/m and U ≤ γL; L·(1 + alpha) is within alpha of all of it.
    const value = logLikeInverse((i - 1) / this.multiplier) * (1 + this.alpha);
    return Math.min(Math.max(value, this.lo), this.hi);
  }

  /** Add all of `other`'s observations to this sketch (both must use the same alpha). */
  merge(other: QuantileSketch): void {
    if (other.alpha !== this.alpha) {
      throw new RangeError(`QuantileSketch.merge: alpha differs (${this.alpha} vs ${other.alpha})`);
    }
    if (other.n === 0) return;
    const from = other.minIndex;
    const to = other.maxIndex;
    if (from <= to) {
      if (from < this.offset || to >= this.offset + this.counts.length) this.grow(from, to);
      const src = other.counts;
      const dst = this.counts;
      for (let i = from; i <= to; i++) {
        const k = i - this.offset;
        dst[k] = dst[k]! + src[i - other.offset]!;
      }
      if (from < this.minIndex) this.minIndex = from;
      if (to > this.maxIndex) this.maxIndex = to;
    }
    this.n += other.n;
    this.zeros += other.zeros;
    if (other.lo < this.lo) this.lo = other.lo;
    if (other.hi > this.hi) this.hi = other.hi;
  }

  /** Forget all observations, keeping the allocated buckets. */
  reset(): void {
    this.counts.fill(0);
    this.minIndex = Number.MAX_SAFE_INTEGER;
    this.maxIndex = Number.MIN_SAFE_INTEGER;
    this.n = 0;
    this.zeros = 0;
    this.lo = Number.POSITIVE_INFINITY;
    this.hi = Number.NEGATIVE_INFINITY;
  }

  /**
   * Reallocate so indices [from, to] and the occupied range fit, centred with slack on both
   * sides. The length at least doubles whenever the span outgrows half of it, so growth is
   * amortised O(1) per add even when values drift steadily.
   */
  private grow(from: number, to: number): void {
    const lo = Math.min(from, this.minIndex);
    const hi = Math.max(to, this.maxIndex);
    const span = hi - lo + 1;
    const length = Math.max(this.counts.length, 2 * span);
    const offset = lo - Math.floor((length - span) / 2);
    const counts = new Float64Array(length);
    for (let i = this.minIndex; i <= this.maxIndex; i++) counts[i - offset] = this.counts[i - this.offset]!;
    this.counts = counts;
    this.offset = offset;
  }

  private reject(x: number): never {
    throw new RangeError(`QuantileSketch: values must be finite and >= 0, got ${x}`);
  }
}

/** x^n for an integer n by binary exponentiation: only multiplications, so the same bits on every engine. */
function powInt(x: number, n: number): number {
  let base = n < 0 ? 1 / x : x;
  let e = Math.abs(n);
  let r = 1;
  while (e > 0) {
    if (e & 1) r *= base;
    base *= base;
    e >>>= 1;
  }
  return r;
}
