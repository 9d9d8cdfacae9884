import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { removeTempDirs, SMALL_STUDY, spawnCli, tempDir } from "./helpers.js";
import { interruptAtRandom } from "./interrupts.js";

// Long work can be interrupted cleanly: Ctrl-C stops the plan and its worker threads, exits
// 130 and leaves no half-written output (the compiled CLI: `npm test` builds first). Each
// test waits for the CLI's ready line, never for a fixed time, so a busy machine only makes
// it slower. The 50-try version runs in `npm run test:slow`.
afterAll(removeTempDirs);

describe("iovsim plan interrupted", () => {
  it("exits 130 on SIGINT once ready, says nothing was written, and writes nothing", async () => {
    const parent = tempDir("iovsim-int-");
    const dir = join(parent, "plan");
    const run = spawnCli(["plan", SMALL_STUDY, "--out", dir]);
    await run.ready("plan");
    run.child.kill("SIGINT");
    const { code } = await run.exit;
    expect(code).toBe(130);
    expect(run.stderr()).toContain("interrupted; nothing written");
    expect(run.stderr()).not.toMatch(/Error|^\s+at /m);
    expect(existsSync(dir)).toBe(false);
    expect(readdirSync(parent)).toEqual([]);
  }, 120_000);

  it("leaves the complete old set or the complete new set at random points (4 seeded tries)", async () => {
    const found = await interruptAtRandom(4, 1);
    expect(found.old + found.new).toBe(4);
  }, 300_000);
});

describe("two plans into one output directory", () => {
  it("the second refuses at once and names the first, which finishes its set", async () => {
    const parent = tempDir("iovsim-two-");
    const dir = join(parent, "out");
    const args = ["plan", SMALL_STUDY, "--no-curve", "--workers", "0", "--out", dir];
    const first = spawnCli(args);
    await first.ready("plan");
    const second = spawnCli(args);
    const refused = await second.exit;
    expect(refused.code).toBe(2);
    expect(second.stderr()).toMatch(
      new RegExp(
        `^iovsim: --out ${dir}: in use by another iovsim \\(\`iovsim plan\`, pid ${first.child.pid}, since `,
        "m",
      ),
    );
    expect((await first.exit).code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(["plan-sla.csv", "plan.csv", "plan.json", "plan.md", "report.html"]);
    expect(readdirSync(parent)).toEqual(["out"]);
  }, 120_000);
});
