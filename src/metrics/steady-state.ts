/**
 * One replication's estimate of one SLA metric in steady state: the warm-up is cut where
 * the output itself says the start-up transient ends (MSER-5, `sim/stats/mser.ts`), not at a
 * fixed time, and the metric is computed over what follows.
 *
 * Which output MSER-5 reads, per metric (all in the order things finished):
 * - latency.p99, latency.mean: the latency of every delivered message or I/O. The p99 is
 *   the nearest-rank 99th percentile of the latencies after the cut (exact, not sketched).
 * - lossRatio: 1 for every dropped, 0 for every delivered message; the estimate is dropped
 *   over finished after the cut (what the Wilson interval in `verdicts.ts` counts).
 * - deliveredBps: payload bytes delivered per time bin (as many bins as deliveries, at
 *   least 50 and at most 1,000 over the run); the estimate is the bytes delivered after the
 *   cut over the time after it.
 * A series has settled when MSER-5's cut falls before half the run and the two halves of
 * what is left agree (`halvesAgree`: a transient longer than the run is not cut by MSER).
 * The warm-up is the finish time of the last observation cut (the end of the last bin cut),
 * the window the rest of the run. The file's fixed warm-up is cut instead ("fixed") in runs
 * with faults (a failure in the middle of a run is not a start-up transient to cut) and
 * when there are too few observations for MSER-5 (fewer than 10 batches of 5).
 */

import { halvesAgree, MSER_MIN_BATCHES, mser } from "../../sim/stats/mser.js";
import { TICKS_PER_SECOND } from "../../sim/units.js";
import type { OutcomeSeries } from "./outcome-series.js";
import type { SlaMetric } from "./result.js";

export type WarmupMethod = "mser-5" | "fixed";

/** One SLA row's measurement in one replication (plain data). */
export interface SteadyEstimate {
  /** Seconds from the start of the run cut as warm-up. */
  readonly warmup: number;
  /** Seconds measured after the warm-up. */
  readonly window: number;
  readonly method: WarmupMethod;
  /** MSER-5 found the series settled (its cut before half the run); null for "fixed". */
  readonly settled: boolean | null;
  /** The metric after the warm-up (seconds, a ratio, bits per second); null with nothing measured. */
  readonly estimate: number | null;
  /** Observations after the warm-up: latencies, finished messages, or deliveries. */
  readonly samples: number;
  /** lossRatio: messages dropped and finished after the warm-up (0 for other metrics). */
  readonly dropped: number;
  readonly finished: number;
  /**
   * Mean of the series' first and second half after the cut (null: under 2 observations).
   * Across replications, halves that differ the same way betray a trend no single run
   * shows (src/metrics/verdicts.ts).
   */
  readonly halves: readonly [number, number] | null;
}

const BATCH = 5;
const MIN_BINS = 50;
const MAX_BINS = 1000;

/** Where the warm-up comes from: the file's (`ticks`), or detected (with `ticks` as the fallback). */
export interface WarmupRule {
  readonly detect: boolean;
  /** The file's warm-up, ticks. */
  readonly ticks: number;
}

/** The steady-state estimate of `metric` from `series`, a run of `endTicks`. */
export function steadyEstimate(
  series: OutcomeSeries,
  metric: SlaMetric,
  endTicks: number,
  warmup: WarmupRule,
): SteadyEstimate {
  switch (metric) {
    case "latency.p99":
    case "latency.mean":
      return latencyEstimate(series, metric, endTicks, warmup);
    case "lossRatio":
      return lossEstimate(series, endTicks, warmup);
    case "deliveredBps":
      return deliveredEstimate(series, endTicks, warmup);
  }
}

/**
 * The cut: observations to discard, the warm-up (ticks) it ends, and whether MSER-5 found
 * the rest settled (null: the file's warm-up).
 */
function cut(
  values: ArrayLike<number>,
  times: ArrayLike<number>,
  warmup: WarmupRule,
): { discard: number; warmupTicks: number; settled: boolean | null } {
  if (warmup.detect) {
    const t = mser(values, BATCH);
    if (t.batches >= MSER_MIN_BATCHES) {
      const settled = t.settled && halvesAgree(values, t.discard);
      return { discard: t.discard, warmupTicks: t.discard === 0 ? 0 : times[t.discard - 1]!, settled };
    }
  }
  let i = 0;
  while (i < times.length && times[i]! < warmup.ticks) i++;
  return { discard: i, warmupTicks: warmup.ticks, settled: null };
}

