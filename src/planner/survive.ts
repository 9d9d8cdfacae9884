/**
 * `survive: single-failure` in the planner: every SLA row still holds, and no
 * server loses its last path, after any one shared component fails (the
 * components `iovsim blast` fails: switches, directors, fabric interconnects,
 * IOMs, PCIe boxes, shared adapters, director/FI modules).
 *
 * What is judged is the state after failover: the routes already avoid the
 * failed component (the failover outage itself is `iovsim blast`'s subject).
 * - Flow level, every component: one solve per component with its ports marked
 *   down for routing; flows with no path are stranded. `FlowModel.withDown`
 *   re-routes only the flows that read a failed port and re-solves only the
 *   components they leave or join, with the same answer as a fresh evaluation
 *   (src/flow/model.ts). Each component gets a margin: its worst SLA row's actual
 *   over target (target over actual for a rate floor); above 1 misses.
 * - Packet level (confirmation), the few components the flow level trusts least:
 *   per kind of component the one with the least margin, kinds whose failure
 *   leaves an SLA workload in lossy contention (which the flow level cannot judge)
 *   first, then by margin; `SURVIVE_CONFIRM` of them, one replication each, failed
 *   from t = 0 with failover 0 (`degradedJobs`). A single-failure check that runs
 *   every component at packet level multiplies the packet cost by the number of
 *   components (20 to 30 at 40 servers); the verdict says which were run.
 */

import { FlowModel } from "../flow/index.js";
import type { RunResult } from "../metrics/result.js";
import { sharedComponents } from "../run/blast.js";
import { faultLabel, faultPorts } from "../run/faults.js";
import type { FaultTarget, ResolvedTopology } from "../topology/types.js";
import { flowSla, key } from "./sla.js";
import { type Overload, overloadedTiers, type TierCut, type TierLoads, tierLoads } from "./tiers.js";
import type { ReplicationJob, SurviveCheck } from "./types.js";

/** Components run at packet level per single-failure confirmation. */
export const SURVIVE_CONFIRM = 2;

/** One component's flow-level outcome. */
export interface ComponentMargin {
  label: string;
  kind: string;
  target: FaultTarget;
  /** Worst SLA row: actual / target (target / actual for a floor); Infinity when undecided or stranded. */
  margin: number;
  /** SLA workloads in lossy contention after this failure (the flow level cannot judge their loss). */
  flagged: string[];
}

export type { SurviveCheck } from "./types.js";

/** The flow-level check and every component's margin, least margin first. */
export interface FlowSurvive extends SurviveCheck {
  margins: ComponentMargin[];
  /** Kinds of the components that broke a row (in the order failed). */
  failedKinds: string[];
  /** Workloads whose rows a failure missed or that it left without a path (sorted): whose side the miss is on. */
  missedWorkloads: string[];
  /** Tiers a failure that missed left overloaded (src/planner/tiers.ts). */
  overloaded: Overload[];
}

/**
 * Which components a flow-level check fails: `all`, or `busiest-per-kind`: per kind of
 * component the one carrying the most traffic without a failure (the site-size curve:
 * a 500-server site has hundreds of components, its A and B sides and its repeated
 * units alike; the busiest of each kind moves the most traffic onto its twin).
 */
export type SurviveSample = "all" | "busiest-per-kind";

export interface FlowSurviveOptions {
  /** Stop at the first component that breaks a row (a search needs the verdict, not every reason). */
  readonly stopAtFirstMiss?: boolean;
  /** Kinds of component to fail first (those that broke the previous candidate of a search). */
  readonly firstKinds?: readonly string[];
  /** The topology's flow model if the caller has one (its routes and solve are reused). */
  readonly model?: FlowModel;
  /** Tiers to judge in each failed state that misses (`overloaded`; src/planner/tiers.ts). */
  readonly tierCuts?: readonly TierCut[];
}

