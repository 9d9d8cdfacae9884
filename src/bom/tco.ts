/**
 * The cost of ownership of a bill of materials over `years` (3 by default),
 * term by term, each a range (src/bom/amount.ts):
 *
 * - capital: every item bought (adapters, boxes, modules, chassis, cables,
 *   optics) at list price × (1 − discount);
 * - licences: the port licences the boxes need, at list × (1 − discount);
 * - upstream: the ports the design's uplinks take on the core network and the
 *   storage arrays, at their entries' `portPriceUsd` × (1 − discount);
 * - labour: one cable run per cable (data and management) × the labour per run
 *   (optional);
 * - support: per item, the price paid × the first matching support rule's rate
 *   per year × years (cables, optics and server adapters: rate 0 in the built-in
 *   cost model, with the reason); licences carry no contract of their own;
 * - energy: typical watts × 8,760 h × years × PUE × price per kWh (the era's
 *   figures from the cost model unless the study gives its own).
 *
 * capex = capital + licences + upstream + labour (paid once); opex = support +
 * energy (over the years); total = capex + opex. A figure that is unknown
 * leaves its line out and makes the term (and the total) a lower bound.
 */

import { supportRuleFor } from "../catalog/cost-model.js";
import type { Catalog, Era, Figure, SupportRule } from "../catalog/types.js";
import { type Amount, add, amountOf, type CostLine, exact, type Factor, factorOf, sum } from "./amount.js";
import { DEFAULT_YEARS, energyFigures, energyLines, priceFactor } from "./energy.js";
import type { Bom } from "./types.js";

export const TCO_TERMS = ["capital", "licences", "upstream", "labour", "support", "energy"] as const;
export type TcoTerm = (typeof TCO_TERMS)[number];

/** How to price ownership: the study's `cost:` block, resolved. */
export interface CostSettings {
  /** Which era's PUE and electricity price the cost model gives. */
  readonly era: Era;
  readonly years: number;
  /** Discount off list price, 0 … 1. */
  readonly discount: number;
  /** Overrides of the cost model's figures (absent: the cost model's). */
  readonly pue?: Figure | undefined;
  readonly kwhPriceUsd?: Figure | undefined;
  readonly labourPerCableUsd?: Figure | undefined;
  /** Support rate per year by rule id, overriding the cost model's. */
  readonly support?: Readonly<Record<string, Figure>> | undefined;
  /** Count cabling labour (default true). */
  readonly cablingLabour: boolean;
}

export const DEFAULT_COST_SETTINGS: CostSettings = {
  era: "today",
  years: DEFAULT_YEARS,
  discount: 0,
  cablingLabour: true,
};

/** A support rule as applied: its rate and the units it covers. */
export interface SupportApplied {
  readonly rule: string;
  readonly ratePerYear: Figure;
  readonly units: number;
}

export interface Tco {
  readonly era: Era;
  readonly years: number;
  readonly discount: number;
  readonly terms: Readonly<Record<TcoTerm, Amount>>;
  /** Paid once: capital + licences + upstream + labour. */
  readonly capex: Amount;
  /** Paid over the years: support + energy. */
  readonly opex: Amount;
  readonly total: Amount;
  /** The figures the terms used, with their sources. */
  readonly figures: {
    readonly pue: Figure;
    readonly kwhPriceUsd: Figure;
    /** null when cabling labour is not counted. */
    readonly labourPerCableUsd: Figure | null;
    readonly support: readonly SupportApplied[];
  };
}

function supportRate(rule: SupportRule | null, s: CostSettings): { id: string; rate: Figure | null } {
  if (rule === null) return { id: "none", rate: null };
  return { id: rule.id, rate: s.support?.[rule.id] ?? rule.ratePerYear };
}

