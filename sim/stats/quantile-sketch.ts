/**
 * DDSketch (Masson, Rim & Lee, VLDB 2019): streaming quantiles with relative accuracy.
 *
 * Guarantee: for q in [0, 1], `quantile(q)` is within relative error `alpha` of x_k, the
 * element at 0-based rank k = ⌊q·(n−1)⌋ of the sorted observations (the paper's rank
 * convention; no interpolation between neighbours): |quantile(q) − x_k| ≤ alpha·x_k, up to
 * ~1e-13 relative from floating-point rounding at bucket edges. The default alpha = 0.005
 * gives 0.5 %, half the 1 % budget, independently of n and of the distribution's shape.
 *
 * How: a positive x goes to bucket i = ⌈log_γ x⌉ with γ = (1 + alpha)/(1 − alpha); bucket i
 * covers (γ^(i−1), γ^i] and reports 2γ^i/(γ + 1), which is within alpha of every point in it.
 * Ranks 0 and n − 1 return the exact min and max; other results are clamped to [min, max].
 *
 * Cost: `add` is one log, one ceil and an array increment, no allocation (except amortised
 * growth). Memory is one float64 per bucket between the smallest and largest positive value,
 * ln(10)/ln(γ) ≈ 230 buckets per decade at the default alpha (1e-9…1e9: ~33 KB); buckets are
 * never collapsed. `quantile` is O(buckets). Values below the smallest normal double
 * (2.2e-308: zero and subnormals) are counted in a separate zero bucket; ranks that fall in
 * it report the exact minimum (0 whenever a zero was added), outside the alpha guarantee only
 * for subnormals.
 */
const MIN_POSITIVE = 2.2250738585072014e-308;
const INITIAL_BUCKETS = 128;

export class QuantileSketch {
  readonly alpha: number;
  private readonly gamma: number;
  /** 1 / ln γ, so the bucket index is one multiply away from Math.log. */
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
    this.gamma = (1 + alpha) / (1 - alpha);
    this.multiplier = 1 / Math.log(this.gamma);
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
    const i = Math.ceil(Math.log(x) * this.multiplier);
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
    // γ^i by squaring, not Math.exp(i·ln γ): engines' exp differ in the last bit,
    // and a report must read the same in Node and in the browser.
    const value = (2 * powInt(this.gamma, i)) / (this.gamma + 1);
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
