/**
 * One design's search (docs/architecture.md §3): the candidate that minimizes the study's
 * objective (3-year TCO by default; capex, watts or the hardware count) and
 * meets every SLA row. Browser-safe: packet-level runs go through an
 * `Evaluator` (in-process by default).
 *
 * Search rule:
 * 1. Enumerate the cartesian product of every parameter's candidates (study
 *    order); skip combinations the generator refuses (`DesignError`) and those
 *    whose BOM is infeasible (error flags: slots, vNIC budgets, ports).
 * 2. Order by the objective, ascending (`candidates.ts`, `objective.ts`).
 * 3. Flow level, in that order: the first candidate whose flow-level SLA rows are
 *    all met is the flow-level choice. If one of its SLA workloads is flagged
 *    (`lossyContention` / `lossyBottleneck`) it "needs packet confirmation".
 * 4. Packet level (replications to the study's precision, or `replications` fixed ones;
 *    src/planner/confirm.ts): the choice is
 *    confirmed when every row is met. If a row is missed the packet level
 *    contradicts the flow level: gallop forward over the flow-level-met
 *    candidates (next at rank ≥ r + 1, r + 2, r + 4 … after a miss at rank r)
 *    until one meets, then bisect between the last miss and the first meet
 *    (over flow-level-met candidates) to find the smallest that meets. At most
 *    `maxAttempts` packet confirmations per design (default 6); the notes say
 *    when the budget ran out. A candidate with a row left undecided (its 95 % CI
 *    still straddles the target when the precision budget ends) is passed over
 *    like a miss: a choice is one shown to meet. The verdict is "undecided" only
 *    when the search ends on such a candidate.
 * 5. The one-step-smaller neighbour (the previous candidate in the order) is run
 *    at packet level too; the expectation is that it misses a row. When the
 *    choice is the first candidate there is no smaller neighbour in the study's
 *    search space, and the result says so.
 *
 * Order: the objective's typical value; ties by the hardware count (adapters +
 * cables + optics + front-panel switch ports installed + upstream ports), then
 * fewer switching boxes, fewer rack units, enumeration order. "Smaller" below
 * means earlier in that order.
 *
 * `survive: single-failure` (src/planner/survive.ts): a candidate also has to
 * meet every row after any one shared component fails (the state after
 * failover), at flow level in the search and at packet level (one degraded run
 * per component) when confirmed.
 */

import type { Catalog } from "../catalog/types.js";
import type { ParamValue } from "../design/params.js";
import { aggregate } from "../run/aggregate.js";
import type { Study } from "../study/load.js";
import type { Design } from "../topology/types.js";
import { ByTopology } from "./by-topology.js";
import {
  buildCandidate,
  type Candidate,
  type CandidateCounts,
  CandidateOrder,
  enumerateCandidates,
  type FullCandidate,
  MonotonicityError,
} from "./candidates.js";
import { confirmAtPacketLevel } from "./confirm.js";
import { Dominance, type Side } from "./dominance.js";
import {
  candidateEval,
  done,
  emptySize,
  type FlowEntry,
  flowEvidence,
  flowMet,
  packetEvidence,
  packetRows,
} from "./evaluations.js";
import { FlowLookahead } from "./lookahead.js";
import { nearestMiss, parametersText, refusalReason } from "./none-reason.js";
import { key, overall } from "./sla.js";
import { componentsToConfirm, degradedJobs, flowSurvive, packetSurviveMisses } from "./survive.js";
import type { TierSpec } from "./tiers.js";

import type { CandidateEval, DesignPlan, FlowJob, SearchSettings, StudySize, SurviveCheck } from "./types.js";

/** A design's plan, what its search evaluated, and the candidate it chose (null when none met at flow level). */
export interface SearchOutcome {
  plan: DesignPlan;
  size: StudySize;
  /** Built again in this thread with its whole BOM (the search holds candidates without it). */
  candidate: FullCandidate | null;
}

/** How far the guided step looks ahead (ranks) for a candidate the flow level does not flag. */
const GUIDED_SCAN = 128;

export const SEARCH_RULE =
  "candidates in the objective's order (rules.order); the first whose flow-level SLA rows are all met is confirmed at packet level; after a packet-level miss on rows of workloads the flow level flagged (lossy contention), jump to the first flow-level-met candidate that no longer flags them (within 128 ranks), else gallop over flow-level-met candidates (steps 1, 2, 4 …), to one that meets, then bisect back to the smallest that meets (bounded by maxAttempts); the one-step-smaller neighbour is run at packet level too";

