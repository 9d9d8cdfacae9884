import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { EXIT } from "../../../src/cli/exit-codes.js";
import { captureOutput } from "../../helpers/output.js";
import { cli, removeTempDirs, SMALL_STUDY, tempDir, tempFile } from "./helpers.js";

// iovsim sweep: the plan at every point of a grid of --set values (and --sizes), one table and sweep.csv,
// the same on worker threads as in this thread (on the Redis queue: test/src/node/queue-evaluator.test.ts).
const io = captureOutput();
afterAll(removeTempDirs);

/** The small study with two designs: a sweep of two points plans four searches in seconds. */
let study: string;
beforeAll(() => {
  const raw = parse(readFileSync(SMALL_STUDY, "utf8")) as { designs: Record<string, unknown> };
  raw.designs = { director: raw.designs.director, mriov: raw.designs.mriov };
  study = tempFile("small.yaml", stringify(raw));
});

const sweepArgs = (out: string, ...more: string[]) => [
  "sweep",
  study,
  "--set",
  "objective=hardware,capex",
  "--out",
  out,
  ...more,
];

describe("iovsim sweep", () => {
  it("plans every point of the grid and writes one table, sweep.csv and sweep.json", async () => {
    const out = join(tempDir(), "out");
    expect(await cli(sweepArgs(out, "--workers", "0"))).toBe(EXIT.ok);
    expect(readdirSync(out).sort()).toEqual(["sweep.csv", "sweep.json"]);
    expect(io.out).toMatch(/^iovsim sweep small: 2 points$/m);
    const csv = readFileSync(join(out, "sweep.csv"), "utf8").trimEnd().split("\n");
    expect(csv[0]).toMatch(/^objective,servers,design,/);
    // A row per point and design, the grid in order.
    expect(csv.slice(1).map((line) => line.split(",").slice(0, 3).join(","))).toEqual([
      "hardware,8,director",
      "hardware,8,mriov",
      "capex,8,director",
      "capex,8,mriov",
    ]);
    expect(JSON.parse(readFileSync(join(out, "sweep.json"), "utf8"))).toHaveLength(2);
  }, 120_000);

  it("writes the same sweep.csv on worker threads, and planning one point at a time (--at-once 1)", async () => {
    const [local, pool, one] = [join(tempDir(), "local"), join(tempDir(), "pool"), join(tempDir(), "one")];
    expect(await cli(sweepArgs(local, "--workers", "0"))).toBe(EXIT.ok);
    expect(await cli(sweepArgs(pool, "--workers", "2", "--force-workers"))).toBe(EXIT.ok);
    expect(await cli(sweepArgs(one, "--workers", "2", "--force-workers", "--at-once", "1"))).toBe(EXIT.ok);
    const csv = (dir: string) => readFileSync(join(dir, "sweep.csv"), "utf8");
    expect(csv(pool)).toBe(csv(local));
    expect(csv(one)).toBe(csv(local));
  }, 120_000);

  it("refuses a --set that is not path=values, --at-once 0 or a size that is not a server count, with exit 2, and writes nothing", async () => {
    const out = join(tempDir(), "out");
    expect(await cli(["sweep", study, "--set", "objective", "--out", out])).toBe(EXIT.usage);
    expect(io.err).toContain("--set must be path=value1,value2,…");
    expect(await cli(["sweep", study, "--set", "objective=tco", "--at-once", "0", "--out", out])).toBe(EXIT.usage);
    expect(io.err).toContain("--at-once must be an integer ≥ 1");
    // Sizes as plan --sizes takes them, with the same message.
    expect(await cli(["sweep", study, "--set", "objective=tco", "--sizes", "8,abc", "--out", out])).toBe(EXIT.usage);
    expect(io.err).toContain(
      'iovsim: --sizes: expected server counts (whole numbers from 1) separated by commas, got "8,abc"',
    );
    expect(await cli(["sweep", study, "--sizes", "8,5000", "--out", out])).toBe(EXIT.usage);
    expect(io.err).toContain(
      "iovsim: --sizes: 5,000 servers; a site size is at most 4,096 (raise the limit with --allow-large)",
    );
    expect(existsSync(out)).toBe(false);
  });

  it("stops at the memory budget or the wall-clock budget with exit 4, says so and writes nothing", async () => {
    const out = join(tempDir(), "out");
    expect(await cli(sweepArgs(out, "--workers", "0", "--max-heap", "1"))).toBe(EXIT.budget);
    expect(io.err).toMatch(
      /^iovsim: stopped by the memory budget before the sweep was complete: the planner thread held \d+ MiB of live heap \(budget 1 MiB\); nothing written\. Plan fewer points at once \(--at-once N\)/m,
    );
    expect(await cli(sweepArgs(out, "--workers", "0", "--max-wall", "1e-6"))).toBe(EXIT.budget);
    expect(io.err).toContain(
      "iovsim: stopped by the wall-clock budget (0.000001 s) before the sweep was complete; nothing written",
    );
    expect(existsSync(join(out, "sweep.csv"))).toBe(false);
  });

  it("refuses a point that makes the study invalid with exit 3, placing the problem in the file", async () => {
    const out = join(tempDir(), "out");
    expect(await cli(["sweep", study, "--set", "objective=cheapest", "--workers", "0", "--out", out])).toBe(
      EXIT.invalidInput,
    );
    expect(io.err).toMatch(
      /^\S+small\.yaml:\d+:1 objective: unknown objective "cheapest".* \(from --set objective=cheapest\)$/m,
    );
    expect(io.err).toContain("nothing written");
    expect(existsSync(join(out, "sweep.csv"))).toBe(false);
  });
});
