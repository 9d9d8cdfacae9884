import type { SlaMetric, SlaResult, SlaVerdict, WorkloadResult } from "./result.js";

export interface SlaTarget {
  workload: string;
  metric: SlaMetric;
  target: number;
}

/** Latency and loss are ceilings; delivered throughput is a floor. */
function lowerIsBetter(metric: SlaMetric): boolean {
  return metric !== "deliveredBps";
}

/**
 * The latency with the window's unfinished work counted at its age (a lower bound), when
 * that is above the delivered messages' own figure: work stuck at the end of the window
 * raises it (a run with 46 % of its I/O stuck misses a p99 target however fast the rest
 * was); a normal tail in flight, younger than what completes, does not.
 */
function censoredOf(w: WorkloadResult, metric: SlaMetric): number | null {
  if (w.unfinished === 0) return null;
  if (metric === "latency.p99") return w.latencyWithUnfinished.p99;
  if (metric === "latency.mean") return w.latencyWithUnfinished.mean;
  return null;
}

function actualOf(w: WorkloadResult, metric: SlaMetric): { value: number | null; halfWidth: number | null } {
  switch (metric) {
    case "latency.p99":
      return { value: w.latency.p99, halfWidth: w.ci95["latency.p99"] };
    case "latency.mean":
      return { value: w.latency.mean, halfWidth: w.ci95["latency.mean"] };
    case "deliveredBps":
      return { value: w.deliveredBps, halfWidth: w.ci95.deliveredBps };
    case "lossRatio": {
      // TCP resends what the network drops: its loss is the share of transmissions dropped.
      const tcp = w.tcp;
      if (tcp !== undefined && tcp !== null) {
        const sent = tcp.segmentsSent + tcp.retransmitted;
        return { value: sent === 0 ? null : tcp.dropped / sent, halfWidth: null };
      }
      const finished = w.delivered + w.dropped;
      return { value: finished === 0 ? null : w.dropped / finished, halfWidth: null };
    }
  }
}

/**
 * Verdict per SLA row. With replications, the 95 % CI decides: entirely on the
 * good side of the target → met, entirely on the bad side → missed, straddling
 * it → undecided. With one replication there is no CI and the point estimate
 * decides. No samples at all (nothing completed) → undecided.
 *
 * Stuck work counts: a latency row is also judged on the latency with the window's
 * unfinished messages counted at their age at its end (lower bounds of their
 * latency); when that is above the target the row is missed whatever the
 * delivered messages did, and the row's actual is that figure.
 */
export function evaluateSla(targets: readonly SlaTarget[], workloads: readonly WorkloadResult[]): SlaResult[] {
  return targets.map((t) => {
    const w = workloads.find((x) => x.name === t.workload);
    const { value, halfWidth } = w === undefined ? { value: null, halfWidth: null } : actualOf(w, t.metric);
    const censored = w === undefined ? null : censoredOf(w, t.metric);
    if (censored !== null && censored > t.target && (value === null || censored > value)) {
      return { workload: t.workload, metric: t.metric, target: t.target, actual: censored, status: "missed" };
    }
    let status: SlaResult["status"] = "undecided";
    if (value !== null) {
      const hw = halfWidth ?? 0;
      const good = lowerIsBetter(t.metric) ? value + hw <= t.target : value - hw >= t.target;
      const bad = lowerIsBetter(t.metric) ? value - hw > t.target : value + hw < t.target;
      status = good ? "met" : bad ? "missed" : "undecided";
    }
    return { workload: t.workload, metric: t.metric, target: t.target, actual: value, status };
  });
}

/**
 * Stuck work in steady-state verdicts (`verdicts.ts` judges what completed): a latency row
 * whose latency with the window's unfinished messages counted at their age is above both
 * its target and the completed messages' figure is missed, with that figure as its actual
 * (a lower bound: the stuck messages are older still when they finish, if ever).
 */
export function withStuckWork(verdicts: readonly SlaVerdict[], workloads: readonly WorkloadResult[]): SlaVerdict[] {
  return verdicts.map((v) => {
    const w = workloads.find((x) => x.name === v.workload);
    const censored = w === undefined ? null : censoredOf(w, v.metric);
    if (censored === null || censored <= v.target || (v.actual !== null && censored <= v.actual)) return v;
    return { ...v, actual: censored, status: "missed" };
  });
}
