import { confidenceInterval } from "../../sim/stats/confidence.js";
import { TICKS_PER_SECOND } from "../../sim/units.js";
import {
  byKey,
  type FaultResultJson,
  type LinkResult,
  type RunResult,
  type TcpResult,
  type WorkloadResult,
} from "../metrics/result.js";
import { withStuckWork } from "../metrics/sla.js";
import { slaVerdicts } from "../metrics/verdicts.js";
import type { ResolvedTopology } from "../topology/types.js";
import { VERSION } from "../version.js";
import type { ReplicationResult } from "./replication.js";

function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

function halfWidth(xs: readonly (number | null)[]): number | null {
  const v = xs.filter((x): x is number => x !== null);
  if (v.length < 2 || v.length !== xs.length) return null;
  return confidenceInterval(v, 0.95).halfWidth;
}

function sumTcp(xs: readonly TcpResult[]): TcpResult {
  const out = { ...xs[0]! };
  for (const x of xs.slice(1)) for (const k of Object.keys(out) as (keyof TcpResult)[]) out[k] += x[k];
  return out;
}

function meanOrNull(xs: readonly (number | null)[]): number | null {
  const v = xs.filter((x): x is number => x !== null);
  return v.length === 0 ? null : mean(v);
}

/** Combines a run's replications, in replication order, into the result contract (docs/architecture.md §5). */
export function aggregate(
  topo: ResolvedTopology,
  reps: readonly ReplicationResult[],
  wallSeconds: number,
  seed: number = topo.experiment.seed,
): RunResult {
  const first = reps[0];
  if (first === undefined) throw new Error("aggregate: no replications");
  if (reps.some((r) => r.steady.length !== topo.sla.length)) {
    throw new Error("aggregate: the replications measured other SLA rows than the topology has");
  }
  const window = first.windowSeconds;
  const workloads: WorkloadResult[] = first.workloads.map((w0, i) => {
    const ws = reps.map((r) => r.workloads[i]!);
    const samples = ws.reduce((a, w) => a + w.latencyValues.count, 0);
    const dropReasons: Record<string, number> = {};
    for (const w of ws) for (const [k, v] of Object.entries(w.dropReasons)) dropReasons[k] = (dropReasons[k] ?? 0) + v;
    const delivered = ws.map((w) => (w.deliveredBytes * 8) / window);
    const maxes = ws.map((w) => w.latencyValues.max).filter((x): x is number => x !== null);
    return {
      name: w0.name,
      unit: w0.unit,
      offeredBps: mean(ws.map((w) => (w.offeredBytes * 8) / window)),
      deliveredBps: mean(delivered),
      latency: {
        // Pooled mean over every sample; percentiles are the mean of each replication's.
        mean: samples === 0 ? null : ws.reduce((a, w) => a + w.latencyValues.sum, 0) / samples,
        p50: meanOrNull(ws.map((w) => w.latencyValues.quantiles.p50 ?? null)),
        p99: meanOrNull(ws.map((w) => w.latencyValues.quantiles.p99 ?? null)),
        p999: meanOrNull(ws.map((w) => w.latencyValues.quantiles.p999 ?? null)),
        max: maxes.length === 0 ? null : Math.max(...maxes),
        samples,
      },
      ci95: {
        "latency.mean": halfWidth(ws.map((w) => w.latencyMean)),
        "latency.p99": halfWidth(ws.map((w) => w.latencyP99)),
        deliveredBps: halfWidth(delivered),
      },
      sent: ws.reduce((a, w) => a + w.sent, 0),
      delivered: ws.reduce((a, w) => a + w.delivered, 0),
      dropped: ws.reduce((a, w) => a + w.dropped, 0),
      inFlight: ws.reduce((a, w) => a + w.inFlight, 0),
      unfinished: ws.reduce((a, w) => a + w.unfinished, 0),
      latencyWithUnfinished: {
        mean: meanOrNull(ws.map((w) => w.censoredMean)),
        p99: meanOrNull(ws.map((w) => w.censoredP99)),
      },
      dropReasons: Object.fromEntries(Object.entries(dropReasons).sort(byKey(([k]) => k))),
      transport: w0.transport ?? null,
      tcp: w0.tcp === null || w0.tcp === undefined ? null : sumTcp(ws.map((w) => w.tcp!)),
    };
  });
  const links: LinkResult[] = first.links.map((l0, i) => {
    const ls = reps.map((r) => r.links[i]!);
    return {
      id: l0.id,
      from: l0.id,
      to: l0.to,
      capacityBps: l0.capacityBps,
      utilization: mean(ls.map((l) => l.utilization ?? 0)),
      pausedSeconds: mean(ls.map((l) => l.pausedSeconds)),
      meanQueueBytes: mean(ls.map((l) => l.meanQueueBytes)),
      maxQueueBytes: Math.max(...ls.map((l) => l.maxQueueBytes)),
      dropped: ls.reduce((a, l) => a + l.dropped, 0),
      ecnMarked: ls.reduce((a, l) => a + l.ecnMarked, 0),
      classes:
        l0.classes === null
          ? null
          : l0.classes.map((c0, k) => {
              const cs = ls.map((l) => l.classes![k]!);
              return {
                name: c0.name,
                noDrop: c0.noDrop,
                utilization: mean(cs.map((c) => (c.transmittedBytes * 8) / window / l0.capacityBps)),
                pausedSeconds: mean(cs.map((c) => c.pausedSeconds)),
                dropped: cs.reduce((a, c) => a + c.dropped, 0),
                ecnMarked: cs.reduce((a, c) => a + c.ecnMarked, 0),
                maxQueueBytes: Math.max(...cs.map((c) => c.maxQueueBytes)),
              };
            }),
    };
  });
  workloads.sort(byKey((w) => w.name));
  links.sort(byKey((l) => l.id));
  // SLA rows from each replication's steady-state estimates (warm-up detected, src/metrics/verdicts.ts),
  // then work stuck at the end of the window counted against latency rows (src/metrics/sla.ts).
  const sla = withStuckWork(
    slaVerdicts(
      topo.sla.map((s) => ({
        workload: s.workload,
        metric: s.metric,
        target: s.metric.startsWith("latency") ? s.target / TICKS_PER_SECOND : s.target,
      })),
      reps.map((r) => r.steady),
    ),
    workloads,
  );
  return {
    iovsim: VERSION,
    topology: topo.name,
    design: topo.design,
    seed,
    replications: reps.length,
    fingerprint: reps.length === 1 ? first.fingerprint : reps.map((r) => r.fingerprint).join("-"),
    window: {
      start: topo.experiment.warmupTicks / TICKS_PER_SECOND,
      end: topo.experiment.warmupTicks / TICKS_PER_SECOND + first.windowSeconds,
    },
    simulatedSeconds: first.simulatedSeconds,
    events: reps.reduce((a, r) => a + r.events, 0),
    wallSeconds,
    workloads,
    links,
    bom: null,
    sla,
    precision: null,
    faults: sameFaults(reps)
      ? mergedFaults(reps)
      : reps.flatMap((r, replication) => r.faults.map((f) => ({ ...f, replication }))),
  };
}

