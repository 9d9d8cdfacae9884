/**
 * The catalog's cost model (`costModel:` in a catalog file, the built-in one in
 * `catalog/cost-model.yaml`): the figures a cost of ownership needs besides the
 * entries' prices and watts. Several files merge like entries do: a later file
 * replaces what it sets (the support rules as a whole list, every other figure
 * one by one). What no file sets stays unknown (value null), never 0.
 */

import type { CostModelInput } from "./schema.js";
import type { CatalogClass, Confidence, CostModel, Era, Figure, PortLicence, SupportRule } from "./types.js";

type Sourced = NonNullable<CostModelInput["labourPerCableUsd"]>;

/** An unknown figure: nothing in the catalog gives it. */
export function unknownFigure(what: string): Figure {
  return { value: null, range: null, confidence: "estimate", source: `no catalog file gives ${what}`, note: null };
}

/** The cost model before any file sets a figure: every figure unknown, no support rule. */
export const EMPTY_COST_MODEL: CostModel = {
  support: [],
  pue: { "2010": unknownFigure("the 2010 PUE"), today: unknownFigure("today's PUE") },
  kwhPriceUsd: {
    "2010": unknownFigure("the 2010 electricity price"),
    today: unknownFigure("today's electricity price"),
  },
  labourPerCableUsd: unknownFigure("the labour per cable run"),
};

function sourced(f: Sourced): Figure {
  const v = f.value;
  const note = f.note ?? null;
  const confidence = f.confidence as Confidence;
  if (v === null) return { value: null, range: null, confidence, source: f.source, note };
  if (typeof v === "number") return { value: v, range: null, confidence, source: f.source, note };
  const [a, b] = v as [number, number];
  return { value: (a + b) / 2, range: [a, b], confidence, source: f.source, note };
}

/** A later file's cost model over an earlier one: what the later file sets replaces. */
export function mergeCostModel(base: CostModel, input: CostModelInput | undefined): CostModel {
  if (input === undefined) return base;
  const era = (
    was: Readonly<Record<Era, Figure>>,
    set: Partial<Record<Era, Sourced | undefined>> | undefined,
  ): Record<Era, Figure> => ({
    "2010": set?.["2010"] === undefined ? was["2010"] : sourced(set["2010"]),
    today: set?.today === undefined ? was.today : sourced(set.today),
  });
  const support: SupportRule[] | undefined = input.support?.map((r) => ({
    id: r.id,
    vendors: r.vendors ?? [],
    classes: (r.classes ?? []) as CatalogClass[],
    ratePerYear: sourced(r.ratePerYear),
  }));
  return {
    support: support ?? base.support,
    pue: era(base.pue, input.pue),
    kwhPriceUsd: era(base.kwhPriceUsd, input.kwhPriceUsd),
    labourPerCableUsd:
      input.labourPerCableUsd === undefined ? base.labourPerCableUsd : sourced(input.labourPerCableUsd),
  };
}

/** The first support rule that matches an entry's vendor and class (vendor names compare case-insensitively). */
export function supportRuleFor(
  model: CostModel,
  vendor: string | null,
  cls: CatalogClass | "unknown",
): SupportRule | null {
  const v = vendor?.toLowerCase() ?? null;
  return (
    model.support.find(
      (r) =>
        (r.classes.length === 0 || (cls !== "unknown" && r.classes.includes(cls))) &&
        (r.vendors.length === 0 || (v !== null && r.vendors.some((x) => v.split("/").includes(x.toLowerCase())))),
    ) ?? null
  );
}

/** Licences a unit with `used` ports needs: ceil(max(0, used − included) / step). */
export function licencesNeeded(licence: Pick<PortLicence, "included" | "step">, used: number): number {
  return Math.ceil(Math.max(0, used - licence.included) / licence.step);
}