/** The lines of every term, in a fixed order (items in BOM order), so that every sum is the same in every run. */
export function tcoLines(b: Bom, catalog: Catalog, s: CostSettings): CostLine[] {
  const net = exact(1 - s.discount);
  const lines: CostLine[] = [];
  for (const i of b.items) {
    const term = i.category === "licence" ? "licences" : "capital";
    lines.push({ term, what: i.kind, count: i.count, factors: [priceFactor(i), net] });
  }
  for (const u of b.upstream) {
    const f: Factor =
      u.unitPriceUsd === null
        ? factorOf(`port:${u.model}:${u.link}`, null)
        : {
            key: `port:${u.model}:${u.link}`,
            min: u.unitPriceRangeUsd?.[0] ?? u.unitPriceUsd,
            typical: u.unitPriceUsd,
            max: u.unitPriceRangeUsd?.[1] ?? u.unitPriceUsd,
            confidence: u.confidence,
          };
    lines.push({ term: "upstream", what: `${u.node}:${u.link}`, count: u.count, factors: [f, net] });
  }
  if (s.cablingLabour) {
    const labour = factorOf("labour", s.labourPerCableUsd ?? catalog.costModel.labourPerCableUsd);
    for (const i of b.items) {
      if (i.category === "cable") lines.push({ term: "labour", what: i.kind, count: i.count, factors: [labour] });
    }
  }
  const years = exact(s.years);
  for (const i of b.items) {
    if (i.category === "licence") continue;
    const e = catalog.entries.get(i.kind);
    const { id, rate } = supportRate(supportRuleFor(catalog.costModel, e?.vendor ?? null, e?.class ?? "unknown"), s);
    lines.push({
      term: "support",
      what: `${i.kind} (${id})`,
      count: i.count,
      factors: [priceFactor(i), net, factorOf(`support:${id}`, rate), years],
    });
  }
  lines.push(...energyLines(b.items, energyOf(catalog, s)));
  return lines;
}

function energyOf(catalog: Catalog, s: CostSettings) {
  return energyFigures(catalog.costModel, { era: s.era, pue: s.pue, kwhPriceUsd: s.kwhPriceUsd, years: s.years });
}

/** The amounts of lines by term. */
export function termsOf(lines: readonly CostLine[]): Record<TcoTerm, Amount> {
  const by = (term: TcoTerm) => amountOf(lines.filter((l) => l.term === term));
  return {
    capital: by("capital"),
    licences: by("licences"),
    upstream: by("upstream"),
    labour: by("labour"),
    support: by("support"),
    energy: by("energy"),
  };
}

/** The cost of ownership of `b` under `s`. */
export function tco(b: Bom, catalog: Catalog, s: CostSettings = DEFAULT_COST_SETTINGS): Tco {
  const lines = tcoLines(b, catalog, s);
  const terms = termsOf(lines);
  const capex = sum([terms.capital, terms.licences, terms.upstream, terms.labour]);
  const opex = add(terms.support, terms.energy);
  const e = energyOf(catalog, s);
  const support = new Map<string, SupportApplied>();
  for (const i of b.items) {
    if (i.category === "licence") continue;
    const entry = catalog.entries.get(i.kind);
    const rule = supportRuleFor(catalog.costModel, entry?.vendor ?? null, entry?.class ?? "unknown");
    const { id, rate } = supportRate(rule, s);
    const was = support.get(id);
    support.set(id, {
      rule: id,
      ratePerYear: rate ?? factorless(`a support rule for ${i.kind}`),
      units: (was?.units ?? 0) + i.count,
    });
  }
  return {
    era: s.era,
    years: s.years,
    discount: s.discount,
    terms,
    capex,
    opex,
    total: add(capex, opex),
    figures: {
      pue: e.pue,
      kwhPriceUsd: e.kwhPriceUsd,
      labourPerCableUsd: s.cablingLabour ? (s.labourPerCableUsd ?? catalog.costModel.labourPerCableUsd) : null,
      support: [...support.values()].sort((x, y) => (x.rule < y.rule ? -1 : x.rule > y.rule ? 1 : 0)),
    },
  };
}

function factorless(what: string): Figure {
  return {
    value: null,
    range: null,
    confidence: "estimate",
    source: `no catalog cost model gives ${what}`,
    note: null,
  };
}

/** The rule of the cost of ownership, in words (printed under the tables and kept in plan.json). */
export function tcoRule(s: CostSettings): string {
  const d = s.discount === 0 ? "list price" : `list price × (1 − ${s.discount})`;
  return (
    `${s.years}-year cost of ownership = capital (items at ${d}) + port licences + upstream ports (core and array ports at their catalog price)` +
    `${s.cablingLabour ? " + cabling labour (per cable run)" : ""} + support (price paid × the first matching support rate per year × ${s.years}; cables, optics and server adapters carry none) + energy (typical W × 8,760 h × ${s.years} × PUE × $/kWh, ${s.era === "2010" ? "2010" : "today's"} figures); capex = the one-off terms, opex = support + energy; ≥: a figure is unknown and its part is left out, never counted as 0`
  );
}