/** True when every replication has the same faults (the file's `faults:`), false when they differ (`failures:` draws per replication). */
function sameFaults(reps: readonly ReplicationResult[]): boolean {
  const key = (r: ReplicationResult) => r.faults.map((f) => `${f.at} ${f.target}`).join("\n");
  const k0 = key(reps[0]!);
  return reps.every((r) => key(r) === k0);
}

/** The same faults in every replication, one entry each: the blast radius is their union, the outage the longest. */
function mergedFaults(reps: readonly ReplicationResult[]): FaultResultJson[] {
  const first = reps[0]!;
  return first.faults.map((f0, i) => {
    const fs = reps.map((r) => r.faults[i]!);
    const union = (pick: (f: typeof f0) => string[]): string[] => {
      const seen = new Set(fs.flatMap(pick));
      return pick(f0).length === seen.size ? pick(f0) : [...seen].sort();
    };
    return {
      at: f0.at,
      target: f0.target,
      affectedServers: union((f) => f.affectedServers),
      affectedWorkloads: union((f) => f.affectedWorkloads),
      outageSeconds: Math.max(...fs.map((f) => f.outageSeconds)),
      lost: fs.reduce((a, f) => a + f.lost, 0),
      retried: fs.reduce((a, f) => a + f.retried, 0),
      restoredAt: f0.restoredAt,
      strandedFlows: Math.max(...fs.map((f) => f.strandedFlows)),
      unprotectedServers: union((f) => f.unprotectedServers),
      unprotectedWorkloads: union((f) => f.unprotectedWorkloads),
      failover: f0.failover,
      stuck: sumRecords(fs.map((f) => f.stuck)),
      sla: f0.sla,
    };
  });
}

/** Per-key sums of records (keys sorted). */
function sumRecords(rs: readonly Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rs) for (const [k, v] of Object.entries(r)) out[k] = (out[k] ?? 0) + v;
  return Object.fromEntries(Object.entries(out).sort(byKey(([k]) => k)));
}
