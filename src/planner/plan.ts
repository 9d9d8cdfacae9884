/**
 * The planner (DESIGN.md §3, issue 5 item 4): per design of a study, the least
 * hardware that meets every SLA row. Browser-safe: packet-level runs go through
 * an `Evaluator` (in-process by default).
 *
 * Search rule:
 * 1. Enumerate the cartesian product of every parameter's candidates (study
 *    order); skip combinations the generator refuses (`DesignError`) and those
 *    whose BOM is infeasible (error flags: slots, vNIC budgets, ports).
 * 2. Order by the hardware score (below), ascending; ties by enumeration order.
 * 3. Flow level, in that order: the first candidate whose flow-level SLA rows are
 *    all met is the flow-level choice. If one of its SLA workloads is flagged
 *    (`lossyContention` / `lossyBottleneck`) it "needs packet confirmation".
 * 4. Packet level (`replications` replications, CIs across them): the choice is
 *    confirmed when every row is met. If a row is missed the packet level
 *    contradicts the flow level: gallop forward over the flow-level-met
 *    candidates (next at rank ≥ r + 1, r + 2, r + 4 … after a miss at rank r)
 *    until one meets, then bisect between the last miss and the first meet
 *    (over flow-level-met candidates) to find the smallest that meets. At most
 *    `maxAttempts` packet confirmations per design (default 6); the notes say
 *    when the budget ran out. A row left undecided stops the gallop with verdict
 *    "undecided" (more replications would decide it).
 * 5. The one-step-smaller neighbour (the previous candidate in the order) is run
 *    at packet level too; the expectation is that it misses a row. When the
 *    choice is the first candidate there is no smaller neighbour in the study's
 *    search space, and the result says so.
 *
 * Hardware score: adapters + cables + optics + switch ports installed, from the
 * BOM (counts only: prices are often unknown). Ties: fewer switching boxes, then
 * fewer rack units, then enumeration order.
 *
 * Not done here: `survive: single-failure` (the SLA after any one failure) and
 * the last-mile curve (`lastMileCurve` is null).
 */

import { bom as bomOf, resultBom } from "../bom/bom.js";
import type { Bom, ResultBom } from "../bom/types.js";
import type { Catalog } from "../catalog/types.js";
import { DesignError, expandStudy, type ParamValue } from "../design/index.js";
import { evaluateFlows, type FlowResult } from "../flow/index.js";
import type { RunResult, SlaMetric, SlaResult } from "../metrics/result.js";
import { aggregate } from "../run/aggregate.js";
import type { Study } from "../study/load.js";
import { formatIssues } from "../topology/issues.js";
import { parseTopology } from "../topology/load.js";
import type { Design, ResolvedTopology } from "../topology/types.js";
import { VERSION } from "../version.js";
import { type Evaluator, inProcessEvaluator } from "./evaluator.js";

export const HARDWARE_SCORE_RULE =
  "adapters + cables + optics + switchPortsInstalled (BOM counts, price-independent); ties: fewer switching boxes, fewer rack units, enumeration order";

export const SEARCH_RULE =
  "candidates ordered by hardware score; the first whose flow-level SLA rows are all met is confirmed at packet level; after a packet-level miss, gallop over flow-level-met candidates (steps 1, 2, 4 …) to one that meets, then bisect back to the smallest that meets (bounded by maxAttempts); the one-step-smaller neighbour is run at packet level too";

export interface PlanProgress {
  readonly design: Design;
  readonly phase: "enumerate" | "flow" | "packet";
  readonly done: number;
  readonly total: number;
}

export interface PlanOptions {
  /** Packet-level replications per confirmation (default 3; at least 2 for CIs). */
  readonly replications?: number;
  /** Packet-level confirmations of candidates per design (the neighbour not counted); default 6. */
  readonly maxAttempts?: number;
  /** Skip the packet level: the verdict is the flow level's, unconfirmed. Default true. */
  readonly confirm?: boolean;
  /** Only these designs (default: the study's). */
  readonly designs?: readonly Design[];
  readonly evaluator?: Evaluator;
  /** Called between evaluations; awaited (a caller can yield to the event loop there). */
  readonly onProgress?: (p: PlanProgress) => void | Promise<void>;
}