export async function planDesign(
  study: Study,
  catalog: Catalog,
  design: Design,
  settings: SearchSettings,
  exhaustive = false,
): Promise<SearchOutcome> {
  const { replications, precision, maxAttempts, confirm, evaluator, progress, neighbourRun } = settings;
  const size = emptySize(replications);
  /** Misses at flow level that answer for smaller candidates (the site-size curve only; src/planner/dominance.ts). */
  const dominance = settings.skipDominated === true ? new Dominance(study.parameters[design] ?? {}) : null;
  /** The tiers a miss is judged against (range parameters that declare one; src/planner/tiers.ts). */
  const tiers: TierSpec[] | undefined =
    dominance === null
      ? undefined
      : Object.entries(study.parameters[design] ?? {}).flatMap(([param, p]) =>
          p.ranged && p.def.kind === "int" && p.def.tier !== undefined
            ? [{ param, ports: p.def.tier.ports, ...(p.def.tier.pinned === true ? { pinned: true } : {}) }]
            : [],
        );
  /** The sides whose rows a flow-level miss missed (without a failure or after one): a storage workload's rows are the SAN's. */
  const storage = new Set(
    study.file.groups.flatMap((g) => g.workloads.filter((w) => w.to === "storage").map((w) => w.name)),
  );
  const sideOf = (workload: string): Side => (storage.has(workload) ? "san" : "lan");
  const missedSides = (e: FlowEntry): Set<Side> => {
    if (e.survive?.status !== "missed")
      return new Set(e.summary.sla.filter((x) => x.status !== "met").map((x) => sideOf(x.workload)));
    // After a failure: the sides of the workloads it broke (both when the answer does not say).
    return e.surviveMissed.length > 0 ? new Set(e.surviveMissed.map(sideOf)) : new Set<Side>(["lan", "san"]);
  };
  let dominatedSkips = 0;
  // 1. Candidates in hardware order, built as the search reaches them.
  const order: {
    at(rank: number): Promise<Candidate | undefined>;
    peek(rank: number): Promise<Candidate | undefined>;
    counts(): CandidateCounts;
    skippedUnbuilt?(): number;
  } = exhaustive
    ? await FullOrder.of(study, design, catalog, (done, total) => progress({ design, phase: "enumerate", done, total }))
    : new CandidateOrder(
        study,
        design,
        catalog,
        (done, total) => progress({ design, phase: "enumerate", done, total }),
        evaluator.build === undefined
          ? undefined
          : (index, parameters) => evaluator.build!(study, catalog, design, index, parameters),
        dominance === null ? undefined : (parameters) => dominance.dominated(parameters),
        dominance === null ? undefined : (parameters) => dominance.exits(parameters),
      );
  const candidateAt = async (rank: number): Promise<Candidate> => (await order.at(rank))!;

  // 2. Flow level, lazily in hardware order (cached).
  const survive = study.file.survive === "single-failure";
  const flowCache = new Map<number, FlowEntry>();
  /** Evaluations by topology (text without comments): parameters that do not change the hardware share them. */
  const flowByTopology = new ByTopology<FlowEntry>();
  /** Packet-level evaluations by topology (see `flowByTopology`). */
  const packetByTopology = new ByTopology<CandidateEval>();
  /** Kinds of component that broke the last candidate's single-failure check: failed first on the next. */
  let breakers: string[] = [];
  const flowJob = (c: Candidate): FlowJob => ({
    yaml: c.yaml,
    file: c.label,
    survive,
    sample: settings.surviveSample ?? "all",
    firstKinds: breakers,
    ...(tiers === undefined || tiers.length === 0 ? {} : { tiers }),
  });
  /** The next ranks' flow jobs on otherwise idle workers, used only where this walk asks for the same job. */
  const lookahead = new FlowLookahead(evaluator);
  const known = (c: Candidate, rank: number) =>
    flowCache.has(rank) || flowByTopology.has(c) || (dominance?.dominated(c.parameters) ?? false);
  const flowOf = async (rank: number) => {
    const hit = flowCache.get(rank);
    if (hit !== undefined) return hit;
    const c = await candidateAt(rank);
    const same = flowByTopology.get(c);
    if (same !== undefined) {
      flowCache.set(rank, same);
      return same;
    }
    // On the evaluator: the single-failure check only for candidates that meet without a failure (one solve
    // per component on the candidate's flow model; a miss ends it, the kinds that broke the last candidate first).
    const job = flowJob(c);
    // Not awaited: it walks on while this job runs; a failure there only means no look-ahead.
    if (lookahead.depth > 0) lookahead.ahead(rank, (r) => order.peek(r), known, flowJob).catch(() => {});
    const { failedKinds, ...entry } = await (lookahead.take(rank, job) ?? evaluator.flow(job));
    size.flow.evaluations++;
    size.flow.wallSeconds += entry.flow.wallSeconds;
    if (entry.survive !== null) {
      size.survive.flowEvaluations += entry.survive.components;
      if (failedKinds.length > 0) breakers = [...new Set([...failedKinds, ...breakers])];
    }
    flowCache.set(rank, entry);
    flowByTopology.set(c, entry);
    await progress({ design, phase: "flow", done: flowCache.size, total: flowCache.size + 1 });
    return entry;
  };
  const flowBudget = settings.flowBudget ?? Number.POSITIVE_INFINITY;
  /** The flow-level budget ran out before the walk reached the end of the order. */
  let budgetOut = false;
  /** The first rank from `from` (at most `limit` ranks on) that meets at flow level and satisfies `also`; -1 if none. */
  const nextFlowMet = async (
    from: number,
    also: (e: FlowEntry) => boolean = () => true,
    limit = Number.POSITIVE_INFINITY,
  ): Promise<number> => {
    for (let r = from; r < from + limit && (await order.at(r)) !== undefined; r++) {
      if (dominance !== null && !flowCache.has(r) && dominance.dominated((await candidateAt(r)).parameters)) {
        dominatedSkips++;
        continue;
      }
      if (!flowCache.has(r) && size.flow.evaluations >= flowBudget) {
        budgetOut = true;
        return -1;
      }
      const e = await flowOf(r);
      if (dominance !== null && !flowMet(e)) {
        // Rows missed, without a failure or after one, bound their side's capacities each.
        const p = (await candidateAt(r)).parameters;
        for (const side of missedSides(e)) dominance.miss(p, new Set([side]));
        for (const o of e.overloaded ?? []) dominance.missTier(p, o.param, o.scope === "port");
      }
      // A topology already run at packet level (under other parameter values) is known: skip it.
      if (flowMet(e) && also(e) && !packetByTopology.has(await candidateAt(r))) {
        lookahead.settle();
        return r;
      }
    }
    lookahead.settle();
    return -1;
  };
  // 3. Packet level (cached).
  const packetCache = new Map<number, CandidateEval>();
  /** Per candidate run at packet level: kinds of component whose failure missed rows, and those rows' workloads. */
  const surviveMisses = new Map<number, Array<{ kind: string; workloads: string[] }>>();
  let packetRuns = 0;
  const packetOf = async (rank: number): Promise<CandidateEval> => {
    const hit = packetCache.get(rank);
    if (hit !== undefined) return hit;
    const c = await candidateAt(rank);
    const same = packetByTopology.get(c);
    if (same !== undefined) {
      // The same topology under other parameter values (one that changes nothing here): same runs, same seeds.
      const ev = { ...same, parameters: c.parameters, rank };
      packetCache.set(rank, ev);
      return ev;
    }
    await progress({ design, phase: "packet", done: packetRuns, total: maxAttempts + 1 });
    const run = await confirmAtPacketLevel(c, replications, precision, evaluator);
    packetRuns++;
    size.packet.evaluations++;
    size.packet.simulatedSecondsPerReplication = run.simulatedSeconds;
    size.packet.simulatedSeconds += run.precision?.simulatedSeconds ?? run.simulatedSeconds * run.replications;
    size.packet.events += run.events;
    size.packet.wallSeconds += run.wallSeconds;
    const rows = packetRows(c.topo, run);
    let check: SurviveCheck | null = null;
    const flowCheck0 = survive ? (await flowOf(rank)).survive : null;
    if (survive && overall(rows) === "met" && (settings.survivePacket === false || flowCheck0?.status === "missed")) {
      // Single failures judged at flow level only (curve points), or already missed there: the flow level's check stands.
      check = flowCheck0;
    } else if (survive && overall(rows) === "met") {
      // Degraded runs for the components the flow level trusts least (src/planner/survive.ts), at once on the evaluator.
      const entry = await flowOf(rank);
      const flowCheck =
        entry.survive === null || entry.margins.length < entry.survive.components
          ? flowSurvive(c.topo, settings.surviveSample ?? "all")
          : { ...entry.survive, margins: entry.margins };
      const jobs = degradedJobs(c.topo, c.yaml, c.label, componentsToConfirm(flowCheck.margins));
      const runs = await Promise.all(
        jobs.map(async ({ job }) => aggregate(c.topo, [await evaluator.replicate(job)], 0)),
      );
      const judged = packetSurviveMisses(
        jobs.map((j) => j.label),
        runs,
        flowCheck.components,
      );
      check = judged.check;
      // Which kinds of component broke which workloads' rows: the guided step avoids them.
      const kinds = new Map(flowCheck.margins.map((m) => [m.label, m.kind]));
      surviveMisses.set(
        rank,
        judged.misses.map((m) => ({ kind: kinds.get(m.label) ?? "", workloads: m.workloads })),
      );
      size.survive.packetRuns += runs.length;
      for (const r of runs) {
        size.survive.simulatedSeconds += r.simulatedSeconds;
        size.survive.events += r.events;
      }
    }
    const ev = candidateEval(c, rank, rows, packetEvidence(c.topo, run, rows), check);
    packetCache.set(rank, ev);
    packetByTopology.set(c, ev);
    return ev;
  };

  const notes: string[] = [];
  const rejected: CandidateEval[] = [];
  let choice = await nextFlowMet(0);
  if (choice < 0) {
    const n = order.counts().ordered;
    // What defeats the candidate that came nearest (src/planner/none-reason.ts), or why none was built.
    const params = new Map<number, Record<string, ParamValue>>();
    for (const r of flowCache.keys()) params.set(r, (await candidateAt(r)).parameters);
    const near = nearestMiss(flowCache, (r) => params.get(r)!);
    if (n === 0) {
      const why = refusalReason(study, design, catalog);
      notes.push(
        `no buildable candidate: ${why ?? "the generator refuses every parameter combination or the BOM finds each infeasible"}`,
      );
    } else
      notes.push(
        near === null
          ? `no candidate meets every SLA row at flow level (${n} evaluated)`
          : budgetOut
            ? `none of the ${flowCache.size} least-cost candidates meets every SLA row at flow level (the search's budget of ${flowBudget} flow-level evaluations ran out; more remain); nearest #${near.rank} (${parametersText(near.parameters)}): ${near.binding}`
            : `no candidate meets every SLA row${near.binding.startsWith("meets without") ? " after any single failure" : ""} at flow level (${n} evaluated); nearest #${near.rank} (${parametersText(near.parameters)}): ${near.binding}`,
      );
    if (dominatedSkips + (order.skippedUnbuilt?.() ?? 0) > 0)
      notes.push(skippedNote(dominatedSkips + (order.skippedUnbuilt?.() ?? 0)));
    const plan: DesignPlan = {
      design,
      verdict: "none",
      confirmed: false,
      notes,
      chosen: null,
      neighbour: null,
      rejected,
      candidates: done(order.counts(), size),
      attempts: 0,
      budgetExhausted: budgetOut,
    };
    return { plan, size, candidate: null };
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
      // Undecided is not met: a configuration an architect could not show to meet its SLA within the
      // precision budget is passed over like a miss (the note says which rows stayed undecided).
      const missed = [
        ...ev.sla.filter((x) => x.status !== "met").map((x) => `${key(x.workload, x.metric)} ${x.status}`),
        ...(ev.survive?.status === "missed" ? [`single failure (${ev.survive.reasons[0]}…)`] : []),
      ];
      notes.push(
        ev.status === "undecided"
          ? `candidate #${r} meets at flow level but is undecided at packet level (the 95 % CI straddles the target within the precision budget; passed over): ${missed.join(", ")}`
          : `candidate #${r} meets at flow level but misses at packet level: ${missed.join(", ")}`,
      );
      rejected.push(ev);
      lo = r;
      // Guided step: when every row not met belongs to a workload the flow level flagged (lossy
      // contention), jump to the first flow-level-met candidate on which none of them is flagged.
      const missedBy = [...new Set(ev.sla.filter((x) => x.status !== "met").map((x) => x.workload))];
      const flagged = (await flowOf(r)).summary.flagged;
      let next = -1;
      if (missedBy.length > 0 && missedBy.every((w) => flagged.includes(w))) {
        next = await nextFlowMet(r + 1, (e) => !missedBy.some((w) => e.summary.flagged.includes(w)), GUIDED_SCAN);
        if (next >= 0)
          notes.push(`candidate #${next} is the first that the flow level no longer flags for ${missedBy.join(", ")}`);
      }
      // Guided step for single failures: when a failure the flow level flagged (lossy contention for the
      // workloads whose rows it missed) broke the candidate, jump to the first flow-level-met candidate on
      // which failures of that kind no longer leave those workloads flagged.
      const broke = surviveMisses.get(r) ?? [];
      if (next < 0 && broke.length > 0 && ev.sla.every((x) => x.status === "met")) {
        const flaggedAgain = (e: FlowEntry) =>
          broke.some((b) => e.margins.some((m) => m.kind === b.kind && m.flagged.some((w) => b.workloads.includes(w))));
        // Only when the flow level flagged what broke this one: else there is nothing to steer by.
        if (flaggedAgain(await flowOf(r))) {
          next = await nextFlowMet(r + 1, (e) => !flaggedAgain(e), GUIDED_SCAN);
          if (next >= 0)
            notes.push(
              `candidate #${next} is the first on which the flow level no longer flags ${[...new Set(broke.flatMap((b) => b.workloads))].join(", ")} after a failure of a ${[...new Set(broke.map((b) => b.kind))].join(" or ")}`,
            );
        }
      }
      if (next < 0) next = await nextFlowMet(r + step);
      if (next < 0 && r + step > r + 1) next = await nextFlowMet(r + 1);
      step *= 2;
      if (next < 0) {
        notes.push("no larger candidate meets every SLA row at flow level");
        break;
      }
      if (attempts >= maxAttempts) {
        budgetExhausted = true;
        notes.push(`packet-level budget (${maxAttempts} confirmations) ran out; candidate #${next} is the next to try`);
        break;
      }
      r = next;
    }
    // Bisect between the last miss and the first meet, over flow-level-met candidates.
    if (hi >= 0 && lo >= 0) {
      // Candidates on which a single failure the flow level flags again broke an earlier one are skipped.
      const misses = [...surviveMisses.values()].flat();
      const knownBad = (e: FlowEntry) =>
        misses.some((b) => e.margins.some((m) => m.kind === b.kind && m.flagged.some((w) => b.workloads.includes(w))));
      let skipped = 0;
      for (;;) {
        const inside: number[] = [];
        skipped = 0;
        for (let k = lo + 1; k < hi; k++) {
          const e = await flowOf(k);
          if (!flowMet(e)) continue;
          if (knownBad(e)) skipped++;
          else inside.push(k);
        }
        lookahead.settle();
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
          const rows = ev.sla.filter((x) => x.status !== "met").map((x) => `${key(x.workload, x.metric)} ${x.status}`);
          notes.push(
            `candidate #${mid} meets at flow level but ${ev.status === "missed" ? "misses" : "is undecided"} at packet level${rows.length > 0 ? `: ${rows.join(", ")}` : ""}`,
          );
        }
      }
      if (skipped > 0)
        notes.push(
          `${skipped} candidate(s) between #${lo} and #${hi} not tried at packet level: a single failure the flow level flags on them broke a smaller candidate`,
        );
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
  const c = await candidateAt(choice);
  const flow = (await flowOf(choice)).summary;
  if (flow.needsPacketConfirmation)
    notes.push(`flow level flags ${flow.flagged.join(", ")} (lossy contention): needs packet confirmation`);
  if (!confirm) {
    const entry = await flowOf(choice);
    chosenEval = candidateEval(c, choice, flow.sla, flowEvidence(entry.flow), entry.survive);
    verdict = "met";
    notes.push("not confirmed at packet level (flow level only)");
  }
  // Built again whole in this thread: the search holds candidates without their cost of ownership and BOM detail.
  const full = buildCandidate(study, design, catalog, c.index, c.parameters)!;
  const chosen = { ...chosenEval!, bomDetail: full.bom.totals, tco: full.tco, flow };
  if (survive) {
    const sv = chosen.survive ?? (await flowOf(choice)).survive;
    notes.push(
      sv === null
        ? "survive: single-failure not judged (the rows without a failure already miss)"
        : sv.fidelity === "packet"
          ? `survive: single-failure ${sv.status}: judged at flow level over ${sv.components} shared components, ${sv.confirmed.length} confirmed at packet level (per kind the least margin: ${sv.confirmed.join(", ")})${sv.reasons.length > 0 ? `: ${sv.reasons.join("; ")}` : ""}`
          : `survive: single-failure ${sv.status} at flow level over ${sv.components} shared components${sv.reasons.length > 0 ? `: ${sv.reasons.join("; ")}` : ""}`,
    );
  }

  // 5. The one-step-smaller neighbour, at the verdict's fidelity: the next smaller candidate with other hardware
  // (a parameter that only changes how traffic is pinned or fails over, e.g. UCS's bulkPinGroup, is no step down).
  let neighbour: CandidateEval | null = null;
  const chosenKey = hardwareKey(await candidateAt(choice));
  let smaller = choice - 1;
  while (smaller >= 0 && hardwareKey(await candidateAt(smaller)) === chosenKey) smaller--;
  if (smaller < 0) {
    notes.push("no smaller neighbour: the choice is the first in the objective's order in the study's search space");
  } else if (!neighbourRun) {
    notes.push("smaller neighbour not run (curve point)");
  } else if (confirm) {
    neighbour = await packetOf(smaller);
    if (neighbour.status === "met")
      notes.push("the smaller neighbour also meets every SLA row at packet level: the flow level was pessimistic");
  } else {
    const f = await flowOf(smaller);
    neighbour = candidateEval(await candidateAt(smaller), smaller, f.summary.sla, flowEvidence(f.flow), f.survive);
  }
  if (dominatedSkips + (order.skippedUnbuilt?.() ?? 0) > 0)
    notes.push(skippedNote(dominatedSkips + (order.skippedUnbuilt?.() ?? 0)));
  const plan: DesignPlan = {
    design,
    verdict,
    confirmed,
    notes,
    chosen,
    neighbour,
    rejected,
    candidates: done(order.counts(), size),
    attempts,
    budgetExhausted,
  };
  return { plan, size, candidate: full };
}

