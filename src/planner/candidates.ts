/**
 * The planner's search space for one design: every parameter combination the
 * study allows, generated, parsed, priced and ordered by the study's objective
 * (least first; `objective.ts`). Shared by the plan and the last-mile curve.
 *
 * Order: the objective's typical value (3-year TCO by default; capex, watts or
 * the hardware count on request); ties by the hardware count, then fewer
 * switching boxes, fewer rack units, enumeration order. With ranges the order
 * is by the typical value only: how robust the ranking of the designs' choices
 * is, the plan's Monte Carlo says (`robust.ts`). An unknown figure is left out
 * of the sum, so a candidate is ordered by its known part: a step that adds
 * only unpriced parts ties with the one below it (the hardware count then puts
 * it after), and a candidate resting on more unknowns may rank too early; its
 * objective is then a lower bound (`partial`) and the reports print "≥".
 *
 * Two ways to the same order:
 * - `enumerateCandidates` builds and prices every combination, then sorts.
 * - `CandidateOrder` walks the space best-first and builds only what it
 *   reaches. Parameters given as a `range` ("more uplinks", "more modules")
 *   form a lattice; every combination of the other parameters (choices, fixed
 *   values) is a root at the lattice's low corner. A popped combination pushes
 *   its successors (one range parameter one step up). The walk relies on
 *   monotonicity: one step up a range never lowers the objective. For the
 *   hardware count and for costs and watts that holds while a step only adds
 *   parts (an uplink, a module, an adapter: more cables, optics, ports,
 *   licences, never fewer); it fails when a step changes a model the BOM picks
 *   by size (e.g. a bigger fabric interconnect that is cheaper per port, or a
 *   generator that trades two small boxes for one big one). Under it,
 *   every combination of score S is reached before the walk passes S, so a whole
 *   score group is gathered, then sorted by the full tie-break: the order is
 *   exactly the sort's. The walk checks monotonicity at every step it takes and
 *   throws `MonotonicityError` when a generator breaks it; the planner then
 *   falls back to enumerating everything.
 */

import { HARDWARE_SCORE_DEFINITION } from "../bom/bom.js";
import type { Bom } from "../bom/types.js";
import type { Catalog } from "../catalog/types.js";
import type { ParamValue } from "../design/index.js";
import type { Study } from "../study/load.js";
import type { Design } from "../topology/types.js";
import { type Candidate, heldCandidate } from "./candidate.js";
import { type CandidateCounts, compareCandidates } from "./candidate-order.js";
import { OBJECTIVE_RULES, type Objective } from "./objective.js";

export {
  buildCandidate,
  type Candidate,
  type CandidateBom,
  type CandidateBuilder,
  type FullCandidate,
  type HeldItem,
  heldCandidate,
  landCandidate,
  type ShippedCandidate,
  settingsOf,
  shipCandidate,
} from "./candidate.js";

export const HARDWARE_SCORE_RULE = HARDWARE_SCORE_DEFINITION;

/** How candidates are ordered, in words. */
export function orderRule(objective: Objective): string {
  return `ascending ${objective} (${OBJECTIVE_RULES[objective]}); ties: the hardware count, fewer switching boxes, fewer rack units, enumeration order`;
}

/** The hardware count of a BOM (HARDWARE_SCORE_DEFINITION). */
export function hardwareScore(totals: Bom["totals"]): number {
  return totals.hardwareScore;
}

/** Cartesian product of the candidates, in parameter order (the last varies fastest). */
export function combinations(study: Study, design: Design): Record<string, ParamValue>[] {
  let combos: Record<string, ParamValue>[] = [{}];
  for (const [name, p] of Object.entries(study.parameters[design] ?? {})) {
    combos = combos.flatMap((c) => p.candidates.map((v) => ({ ...c, [name]: v })));
  }
  return combos;
}

/**
 * Generates and prices every combination; returns the feasible ones in hardware
 * order. `progress` is awaited every 16 combinations (a caller can yield there).
 */
export async function enumerateCandidates(
  study: Study,
  design: Design,
  catalog: Catalog,
  progress: (done: number, total: number) => void | Promise<void> = () => {},
): Promise<{ candidates: Candidate[]; counts: CandidateCounts }> {
  const combos = combinations(study, design);
  const candidates: Candidate[] = [];
  let refused = 0;
  let infeasible = 0;
  for (const [index, parameters] of combos.entries()) {
    if (index % 16 === 0) await progress(index, combos.length);
    const c = heldCandidate(study, design, catalog, index, parameters);
    if (c === null) refused++;
    else if (!c.bom.feasible) infeasible++;
    else candidates.push(c);
  }
  candidates.sort(compareCandidates);
  return { candidates, counts: { enumerated: combos.length, refused, infeasible, ordered: candidates.length } };
}

export { type CandidateCounts, CandidateOrder, compareCandidates, MonotonicityError } from "./candidate-order.js";
