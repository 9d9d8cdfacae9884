import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { planLikeStart, ROOT, removeTempDirs, tempDir } from "./helpers.js";

// `npm run test:slow`: the product's main command end to end, exactly as `npm start` runs
// it — the plan of the built-in study, its table and plan.json (minutes on a busy machine).
afterAll(removeTempDirs);

describe("npm start: iovsim plan on the built-in study", () => {
  it("prints a verdict for each of the four designs and writes plan.json", async () => {
    const out = join(tempDir("iovsim-plan-"), "out");
    const stdout = await planLikeStart(join(ROOT, "topologies/studies/last-mile.yaml"), out, ["--no-fail-on-miss"]);
    for (const design of ["traditional", "director", "ucs", "mriov"])
      expect(stdout).toMatch(new RegExp(`^${design} `, "m"));
    expect(stdout).toMatch(/study size/);
    expect(stdout).toMatch(/^last-mile curve/m);
    expect(stdout).toContain(join(out, "report.html"));
    const plan = JSON.parse(await readFile(join(out, "plan.json"), "utf8")) as {
      designs: Array<{ design: string; verdict: string }>;
      size: { boms: number };
      lastMileCurve: { rows: Array<{ share: number; design: string }> };
    };
    expect(plan.designs.map((d) => d.design)).toEqual(["director", "mriov", "traditional", "ucs"]);
    for (const d of plan.designs) expect(["met", "missed", "undecided"]).toContain(d.verdict);
    expect(plan.size.boms).toBeGreaterThan(100);
    // One row per design and share of the study's `curve`.
    const study = parse(await readFile(join(ROOT, "topologies/studies/last-mile.yaml"), "utf8")) as { curve: number[] };
    expect(plan.lastMileCurve.rows).toHaveLength(4 * new Set(study.curve).size);
    expect(new Set(plan.lastMileCurve.rows.map((r) => r.share))).toEqual(new Set(study.curve));
    const html = await readFile(join(out, "report.html"), "utf8");
    expect(html).toContain('id="iovsim-plan"');
  }, 1_800_000);
});
