/**
 * The plan's money in words and tables (terminal, Markdown, HTML): what was
 * minimized, each design's cost of ownership, capex and power as ranges, the
 * terms of its cost of ownership, what they rest on, and how robust the
 * ranking is. Pure and browser-safe.
 */

import { BASES } from "../bom/amount.js";
import { TCO_TERMS } from "../bom/tco.js";
import type { DesignPlan, PlanResult, RankRobustness } from "../planner/plan.js";
import { percent, usd, usdAmount, usdRange, wattsRange } from "./format.js";
import { atLeast, num, type TextTable, verdictText } from "./plan-shared.js";

const OBJECTIVE_WORDS: Readonly<Record<PlanResult["rules"]["objective"], string>> = {
  tco: "cost of ownership",
  capex: "one-off cost (capex)",
  watts: "typical power",
  hardware: "hardware count",
};

/** "Minimized: the 3-year cost of ownership (objective: tco)." */
export function objectiveLine(plan: PlanResult): string {
  const o = plan.rules.objective;
  const years = plan.designs.find((d) => d.chosen !== null)?.chosen?.tco.years;
  const what = o === "tco" && years !== undefined ? `${years}-year cost of ownership` : OBJECTIVE_WORDS[o];
  return `Minimized per design: the ${what} (objective: ${o}), among configurations that meet every SLA row.`;
}

/** The robustness column: "54 %" of draws in which the design is the cheapest. */
function cheapestCell(r: RankRobustness | null, design: string): string {
  const d = r?.designs.find((x) => x.design === design);
  return d === undefined ? "—" : percent(d.cheapest, 0);
}

/** Design × TCO, capex, watts (ranges), cheapest share of draws, verdict. */
export function costTable(plan: PlanResult): TextTable {
  const years = plan.designs.find((d) => d.chosen !== null)?.chosen?.tco.years ?? 3;
  const best = plan.robustness === null ? "lowest in" : `lowest in, of ${plan.robustness.draws} draws`;
  const rows = plan.designs.map((d) => {
    const c = d.chosen;
    if (c === null) return [d.design, "—", "—", "—", "—", verdictText(d)];
    return [
      d.design,
      usdRange(c.tco.total),
      usdRange(c.tco.capex),
      wattsRange(c.bomDetail.power),
      cheapestCell(plan.robustness, d.design),
      d.verdict,
    ];
  });
  return {
    header: ["design", `TCO, ${years} years`, "capex", "typical power", best, "verdict"],
    rows,
    align: "lrrrrl",
  };
}

const TERM_HEADER: Readonly<Record<(typeof TCO_TERMS)[number], string>> = {
  capital: "capital",
  licences: "licences",
  upstream: "upstream ports",
  labour: "cabling labour",
  support: "support",
  energy: "energy",
};

/** Design × the cost of ownership's terms (typical, ≥ where a figure is unknown) and the total. */
export function tcoTermsTable(designs: readonly DesignPlan[]): TextTable {
  const rows = designs.flatMap((d) => {
    const t = d.chosen?.tco;
    if (t === undefined) return [];
    return [[d.design, ...TCO_TERMS.map((k) => usdAmount(t.terms[k])), usdAmount(t.total)]];
  });
  return { header: ["design", ...TCO_TERMS.map((k) => TERM_HEADER[k]), "total"], rows, align: "l" };
}

const BASIS_HEADER: Readonly<Record<(typeof BASES)[number], string>> = {
  solid: "solid",
  derived: "derived",
  vendorClaim: "vendor claim",
  rough: "rough / unverified",
  estimate: "estimate",
};

/** Design × how much of the TCO's typical value rests on figures of each confidence, and the units left out. */
export function basisTable(designs: readonly DesignPlan[]): TextTable {
  const rows = designs.flatMap((d) => {
    const a = d.chosen?.tco.total;
    if (a === undefined) return [];
    const share = (x: number) => (a.typical === 0 ? "—" : `${usd(x)} (${percent(x / a.typical, 0)})`);
    return [[d.design, ...BASES.map((b) => share(a.basis[b])), String(a.unknown)]];
  });
  return {
    header: ["design", ...BASES.map((b) => BASIS_HEADER[b]), "units with an unknown figure (left out)"],
    rows,
    align: "l",
  };
}

/** Design × typical objective, its 5–95 % over the draws, share of draws it is the cheapest. */
export function robustnessTable(r: RankRobustness): TextTable {
  const money = r.objective === "tco" || r.objective === "capex";
  const v = (x: number) => (money ? usd(x) : r.objective === "watts" ? `${num(x)} W` : num(x));
  return {
    header: ["design", `${r.objective} (typical)`, "5–95 % of draws", "cheapest in"],
    rows: r.designs.map((d) => [
      d.design,
      `${atLeast(d.unknown > 0)}${v(d.typical)}`,
      `${v(d.draws.p5)}–${v(d.draws.p95)}`,
      percent(d.cheapest, 0),
    ]),
    align: "l",
  };
}

/** "Rank stability: director lowest tco in 54 % of 1000 draws: not robust (triangular draws …)." */
export function robustnessLine(plan: PlanResult): string {
  const r = plan.robustness;
  if (r === null) return "Rank stability: no design meets every SLA row.";
  return `Rank stability: ${r.summary}.`;
}

/** What the cost table's cells mean. */
export const COST_LEGEND =
  "Cells: typical (every figure at its range's midpoint), then the range (every figure at its low end – at its high end). ≥: some figure is unknown and its part is left out. Draws: the Monte Carlo over the price and power ranges.";
