/**
 * SLA verdicts from replications' steady-state estimates (`steady-state.ts`): the
 * estimate, its 95 % interval, and met / missed / undecided.
 *
 * - latency.p99, latency.mean, deliveredBps: the mean of the replications' estimates with a
 *   Student-t interval across them (replications are independent; one replication has no
 *   interval and its point estimate decides, as before).
 * - lossRatio: dropped over finished, pooled over the replications, with the Wilson score
 *   interval of those counts (`sim/stats/binomial.ts`): it exists with one replication and
 *   with no loss at all (0 of 5,000 is below 7.7e-4, not exactly 0). Losses come in bursts,
 *   so the counts are not independent trials; with two or more replications the interval is
 *   widened to the Student-t interval of the replications' ratios wherever that is wider.
 * - Settled: MSER-5 settled in most replications, and the replications' halves show no
 *   common trend: with three or more, the differences (second half − first half of each
 *   replication's data after its cut) are tested against 0 (paired Student t, 1 %). A queue
 *   far from its steady state drifts the same way in every replication even when each run
 *   alone is too noisy to show it. An unsettled row is undecided (src/run/precision.ts
 *   lengthens the runs first).
 * - Status: the whole interval on the good side of the target → met; on the bad side →
 *   missed; straddling it → undecided (latency and loss are ceilings: at or below is good;
 *   delivered rate is a floor). Nothing measured → undecided.
 */

import { wilsonInterval } from "../../sim/stats/binomial.js";
import { confidenceInterval } from "../../sim/stats/confidence.js";
import type { SlaMetric, SlaVerdict } from "./result.js";
import type { SteadyEstimate } from "./steady-state.js";

export interface VerdictTarget {
  readonly workload: string;
  readonly metric: SlaMetric;
  /** In SI units (seconds, a ratio, bits per second). */
  readonly target: number;
}

function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** The interval of one row over its replications' estimates: [low, high] around `actual`, or null. */
function interval(
  metric: SlaMetric,
  rows: readonly SteadyEstimate[],
): { actual: number | null; low: number | null; high: number | null } {
  const values = rows.map((r) => r.estimate).filter((x): x is number => x !== null);
  if (metric !== "lossRatio") {
    if (values.length === 0) return { actual: null, low: null, high: null };
    const ci = confidenceInterval(values, 0.95);
    const hw = values.length === rows.length ? ci.halfWidth : null;
    return hw === null
      ? { actual: ci.mean, low: null, high: null }
      : { actual: ci.mean, low: ci.mean - hw, high: ci.mean + hw };
  }
  const dropped = rows.reduce((a, r) => a + r.dropped, 0);
  const finished = rows.reduce((a, r) => a + r.finished, 0);
  if (finished === 0) return { actual: null, low: null, high: null };
  const w = wilsonInterval(dropped, finished, 0.95);
  let { low, high } = w;
  if (values.length >= 2 && values.length === rows.length) {
    const t = confidenceInterval(values, 0.95);
    const hw = t.halfWidth!;
    low = Math.max(0, Math.min(low, w.estimate - hw));
    high = Math.min(1, Math.max(high, w.estimate + hw));
  }
  return { actual: w.estimate, low, high };
}

/** Do the replications' halves differ the same way (paired t at `alpha`)? False with fewer than 3. */
function commonTrend(rows: readonly SteadyEstimate[], alpha = 0.01): boolean {
  const d = rows.filter((r) => r.halves !== null).map((r) => r.halves![1] - r.halves![0]);
  if (d.length < 3 || d.length !== rows.length) return false;
  const ci = confidenceInterval(d, 1 - alpha);
  if (ci.halfWidth === 0) return ci.mean !== 0;
  return Math.abs(ci.mean) > ci.halfWidth!;
}

/** Verdicts of `targets`; `perReplication[i][j]` is replication i's estimate of target j. */
export function slaVerdicts(
  targets: readonly VerdictTarget[],
  perReplication: readonly (readonly SteadyEstimate[])[],
): SlaVerdict[] {
  return targets.map((t, j) => {
    const rows = perReplication.map((r) => r[j]!);
    const { actual, low, high } = interval(t.metric, rows);
    const ceiling = t.metric !== "deliveredBps";
    let status: SlaVerdict["status"] = "undecided";
    if (actual !== null) {
      const lo = low ?? actual;
      const hi = high ?? actual;
      const good = ceiling ? hi <= t.target : lo >= t.target;
      const bad = ceiling ? lo > t.target : hi < t.target;
      status = good ? "met" : bad ? "missed" : "undecided";
    }
    const settled = rows.map((r) => r.settled);
    return {
      workload: t.workload,
      metric: t.metric,
      target: t.target,
      actual,
      status,
      halfWidth: low === null || high === null ? null : (high - low) / 2,
      low,
      high,
      warmup: rows.length === 0 ? null : mean(rows.map((r) => r.warmup)),
      window: rows.length === 0 ? null : mean(rows.map((r) => r.window)),
      warmupMethod: rows[0]?.method ?? null,
      // Settled when MSER-5 settled in most replications (one noisy tail does not make a trend)
      // and the replications do not drift together.
      settled:
        settled.includes(null) || rows.length === 0
          ? null
          : 2 * settled.filter((s) => s).length > rows.length && !commonTrend(rows),
      samples: rows.reduce((a, r) => a + r.samples, 0),
      replications: rows.length,
      precise: null,
    };
  });
}
