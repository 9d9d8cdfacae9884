/**
 * Warm-up (initial transient) detection from the output itself: MSER-m, the marginal
 * standard error rule (White 1997, "An effective truncation heuristic for bias reduction in
 * simulation output", Simulation 69(6):323–334; White, Cobb & Spratt 2000, "A comparison of
 * five steady-state truncation heuristics for simulation", WSC 2000; Franklin & White 2008,
 * "Stationarity tests and MSER-5: exploring the intuition behind mean-squared-error-reduction
 * in warm-up period determination", WSC 2008).
 *
 * The output Y_1 … Y_n (in time order) is cut into k = ⌊n/m⌋ consecutive batches of m
 * observations (MSER-5: m = 5) with means Z_1 … Z_k. For each candidate truncation of d
 * batches the rule computes
 *
 *     MSER(d) = 1/(k − d)² · Σ_{j=d+1..k} (Z_j − Z̄_d)²,     Z̄_d = mean of Z_{d+1} … Z_k,
 *
 * the squared standard error of the truncated mean (up to a constant), and cuts the d* that
 * minimises it: removing early, biased batches lowers the sum faster than the shrinking
 * divisor raises it. When d* falls in the second half of the batches the series has not
 * settled (a trend, or a run too short for its transient): the rule then gives no reliable
 * truncation and the run should be extended (Franklin & White). The n mod m trailing
 * observations take no part in the statistic but stay in the data.
 *
 * O(n) time, O(k) memory.
 */

export interface Truncation {
  /** Leading observations to discard: d* · m. */
  readonly discard: number;
  /** d*: batches discarded. */
  readonly batchesDiscarded: number;
  /** k: batches formed. */
  readonly batches: number;
  /** MSER(d*) in the data's units squared; NaN when no batch could be formed. */
  readonly statistic: number;
  /**
   * True when d* lies in the first half of the batches (and there were at least
   * `MSER_MIN_BATCHES` batches): what follows the cut looks stationary. False: the series
   * has not settled within the run, `discard` is then the best cut in the first half.
   */
  readonly settled: boolean;
}

/** Fewer batches than this give no verdict on stationarity (nothing is cut). */
export const MSER_MIN_BATCHES = 10;

/**
 * MSER-m truncation of `series` (observations in time order) with batches of `batchSize`
 * (default 5: MSER-5). Ties go to the smaller truncation.
 */
export function mser(series: ArrayLike<number>, batchSize = 5): Truncation {
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`mser: batchSize must be an integer >= 1, got ${batchSize}`);
  }
  const k = Math.floor(series.length / batchSize);
  if (k < MSER_MIN_BATCHES) {
    return { discard: 0, batchesDiscarded: 0, batches: k, statistic: Number.NaN, settled: false };
  }
  const z = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    let s = 0;
    for (let i = j * batchSize; i < (j + 1) * batchSize; i++) s += series[i]!;
    z[j] = s / batchSize;
  }
  // Σ (Z_j − Z̄_d)² by Welford's update, batches added from the end: stable when the mean is
  // large against the spread (latencies of 1e-5 s ± 1e-8), and exactly 0 over equal batches,
  // so ties stay ties.
  const stat = new Float64Array(k);
  let m = 0;
  let ss = 0;
  for (let d = k - 1; d >= 0; d--) {
    const rest = k - d;
    const y = z[d]!;
    const delta = y - m;
    m += delta / rest;
    ss += delta * (y - m);
    stat[d] = ss / (rest * rest);
  }
  // The last batch alone has no spread: the candidates keep at least two batches.
  const argmin = (last: number): number => {
    let best = 0;
    for (let d = 1; d <= last; d++) if (stat[d]! < stat[best]!) best = d;
    return best;
  };
  const half = Math.floor(k / 2);
  let d = argmin(k - 2);
  const settled = d <= half;
  if (!settled) d = argmin(half);
  return { discard: d * batchSize, batchesDiscarded: d, batches: k, statistic: stat[d]!, settled };
}
