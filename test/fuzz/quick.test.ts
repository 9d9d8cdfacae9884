import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fuzzCase } from "./cases.js";
import { formatReport, fuzz } from "./summary.js";
import { BAD } from "./verdict.js";

const root = new URL("../..", import.meta.url).pathname;

// The seeded quick run of the fuzz suite (`npm run fuzz` runs 100,000 cases): every case
// through the compiled CLI commands on a worker thread. Needs `npm run build` (npm test does it).
describe("fuzzed input (quick run)", () => {
  it("refuses cleanly or runs and conserves, for 200 mutated racks, studies, catalogs and fault lists", async () => {
    const report = await fuzz(200, 15, { workers: 1, hangSeconds: 120, heapMb: 1024 });
    const bad = BAD.filter((v) => report.counts[v] > 0);
    expect(bad, formatReport(report)).toEqual([]);
    // The cases are varied: some refused, some run.
    expect(report.counts["refused (3)"]).toBeGreaterThan(20);
    expect(report.counts["ran (0/1)"]).toBeGreaterThan(10);
  }, 600_000);

  it("gives the compiled binary's exit code for the same cases (a few, through bin/iovsim.js)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "iovsim-fuzz-bin-"));
    try {
      const cases = fc.sample(fuzzCase, { numRuns: 6, seed: 151 });
      for (const [i, c] of cases.entries()) {
        const file = join(dir, `${i}-${c.file}`);
        writeFileSync(file, c.text);
        const args =
          c.command === "run"
            ? ["run", file, "--json", "--max-events", String(c.maxEvents), "--max-wall", String(c.maxWall)]
            : c.command === "expand"
              ? ["expand", file, "--design", c.design ?? "ucs"]
              : c.command === "bom"
                ? ["bom", "topologies/ucs-rack.yaml", "--catalog", file, "--json"]
                : ["validate", file];
        const r = spawnSync(process.execPath, ["bin/iovsim.js", ...args], {
          cwd: root,
          encoding: "utf8",
          timeout: 120_000,
        });
        expect(r.signal, `${c.command} of ${c.seed} was killed`).toBeNull();
        expect([0, 1, 2, 3, 4], `${c.command} of ${c.seed}: ${r.stderr.slice(0, 300)}`).toContain(r.status);
        expect(r.stderr).not.toMatch(/internal error|^\s+at /m);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 600_000);
});