function skippedNote(n: number): string {
  return `${n} candidate(s) not evaluated: no more of any range parameter than one that missed at flow level, with the same choices (taken to miss too; src/planner/dominance.ts)`;
}

/** A candidate's bill of materials (part and count per line): equal for equal hardware, whatever the wiring or pinning. */
export function hardwareKey(c: Pick<Candidate, "bom">): string {
  return c.bom.items.map((i) => `${i.kind}:${i.role}:${i.count}`).join("|");
}

/** Every candidate built and sorted up front: the fallback when a generator breaks the best-first walk's assumption. */
class FullOrder {
  private constructor(
    private readonly list: Candidate[],
    private readonly tally: CandidateCounts,
  ) {}
  static async of(
    study: Study,
    design: Design,
    catalog: Catalog,
    progress: (done: number, total: number) => void | Promise<void>,
  ): Promise<FullOrder> {
    const { candidates, counts } = await enumerateCandidates(study, design, catalog, progress);
    return new FullOrder(candidates, counts);
  }
  at(rank: number): Promise<Candidate | undefined> {
    return Promise.resolve(this.list[rank]);
  }
  peek(rank: number): Promise<Candidate | undefined> {
    return Promise.resolve(this.list[rank]);
  }
  counts(): CandidateCounts {
    return this.tally;
  }
}

/** Searches one design: best-first, or exhaustively when a generator breaks monotonicity (noted). */
export async function searchDesign(
  study: Study,
  catalog: Catalog,
  design: Design,
  settings: SearchSettings,
): Promise<SearchOutcome> {
  try {
    return await planDesign(study, catalog, design, settings);
  } catch (e) {
    if (!(e instanceof MonotonicityError)) throw e;
    const r = await planDesign(study, catalog, design, settings, true);
    r.plan.notes.push(`every candidate built and sorted: ${e.message}`);
    return r;
  }
}
