import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = new URL("../../..", import.meta.url).pathname;

// The product's main command, end to end, as `npm start` runs it (the compiled CLI:
// `npm test` builds first): the plan of the built-in study, its table and plan.json.
describe("npm start: iovsim plan on the built-in study", () => {
  it("prints a verdict for each of the four designs and writes plan.json", async () => {
    const out = await mkdtemp(join(tmpdir(), "iovsim-plan-"));
    try {
      const { stdout } = await run(
        process.execPath,
        ["bin/iovsim.js", "plan", "topologies/studies/last-mile.yaml", "--out", out],
        { cwd: root, maxBuffer: 16 * 1024 * 1024 },
      );
      for (const design of ["traditional", "director", "ucs", "mriov"])
        expect(stdout).toMatch(new RegExp(`^${design} `, "m"));
      expect(stdout).toMatch(/study size/);
      expect(stdout).toMatch(/^last-mile curve/m);
      expect(stdout).toContain(join(out, "report.html"));
      const plan = JSON.parse(await readFile(join(out, "plan.json"), "utf8")) as {
        designs: Array<{ design: string; verdict: string; chosen: { bom: { totals: { cables: number } } } | null }>;
        size: { boms: number };
        lastMileCurve: { rows: Array<{ share: number; design: string }> };
      };
      expect(plan.designs.map((d) => d.design)).toEqual(["director", "mriov", "traditional", "ucs"]);
      for (const d of plan.designs) expect(["met", "missed", "undecided"]).toContain(d.verdict);
      expect(plan.size.boms).toBeGreaterThan(100);
      expect(plan.lastMileCurve.rows).toHaveLength(5 * 4);
      // The report embeds the plan it shows.
      const html = await readFile(join(out, "report.html"), "utf8");
      expect(html).toContain('id="iovsim-plan"');
    } finally {
      await rm(out, { recursive: true, force: true });
    }
    // A hang guard only: the plan takes under a minute on an idle 2-core machine, several on a busy one.
  }, 900_000);
});
