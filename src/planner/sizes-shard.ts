/**
 * The site-size curve in shards (issue 16 item 4, for batch schedulers): its searches (one
 * per size and design, `sizeUnits`) are dealt round-robin to `count` shards as the plan's
 * are (src/planner/shard.ts); shard `index` runs its share and writes a shard file;
 * `mergeSizesShards` joins every shard's file into the curve one run gives (timing aside).
 * A search depends only on the study, the size and the settings, so shards agree without
 * talking to each other.
 */

import type { Catalog } from "../catalog/types.js";
import type { Study } from "../study/load.js";
import type { Design } from "../topology/types.js";
import { VERSION } from "../version.js";
import { checkShardSet, fingerprint, MergeError, type ShardSpec } from "./shard.js";
import {
  assembleSizes,
  runSizeUnits,
  type SiteSizeCurve,
  type SizesOptions,
  type SizeUnit,
  sizeUnits,
} from "./sizes.js";
import type { CurvePointResult } from "./types.js";

/** What decides a search's answer besides the study: shards of other settings do not merge. */
export interface SizesShardSettings {
  sizes: number[];
  designs: Design[];
  confirm: boolean;
  replications: number;
  maxAttempts: number;
  flowBudget: number | null;
}

export interface SizesShardFile {
  iovsim: string;
  kind: "iovsim-sizes-shard";
  study: string;
  fingerprint: string;
  shard: ShardSpec;
  settings: SizesShardSettings;
  units: Array<{ unit: SizeUnit; result: CurvePointResult }>;
  wallSeconds: number;
}

function settingsOf(study: Study, sizes: readonly number[], o: SizesOptions): SizesShardSettings {
  return {
    sizes: [...new Set(sizes)].sort((a, b) => a - b),
    designs: [...(o.designs ?? study.designs)].sort(),
    confirm: o.confirm ?? false,
    replications: o.replications ?? 3,
    maxAttempts: o.maxAttempts ?? 6,
    flowBudget: o.flowBudget ?? null,
  };
}

const optionsOf = (s: SizesShardSettings): SizesOptions => ({
  designs: s.designs,
  confirm: s.confirm,
  replications: s.replications,
  maxAttempts: s.maxAttempts,
  ...(s.flowBudget === null ? {} : { flowBudget: s.flowBudget }),
});

/** Runs shard `spec` of the site-size curve: every count-th (size, design) search from the index-th. */
export async function sizesShard(
  study: Study,
  catalog: Catalog,
  sizes: readonly number[],
  spec: ShardSpec,
  options: SizesOptions = {},
): Promise<SizesShardFile> {
  const t0 = performance.now();
  const settings = settingsOf(study, sizes, options);
  const units = sizeUnits(study, settings.sizes, settings.designs).filter((_, k) => k % spec.count === spec.index - 1);
  const results = await runSizeUnits(study, catalog, units, { ...options, ...optionsOf(settings) });
  return {
    iovsim: VERSION,
    kind: "iovsim-sizes-shard",
    study: study.file.name,
    fingerprint: fingerprint(study, catalog),
    shard: spec,
    settings,
    units: units.map((unit, i) => ({ unit, result: results[i]! })),
    wallSeconds: (performance.now() - t0) / 1000,
  };
}

const unitKey = (u: SizeUnit): string => `${u.servers} ${u.design}`;

/** Joins every shard of one site-size curve into the curve a single run gives (timing fields aside). */
export function mergeSizesShards(study: Study, catalog: Catalog, files: readonly SizesShardFile[]): SiteSizeCurve {
  const t0 = performance.now();
  const first = checkShardSet(
    study,
    catalog,
    files,
    "iovsim-sizes-shard",
    "a site-size",
    "sizes, designs, confirmation, budget",
  );
  const answers = new Map(files.flatMap((f) => f.units.map((u) => [unitKey(u.unit), u.result] as const)));
  const units = sizeUnits(study, first.settings.sizes, first.settings.designs);
  const results = units.map((u) => {
    const r = answers.get(unitKey(u));
    if (r === undefined) throw new MergeError(`no shard answered ${u.design} at ${u.servers} servers`);
    return r;
  });
  const wall = files.reduce((sum, f) => sum + f.wallSeconds, 0) + (performance.now() - t0) / 1000;
  return assembleSizes(units, results, wall, first.settings.flowBudget ?? undefined);
}