export type Fidelity = "flow" | "packet";

/** An SLA row (DESIGN.md §5) with the CI half-width behind its status (null: none). */
export interface PlanSlaRow extends SlaResult {
  halfWidth: number | null;
}

export interface Evidence {
  fidelity: Fidelity;
  /** Simulated seconds per replication (packet level; null at flow level). */
  simulatedSeconds: number | null;
  /** Measurement window per replication, seconds (null at flow level). */
  windowSeconds: number | null;
  replications: number | null;
  /** Latency samples per workload with an SLA row (packet level; null at flow level). */
  samples: Record<string, number> | null;
  /** 95 % CI half-widths per SLA row `workload metric` (null: none). */
  ci95: Record<string, number | null> | null;
  wallSeconds: number;
}

export interface CandidateEval {
  parameters: Record<string, ParamValue>;
  /** Position in the hardware order (0 = least hardware). */
  rank: number;
  hardwareScore: number;
  bom: ResultBom;
  sla: PlanSlaRow[];
  status: "met" | "missed" | "undecided";
  evidence: Evidence;
}

export interface DesignPlan {
  design: Design;
  /** met: confirmed at packet level (or, without confirmation, the flow level's); missed / undecided: the best found; none: no candidate meets at flow level. */
  verdict: "met" | "missed" | "undecided" | "none";
  confirmed: boolean;
  /** Why the verdict is what it is (budget, flags, no neighbour …). */
  notes: string[];
  /** The choice (null when no candidate meets the SLA at flow level). */
  chosen: (CandidateEval & { bomDetail: Bom["totals"]; flow: FlowSummary }) | null;
  /** One-step-smaller neighbour at the verdict's fidelity (null when there is none). */
  neighbour: CandidateEval | null;
  /** Packet-level attempts that the packet level rejected, in order. */
  rejected: CandidateEval[];
  candidates: { enumerated: number; refused: number; infeasible: number; ordered: number };
  attempts: number;
  budgetExhausted: boolean;
}

export interface FlowSummary {
  sla: PlanSlaRow[];
  /** SLA workloads the flow level flags for packet-level confirmation. */
  flagged: string[];
  needsPacketConfirmation: boolean;
}

export interface StudySize {
  /** Candidates per design after the generator's refusals, summed. */
  candidates: number;
  boms: number;
  flow: { evaluations: number; wallSeconds: number };
  packet: {
    evaluations: number;
    replications: number;
    simulatedSecondsPerReplication: number | null;
    /** evaluations × replications × simulated seconds. */
    simulatedSeconds: number;
    events: number;
    wallSeconds: number;
  };
}

export interface PlanResult {
  iovsim: string;
  study: string;
  rules: { hardwareScore: string; search: string; maxAttempts: number; replications: number };
  /** Sorted by design name. */
  designs: DesignPlan[];
  /** Hardware per design as the virtualized share of the site rises (null when not asked for). */
  lastMileCurve: LastMileCurve | null;
  size: StudySize;
  wallSeconds: number;
}

/** Site-wide hardware counts of a curve point (DESIGN.md §5 `bom.totals` fields that add up across parts). */
export interface CurveTotals {
  adapters: number;
  cables: number;
  optics: number;
  switchPorts: number;
  /** adapters + cables + optics + switch ports installed (the hardware score's rule). */
  hardwareScore: number;
  /** Known part of the list cost ("≥" when unpricedItems > 0); null when nothing is priced. */
  costUsd: number | null;
  unpricedItems: number;
  /** Known part of the typical power; null when no power is known. */
  watts: number | null;
}

