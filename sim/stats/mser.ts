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
 * divisor raises it. The search is confined to the first half of the batches (d ≤ ⌊k/2⌋):
 * near the end the statistic rests on a handful of batches and a quiet tail after a spike
 * makes it spuriously small (the "end effect" of heavy-tailed output, e.g. latencies with
 * rare bursts). When the minimum sits at the half-way boundary the series has not settled —
 * a trend, or a run shorter than its transient — and the run should be extended (Franklin &
 * White: a truncation beyond half the data means the run is too short). The n mod m
 * trailing observations take no part in the statistic but stay in the data.
 *
 * MSER cannot see a transient longer than the run: if the whole run is still drifting, its
 * first half may look no worse than the rest and nothing is cut. `halvesAgree` is the check
 * for that: after the cut, do the two halves of what is left have the same mean?
 *
 * O(n) time, O(k) memory.
 */

import { studentTQuantile } from "./confidence.js";

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
   * True when d* lies before the half-way boundary (and there were at least
   * `MSER_MIN_BATCHES` batches): what follows the cut looks stationary. False: the series
   * has not settled within the run (the cut is then the half-way point), or it is too short.
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
  const half = Math.floor(k / 2);
  let d = 0;
  for (let j = 1; j <= half; j++) if (stat[j]! < stat[d]!) d = j;
  const settled = d < half;
  return { discard: d * batchSize, batchesDiscarded: d, batches: k, statistic: stat[d]!, settled };
}

/**
 * Do the two halves of `series[from…]` have the same mean? Each half is cut into
 * `batchesPerHalf` batches (default 10) whose means are taken as independent (batches
 * much longer than the correlation), and Welch's t-test compares the halves at
 * significance `alpha` (default 0.01, two-sided). True also when there are too few
 * observations for a test (fewer than two per batch): no evidence of a difference.
 */
export function halvesAgree(series: ArrayLike<number>, from: number, batchesPerHalf = 10, alpha = 0.01): boolean {
  const n = series.length - from;
  const size = Math.floor(n / (2 * batchesPerHalf));
  if (size < 2) return true;
  const half = size * batchesPerHalf;
  // The halves are the first and the last `half` observations (a middle remainder is skipped).
  const moments = (start: number): { mean: number; variance: number } => {
    let m = 0;
    let ss = 0;
    for (let b = 0; b < batchesPerHalf; b++) {
      let s = 0;
      for (let i = start + b * size; i < start + (b + 1) * size; i++) s += series[i]!;
      const y = s / size;
      const delta = y - m;
      m += delta / (b + 1);
      ss += delta * (y - m);
    }
    return { mean: m, variance: ss / (batchesPerHalf - 1) };
  };
  const a = moments(from);
  const b = moments(series.length - half);
  const va = a.variance / batchesPerHalf;
  const vb = b.variance / batchesPerHalf;
  const diff = Math.abs(a.mean - b.mean);
  if (va + vb === 0) return diff === 0;
  const df = (va + vb) ** 2 / ((va * va) / (batchesPerHalf - 1) + (vb * vb) / (batchesPerHalf - 1));
  return diff / Math.sqrt(va + vb) <= studentTQuantile(1 - alpha / 2, df);
}