/** Flow-level single-failure check (the topology's own SLA rows, point estimates). */
export function flowSurvive(
  topo: ResolvedTopology,
  sample: SurviveSample = "all",
  options: FlowSurviveOptions = {},
): FlowSurvive {
  const all = sharedComponents(topo);
  const reasons: string[] = [];
  const margins: ComponentMargin[] = [];
  const slaWorkloads = new Set(topo.sla.map((s) => s.workload));
  // One model; each failure changes only the routes and components it touches.
  const model = options.model ?? new FlowModel(topo);
  let components = all;
  if (sample === "busiest-per-kind") {
    const base = model.result();
    const load = new Map(base.links.map((l) => [l.id, l.loadBps]));
    const busiest = new Map<string, { c: (typeof all)[number]; load: number }>();
    for (const c of all) {
      const carried = faultPorts(topo, model.net.fabric, c.target).reduce((a, p) => a + (load.get(p.id) ?? 0), 0);
      const had = busiest.get(c.kind);
      if (had === undefined || carried > had.load) busiest.set(c.kind, { c, load: carried });
    }
    components = [...busiest.values()].map((b) => b.c);
  }
  const first = options.firstKinds ?? [];
  if (first.length > 0) {
    const at = (k: string) => (first.includes(k) ? first.indexOf(k) : first.length);
    components = components
      .map((c, i) => ({ c, i }))
      .sort((a, b) => at(a.c.kind) - at(b.c.kind) || a.i - b.i)
      .map((x) => x.c);
  }
  const failedKinds: string[] = [];
  const missedWorkloads = new Set<string>();
  const overloaded = new Map<string, Overload>();
  const cuts = options.tierCuts;
  let solved = 0;
  for (const c of components) {
    solved++;
    const seen: { loads: TierLoads | null } = { loads: null };
    const flow = model.withDown(
      faultPorts(topo, model.net.fabric, c.target),
      cuts === undefined || cuts.length === 0
        ? undefined
        : () => {
            seen.loads = tierLoads(model, cuts);
          },
    );
    const label = faultLabel(c.target);
    const stranded = flow.workloads.filter((w) => w.stranded > 0).map((w) => w.name);
    if (stranded.length > 0) reasons.push(`${label} failed: no path left for ${stranded.join(", ")}`);
    const summary = flowSla(topo, flow);
    const missed = summary.sla.filter((r) => r.status !== "met");
    if (missed.length > 0)
      reasons.push(`${label} failed: ${missed.map((r) => `${key(r.workload, r.metric)} ${r.status}`).join(", ")}`);
    let margin = stranded.some((w) => slaWorkloads.has(w)) ? Number.POSITIVE_INFINITY : 0;
    for (const r of summary.sla) {
      const floor = topo.sla.find((s) => s.workload === r.workload && s.metric === r.metric)?.bound === "at-least";
      const ratio =
        r.actual === null
          ? Number.POSITIVE_INFINITY
          : floor
            ? r.actual === 0
              ? Number.POSITIVE_INFINITY
              : r.target / r.actual
            : r.target === 0
              ? r.actual > 0
                ? Number.POSITIVE_INFINITY
                : 0
              : r.actual / r.target;
      margin = Math.max(margin, ratio);
    }
    margins.push({ label, kind: c.kind, target: c.target, margin, flagged: summary.flagged });
    for (const w of stranded) missedWorkloads.add(w);
    for (const r of missed) missedWorkloads.add(r.workload);
    if (stranded.length > 0 || missed.length > 0) {
      if (seen.loads !== null) {
        const broke = new Set([...stranded, ...missed.map((r) => r.workload)]);
        for (const o of overloadedTiers(topo, seen.loads, broke))
          if (overloaded.get(o.param)?.scope !== "tier") overloaded.set(o.param, o);
      }
      failedKinds.push(c.kind);
      if (options.stopAtFirstMiss === true) break;
    }
  }
  reasons.sort();
  margins.sort((a, b) => b.margin - a.margin || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
  return {
    fidelity: "flow",
    status: reasons.length === 0 ? "met" : "missed",
    components: solved,
    confirmed: [],
    reasons,
    margins,
    failedKinds,
    missedWorkloads: [...missedWorkloads].sort(),
    overloaded: [...overloaded.values()].sort((a, b) => (a.param < b.param ? -1 : 1)),
  };
}

/** Every shared component, or the busiest per kind (see `SurviveSample`). */
export function sampleNote(sample: SurviveSample): string {
  return sample === "all" ? "every shared component" : "the busiest shared component of each kind";
}

/**
 * The components to run at packet level: per kind the one with the least margin; kinds
 * with lossy contention first, then by margin; at most `count`.
 */
export function componentsToConfirm(margins: readonly ComponentMargin[], count = SURVIVE_CONFIRM): ComponentMargin[] {
  const perKind = new Map<string, ComponentMargin>();
  for (const m of margins) {
    const had = perKind.get(m.kind);
    if (had === undefined || rank(m, had) < 0) perKind.set(m.kind, m);
  }
  return [...perKind.values()].sort(rank).slice(0, count);
}

function rank(a: ComponentMargin, b: ComponentMargin): number {
  return (
    Number(b.flagged.length > 0) - Number(a.flagged.length > 0) ||
    b.margin - a.margin ||
    (a.label < b.label ? -1 : a.label > b.label ? 1 : 0)
  );
}

/** One packet-level job per component (every shared component, or `only` these): failed from t = 0, routes already around it. */
export function degradedJobs(
  topo: ResolvedTopology,
  yaml: string,
  file: string,
  only?: readonly ComponentMargin[],
): Array<{ label: string; job: ReplicationJob }> {
  const targets = only?.map((m) => m.target) ?? sharedComponents(topo).map((c) => c.target);
  return targets.map((target) => ({
    label: faultLabel(target),
    job: {
      yaml,
      file,
      replication: 0,
      faults: [{ atTicks: 0, action: "fail", target }],
      failoverTicks: 0,
    },
  }));
}

/** The packet-level verdict from the degraded runs (one per component, in `degradedJobs` order). */
export function packetSurvive(labels: readonly string[], runs: readonly RunResult[], components: number): SurviveCheck {
  return packetSurviveMisses(labels, runs, components).check;
}

/** The packet-level verdict and, per component run, the workloads whose rows it missed. */
export function packetSurviveMisses(
  labels: readonly string[],
  runs: readonly RunResult[],
  components: number,
): { check: SurviveCheck; misses: Array<{ label: string; workloads: string[] }> } {
  const reasons: string[] = [];
  const misses: Array<{ label: string; workloads: string[] }> = [];
  runs.forEach((run, i) => {
    const label = labels[i]!;
    const noPath = run.workloads
      .filter((w) => Object.keys(w.dropReasons).some((r) => r.startsWith("no path")))
      .map((w) => w.name);
    if (noPath.length > 0) reasons.push(`${label} failed: no path left for ${noPath.join(", ")}`);
    const missed = run.sla.filter((r) => r.status === "missed");
    if (missed.length > 0) misses.push({ label, workloads: [...new Set(missed.map((r) => r.workload))] });
    const stuck = (run.faults[0] === undefined ? [] : Object.entries(run.faults[0].stuck)).filter(([, n]) => n > 0);
    if (missed.length > 0)
      reasons.push(
        `${label} failed: ${missed.map((r) => `${key(r.workload, r.metric)} missed`).join(", ")}${stuck.length > 0 ? ` (${stuck.map(([w, n]) => `${n} ${w} stuck`).join(", ")})` : ""}`,
      );
  });
  reasons.sort();
  return {
    check: {
      fidelity: "packet",
      status: reasons.length === 0 ? "met" : "missed",
      components,
      confirmed: [...labels],
      reasons,
    },
    misses,
  };
}
