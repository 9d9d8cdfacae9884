/**
 * Blast radius of shared components (`iovsim blast`): fail each shared component once, at
 * the start of the measurement window and without restore (one replication per component,
 * replication 0 of the file's seed), and compare with the same run without faults.
 *
 * Shared components: switches (Ethernet, FC, InfiniBand, PCIe), I/O directors, fabric
 * interconnects, fabric extenders (IOMs), shared MR-IOV adapters, and the I/O modules of
 * directors and fabric interconnects. Not servers, storage arrays or the LAN.
 *
 * Ranking (most harmful first): servers that lose a path no failover can restore
 * (`unprotectedServers`: a single point of failure for them), then servers affected (the
 * blast radius), workloads affected, SLA rows that the no-fault run meets and this run
 * misses, then name.
 */
import type { SlaResult } from "../metrics/result.js";
import type { FaultTarget, ResolvedTopology } from "../topology/types.js";
import { aggregate } from "./aggregate.js";
import { faultLabel } from "./faults.js";
import { Replication, type ReplicationResult } from "./replication.js";

export interface BlastRow {
  target: string;
  kind: string;
  affectedServers: string[];
  affectedWorkloads: string[];
  unprotectedServers: string[];
  unprotectedWorkloads: string[];
  /** SLA rows met (or undecided) without the fault and missed with it. */
  slaMissed: string[];
  outageSeconds: number;
  lost: number;
}

export interface BlastResult {
  topology: string;
  design: string;
  /** Failover time used, seconds (null: failover off). */
  failoverSeconds: number | null;
  /** SLA rows missed by the no-fault run. */
  baselineMissed: string[];
  rows: BlastRow[];
}

const SHARED_KINDS = new Set([
  "ethernet-switch",
  "fc-switch",
  "ib-switch",
  "pcie-switch",
  "io-director",
  "fabric-interconnect",
  "fabric-extender",
  "shared-adapter",
]);

/** The shared components of a topology, with their kinds, in file order (modules after their node). */
export function sharedComponents(topo: ResolvedTopology): Array<{ target: FaultTarget; kind: string }> {
  const out: Array<{ target: FaultTarget; kind: string }> = [];
  for (const n of topo.nodes) {
    if (!SHARED_KINDS.has(n.kind)) continue;
    out.push({ target: { kind: "node", node: n.name }, kind: n.kind });
    if (n.kind === "io-director" || n.kind === "fabric-interconnect")
      for (const m of n.modules) out.push({ target: { kind: "module", node: n.name, module: m.name }, kind: "module" });
  }
  return out;
}

function slaKey(s: SlaResult): string {
  return `${s.workload} ${s.metric}`;
}

/** Compares rows: most harmful first. */
export function blastOrder(a: BlastRow, b: BlastRow): number {
  return (
    b.unprotectedServers.length - a.unprotectedServers.length ||
    b.affectedServers.length - a.affectedServers.length ||
    b.affectedWorkloads.length - a.affectedWorkloads.length ||
    b.slaMissed.length - a.slaMissed.length ||
    (a.target < b.target ? -1 : a.target > b.target ? 1 : 0)
  );
}

/**
 * Runs the blast study. `failoverTicks`: undefined for the design's default, null for none.
 * `onProgress` is told after each run (done, total).
 */
export async function blast(
  topo: ResolvedTopology,
  options: { failoverTicks?: number | null; onProgress?: (done: number, total: number) => Promise<void> | void } = {},
): Promise<BlastResult> {
  const seed = topo.experiment.seed;
  const components = sharedComponents(topo);
  const total = components.length + 1;
  const runOnce = (faults: ResolvedTopology["faults"]): { rep: Replication; result: ReplicationResult } => {
    const rep = new Replication(topo, 0, seed, {
      faults,
      ...(options.failoverTicks === undefined ? {} : { failoverTicks: options.failoverTicks }),
    });
    return { rep, result: rep.result() };
  };
  const base = runOnce([]);
  const baseSla = aggregate(topo, [base.result], 0, seed).sla;
  const baseMissed = new Set(baseSla.filter((s) => s.status === "missed").map(slaKey));
  await options.onProgress?.(1, total);
  const rows: BlastRow[] = [];
  let failoverSeconds: number | null = null;
  for (const [i, c] of components.entries()) {
    const { rep, result } = runOnce([{ atTicks: topo.experiment.warmupTicks, action: "fail", target: c.target }]);
    failoverSeconds = rep.faults?.failoverTicks == null ? null : rep.faults.failoverTicks / 1e12;
    const f = result.faults[0]!;
    const sla = aggregate(topo, [result], 0, seed).sla;
    rows.push({
      target: faultLabel(c.target),
      kind: c.kind,
      affectedServers: f.affectedServers,
      affectedWorkloads: f.affectedWorkloads,
      unprotectedServers: f.unprotectedServers,
      unprotectedWorkloads: f.unprotectedWorkloads,
      slaMissed: sla.filter((s) => s.status === "missed" && !baseMissed.has(slaKey(s))).map(slaKey),
      outageSeconds: f.outageSeconds,
      lost: f.lost,
    });
    await options.onProgress?.(i + 2, total);
  }
  rows.sort(blastOrder);
  return {
    topology: topo.name,
    design: topo.design,
    failoverSeconds,
    baselineMissed: [...baseMissed].sort(),
    rows,
  };
}

/** The verdict of `sla: { survive: single-failure }` on a blast study. */
export interface SurviveVerdict {
  status: "met" | "missed";
  /** Why not: SLA rows missed without a fault, and per component the rows it breaks or the servers it strands. */
  reasons: string[];
}

/**
 * Single-failure tolerance as an SLA option (issue 4, item 5). With `singleFailure` false the
 * design meets its SLA when the no-fault run does; with it true, also after any one shared
 * component fails: no SLA row the no-fault run meets may be missed, and no server may be left
 * without a path. (The topology schema has no `sla.survive` field yet: the caller passes the flag.)
 * The blast runs measure the window after the failure, failover time included: a failover time
 * longer than the window counts the outage against the SLA (use `--failover` to look past it).
 */
export function surviveVerdict(r: BlastResult, singleFailure: boolean): SurviveVerdict {
  const reasons = r.baselineMissed.map((s) => `missed without a fault: ${s}`);
  if (singleFailure) {
    for (const row of r.rows) {
      if (row.slaMissed.length > 0) reasons.push(`${row.target} failed: missed ${row.slaMissed.join("; ")}`);
      if (row.unprotectedServers.length > 0)
        reasons.push(`${row.target} failed: ${row.unprotectedServers.length} servers without a path`);
    }
  }
  return { status: reasons.length === 0 ? "met" : "missed", reasons };
}
