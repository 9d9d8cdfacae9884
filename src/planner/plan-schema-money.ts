/**
 * The money parts of plan.json's schema (see plan-schema.ts): amounts with
 * their range and basis, figures with their source, the cost of ownership by
 * term, the objective and the rank robustness.
 */

import * as z from "zod";
import { TCO_TERMS } from "../bom/tco.js";
import { CONFIDENCES, type Confidence } from "../catalog/types.js";
import { OBJECTIVES } from "../study/schema.js";
import { DESIGNS } from "../topology/schema.js";

const count = (description: string) => z.int().nonnegative().meta({ description });
export const design = z.enum(DESIGNS).meta({ id: "Design", description: "A design of the study." });

const usd = (description: string) => z.number().nonnegative().meta({ description });

/** An amount with its range (src/bom/amount.ts). */
export const amount = z
  .strictObject({
    min: usd("Every known figure at its low end."),
    typical: usd("Every known figure at its typical value (a range's midpoint)."),
    max: usd("Every known figure at its high end."),
    unknown: count("Units left out because a figure they need is unknown: when > 0 the amount is a lower bound (≥)."),
    basis: z
      .strictObject({
        solid: usd("Of typical: resting on solid figures (data sheets, price lists, specs)."),
        derived: usd("Of typical: resting on figures derived from others."),
        vendorClaim: usd("Of typical: resting on vendor claims."),
        rough: usd("Of typical: resting on rough or unverified figures (trade press, blogs, recalled)."),
        estimate: usd("Of typical: resting on estimates."),
      })
      .meta({
        description: "Of typical, how much rests on figures of each confidence (a line rests on its weakest figure).",
      }),
  })
  .meta({ id: "Amount", description: "A total with its range: USD or watts, as the field says." });

export const objective = z.enum(OBJECTIVES).meta({
  id: "Objective",
  description:
    "What the planner minimizes: tco (3-year cost of ownership), capex (one-off cost), watts, hardware (the count).",
});

/** A catalog or cost-model figure with its source (src/catalog/types.ts Figure). */
const figure = z
  .strictObject({
    value: z.number().nullable().meta({ description: "The value computed with (a range's midpoint); null: unknown." }),
    range: z
      .tuple([z.number(), z.number()])
      .nullable()
      .meta({ description: "[min, max] when the source gives a range." }),
    confidence: z.enum(CONFIDENCES as [Confidence, ...Confidence[]]).meta({ description: "How far to trust it." }),
    source: z.string().meta({ description: "Where it comes from." }),
    note: z.string().nullable(),
  })
  .meta({ id: "Figure", description: "A figure with its source and confidence; unknown ones have value null." });

export const tcoSchema = z
  .strictObject({
    era: z.enum(["2010", "today"]).meta({ description: "Which era's PUE and electricity price." }),
    years: count("Years of ownership."),
    discount: z.number().min(0).max(1).meta({ description: "Discount off list price." }),
    terms: z
      .strictObject(
        Object.fromEntries(TCO_TERMS.map((k) => [k, amount])) as Record<(typeof TCO_TERMS)[number], typeof amount>,
      )
      .meta({
        description:
          "USD by term: capital (items at list × (1 − discount)), licences (port licences), upstream (core and array ports), labour (cable runs), support (per year × years), energy (W × h × PUE × $/kWh).",
      }),
    capex: amount.meta({ description: "Paid once: capital + licences + upstream + labour, USD." }),
    opex: amount.meta({ description: "Paid over the years: support + energy, USD." }),
    total: amount.meta({ description: "capex + opex, USD." }),
    figures: z
      .strictObject({
        pue: figure,
        kwhPriceUsd: figure,
        labourPerCableUsd: figure.nullable().meta({ description: "null when cabling labour is not counted." }),
        support: z
          .array(
            z.strictObject({
              rule: z.string().meta({ description: "The cost model's support rule id (none: no rule matched)." }),
              ratePerYear: figure,
              units: count("Units the rule covers."),
            }),
          )
          .meta({ description: "Support rules applied, by rule id." }),
      })
      .meta({ description: "The figures the terms used, with their sources." }),
  })
  .meta({
    id: "Tco",
    description: "The cost of ownership of the chosen configuration, term by term (src/bom/tco.ts).",
  });

export const robustness = z
  .strictObject({
    objective,
    draws: count("Monte Carlo draws."),
    seed: z.int().meta({ description: "The seed of the draws (the study's experiment seed)." }),
    distribution: z.string().meta({ description: "How a figure's range is drawn, in words." }),
    designs: z
      .array(
        z.strictObject({
          design,
          typical: z.number().nonnegative().meta({ description: "The objective's typical value." }),
          draws: z
            .strictObject({
              min: z.number(),
              p5: z.number(),
              p50: z.number(),
              p95: z.number(),
              max: z.number(),
            })
            .meta({ description: "The objective over the draws: lowest, 5th, 50th, 95th percentile, highest." }),
          cheapest: z
            .number()
            .min(0)
            .max(1)
            .meta({ description: "Share of draws in which it is the cheapest (ties split)." }),
          unknown: count("Units with an unknown figure, left out of every draw."),
        }),
      )
      .meta({ description: "The designs whose choice meets every SLA row, sorted by name." }),
    winner: design.nullable().meta({ description: "The design with the lowest typical objective." }),
    winnerShare: z
      .number()
      .min(0)
      .max(1)
      .nullable()
      .meta({ description: "The winner's share of draws as the cheapest." }),
    robust: z.boolean().meta({ description: "Cheapest in ≥ 95 % of draws with no unknown figure left out." }),
    summary: z.string().meta({ description: "The verdict in words." }),
  })
  .meta({ id: "RankRobustness", description: "Is the ranking of the designs robust to the price and power ranges?" });
