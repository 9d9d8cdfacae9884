import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadCatalog } from "../../../src/catalog/read-files.js";
import { MergeError } from "../../../src/planner/shard.js";
import { siteSizeCurve } from "../../../src/planner/sizes.js";
import { mergeSizesShards, sizesShard } from "../../../src/planner/sizes-shard.js";
import { parseStudy } from "../../../src/study/index.js";
import { formatIssues } from "../../../src/topology/index.js";

const STUDY = readFileSync(new URL("../../../topologies/studies/last-mile.yaml", import.meta.url), "utf8");

/** A curve without its timing fields (wall seconds), which differ between runs. */
const untimed = (x: unknown): unknown => JSON.parse(JSON.stringify(x, (k, v) => (k === "wallSeconds" ? undefined : v)));

describe("site sizes as shard units", () => {
  it("deals the (size, design) searches to shards whose merge is the curve one run gives", async () => {
    const r = parseStudy(STUDY, "study.yaml");
    if (!r.ok) throw new Error(formatIssues(r.issues));
    const c = await loadCatalog([]);
    if (!c.ok) throw new Error("catalog");
    const opts = { designs: ["mriov" as const] };
    const one = await siteSizeCurve(r.study, c.catalog, [40, 20], opts);
    const s1 = await sizesShard(r.study, c.catalog, [40, 20], { index: 1, count: 2 }, opts);
    const s2 = await sizesShard(r.study, c.catalog, [40, 20], { index: 2, count: 2 }, opts);
    expect(s1.units.map((u) => u.unit)).toEqual([{ servers: 20, design: "mriov" }]);
    expect(s2.units.map((u) => u.unit)).toEqual([{ servers: 40, design: "mriov" }]);
    // Through JSON, as the files travel; any order.
    const files = [s2, s1].map((s) => JSON.parse(JSON.stringify(s)));
    expect(untimed(mergeSizesShards(r.study, c.catalog, files))).toEqual(untimed(one));
    expect(() => mergeSizesShards(r.study, c.catalog, [files[0]])).toThrow(MergeError);
    expect(() => mergeSizesShards(r.study, c.catalog, [files[0], files[1], files[1]])).toThrow(/given twice/);
  }, 300_000);
});
