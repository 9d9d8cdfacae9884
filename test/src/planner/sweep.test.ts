import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { loadCatalog } from "../../../src/catalog/read-files.js";
import type { Catalog } from "../../../src/catalog/types.js";
import { plan } from "../../../src/planner/plan.js";
import { parseSet, studyAt, sweep, sweepCsv, sweepGrid } from "../../../src/planner/sweep.js";
import { DEFAULT_LIMITS } from "../../../src/topology/size.js";

const SMALL = new URL("../../fixtures/study/small.yaml", import.meta.url).pathname;

let catalog: Catalog;
let text: string;
beforeAll(async () => {
  const c = await loadCatalog([]);
  if (!c.ok) throw new Error("catalog");
  catalog = c.catalog;
  const raw = parse(readFileSync(SMALL, "utf8")) as { designs: Record<string, unknown> };
  raw.designs = { director: raw.designs.director, mriov: raw.designs.mriov };
  text = stringify(raw);
});

describe("sweep", () => {
  it("reads path=v1,v2 and refuses what is not one", () => {
    expect(parseSet("cost.years=3,5")).toEqual({ path: "cost.years", values: ["3", "5"] });
    for (const bad of ["objective", "=tco", "objective=", "objective=tco,", "a..b=1"])
      expect(() => parseSet(bad), bad).toThrow(/path=value1,value2/);
  });

  it("makes the grid in order: the last variable fastest, then the sizes", () => {
    const grid = sweepGrid([parseSet("a=1,2"), parseSet("b=x,y")], [4, 8]);
    expect(grid.map((p) => `${p.values.a}${p.values.b}${p.size}`)).toEqual([
      "1x4",
      "1x8",
      "1y4",
      "1y8",
      "2x4",
      "2x8",
      "2y4",
      "2y8",
    ]);
  });

  it("names the variable or the size that makes a study invalid", () => {
    expect(() => studyAt(text, "small.yaml", { values: { "name.first": "1" }, size: null })).toThrow(
      /--set name\.first: name is not a map or list/,
    );
    expect(() => studyAt(text, "small.yaml", { values: { "groups.9.hosts": "1" }, size: null })).toThrow(
      /--set groups\.9\.hosts: the study has no groups\.9/,
    );
    // A section left to its defaults is made, and the schema checks its keys.
    expect(studyAt(text, "small.yaml", { values: { "cost.years": "5" }, size: null }).file.cost.years).toBe(5);
    expect(() => studyAt(text, "small.yaml", { values: { "cost.nothing": "1" }, size: null })).toThrow(
      /cost\.nothing=1 is not a valid study/,
    );
    expect(() => studyAt(text, "small.yaml", { values: { objective: "cheapest" }, size: null })).toThrow(
      /objective=cheapest is not a valid study/,
    );
    expect(() => studyAt(text, "small.yaml", { values: {}, size: 10_000 })).toThrow(
      "--sizes 10,000 servers; a site size is at most 4,096 (raise the limit with --allow-large)",
    );
    // The limits in force decide (a small cap here: a site of thousands takes seconds to scale).
    const capped = { ...DEFAULT_LIMITS, servers: 12 };
    expect(() => studyAt(text, "small.yaml", { values: {}, size: 16 }, capped)).toThrow(/at most 12/);
    expect(studyAt(text, "small.yaml", { values: {}, size: 12 }, capped).file.servers).toBe(12);
    expect(() => studyAt(text, "small.yaml", { values: {}, size: 1 })).toThrow(/--sizes 1: .*at least \d+/);
  });

  it("places a point's problems in the file: under a variable at its key, naming the --set", () => {
    const file = readFileSync(SMALL, "utf8");
    expect(() => studyAt(file, "small.yaml", { values: { "groups.1.hosts": "0" }, size: null })).toThrow(
      /^small\.yaml:19:5 groups\[1\]\.hosts: .* \(from --set groups\.1\.hosts=0\)$/m,
    );
    // A key the file lacks is placed at the map it would go in.
    expect(() => studyAt(file, "small.yaml", { values: { "experiment.speed": "2" }, size: null })).toThrow(
      /^small\.yaml:6:1 experiment\.speed: .*\(from --set experiment\.speed=2\)$/m,
    );
    // A problem the variable makes elsewhere is placed where the file has it.
    expect(() => studyAt(file, "small.yaml", { values: { "groups.0.name": "database" }, size: null })).toThrow(
      /^small\.yaml:17:11 groups\[1\]\.name: duplicate group database$/m,
    );
  });

  it("gives at every point the plan of the study edited by hand", async () => {
    const options = { curve: false, confirm: false };
    const r = await sweep(text, "small.yaml", catalog, [parseSet("objective=hardware,capex")], [4, 8], options);
    expect(r.rows).toHaveLength(2 * 2 * 2); // 2 objectives × 2 sizes × 2 designs
    for (const row of r.rows) {
      const alone = await plan(
        studyAt(text, "small.yaml", { values: row.values, size: row.servers }),
        catalog,
        options,
      );
      const d = alone.designs.find((x) => x.design === row.design)!;
      expect(row.verdict).toBe(d.verdict);
      expect(row.hardwareScore).toBe(d.chosen?.hardwareScore ?? null);
      expect(row.objective).toBe(row.values.objective);
    }
    const csv = sweepCsv(r).trimEnd().split("\n");
    expect(csv[0]).toBe(
      "objective,servers,design,verdict,confirmed,parameters,objective_name,objective_typical,hardware_score",
    );
    expect(csv).toHaveLength(1 + 8);
  });

  it("reports every point's progress with its place in the grid and the points planned so far", async () => {
    const seen: { point: number; pointsDone: number }[] = [];
    await sweep(text, "small.yaml", catalog, [parseSet("objective=hardware,capex")], [4, 8], {
      curve: false,
      confirm: false,
      onProgress: ({ point, pointsDone }) => {
        seen.push({ point, pointsDone });
      },
    });
    expect(new Set(seen.map((s) => s.point))).toEqual(new Set([0, 1, 2, 3]));
    const done = seen.map((s) => s.pointsDone);
    expect(done).toEqual([...done].sort((a, b) => a - b));
    expect(Math.max(...done)).toBeLessThan(4);
  });

  it("plans a few points at a time: one at a time gives the same rows, point after point", async () => {
    const options = { curve: false, confirm: false };
    const grid = [parseSet("objective=hardware,capex")];
    const seen: { point: number; pointsDone: number }[] = [];
    const one = await sweep(text, "small.yaml", catalog, grid, [4, 8], {
      ...options,
      pointsAtOnce: 1,
      onProgress: ({ point, pointsDone }) => {
        seen.push({ point, pointsDone });
      },
    });
    // Each point's plan runs alone: its progress comes after every earlier point ended.
    for (const s of seen) expect(s.pointsDone).toBe(s.point);
    const all = await sweep(text, "small.yaml", catalog, grid, [4, 8], { ...options, pointsAtOnce: 4 });
    expect(sweepCsv(one)).toBe(sweepCsv(all));
  });
});
