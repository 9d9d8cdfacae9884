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
import type { Study } from "../study/load.js";
import type { Design } from "../topology/types.js";
import {
  buildCandidate,
  type Candidate,
  type CandidateCounts,
  CandidateOrder,
  enumerateCandidates,
  type FullCandidate,
  MonotonicityError,
} from "./candidates.js";
import { candidateEval, done, emptySize, type FlowEntry, flowEvidence, flowMet } from "./evaluations.js";
import { dominanceFor, FlowWalk, type SearchOrder } from "./flow-walk.js";
import { nearestMiss, parametersText, refusalReason } from "./none-reason.js";
import { PacketRuns } from "./packet-runs.js";
import { key } from "./sla.js";
import type { CandidateEval, DesignPlan, SearchSettings, StudySize } from "./types.js";

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
  // This search's jobs take their turns on the evaluator beside the other searches' (src/node/spare-jobs.ts).
  if (settings.evaluator.forSearch !== undefined) settings = { ...settings, evaluator: settings.evaluator.forSearch() };
  const { replications, maxAttempts, confirm, evaluator, progress, neighbourRun } = settings;
  const size = emptySize(replications);
  const dominance = dominanceFor(study, design, settings);
  // 1. Candidates in hardware order, built as the search reaches them.
  const order: SearchOrder = exhaustive
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
  const survive = study.file.survive === "single-failure";
  // 2–3. Flow level, lazily in hardware order; packet level for the candidates the walk confirms.
  // Each asks the other (called only once both exist): the walk passes by topologies run at packet
  // level, and a packet-level survive check reads the flow level's.
  const flow = new FlowWalk(study, design, settings, size, order, dominance, (c) => packet.has(c));
  const packet = new PacketRuns(design, settings, size, survive, candidateAt, (r) => flow.of(r));

  const notes: string[] = [];
  const rejected: CandidateEval[] = [];
  let choice = await flow.nextMet(0);
  if (choice < 0) {
    const n = order.counts().ordered;
    // What defeats the candidate that came nearest (src/planner/none-reason.ts), or why none was built.
    const params = new Map<number, Record<string, ParamValue>>();
    for (const r of flow.answers.keys()) params.set(r, (await candidateAt(r)).parameters);
    const near = nearestMiss(flow.answers, (r) => params.get(r)!);
    if (n === 0) {
      const why = refusalReason(study, design, catalog);
      notes.push(
        `no buildable candidate: ${why ?? "the generator refuses every parameter combination or the BOM finds each infeasible"}`,
      );
    } else
      notes.push(
        near === null
          ? `no candidate meets every SLA row at flow level (${n} evaluated)`
          : flow.budgetOut
            ? `none of the ${flow.answers.size} least-cost candidates meets every SLA row at flow level (the search's budget of ${settings.flowBudget} flow-level evaluations ran out; more remain); nearest #${near.rank} (${parametersText(near.parameters)}): ${near.binding}`
            : `no candidate meets every SLA row${near.binding.startsWith("meets without") ? " after any single failure" : ""} at flow level (${n} evaluated); nearest #${near.rank} (${parametersText(near.parameters)}): ${near.binding}`,
      );
    if (flow.skipped() > 0) notes.push(skippedNote(flow.skipped()));
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
      budgetExhausted: flow.budgetOut,
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
      const ev = await packet.of(r);
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
      const flagged = (await flow.of(r)).summary.flagged;
      let next = -1;
      if (missedBy.length > 0 && missedBy.every((w) => flagged.includes(w))) {
        next = await flow.nextMet(r + 1, (e) => !missedBy.some((w) => e.summary.flagged.includes(w)), GUIDED_SCAN);
        if (next >= 0)
          notes.push(`candidate #${next} is the first that the flow level no longer flags for ${missedBy.join(", ")}`);
      }
      // Guided step for single failures: when a failure the flow level flagged (lossy contention for the
      // workloads whose rows it missed) broke the candidate, jump to the first flow-level-met candidate on
      // which failures of that kind no longer leave those workloads flagged.
      const broke = packet.missesAt(r);
      if (next < 0 && broke.length > 0 && ev.sla.every((x) => x.status === "met")) {
        const flaggedAgain = (e: FlowEntry) =>
          broke.some((b) => e.margins.some((m) => m.kind === b.kind && m.flagged.some((w) => b.workloads.includes(w))));
        // Only when the flow level flagged what broke this one: else there is nothing to steer by.
        if (flaggedAgain(await flow.of(r))) {
          next = await flow.nextMet(r + 1, (e) => !flaggedAgain(e), GUIDED_SCAN);
          if (next >= 0)
            notes.push(
              `candidate #${next} is the first on which the flow level no longer flags ${[...new Set(broke.flatMap((b) => b.workloads))].join(", ")} after a failure of a ${[...new Set(broke.map((b) => b.kind))].join(" or ")}`,
            );
        }
      }
      if (next < 0) next = await flow.nextMet(r + step);
      if (next < 0 && r + step > r + 1) next = await flow.nextMet(r + 1);
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
      const misses = packet.allMisses();
      const knownBad = (e: FlowEntry) =>
        misses.some((b) => e.margins.some((m) => m.kind === b.kind && m.flagged.some((w) => b.workloads.includes(w))));
      let skipped = 0;
      for (;;) {
        const inside: number[] = [];
        skipped = 0;
        for (let k = lo + 1; k < hi; k++) {
          const e = await flow.of(k);
          if (!flowMet(e)) continue;
          if (knownBad(e)) skipped++;
          else inside.push(k);
        }
        flow.settle();
        if (inside.length === 0) break;
        if (attempts >= maxAttempts) {
          budgetExhausted = true;
          notes.push(
            `packet-level budget (${maxAttempts} confirmations) ran out while bisecting: ${inside.length} candidate(s) between #${lo} and #${hi} are untried`,
          );
          break;
        }
        const mid = inside[Math.floor((inside.length - 1) / 2)]!;
        const ev = await packet.of(mid);
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
      chosenEval = await packet.of(hi);
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
  const summary = (await flow.of(choice)).summary;
  if (summary.needsPacketConfirmation)
    notes.push(`flow level flags ${summary.flagged.join(", ")} (lossy contention): needs packet confirmation`);
  if (!confirm) {
    const entry = await flow.of(choice);
    chosenEval = candidateEval(c, choice, summary.sla, flowEvidence(entry.flow), entry.survive);
    verdict = "met";
    notes.push("not confirmed at packet level (flow level only)");
  }
  // Built again whole in this thread: the search holds candidates without their cost of ownership and BOM detail.
  const full = buildCandidate(study, design, catalog, c.index, c.parameters)!;
  const chosen = { ...chosenEval!, bomDetail: full.bom.totals, tco: full.tco, flow: summary };
  if (survive) {
    const sv = chosen.survive ?? (await flow.of(choice)).survive;
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
    neighbour = await packet.of(smaller);
    if (neighbour.status === "met")
      notes.push("the smaller neighbour also meets every SLA row at packet level: the flow level was pessimistic");
  } else {
    const f = await flow.of(smaller);
    neighbour = candidateEval(await candidateAt(smaller), smaller, f.summary.sla, flowEvidence(f.flow), f.survive);
  }
  if (flow.skipped() > 0) notes.push(skippedNote(flow.skipped()));
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
  return `${n} candidate(s) not evaluated: no more of any capacity than one that missed at flow level, with the same other choices (taken to miss too; src/planner/dominance.ts)`;
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