/** Means of the first and the second half of `values[from…]` (null with fewer than 2). */
function halvesOf(values: ArrayLike<number>, from: number): readonly [number, number] | null {
  const n = values.length - from;
  if (n < 2) return null;
  const mid = from + Math.floor(n / 2);
  let a = 0;
  let b = 0;
  for (let i = from; i < mid; i++) a += values[i]!;
  for (let i = mid; i < values.length; i++) b += values[i]!;
  return [a / (mid - from), b / (values.length - mid)];
}

function result(
  warmupTicks: number,
  endTicks: number,
  settled: boolean | null,
  estimate: number | null,
  samples: number,
  halves: readonly [number, number] | null,
  dropped = 0,
  finished = 0,
): SteadyEstimate {
  return {
    warmup: warmupTicks / TICKS_PER_SECOND,
    window: (endTicks - warmupTicks) / TICKS_PER_SECOND,
    method: settled === null ? "fixed" : "mser-5",
    settled,
    estimate,
    samples,
    dropped,
    finished,
    halves,
  };
}

function latencyEstimate(
  series: OutcomeSeries,
  metric: "latency.p99" | "latency.mean",
  endTicks: number,
  rule: WarmupRule,
): SteadyEstimate {
  const n = series.length;
  const values = new Float64Array(n);
  const times = new Float64Array(n);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const v = series.latencies[i]!;
    if (Number.isNaN(v)) continue;
    values[k] = v;
    times[k] = series.times[i]!;
    k++;
  }
  const lat = values.subarray(0, k);
  const at = times.subarray(0, k);
  const { discard, warmupTicks: warmup, settled } = cut(lat, at, rule);
  const kept = lat.slice(discard);
  const halves = halvesOf(kept, 0);
  if (kept.length === 0) return result(warmup, endTicks, settled, null, 0, null);
  let estimate: number;
  if (metric === "latency.mean") {
    let s = 0;
    for (const v of kept) s += v;
    estimate = s / kept.length;
  } else {
    kept.sort();
    estimate = kept[Math.ceil(0.99 * kept.length) - 1]!;
  }
  return result(warmup, endTicks, settled, estimate, kept.length, halves);
}

function lossEstimate(series: OutcomeSeries, endTicks: number, rule: WarmupRule): SteadyEstimate {
  const n = series.length;
  const lost = new Float64Array(n);
  for (let i = 0; i < n; i++) lost[i] = Number.isNaN(series.latencies[i]!) ? 1 : 0;
  const times = series.times.subarray(0, n);
  const { discard, warmupTicks: warmup, settled } = cut(lost, times, rule);
  let dropped = 0;
  for (let i = discard; i < n; i++) dropped += lost[i]!;
  const finished = n - discard;
  const estimate = finished === 0 ? null : dropped / finished;
  return result(warmup, endTicks, settled, estimate, finished, halvesOf(lost, discard), dropped, finished);
}

function deliveredEstimate(series: OutcomeSeries, endTicks: number, rule: WarmupRule): SteadyEstimate {
  const n = series.length;
  let deliveries = 0;
  for (let i = 0; i < n; i++) if (series.bytes[i]! > 0) deliveries++;
  const bins = Math.min(MAX_BINS, Math.max(MIN_BINS, deliveries));
  const binTicks = endTicks / bins;
  const perBin = new Float64Array(bins);
  for (let i = 0; i < n; i++) {
    const b = Math.min(bins - 1, Math.floor(series.times[i]! / binTicks));
    perBin[b]! += series.bytes[i]!;
  }
  // Too few deliveries to see a trend in (fewer than 10 batches of 5): the file's warm-up.
  let warmup = rule.ticks;
  let settled: boolean | null = null;
  if (rule.detect && deliveries >= MSER_MIN_BATCHES * BATCH) {
    const t = mser(perBin, BATCH);
    warmup = t.discard * binTicks;
    settled = t.settled && halvesAgree(perBin, t.discard);
  }
  let bytes = 0;
  let samples = 0;
  for (let i = 0; i < n; i++) {
    if (series.times[i]! < warmup || series.bytes[i]! === 0) continue;
    bytes += series.bytes[i]!;
    samples++;
  }
  const seconds = (endTicks - warmup) / TICKS_PER_SECOND;
  const rates = perBin.map((b) => (b * 8 * TICKS_PER_SECOND) / binTicks);
  const halves = halvesOf(rates, Math.min(bins, Math.ceil(warmup / binTicks - 1e-9)));
  return result(warmup, endTicks, settled, seconds > 0 ? (bytes * 8) / seconds : null, samples, halves);
}
