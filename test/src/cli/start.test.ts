import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { planLikeStart, removeTempDirs, SMALL_STUDY, tempDir } from "./helpers.js";

// What `npm start` runs — the compiled CLI's `plan` with its worker threads, the table,
// the curve and every report file — on a small study, so `npm test` takes seconds here.
// The built-in study itself runs in `npm run test:slow` (start.slow.test.ts).
afterAll(removeTempDirs);

describe("npm start's command on a small study", () => {
  it("prints a verdict for each of the four designs, the curve, and writes every report file", async () => {
    const out = join(tempDir("iovsim-plan-"), "out");
    const stdout = await planLikeStart(SMALL_STUDY, out);
    for (const design of ["traditional", "director", "ucs", "mriov"])
      expect(stdout).toMatch(new RegExp(`^${design} `, "m"));
    expect(stdout).toMatch(/study size/);
    expect(stdout).toMatch(/^last-mile curve/m);
    expect(stdout).toMatch(/^wall time [\d.]+ s on \d+ worker threads?$/m);
    expect(stdout).toContain(
      `report: ${join(out, "report.html")} (open offline); also plan.json, plan.md, plan.csv, plan-sla.csv, last-mile-curve.csv in ${out}`,
    );
    const plan = JSON.parse(await readFile(join(out, "plan.json"), "utf8")) as {
      study: string;
      designs: Array<{ design: string; verdict: string }>;
      lastMileCurve: { rows: unknown[] };
    };
    expect(plan.study).toBe("small");
    expect(plan.designs.map((d) => d.design)).toEqual(["director", "mriov", "traditional", "ucs"]);
    for (const d of plan.designs) expect(d.verdict).toBe("met");
    expect(plan.lastMileCurve.rows).toHaveLength(6 * 4); // the study's curve shares (default 40, 60, 80, 90, 95, 100 %)
    const html = await readFile(join(out, "report.html"), "utf8");
    expect(html).toContain('id="iovsim-plan"');
  }, 300_000);
});
