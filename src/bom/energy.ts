/**
 * Energy: typical watts × PUE × hours × years × price per kWh, item by item,
 * with the PUE and the price from the catalog's cost model for the era (or the
 * caller's figures). Never PUE 1.0 by default: the cost model's figure is a
 * published survey average; an unknown PUE or price leaves the energy unknown.
 */

import type { CostModel, Era, Figure } from "../catalog/types.js";
import { type CostLine, exact, type Factor, factorOf } from "./amount.js";
import type { BomItem } from "./types.js";

export const HOURS_PER_YEAR = 8760;
export const DEFAULT_YEARS = 3;

/** The figures energy is priced with. */
export interface EnergyFigures {
  readonly era: Era;
  readonly pue: Figure;
  readonly kwhPriceUsd: Figure;
  readonly years: number;
}

/** A number given on the command line or in a study: exact, from its source. */
export function given(value: number | readonly [number, number], source: string): Figure {
  if (typeof value === "number") return { value, range: null, confidence: "solid", source, note: null };
  const [a, b] = value;
  return { value: (a + b) / 2, range: [a, b], confidence: "solid", source, note: null };
}

/** The era's figures from the cost model, each replaced by the caller's when given. */
export function energyFigures(
  model: CostModel,
  options: {
    readonly era?: Era | undefined;
    readonly pue?: Figure | undefined;
    readonly kwhPriceUsd?: Figure | undefined;
    readonly years?: number | undefined;
  },
): EnergyFigures {
  const era = options.era ?? "today";
  return {
    era,
    pue: options.pue ?? model.pue[era],
    kwhPriceUsd: options.kwhPriceUsd ?? model.kwhPriceUsd[era],
    years: options.years ?? DEFAULT_YEARS,
  };
}

/** An item's unit price as a factor (keyed by its kind, so a draw samples it once). */
export function priceFactor(i: Pick<BomItem, "kind" | "unitCostUsd" | "unitCostRangeUsd" | "confidence">): Factor {
  if (i.unitCostUsd === null) return factorOf(`price:${i.kind}`, null);
  const [min, max] = i.unitCostRangeUsd ?? [i.unitCostUsd, i.unitCostUsd];
  return { key: `price:${i.kind}`, min, typical: i.unitCostUsd, max, confidence: i.confidence.price };
}

/** An item's typical watts per unit as a factor. */
export function wattsFactor(i: Pick<BomItem, "kind" | "watts" | "unitWattsRange" | "confidence">): Factor {
  if (i.watts === null) return factorOf(`watts:${i.kind}`, null);
  const [min, max] = i.unitWattsRange ?? [i.watts, i.watts];
  return { key: `watts:${i.kind}`, min, typical: i.watts, max, confidence: i.confidence.watts };
}

/** One line per item drawing power (licences do not): count × watts × (hours × years / 1000 kWh per W) × PUE × USD per kWh. */
export function energyLines(items: readonly BomItem[], e: EnergyFigures, term = "energy"): CostLine[] {
  const pue = factorOf(`pue:${e.era}`, e.pue);
  const price = factorOf(`kwh:${e.era}`, e.kwhPriceUsd);
  const kwhPerWatt = exact((HOURS_PER_YEAR * e.years) / 1000);
  return items
    .filter((i) => i.category !== "licence")
    .map((i) => ({ term, what: i.kind, count: i.count, factors: [wattsFactor(i), kwhPerWatt, pue, price] }));
}
