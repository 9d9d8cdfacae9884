/**
 * Amounts with ranges: every total (list cost, watts, each term of the cost of
 * ownership) is a sum of lines, each line a count times a product of figures.
 * A figure is a number, a `[min, max]` range (typical: its midpoint) or
 * unknown. Since counts and figures are never negative, a total's low end is
 * every figure at its low end, its high end every figure at its high end, and
 * its typical value every figure at its typical value.
 *
 * A line with an unknown figure is left out of the sums and its units are
 * counted in `unknown`: the amount is then a lower bound ("≥"), never a sum
 * that took the unknown as 0. Each amount also says how much of its typical
 * value rests on solid, derived, vendor-claim, rough (and unverified) or
 * estimated figures; a line rests on its weakest figure.
 */

import type { Confidence, Figure } from "../catalog/types.js";

/** The confidence classes a total's dollars (or watts) are split by, strongest first. */
export const BASES = ["solid", "derived", "vendorClaim", "rough", "estimate"] as const;
export type Basis = (typeof BASES)[number];

const BASIS_OF: Readonly<Record<Confidence, Basis>> = {
  solid: "solid",
  derived: "derived",
  "vendor-claim": "vendorClaim",
  rough: "rough",
  unverified: "rough",
  estimate: "estimate",
};

export function basisOf(c: Confidence): Basis {
  return BASIS_OF[c];
}

export interface Amount {
  /** Every known figure at its low end. */
  readonly min: number;
  /** Every known figure at its typical value (a range's midpoint). */
  readonly typical: number;
  /** Every known figure at its high end. */
  readonly max: number;
  /** Units left out because a figure they need is unknown: when > 0 the amount is a lower bound ("≥"). */
  readonly unknown: number;
  /** Of `typical`, the part resting on figures of each confidence (a line rests on its weakest figure). */
  readonly basis: Readonly<Record<Basis, number>>;
}

const NO_BASIS: Readonly<Record<Basis, number>> = { solid: 0, derived: 0, vendorClaim: 0, rough: 0, estimate: 0 };

export const ZERO: Amount = { min: 0, typical: 0, max: 0, unknown: 0, basis: NO_BASIS };

/** True when the amount leaves unknown parts out (print it with "≥"). */
export function partial(a: Amount): boolean {
  return a.unknown > 0;
}

/**
 * One factor of a line: a figure (with a key, so that a Monte Carlo draw
 * samples each figure once however many lines use it), or an exact constant
 * (key null, never sampled).
 */
export interface Factor {
  readonly key: string | null;
  /** null: unknown. */
  readonly min: number | null;
  readonly typical: number | null;
  readonly max: number | null;
  /** null for an exact constant. */
  readonly confidence: Confidence | null;
}

/** A catalog or cost-model figure as a factor (`key` names it for sampling: `price:<id>`, `pue:2010` …). */
export function factorOf(key: string, f: Figure | null): Factor {
  if (f === null || f.value === null) return { key, min: null, typical: null, max: null, confidence: null };
  const [min, max] = f.range ?? [f.value, f.value];
  return { key, min, typical: f.value, max, confidence: f.confidence };
}

/** An exact constant (a count, hours per year, a study's discount). */
export function exact(x: number): Factor {
  return { key: null, min: x, typical: x, max: x, confidence: null };
}

/** `count` units, each the product of `factors`, in term `term`, for `what` (an item, a rule). */
export interface CostLine {
  readonly term: string;
  readonly what: string;
  readonly count: number;
  readonly factors: readonly Factor[];
}

/** Which value of a factor to use: its low end, its typical value, its high end, or a draw. */
export type Pick = (f: Factor) => number;

export const pickMin: Pick = (f) => f.min!;
export const pickTypical: Pick = (f) => f.typical!;
export const pickMax: Pick = (f) => f.max!;

export function known(line: CostLine): boolean {
  return line.factors.every((f) => f.typical !== null);
}

/** count × Π factors under `pick`; null when a factor is unknown. */
export function lineValue(line: CostLine, pick: Pick): number | null {
  if (!known(line)) return null;
  let v = line.count;
  for (const f of line.factors) v *= pick(f);
  return v;
}

function weakest(line: CostLine): Basis {
  let at = 0;
  for (const f of line.factors) {
    if (f.confidence === null) continue;
    at = Math.max(at, BASES.indexOf(basisOf(f.confidence)));
  }
  return BASES[at]!;
}

/** The amount of a set of lines (in their order: the sums are the same in every run). */
export function amountOf(lines: readonly CostLine[]): Amount {
  let min = 0;
  let typical = 0;
  let max = 0;
  let unknown = 0;
  const basis: Record<Basis, number> = { ...NO_BASIS };
  for (const l of lines) {
    if (!known(l)) {
      unknown += l.count;
      continue;
    }
    const t = lineValue(l, pickTypical)!;
    min += lineValue(l, pickMin)!;
    typical += t;
    max += lineValue(l, pickMax)!;
    basis[weakest(l)] += t;
  }
  return { min, typical, max, unknown, basis };
}

/** a + b. */
export function add(a: Amount, b: Amount): Amount {
  const basis = { ...NO_BASIS };
  for (const k of BASES) basis[k] = a.basis[k] + b.basis[k];
  return {
    min: a.min + b.min,
    typical: a.typical + b.typical,
    max: a.max + b.max,
    unknown: a.unknown + b.unknown,
    basis,
  };
}

/** The sum of amounts. */
export function sum(list: readonly Amount[]): Amount {
  return list.reduce(add, ZERO);
}

/** k × a (k ≥ 0): e.g. a share of a site's hardware; unknown units scale and round up, so a "≥" never disappears. */
export function scale(a: Amount, k: number): Amount {
  const basis = { ...NO_BASIS };
  for (const b of BASES) basis[b] = a.basis[b] * k;
  return { min: a.min * k, typical: a.typical * k, max: a.max * k, unknown: Math.ceil(a.unknown * k), basis };
}
