import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { loadCatalog } from "../../../src/catalog/read-files.js";
import type { Catalog } from "../../../src/catalog/types.js";
import { plan, planSettings, planUnits } from "../../../src/planner/plan.js";
import {
  MergeError,
  mergeShards,
  parseShard,
  planShard,
  type ShardFile,
  shardUnits,
} from "../../../src/planner/shard.js";
import { parseStudy, type Study } from "../../../src/study/index.js";
import { formatIssues } from "../../../src/topology/index.js";
import { timeless } from "../../helpers/timeless.js";

const SMALL = new URL("../../fixtures/study/small.yaml", import.meta.url).pathname;

let catalog: Catalog;
let study: Study;
beforeAll(async () => {
  const c = await loadCatalog([]);
  if (!c.ok) throw new Error("catalog");
  catalog = c.catalog;
  const raw = parse(readFileSync(SMALL, "utf8")) as { designs: Record<string, unknown> };
  raw.designs = { director: raw.designs.director, mriov: raw.designs.mriov };
  const r = parseStudy(stringify(raw), "small.yaml");
  if (!r.ok) throw new Error(formatIssues(r.issues));
  study = r.study;
});

describe("shards of a plan", () => {
  it("reads i/n and refuses what is not a shard of n", () => {
    expect(parseShard("3/8")).toEqual({ index: 3, count: 8 });
    for (const bad of ["0/3", "4/3", "3", "a/b", "1/0", "-1/2"]) expect(() => parseShard(bad), bad).toThrow(/i\/n/);
  });

  it("deals every search to exactly one shard", () => {
    const units = planUnits(planSettings(study, { curve: true }));
    expect(units.length).toBe(2 * 5 + 2); // 2 designs × 5 shares below 100 %, then the 2 designs
    const dealt = [1, 2, 3, 4, 5].flatMap((index) => shardUnits(units, { index, count: 5 }));
    expect(dealt).toHaveLength(units.length);
    expect(new Set(dealt)).toEqual(new Set(units));
  });

  it("merged in any order, make the plan one run makes (timing aside)", async () => {
    // Flow level only: the merge is what is tested here (the CLI tests run shards with packet confirmation).
    const options = { curve: true, confirm: false };
    const whole = await plan(study, catalog, options);
    const shards: ShardFile[] = [];
    for (const index of [3, 1, 2]) shards.push(await planShard(study, catalog, { index, count: 3 }, options));
    // Through JSON, as the files travel.
    const merged = mergeShards(study, catalog, JSON.parse(JSON.stringify(shards)) as ShardFile[]);
    expect(timeless(merged)).toEqual(timeless(whole));
    expect(merged.robustness).not.toBeNull();
  });

  it("refuses a missing shard, a repeated one and a shard of another study", async () => {
    const options = { curve: false, confirm: false };
    const one = await planShard(study, catalog, { index: 1, count: 2 }, options);
    const two = await planShard(study, catalog, { index: 2, count: 2 }, options);
    expect(() => mergeShards(study, catalog, [one])).toThrow(new MergeError("missing shard 2 of 2"));
    expect(() => mergeShards(study, catalog, [one, one, two])).toThrow(/given twice/);
    const other = { ...two, fingerprint: "00000000-1" };
    expect(() => mergeShards(study, catalog, [one, other])).toThrow(/another study or catalog/);
  });
});
