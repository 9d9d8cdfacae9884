/**
 * Shards of a plan, for batch schedulers (a Slurm job array, a Kubernetes
 * indexed Job): the plan's independent searches (`planUnits`: one per curve
 * point, one per design) are dealt round-robin to `count` shards; shard `index`
 * runs its share and writes a shard file; `mergeShards` joins every shard's file
 * into the plan a single run writes (timing fields aside). The deal depends
 * only on the study and the settings, so every shard of one study agrees on it
 * without talking to the others.
 */

import type { Catalog } from "../catalog/types.js";
import type { ParamValue } from "../design/index.js";
import type { Study } from "../study/load.js";
import type { Design } from "../topology/types.js";
import { VERSION } from "../version.js";
import { buildCandidate } from "./candidates.js";
import { inProcessEvaluator } from "./evaluator.js";
import {
  assemblePlan,
  type PlanOptions,
  type PlanSettings,
  type PlanUnit,
  planSettings,
  planUnits,
  runUnits,
} from "./plan.js";
import type { SearchOutcome } from "./search.js";
import type { CurvePointResult, DesignPlan, PlanResult, StudySize } from "./types.js";

export interface ShardSpec {
  /** 1 … count. */
  readonly index: number;
  readonly count: number;
}

/** `i/n` with 1 ≤ i ≤ n; throws a RangeError saying what was expected. */
export function parseShard(text: string): ShardSpec {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m === null ? Number.NaN : Number(m[1]);
  const count = m === null ? Number.NaN : Number(m[2]);
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(count) || count < 1 || index < 1 || index > count)
    throw new RangeError(`--shard must be i/n with 1 ≤ i ≤ n (e.g. 3/8), got ${JSON.stringify(text)}`);
  return { index, count };
}

/** The units shard `spec` runs: every count-th unit of the plan's fixed order, from the index-th. */
export function shardUnits(units: readonly PlanUnit[], spec: ShardSpec): PlanUnit[] {
  return units.filter((_, k) => k % spec.count === spec.index - 1);
}

/** A design's search as a shard file holds it: the chosen candidate by its index and parameters (rebuilt on merge). */
interface ShardDesign {
  plan: DesignPlan;
  size: StudySize;
  candidate: { index: number; parameters: Record<string, ParamValue> } | null;
}

export interface ShardFile {
  iovsim: string;
  kind: "iovsim-plan-shard";
  study: string;
  /** Of the study and catalog (`fingerprint`): shards of different inputs do not merge. */
  fingerprint: string;
  shard: ShardSpec;
  settings: PlanSettings;
  units: Array<{ unit: PlanUnit; design: ShardDesign | null; curve: CurvePointResult | null }>;
  wallSeconds: number;
}

/** FNV-1a (32 bits) of the study file and the catalog: enough to tell two studies apart, browser-safe. */
export function fingerprint(study: Study, catalog: Catalog): string {
  const text = JSON.stringify([study.file, [...catalog.entries.entries()], catalog.costModel]);
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return `${h.toString(16).padStart(8, "0")}-${text.length}`;
}

/** Runs shard `spec` of the plan of `study` (same options as `plan`). */
export async function planShard(
  study: Study,
  catalog: Catalog,
  spec: ShardSpec,
  options: PlanOptions = {},
): Promise<ShardFile> {
  const t0 = performance.now();
  const settings = planSettings(study, options);
  const units = shardUnits(planUnits(settings), spec);
  const results = await runUnits(
    study,
    catalog,
    settings,
    units,
    options.evaluator ?? inProcessEvaluator,
    options.onProgress ?? (() => {}),
  );
  let d = 0;
  let c = 0;
  return {
    iovsim: VERSION,
    kind: "iovsim-plan-shard",
    study: study.file.name,
    fingerprint: fingerprint(study, catalog),
    shard: spec,
    settings,
    units: units.map((unit) => {
      if (unit.kind === "curve") return { unit, design: null, curve: results.curvePoints[c++]! };
      const o = results.designs[d++]!;
      const candidate = o.candidate === null ? null : { index: o.candidate.index, parameters: o.candidate.parameters };
      return { unit, design: { plan: o.plan, size: o.size, candidate }, curve: null };
    }),
    wallSeconds: (performance.now() - t0) / 1000,
  };
}

