import { readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { workerCount } from "../../../src/cli/plan.js";
import { captureOutput } from "../../helpers/output.js";
import { cli, removeTempDirs, SMALL_STUDY, tempDir } from "./helpers.js";

// iovsim plan says what happened: files it did not write are not listed, progress shows counts
// (never a total that grows), more workers than cores are capped and the cap is said.
const io = captureOutput();
afterAll(removeTempDirs);

describe("iovsim plan --no-curve", () => {
  it("writes and lists no curve file", async () => {
    const out = join(tempDir(), "out");
    expect(await cli(["plan", SMALL_STUDY, "--out", out, "--no-curve", "--workers", "0"])).toBe(0);
    expect(readdirSync(out).sort()).toEqual(["plan-sla.csv", "plan.csv", "plan.json", "plan.md", "report.html"]);
    expect(io.out).toContain(
      `report: ${join(out, "report.html")} (open offline); also plan.json, plan.md, plan.csv, plan-sla.csv in ${out}\n`,
    );
    expect(io.out).not.toContain("curve");
  });
});

describe("iovsim plan's progress on a terminal", () => {
  const tty = process.stderr.isTTY;
  afterEach(() => {
    process.stderr.isTTY = tty;
  });

  it("is one line of counts and elapsed time, never a percentage of a total found on the way", async () => {
    process.stderr.isTTY = true;
    const out = join(tempDir(), "out");
    expect(await cli(["plan", SMALL_STUDY, "--out", out, "--workers", "0"])).toBe(0);
    const frames = io.err.split("\r\x1b[K").filter((f) => f !== "");
    expect(frames.length).toBeGreaterThan(0);
    for (const f of frames)
      expect(f).toMatch(/^plan [|/\\-] \d+ s {2}\d+ built · flow \d+ · packet \d+( · curve \d+\/\d+)?$/);
    expect(io.err).not.toContain("%");
  });
});

describe("--workers", () => {
  it("is capped at the core count, with the reason, unless forced", () => {
    expect(workerCount(undefined, undefined, 2)).toEqual({ workers: 2, warning: null });
    expect(workerCount(0, undefined, 2)).toEqual({ workers: 0, warning: null });
    expect(workerCount(2, undefined, 2)).toEqual({ workers: 2, warning: null });
    const capped = workerCount(64, undefined, 2);
    expect(capped.workers).toBe(2);
    expect(capped.warning).toBe(
      "iovsim: warning: --workers 64 capped at 2, the number of cores: each worker thread takes its own memory and more threads than cores only contend (64 workers took 1.7 GB and ran 7× slower on 2 cores); --force-workers to use 64 anyway",
    );
    expect(workerCount(64, true, 2)).toEqual({ workers: 64, warning: null });
  });
});
