/**
 * SLA rows at flow level and their overall status. The flow level gives point
 * estimates (no CI); a null estimate (an unstable queue) is undecided.
 */

import type { FlowResult } from "../flow/index.js";
import type { SlaMetric, SlaResult, SlaVerdict } from "../metrics/result.js";
import type { ResolvedTopology } from "../topology/types.js";

export type Fidelity = "flow" | "packet";

/** An SLA row (docs/architecture.md §5) with the evidence behind its status: the packet level's interval, warm-up and window. */
export type PlanSlaRow = SlaVerdict;

/** The steady-state evidence of a row that has none (flow level: point estimates). */
export const NO_STEADY_STATE = {
  halfWidth: null,
  low: null,
  high: null,
  warmup: null,
  window: null,
  warmupMethod: null,
  settled: null,
  samples: null,
  replications: null,
  precise: null,
} as const satisfies Omit<SlaVerdict, keyof SlaResult>;

export interface FlowSummary {
  sla: PlanSlaRow[];
  /** SLA workloads the flow level flags for packet-level confirmation. */
  flagged: string[];
  needsPacketConfirmation: boolean;
}

function targetSeconds(topo: ResolvedTopology, i: number): number {
  const s = topo.sla[i]!;
  return s.metric.startsWith("latency") ? s.target / 1e12 : s.target;
}

export const key = (workload: string, metric: SlaMetric): string => `${workload} ${metric}`;

/**
 * Flow-level SLA rows: point estimates (no CI); a null estimate (unstable queue) is undecided; a
 * workload with flows that have no path misses every row (what the routed flows say is not the workload).
 */
export function flowSla(topo: ResolvedTopology, flow: Pick<FlowResult, "workloads">): FlowSummary {
  const byName = new Map(flow.workloads.map((w) => [w.name, w]));
  const sla = topo.sla.map((s, i): PlanSlaRow => {
    const w = byName.get(s.workload);
    const target = targetSeconds(topo, i);
    let actual: number | null = null;
    if (w !== undefined) {
      if (s.metric === "latency.p99") actual = w.latency.p99;
      else if (s.metric === "latency.mean") actual = w.latency.mean;
      else if (s.metric === "lossRatio") actual = w.lossRatio;
      else actual = w.deliveredBps;
    }
    let status: SlaResult["status"] = "undecided";
    if (actual !== null) {
      const good = s.bound === "at-most" ? actual <= target : actual >= target;
      status = good ? "met" : "missed";
    }
    // Flows with no path deliver nothing and give no latency sample: the row cannot be met.
    if (w !== undefined && w.stranded > 0) status = "missed";
    return { workload: s.workload, metric: s.metric, target, actual, status, ...NO_STEADY_STATE };
  });
  const slaWorkloads = new Set(topo.sla.map((s) => s.workload));
  const flagged = flow.workloads
    .filter((w) => slaWorkloads.has(w.name) && (w.lossyContention || w.lossyBottleneck))
    .map((w) => w.name)
    .sort();
  return { sla, flagged, needsPacketConfirmation: flagged.length > 0 };
}

export function overall(rows: readonly { status: SlaResult["status"] }[]): "met" | "missed" | "undecided" {
  if (rows.some((r) => r.status === "missed")) return "missed";
  if (rows.some((r) => r.status === "undecided")) return "undecided";
  return "met";
}
