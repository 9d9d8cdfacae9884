/**
 * Is the ranking of the designs robust to the price and power ranges? A Monte
 * Carlo over the figures behind each design's choice (BOM arithmetic only: no
 * simulation, so thousands of draws cost milliseconds).
 *
 * - Each draw samples every ranged figure once (a catalog entry's price or
 *   watts, a port price, a support rate, the PUE, the kWh price, the labour per
 *   cable) and prices every design's choice with the same draw (common random
 *   numbers: a figure two designs share moves both alike).
 * - A figure's `[min, max]` is drawn from a triangular distribution with its
 *   mode at the typical value (the range's midpoint): the endpoints are where
 *   the sources disagree, so values near the middle are likelier than the
 *   extremes and nothing outside the range is possible. Exact figures stay put.
 * - Reproducible: the draws come from the kernel's seeded streams
 *   (`sim/random.ts`), one named stream per figure (`robust:<key>`) under the
 *   study's seed, so adding a design or a figure never changes another
 *   figure's draws.
 * - Unknown figures cannot be drawn: their lines are left out of every draw (the
 *   values are lower bounds) and the ranking is then not called robust.
 */

import { RandomStreams, type Rng } from "../../sim/random.js";
import { type CostLine, type Factor, lineValue } from "../bom/amount.js";
import type { Catalog } from "../catalog/types.js";
import type { Study } from "../study/load.js";
import type { Design } from "../topology/types.js";
import { type FullCandidate, settingsOf } from "./candidates.js";
import type { Objective } from "./objective.js";
import { objectiveLines } from "./objective.js";
import type { DesignPlan, DesignRobustness, RankRobustness } from "./types.js";

/** The winner must be the cheapest in at least this share of the draws to be called robust. */
export const ROBUST_SHARE = 0.95;

export const DISTRIBUTION =
  "triangular(min, typical, max) per ranged figure (mode at the typical value, the range's midpoint); each figure drawn once per draw and shared by every design; exact figures fixed; unknown ones left out";

/** One draw of a triangular distribution on [a, b] with mode c, by inverting its CDF (one uniform per draw). */
export function triangular(rng: Rng, a: number, c: number, b: number): number {
  if (b <= a) return a;
  const u = rng.random();
  const fc = (c - a) / (b - a);
  return u < fc ? a + Math.sqrt(u * (b - a) * (c - a)) : b - Math.sqrt((1 - u) * (b - a) * (b - c));
}

const WHAT: Readonly<Record<Objective, string>> = {
  tco: "lowest cost of ownership",
  capex: "lowest capex",
  watts: "lowest power",
  hardware: "least hardware",
};

/** Percentile by nearest rank of sorted values. */
function percentile(sorted: readonly number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[i]!;
}

/** The designs' objective values in each draw: `values[d][k]` for design d, draw k. */
export function drawValues(lines: readonly (readonly CostLine[])[], draws: number, seed: number): number[][] {
  const streams = new RandomStreams(seed, 0);
  // Every ranged figure, in a fixed order (first use), with its stream.
  const ranged = new Map<string, { f: Factor; rng: Rng }>();
  for (const ls of lines) {
    for (const l of ls) {
      for (const f of l.factors) {
        if (f.key === null || f.typical === null || f.min === f.max || ranged.has(f.key)) continue;
        ranged.set(f.key, { f, rng: streams.stream(`robust:${f.key}`) });
      }
    }
  }
  const values = lines.map(() => new Array<number>(draws).fill(0));
  const drawn = new Map<string, number>();
  const pick = (f: Factor): number => (f.key === null ? f.typical! : (drawn.get(f.key) ?? f.typical!));
  for (let k = 0; k < draws; k++) {
    for (const [key, { f, rng }] of ranged) drawn.set(key, triangular(rng, f.min!, f.typical!, f.max!));
    lines.forEach((ls, d) => {
      let v = 0;
      for (const l of ls) v += lineValue(l, pick) ?? 0;
      values[d]![k] = v;
    });
  }
  return values;
}

/** A design's plan and the candidate it chose (its BOM: what the draws re-price). */
export interface Chosen {
  readonly plan: DesignPlan;
  readonly candidate: FullCandidate | null;
}

/** The Monte Carlo over the designs whose choice met every SLA row (null when none did). */
export function rankRobustness(study: Study, catalog: Catalog, designs: readonly Chosen[]): RankRobustness | null {
  const objective = study.file.objective;
  const met = designs
    .filter((d) => d.plan.verdict === "met" && d.candidate !== null)
    .sort((a, b) => (a.plan.design < b.plan.design ? -1 : a.plan.design > b.plan.design ? 1 : 0));
  if (met.length === 0) return null;
  const draws = study.file.draws;
  const seed = study.file.experiment.seed;
  const settings = settingsOf(study);
  const perDesign = met.map((d) => {
    const c = d.candidate!;
    const lines = objectiveLines(objective, c.bom, catalog, settings);
    return { design: d.plan.design, typical: c.objective.typical, unknown: c.objective.unknown, lines };
  });
  const values = perDesign.some((p) => p.lines === null)
    ? perDesign.map((p) => new Array<number>(draws).fill(p.typical))
    : drawValues(
        perDesign.map((p) => p.lines!),
        draws,
        seed,
      );
  const wins = perDesign.map(() => 0);
  for (let k = 0; k < draws; k++) {
    let best = Number.POSITIVE_INFINITY;
    for (const v of values) best = Math.min(best, v[k]!);
    const tied = values.map((v, d) => (v[k] === best ? d : -1)).filter((d) => d >= 0);
    for (const d of tied) wins[d]! += 1 / tied.length;
  }
  const rows: DesignRobustness[] = perDesign.map((p, d) => {
    const sorted = [...values[d]!].sort((x, y) => x - y);
    return {
      design: p.design,
      typical: p.typical,
      draws: {
        min: sorted[0]!,
        p5: percentile(sorted, 0.05),
        p50: percentile(sorted, 0.5),
        p95: percentile(sorted, 0.95),
        max: sorted[sorted.length - 1]!,
      },
      cheapest: wins[d]! / draws,
      unknown: p.unknown,
    };
  });
  const winner = [...rows].sort((a, b) => a.typical - b.typical || (a.design < b.design ? -1 : 1))[0]!;
  const unknown = rows.some((r) => r.unknown > 0);
  const robust = winner.cheapest >= ROBUST_SHARE && !unknown;
  const pct = Math.round(100 * winner.cheapest);
  const why = unknown
    ? `; figures of ${rows
        .filter((r) => r.unknown > 0)
        .map((r) => r.design)
        .join(", ")} are unknown and left out (lower bounds)`
    : "";
  const summary =
    rows.length === 1
      ? `${winner.design}: the only design that meets every SLA row${why}`
      : `${winner.design} ${WHAT[objective]} in ${pct} % of ${draws} draws: ${robust ? "robust" : "not robust"}${why}`;
  return {
    objective,
    draws,
    seed,
    distribution: DISTRIBUTION,
    designs: rows,
    winner: winner.design as Design,
    winnerShare: winner.cheapest,
    robust,
    summary,
  };
}
