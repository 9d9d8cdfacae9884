/**
 * Why a design has no configuration that meets (verdict "none"): what defeats the
 * candidate that came nearest, so a "none" row says which SLA row or which failed
 * component to look at (issue 12: "or states exactly which component defeats it").
 *
 * Nearest, in this order:
 * 1. a candidate that meets every row without a failure but misses after one
 *    (single-failure check) beats one that misses rows without any failure;
 * 2. fewer rows missed or undecided;
 * 3. the smaller worst shortfall: actual / target for a ceiling (latency, loss),
 *    target / actual for a floor (delivered rate); an undecided row (no estimate:
 *    an unstable queue) counts as infinitely short;
 * 4. the earlier candidate in the objective's order.
 */

import type { Catalog } from "../catalog/types.js";
import { DesignError, expandStudy } from "../design/index.js";
import type { ParamValue } from "../design/params.js";
import type { Study } from "../study/load.js";
import type { Design } from "../topology/types.js";
import { buildCandidate } from "./candidates.js";
import type { FlowEntry } from "./evaluations.js";
import type { PlanSlaRow } from "./sla.js";

/** How far a row is from its target (1: on it; > 1: short by that factor; Infinity: no estimate). */
export function shortfall(r: PlanSlaRow): number {
  if (r.status === "met") return 1;
  if (r.actual === null) return Number.POSITIVE_INFINITY;
  if (r.metric === "deliveredBps") return r.actual <= 0 ? Number.POSITIVE_INFINITY : r.target / r.actual;
  if (r.target <= 0) return r.actual > 0 ? Number.POSITIVE_INFINITY : 1;
  return r.actual / r.target;
}

/** A row's actual against its target, in the row's unit. */
export function rowText(r: PlanSlaRow): string {
  const v = (x: number | null): string => {
    if (x === null) return "no estimate (unstable queue)";
    if (r.metric === "deliveredBps") return `${(x / 1e9).toPrecision(3)} Gb/s`;
    if (r.metric === "lossRatio") return x.toPrecision(3);
    return x < 1e-3 ? `${(x * 1e6).toPrecision(3)} us` : `${(x * 1e3).toPrecision(3)} ms`;
  };
  const op = r.metric === "deliveredBps" ? "<" : ">";
  return r.actual === null
    ? `${r.workload} ${r.metric}: ${v(null)}`
    : `${r.workload} ${r.metric} ${v(r.actual)} ${op} ${v(r.target)}`;
}

export interface NearestMiss {
  rank: number;
  parameters: Record<string, ParamValue>;
  /** What defeats it: the rows it misses (worst first), or the failure that breaks it. */
  binding: string;
}

/** The candidate nearest to meeting among those evaluated at flow level (see the header); null when none was. */
export function nearestMiss(
  evaluated: Iterable<readonly [number, FlowEntry]>,
  parametersOf: (rank: number) => Record<string, ParamValue>,
): NearestMiss | null {
  let best: { rank: number; key: [number, number, number]; binding: string } | null = null;
  for (const [rank, e] of evaluated) {
    const missed = e.summary.sla.filter((r) => r.status !== "met").sort((a, b) => shortfall(b) - shortfall(a));
    let key: [number, number, number];
    let binding: string;
    if (missed.length === 0) {
      if (e.survive === null || e.survive.status === "met") continue;
      key = [0, 0, 0];
      binding = `meets without a failure, misses after one: ${e.survive.reasons[0] ?? "a single failure"}`;
    } else {
      key = [1, missed.length, shortfall(missed[0]!)];
      binding = missed.map(rowText).join(", ");
    }
    const better =
      best === null ||
      key[0] < best.key[0] ||
      (key[0] === best.key[0] &&
        (key[1] < best.key[1] ||
          (key[1] === best.key[1] && (key[2] < best.key[2] || (key[2] === best.key[2] && rank < best.rank)))));
    if (better) best = { rank, key, binding };
  }
  return best === null ? null : { rank: best.rank, parameters: parametersOf(best.rank), binding: best.binding };
}

/** "ibUplinks=2 ethModules=1": parameters as a study reader writes them. */
export function parametersText(p: Record<string, ParamValue>): string {
  return Object.entries(p)
    .map(([k, v]) => `${k}=${v}`)
    .join(" ");
}

/**
 * Why no combination reached the flow level: the generator's refusal (a limit such as ports
 * or slots) or the BOM's first error of the largest combination (every range at its top,
 * the other parameters at their first candidate). null when that combination builds.
 */
export function refusalReason(study: Study, design: Design, catalog: Catalog): string | null {
  const top: Record<string, ParamValue> = {};
  for (const [name, p] of Object.entries(study.parameters[design] ?? {}))
    top[name] = p.ranged ? p.candidates[p.candidates.length - 1]! : p.candidates[0]!;
  const at = `the largest combination (${parametersText(top)})`;
  try {
    const c = buildCandidate(study, design, catalog, 0, top);
    if (c === null) {
      // buildCandidate hides the message: ask the generator again for it.
      expandStudy(study, design, top);
      return null;
    }
    const error = c.bom.flags.find((f) => f.severity === "error");
    return error === undefined ? null : `${at} is infeasible: ${error.at}: ${error.message}`;
  } catch (e) {
    if (e instanceof DesignError) return `the generator refuses ${at}: ${e.message}`;
    throw e;
  }
}