/** One point of the last-mile curve: one design at one virtualized share. */
export interface CurveRow {
  /** Virtualized share of the site's servers, 0 … 1 (the x axis). */
  share: number;
  design: Design;
  /** The first N hosts in group order (already-virtualized groups first), on the design's fabric. */
  virtualizedHosts: number;
  /** The rest, still physical with the traditional design's per-server I/O. */
  physicalHosts: number;
  /** met: the least hardware meeting every SLA row at flow level; none: no candidate meets. */
  status: "met" | "none";
  fidelity: Fidelity;
  parameters: Record<string, ParamValue> | null;
  /** The virtualized hosts' fabric (null when status is none). */
  fabric: CurveTotals | null;
  /** The physical hosts' traditional I/O: per-server figures × physicalHosts. */
  physical: CurveTotals;
  /** fabric + physical (null when status is none). */
  site: CurveTotals | null;
}

export interface CurveKnee {
  design: Design;
  /** Share at the start of the steepest segment (hardware score added per host moved onto the fabric); null with fewer than 2 met points. */
  knee: number | null;
  /** Hardware score added per host in that segment. */
  steepestPerHost: number | null;
  /** Site hardware score at the last share minus at the first (null when either is none). */
  growth: number | null;
}

export interface LastMileCurve {
  shares: number[];
  rule: string;
  /** Sorted by share, then design. */
  rows: CurveRow[];
  /** Per design (sorted by name). */
  knees: CurveKnee[];
  /** The design with the least growth from the first share to the last (null when none has both points). */
  flattest: Design | null;
}

interface Candidate {
  index: number;
  /** The generated topology's text (what an Evaluator job carries) and its label. */
  yaml: string;
  label: string;
  parameters: Record<string, ParamValue>;
  topo: ResolvedTopology;
  bom: Bom;
  score: number;
}

export function hardwareScore(totals: Bom["totals"]): number {
  return totals.adapters + totals.cables + totals.optics + totals.switchPortsInstalled;
}

function compareCandidates(a: Candidate, b: Candidate): number {
  return (
    a.score - b.score ||
    a.bom.totals.switchingDevices - b.bom.totals.switchingDevices ||
    a.bom.totals.rackUnits - b.bom.totals.rackUnits ||
    a.index - b.index
  );
}

/** Cartesian product of the candidates, in parameter order (the last varies fastest). */
export function combinations(study: Study, design: Design): Record<string, ParamValue>[] {
  let combos: Record<string, ParamValue>[] = [{}];
  for (const [name, p] of Object.entries(study.parameters[design] ?? {})) {
    combos = combos.flatMap((c) => p.candidates.map((v) => ({ ...c, [name]: v })));
  }
  return combos;
}

function targetSeconds(topo: ResolvedTopology, i: number): number {
  const s = topo.sla[i]!;
  return s.metric.startsWith("latency") ? s.target / 1e12 : s.target;
}

const key = (workload: string, metric: SlaMetric): string => `${workload} ${metric}`;

/** Flow-level SLA rows: point estimates (no CI); a null estimate (unstable queue) is undecided. */
export function flowSla(topo: ResolvedTopology, flow: FlowResult): FlowSummary {
  const sla = topo.sla.map((s, i): PlanSlaRow => {
    const w = flow.workloads.find((x) => x.name === s.workload);
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
    return { workload: s.workload, metric: s.metric, target, actual, status, halfWidth: null };
  });
  const slaWorkloads = new Set(topo.sla.map((s) => s.workload));
  const flagged = flow.workloads
    .filter((w) => slaWorkloads.has(w.name) && (w.lossyContention || w.lossyBottleneck))
    .map((w) => w.name)
    .sort();
  return { sla, flagged, needsPacketConfirmation: flagged.length > 0 };
}

function overall(rows: readonly { status: SlaResult["status"] }[]): "met" | "missed" | "undecided" {
  if (rows.some((r) => r.status === "missed")) return "missed";
  if (rows.some((r) => r.status === "undecided")) return "undecided";
  return "met";
}

