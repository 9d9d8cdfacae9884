/**
 * Design generators (docs/architecture.md §1): study + parameter values → an explicit
 * topology as YAML text, ready for `parseTopology`. One generator per design;
 * browser-safe.
 */

import type { Study } from "../study/load.js";
import { DESIGNS } from "../topology/schema.js";
import type { Design } from "../topology/types.js";
import { DesignError, type GenContext } from "./common.js";
import { generateDirector } from "./director.js";
import { generateMriov } from "./mriov.js";
import { PARAMS, type ParamValue, valueProblem } from "./params.js";
import { generateTraditional } from "./traditional.js";
import { generateUcs } from "./ucs.js";

export { DesignError } from "./common.js";
export { PARAMS, type ParamDef, type ParamValue, paramDef, parseParamValue, valueProblem } from "./params.js";

export const GENERATORS: Readonly<Record<Design, (ctx: GenContext) => string>> = {
  traditional: generateTraditional,
  director: generateDirector,
  ucs: generateUcs,
  mriov: generateMriov,
};

export function isDesign(name: string): name is Design {
  return (DESIGNS as readonly string[]).includes(name);
}

/** The study's current values for `design`, with `overrides` applied (each checked against the generator's limits). */
export function designParams(
  study: Study,
  design: Design,
  overrides: Readonly<Record<string, ParamValue>> = {},
): Record<string, ParamValue> {
  const params: Record<string, ParamValue> = {};
  for (const def of PARAMS[design]) params[def.name] = study.parameters[design]?.[def.name]?.value ?? def.default;
  for (const [name, value] of Object.entries(overrides)) {
    const def = PARAMS[design].find((d) => d.name === name);
    if (def === undefined)
      throw new DesignError(
        `unknown ${design} parameter "${name}"; parameters: ${PARAMS[design].map((d) => d.name).join(", ")}`,
      );
    const problem = valueProblem(def, value);
    if (problem !== undefined) throw new DesignError(`${design}: ${problem}`);
    params[name] = value;
  }
  return params;
}

/**
 * The explicit topology for `design` as YAML text. Throws DesignError when the
 * study does not list the design, a parameter is unknown or out of range, or
 * the combination cannot be built.
 */
export function expandStudy(
  study: Study,
  design: Design,
  overrides: Readonly<Record<string, ParamValue>> = {},
): string {
  if (!study.designs.includes(design))
    throw new DesignError(
      `the study does not compare design ${design}; its designs: ${study.designs.join(", ") || "none"}`,
    );
  const params = designParams(study, design, overrides);
  return GENERATORS[design]({ study, design, params });
}
