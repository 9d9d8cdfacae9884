/**
 * What the planner minimizes (the study's `objective`): the 3-year cost of
 * ownership (`tco`, the default), the one-off cost (`capex`), the typical
 * power (`watts`) or the hardware count (`hardware`). Costs and watts are
 * ranges; candidates are ordered by the typical value (the range's midpoint
 * figures), ties by the hardware count, then fewer switching boxes, fewer rack
 * units, enumeration order. A candidate whose objective leaves unknown figures
 * out is ordered by its known part: it may rank too low, and the plan says so
 * ("≥").
 */

import type { Amount, CostLine } from "../bom/amount.js";
import { given, wattsFactor } from "../bom/energy.js";
import { type CostSettings, type Tco, tcoLines } from "../bom/tco.js";
import type { Bom } from "../bom/types.js";
import type { Catalog } from "../catalog/types.js";
import type { Study } from "../study/load.js";
import type { Objective, StudyCost } from "../study/schema.js";

export type { Objective } from "../study/schema.js";

/** The objective's unit and what it sums, in words. */
export const OBJECTIVE_RULES: Readonly<Record<Objective, string>> = {
  tco: "the cost of ownership over the study's years (capital, licences, upstream ports, cabling labour, support, energy), USD, typical figures",
  capex: "the one-off cost (capital, licences, upstream ports, cabling labour), USD, typical figures",
  watts: "the typical power of everything bought, W",
  hardware: "the hardware count: adapters + cables + optics + front-panel switch ports installed + upstream ports used",
};

/** The study's `cost:` block as the cost model's settings. */
export function costSettings(cost: StudyCost): CostSettings {
  const fig = (x: number | readonly [number, number] | undefined, what: string) =>
    x === undefined ? undefined : given(x, `the study's cost.${what}`);
  const support =
    cost.support === undefined
      ? undefined
      : Object.fromEntries(
          Object.entries(cost.support).map(([id, r]) => [id, given(r, `the study's cost.support.${id}`)]),
        );
  return {
    era: cost.era,
    years: cost.years,
    discount: cost.discount,
    pue: fig(cost.pue, "pue"),
    kwhPriceUsd: fig(cost.kwhPriceUsd, "kwhPriceUsd"),
    labourPerCableUsd: fig(cost.labourPerCableUsd, "labourPerCableUsd"),
    support,
    cablingLabour: cost.cablingLabour,
  };
}

export function studyObjective(study: Study): Objective {
  return study.file.objective;
}

/** The objective's amount for a BOM and its cost of ownership (hardware: the count as an exact amount). */
export function objectiveAmount(objective: Objective, bom: Bom, tco: Tco): Amount {
  switch (objective) {
    case "tco":
      return tco.total;
    case "capex":
      return tco.capex;
    case "watts":
      return bom.totals.power;
    case "hardware": {
      const n = bom.totals.hardwareScore;
      return {
        min: n,
        typical: n,
        max: n,
        unknown: bom.totals.hardwareScoreUnknown,
        basis: { solid: n, derived: 0, vendorClaim: 0, rough: 0, estimate: 0 },
      };
    }
  }
}

/** The lines a Monte Carlo draw re-prices for the objective (null for the hardware count: it has no ranges). */
export function objectiveLines(
  objective: Objective,
  bom: Bom,
  catalog: Catalog,
  settings: CostSettings,
): CostLine[] | null {
  if (objective === "hardware") return null;
  if (objective === "watts")
    return bom.items.map((i) => ({ term: "power", what: i.kind, count: i.count, factors: [wattsFactor(i)] }));
  const lines = tcoLines(bom, catalog, settings);
  if (objective === "tco") return lines;
  return lines.filter((l) => l.term !== "support" && l.term !== "energy");
}