function packetRows(topo: ResolvedTopology, run: RunResult): PlanSlaRow[] {
  return run.sla.map((row) => {
    const w = run.workloads.find((x) => x.name === row.workload);
    const ci = w?.ci95;
    const halfWidth =
      ci === undefined
        ? null
        : row.metric === "latency.p99"
          ? ci["latency.p99"]
          : row.metric === "latency.mean"
            ? ci["latency.mean"]
            : row.metric === "deliveredBps"
              ? ci.deliveredBps
              : null;
    void topo;
    return { ...row, halfWidth };
  });
}

function candidateEval(c: Candidate, rank: number, sla: PlanSlaRow[], evidence: Evidence): CandidateEval {
  return {
    parameters: c.parameters,
    rank,
    hardwareScore: c.score,
    bom: resultBom(c.bom),
    sla,
    status: overall(sla),
    evidence,
  };
}

function flowEvidence(flow: FlowResult): Evidence {
  return {
    fidelity: "flow",
    simulatedSeconds: null,
    windowSeconds: null,
    replications: null,
    samples: null,
    ci95: null,
    wallSeconds: flow.wallSeconds,
  };
}

function packetEvidence(topo: ResolvedTopology, run: RunResult, rows: PlanSlaRow[]): Evidence {
  const slaWorkloads = new Set(topo.sla.map((s) => s.workload));
  const samples: Record<string, number> = {};
  for (const w of run.workloads) if (slaWorkloads.has(w.name)) samples[w.name] = w.latency.samples;
  const ci95: Record<string, number | null> = {};
  for (const r of rows) ci95[key(r.workload, r.metric)] = r.halfWidth;
  return {
    fidelity: "packet",
    simulatedSeconds: run.simulatedSeconds,
    windowSeconds: run.window.end - run.window.start,
    replications: run.replications,
    samples,
    ci95,
    wallSeconds: run.wallSeconds,
  };
}

