/**
 * Runs what the lessons and the what-if panel need, the same way in Node (tests) and
 * in the page's batch worker: a topology text with knobs applied, run to the end as
 * `iovsim run --json` would; a study planned at flow level. Browser-safe.
 */
import type { Catalog } from "../../../src/catalog/types.js";
import { expandStudy } from "../../../src/design/index.js";
import type { RunResult } from "../../../src/metrics/result.js";
import { type PlanOptions, type PlanResult, plan } from "../../../src/planner/plan.js";
import { aggregate } from "../../../src/run/aggregate.js";
import { Replication } from "../../../src/run/replication.js";
import type { Study } from "../../../src/study/index.js";
import { formatIssues } from "../../../src/topology/issues.js";
import { parseTopology } from "../../../src/topology/load.js";
import type { Design, ResolvedTopology } from "../../../src/topology/types.js";
import { applyYamlKnobs, failoverTicks, type Knob, paramOverrides } from "../whatif-model.js";

/** How the page plans a study: as `iovsim plan` does (the study's curve shares), but at flow level only (seconds). */
export const PAGE_PLAN_OPTIONS: PlanOptions = { confirm: false, curve: true };

export interface Variant {
  readonly topo: ResolvedTopology;
  /** The YAML of the changed topology (to open it in the page). */
  readonly text: string;
  /** undefined: the design's default; null: off. */
  readonly failoverTicks: number | null | undefined;
}

/**
 * The topology with the knobs set to `values`: YAML knobs edit the text; parameter knobs
 * expand `study` with `design` again; the failover knob sets the run option. Throws with
 * the CLI's error lines when the result does not load.
 */
export function variant(
  source: { readonly text: string; readonly file: string; readonly study?: Study; readonly design?: Design },
  knobs: readonly Knob[],
  values: Readonly<Record<string, string>>,
): Variant {
  let text = applyYamlKnobs(source.text, knobs, values);
  let file = source.file;
  const overrides = paramOverrides(knobs, values);
  if (source.study !== undefined && source.design !== undefined && Object.keys(overrides).length > 0) {
    text = expandStudy(source.study, source.design, overrides);
    file = `${source.file} (${source.design}, ${Object.entries(overrides)
      .map(([k, v]) => `${k}=${v}`)
      .join(", ")})`;
  }
  const r = parseTopology(text, file);
  if (!r.ok) throw new Error(formatIssues(r.issues));
  const failover = knobs.find((k) => k.effect.kind === "failover");
  return {
    topo: r.topology,
    text,
    failoverTicks: failover === undefined ? undefined : failoverTicks(values[failover.id] ?? failover.initial),
  };
}

/** One replication to the end, aggregated as the CLI does (wallSeconds 0). */
export function runToEnd(
  topo: ResolvedTopology,
  failover: number | null | undefined,
  seed = topo.experiment.seed,
): RunResult {
  const rep = new Replication(topo, 0, seed, failover === undefined ? {} : { failoverTicks: failover });
  return aggregate(topo, [rep.result()], 0, seed);
}

export function planAtFlowLevel(study: Study, catalog: Catalog): Promise<PlanResult> {
  return plan(study, catalog, PAGE_PLAN_OPTIONS);
}