/** Shards that do not make one plan: which, and why. */
export class MergeError extends Error {}

const unitKey = (u: PlanUnit): string => (u.kind === "design" ? `design ${u.design}` : `curve ${u.design} ${u.share}`);

/** What every kind of shard file carries, for the checks of a set. */
interface AnyShardFile {
  kind: string;
  iovsim: string;
  fingerprint: string;
  shard: ShardSpec;
  settings: unknown;
}

/**
 * Checks that `files` are one complete set of shards of `kind` for this study and catalog:
 * the same version, study, split and settings, each index once. Returns the first file.
 */
export function checkShardSet<F extends AnyShardFile>(
  study: Study,
  catalog: Catalog,
  files: readonly F[],
  kind: string,
  what: string,
  settingsWhat: string,
): F {
  if (files.length === 0) throw new MergeError("no shard files to merge");
  const first = files[0]!;
  const fp = fingerprint(study, catalog);
  for (const f of files) {
    if (f.kind !== kind) throw new MergeError(`shard ${f.shard?.index}: not ${what} shard file`);
    if (f.iovsim !== VERSION)
      throw new MergeError(`shard ${f.shard.index} was written by iovsim ${f.iovsim}; this is iovsim ${VERSION}`);
    if (f.fingerprint !== fp)
      throw new MergeError(
        `shard ${f.shard.index}/${f.shard.count} is of another study or catalog than ${study.file.name} (fingerprint ${f.fingerprint}, expected ${fp})`,
      );
    if (f.shard.count !== first.shard.count)
      throw new MergeError(`shards of different splits: ${f.shard.count} and ${first.shard.count} shards`);
    if (JSON.stringify(f.settings) !== JSON.stringify(first.settings))
      throw new MergeError(`shard ${f.shard.index} ran with other settings (${settingsWhat})`);
  }
  const count = first.shard.count;
  const seen = new Set(files.map((f) => f.shard.index));
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !seen.has(i));
  if (missing.length > 0 || seen.size !== files.length)
    throw new MergeError(
      missing.length > 0
        ? `missing shard${missing.length === 1 ? "" : "s"} ${missing.join(", ")} of ${count}`
        : "a shard given twice",
    );
  return first;
}

/** Joins every shard of one plan into the plan a single run writes (timing fields aside). */
export function mergeShards(study: Study, catalog: Catalog, files: readonly ShardFile[]): PlanResult {
  const t0 = performance.now();
  const first = checkShardSet(study, catalog, files, "iovsim-plan-shard", "a plan", "replications, curve, designs");
  const settings = first.settings;
  const answers = new Map(files.flatMap((f) => f.units.map((u) => [unitKey(u.unit), u] as const)));
  const designs: SearchOutcome[] = [];
  const curvePoints: CurvePointResult[] = [];
  for (const unit of planUnits(settings)) {
    const a = answers.get(unitKey(unit));
    if (a === undefined) throw new MergeError(`no shard answered ${unitKey(unit)}`);
    if (unit.kind === "curve") curvePoints.push(a.curve!);
    else designs.push(rebuilt(study, catalog, unit.design, a.design!));
  }
  const wall = files.reduce((sum, f) => sum + f.wallSeconds, 0) + (performance.now() - t0) / 1000;
  return assemblePlan(study, catalog, settings, { designs, curvePoints }, wall);
}

function rebuilt(study: Study, catalog: Catalog, design: Design, d: ShardDesign): SearchOutcome {
  if (d.candidate === null) return { plan: d.plan, size: d.size, candidate: null };
  const candidate = buildCandidate(study, design, catalog, d.candidate.index, d.candidate.parameters);
  if (candidate === null) throw new MergeError(`${design}: the chosen candidate cannot be built again`);
  return { plan: d.plan, size: d.size, candidate };
}