/** The least hardware that meets every SLA row, per design of `study`. */
export async function plan(study: Study, catalog: Catalog, options: PlanOptions = {}): Promise<PlanResult> {
  const t0 = performance.now();
  const replications = options.replications ?? 3;
  const maxAttempts = options.maxAttempts ?? 6;
  const confirm = options.confirm ?? true;
  const evaluator = options.evaluator ?? inProcessEvaluator;
  const progress = options.onProgress ?? (() => {});
  if (!Number.isInteger(replications) || replications < 1) throw new RangeError("replications must be ≥ 1");
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new RangeError("maxAttempts must be ≥ 1");
  const size: StudySize = {
    candidates: 0,
    boms: 0,
    flow: { evaluations: 0, wallSeconds: 0 },
    packet: {
      evaluations: 0,
      replications,
      simulatedSecondsPerReplication: null,
      simulatedSeconds: 0,
      events: 0,
      wallSeconds: 0,
    },
  };
  const designs: DesignPlan[] = [];
  for (const design of options.designs ?? study.designs) {
    // 1. Enumerate, BOM, order.
    const combos = combinations(study, design);
    const candidates: Candidate[] = [];
    let refused = 0;
    let infeasible = 0;
    for (const [index, parameters] of combos.entries()) {
      if (index % 16 === 0) await progress({ design, phase: "enumerate", done: index, total: combos.length });
      let yaml: string;
      try {
        yaml = expandStudy(study, design, parameters);
      } catch (e) {
        if (e instanceof DesignError) {
          refused++;
          continue;
        }
        throw e;
      }
      const label = `<${design} ${JSON.stringify(parameters)}>`;
      const parsed = parseTopology(yaml, label);
      if (!parsed.ok)
        throw new Error(`generated ${design} topology is invalid (a bug):\n${formatIssues(parsed.issues)}`);
      const b = bomOf(parsed.topology, catalog);
      size.boms++;
      if (!b.feasible) {
        infeasible++;
        continue;
      }
      candidates.push({
        index,
        yaml,
        label,
        parameters,
        topo: parsed.topology,
        bom: b,
        score: hardwareScore(b.totals),
      });
    }
    candidates.sort(compareCandidates);
    size.candidates += candidates.length;
    const counts = { enumerated: combos.length, refused, infeasible, ordered: candidates.length };

    // 2. Flow level, lazily in hardware order (cached).
    const flowCache = new Map<number, { flow: FlowResult; summary: FlowSummary }>();
    const flowOf = async (rank: number) => {
      const hit = flowCache.get(rank);
      if (hit !== undefined) return hit;
      const c = candidates[rank]!;
      const flow = evaluateFlows(c.topo);
      size.flow.evaluations++;
      size.flow.wallSeconds += flow.wallSeconds;
      const entry = { flow, summary: flowSla(c.topo, flow) };
      flowCache.set(rank, entry);
      await progress({ design, phase: "flow", done: rank + 1, total: candidates.length });
      return entry;
    };
    const nextFlowMet = async (from: number): Promise<number> => {
      for (let r = from; r < candidates.length; r++) {
        if (overall((await flowOf(r)).summary.sla) === "met") return r;
      }
      return -1;
    };
    // 3. Packet level (cached).
    const packetCache = new Map<number, CandidateEval>();
    let packetRuns = 0;
    const packetOf = async (rank: number): Promise<CandidateEval> => {
      const hit = packetCache.get(rank);
      if (hit !== undefined) return hit;
      const c = candidates[rank]!;
      await progress({ design, phase: "packet", done: packetRuns, total: maxAttempts + 1 });
      const t = performance.now();
      const reps = await Promise.all(
        Array.from({ length: replications }, (_, replication) =>
          evaluator.replicate({ yaml: c.yaml, file: c.label, replication }),
        ),
      );
      const run = aggregate(c.topo, reps, (performance.now() - t) / 1000);
      packetRuns++;
      size.packet.evaluations++;
      size.packet.simulatedSecondsPerReplication = run.simulatedSeconds;
      size.packet.simulatedSeconds += run.simulatedSeconds * run.replications;
      size.packet.events += run.events;
      size.packet.wallSeconds += run.wallSeconds;
      const rows = packetRows(c.topo, run);
      const ev = candidateEval(c, rank, rows, packetEvidence(c.topo, run, rows));
      packetCache.set(rank, ev);
      return ev;
    };

    const notes: string[] = [];
    const rejected: CandidateEval[] = [];
    let choice = await nextFlowMet(0);
    if (choice < 0) {
      notes.push(
        candidates.length === 0
          ? "the generator refuses every parameter combination"
          : `no candidate meets every SLA row at flow level (${candidates.length} evaluated)`,
      );
      designs.push({
        design,
        verdict: "none",
        confirmed: false,
        notes,
        chosen: null,
        neighbour: null,
        rejected,
        candidates: counts,
        attempts: 0,
        budgetExhausted: false,
      });
      continue;
    }
    let verdict: DesignPlan["verdict"] = "met";
    let confirmed = false;
    let attempts = 0;
    let budgetExhausted = false;
    let chosenEval: CandidateEval | null = null;
    if (confirm) {
      // Gallop: after a packet-level miss at rank r, try the next flow-level-met candidate
      // at rank ≥ r + step, the step doubling (1, 2, 4 …), until one meets.
      let lo = -1; // highest rank known to miss at packet level
      let hi = -1; // lowest rank known to meet at packet level
      let step = 1;
      let r = choice;
      let last: CandidateEval | null = null;
      for (;;) {
        const ev = await packetOf(r);
        attempts++;
        last = ev;
        if (ev.status === "met") {
          hi = r;
          break;
        }
        if (ev.status === "undecided") {
          notes.push(
            `candidate #${r}: packet level leaves ${ev.sla.filter((x) => x.status === "undecided").length} row(s) undecided: the 95 % CI straddles the target (more replications would decide)`,
          );
          break;
        }
        const missed = ev.sla.filter((x) => x.status === "missed").map((x) => key(x.workload, x.metric));
        notes.push(`candidate #${r} meets at flow level but misses at packet level: ${missed.join(", ")}`);
        rejected.push(ev);
        lo = r;
        let next = await nextFlowMet(r + step);
        if (next < 0 && r + step > r + 1) next = await nextFlowMet(r + 1);
        step *= 2;
        if (next < 0) {
          notes.push("no larger candidate meets every SLA row at flow level");
          break;
        }
        if (attempts >= maxAttempts) {
          budgetExhausted = true;
          notes.push(
            `packet-level budget (${maxAttempts} confirmations) ran out; candidate #${next} is the next to try`,
          );
          break;
        }
        r = next;
      }
      // Bisect between the last miss and the first meet, over flow-level-met candidates.
      if (hi >= 0 && lo >= 0) {
        for (;;) {
          const inside: number[] = [];
          for (let k = lo + 1; k < hi; k++) if (overall((await flowOf(k)).summary.sla) === "met") inside.push(k);
          if (inside.length === 0) break;
          if (attempts >= maxAttempts) {
            budgetExhausted = true;
            notes.push(
              `packet-level budget (${maxAttempts} confirmations) ran out while bisecting: ${inside.length} candidate(s) between #${lo} and #${hi} are untried`,
            );
            break;
          }
          const mid = inside[Math.floor((inside.length - 1) / 2)]!;
          const ev = await packetOf(mid);
          attempts++;
          if (ev.status === "met") hi = mid;
          else {
            lo = mid;
            rejected.push(ev);
            notes.push(
              `candidate #${mid} meets at flow level but ${ev.status === "missed" ? "misses" : "is undecided"} at packet level`,
            );
          }
        }
      }
      if (hi >= 0) {
        choice = hi;
        chosenEval = await packetOf(hi);
        confirmed = true;
        verdict = "met";
        const i = rejected.findIndex((x) => x.rank === hi);
        if (i >= 0) rejected.splice(i, 1);
      } else {
        choice = last!.rank;
        chosenEval = last;
        verdict = last!.status === "undecided" ? "undecided" : "missed";
        const i = rejected.findIndex((x) => x.rank === choice);
        if (i >= 0) rejected.splice(i, 1);
      }
      rejected.sort((a, b) => a.rank - b.rank);
    }
    const c = candidates[choice]!;
    const flow = (await flowOf(choice)).summary;
    if (flow.needsPacketConfirmation)
      notes.push(`flow level flags ${flow.flagged.join(", ")} (lossy contention): needs packet confirmation`);
    if (!confirm) {
      chosenEval = candidateEval(c, choice, flow.sla, flowEvidence((await flowOf(choice)).flow));
      verdict = "met";
      notes.push("not confirmed at packet level (flow level only)");
    }
    const chosen = { ...chosenEval!, bomDetail: c.bom.totals, flow };

    // 5. The one-step-smaller neighbour, at the verdict's fidelity.
    let neighbour: CandidateEval | null = null;
    if (choice === 0) {
      notes.push("no smaller neighbour: the choice is the least hardware in the study's search space");
    } else if (confirm) {
      neighbour = await packetOf(choice - 1);
      if (neighbour.status === "met")
        notes.push("the smaller neighbour also meets every SLA row at packet level: the flow level was pessimistic");
    } else {
      const f = await flowOf(choice - 1);
      neighbour = candidateEval(candidates[choice - 1]!, choice - 1, f.summary.sla, flowEvidence(f.flow));
    }
    designs.push({
      design,
      verdict,
      confirmed,
      notes,
      chosen,
      neighbour,
      rejected,
      candidates: counts,
      attempts,
      budgetExhausted,
    });
  }
  designs.sort((a, b) => (a.design < b.design ? -1 : a.design > b.design ? 1 : 0));
  return {
    iovsim: VERSION,
    study: study.file.name,
    rules: { hardwareScore: HARDWARE_SCORE_RULE, search: SEARCH_RULE, maxAttempts, replications },
    designs,
    lastMileCurve: null,
    size,
    wallSeconds: (performance.now() - t0) / 1000,
  };
}
