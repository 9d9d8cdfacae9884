/**
 * What a design's search records: the study size's tallies, a candidate's
 * evaluation at flow or packet level with its evidence, and the SLA rows of a
 * packet-level run with their CI half-widths.
 */

import { resultBom } from "../bom/bom.js";
import type { FlowResult } from "../flow/index.js";
import type { RunResult } from "../metrics/result.js";
import type { ResolvedTopology } from "../topology/types.js";
import type { Candidate, CandidateCounts } from "./candidates.js";
import { type FlowSummary, key, overall, type PlanSlaRow } from "./sla.js";
import type { ComponentMargin } from "./survive.js";
import type { Overload } from "./tiers.js";
import type { CandidateEval, DesignPlan, Evidence, StudySize, SurviveCheck } from "./types.js";

export function emptySize(replications: number): StudySize {
  return {
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
    survive: { flowEvaluations: 0, packetRuns: 0, simulatedSeconds: 0, events: 0 },
  };
}

export function addSize(into: StudySize, s: StudySize): void {
  into.candidates += s.candidates;
  into.boms += s.boms;
  into.flow.evaluations += s.flow.evaluations;
  into.flow.wallSeconds += s.flow.wallSeconds;
  const p = into.packet;
  p.evaluations += s.packet.evaluations;
  p.simulatedSecondsPerReplication ??= s.packet.simulatedSecondsPerReplication;
  p.simulatedSeconds += s.packet.simulatedSeconds;
  p.events += s.packet.events;
  p.wallSeconds += s.packet.wallSeconds;
  into.survive.flowEvaluations += s.survive.flowEvaluations;
  into.survive.packetRuns += s.survive.packetRuns;
  into.survive.simulatedSeconds += s.survive.simulatedSeconds;
  into.survive.events += s.survive.events;
}

/** A packet-level run's SLA rows: the verdicts with their evidence (src/metrics/verdicts.ts). */
export function packetRows(_topo: ResolvedTopology, run: RunResult): PlanSlaRow[] {
  return run.sla;
}

export function candidateEval(
  c: Candidate,
  rank: number,
  sla: PlanSlaRow[],
  evidence: Evidence,
  survive: SurviveCheck | null = null,
): CandidateEval {
  const status = overall(sla);
  return {
    parameters: c.parameters,
    rank,
    objective: c.objective,
    hardwareScore: c.bom.totals.hardwareScore,
    hardwareScoreUnknown: c.bom.totals.hardwareScoreUnknown,
    bom: resultBom(c.bom),
    sla,
    survive,
    status: status === "met" && survive?.status === "missed" ? "missed" : status,
    evidence,
  };
}

/**
 * What the search keeps of a flow-level evaluation: its size and time, not its per-link and per-workload
 * results (the SLA rows are in the summary). Per-link results are 0.47 MB per candidate at 512 servers, and a
 * site-size search holds hundreds of evaluations at once (the whole curve ran out of heap with them).
 */
export type FlowBrief = Pick<FlowResult, "topology" | "design" | "flows" | "rounds" | "wallSeconds" | "phases">;

export function flowBrief(flow: FlowResult): FlowBrief {
  const { topology, design, flows, rounds, wallSeconds, phases } = flow;
  return { topology, design, flows, rounds, wallSeconds, phases };
}

export interface FlowEntry {
  flow: FlowBrief;
  summary: FlowSummary;
  /** The single-failure check (null when not asked for, or when the no-failure rows already miss). */
  survive: SurviveCheck | null;
  /** Its components' margins, least margin first (empty without a check). */
  margins: ComponentMargin[];
  /** Workloads a failure missed rows of or left without a path (empty without a check, or when it met). */
  surviveMissed: string[];
  /**
   * Parameters whose tier the missed workloads' demand overloads, without a failure or after the one
   * that missed (src/planner/tiers.ts; absent unless the job asked, empty when none).
   */
  overloaded?: Overload[];
}

/** Met at flow level: every SLA row, and after any single failure when the study asks. */
export function flowMet(e: FlowEntry): boolean {
  return overall(e.summary.sla) === "met" && (e.survive === null || e.survive.status === "met");
}

export function flowEvidence(flow: FlowBrief): Evidence {
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

export function packetEvidence(topo: ResolvedTopology, run: RunResult, rows: PlanSlaRow[]): Evidence {
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

/** The design's counts at the end of its search, also added to the study size. */
export function done(counts: CandidateCounts & { built?: number }, size: StudySize): DesignPlan["candidates"] {
  const built = counts.built ?? counts.enumerated - counts.refused;
  size.boms += built;
  size.candidates += counts.ordered;
  const { enumerated, refused, infeasible, ordered } = counts;
  return { enumerated, refused, built, infeasible, ordered };
}
