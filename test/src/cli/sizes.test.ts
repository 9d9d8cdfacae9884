import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { EXIT } from "../../../src/cli/exit-codes.js";
import { evaluationsText } from "../../../src/cli/sizes.js";
import { captureOutput } from "../../helpers/output.js";
import { cli, removeTempDirs, SMALL_STUDY, tempDir } from "./helpers.js";

// iovsim plan --sizes: the site-size curve's set, and its budgets. A curve at 512–1,000 servers runs for
// many minutes and holds hundreds of evaluations in the planner's thread: it stops cleanly (exit 4, nothing
// written) at a wall-clock or memory budget instead of running out of heap.
const io = captureOutput();
afterAll(removeTempDirs);

describe("iovsim plan --sizes", () => {
  it("writes site-size.json and site-size.csv and prints the crossovers", async () => {
    const out = join(tempDir(), "out");
    const code = await cli([
      "plan",
      SMALL_STUDY,
      "--sizes",
      "8,12",
      "--workers",
      "0",
      "--no-fail-on-miss",
      "--out",
      out,
    ]);
    expect(code).toBe(EXIT.ok);
    expect(readdirSync(out).sort()).toEqual(["site-size.csv", "site-size.json"]);
    expect(io.out).toContain("crossovers (the first size where a design that was dearer per server is cheaper):");

    // One (size, design) search at a time instead of two: the same curve.
    const oneAtATime = join(tempDir(), "one");
    const args = ["plan", SMALL_STUDY, "--sizes", "8,12", "--workers", "0", "--no-fail-on-miss", "--at-once", "1"];
    expect(await cli([...args, "--out", oneAtATime])).toBe(EXIT.ok);
    const csv = (dir: string) => readFileSync(join(dir, "site-size.csv"), "utf8");
    expect(csv(oneAtATime)).toBe(csv(out));
  });

  it("stops at the memory budget with exit 4, says so and writes nothing", async () => {
    const out = join(tempDir(), "out");
    expect(await cli(["plan", SMALL_STUDY, "--sizes", "8", "--workers", "0", "--max-heap", "1", "--out", out])).toBe(
      EXIT.budget,
    );
    expect(io.err).toMatch(
      /^iovsim: stopped by the memory budget before the site-size curve was complete: the planner thread held \d+ MiB of live heap \(budget 1 MiB\); nothing written\. Run fewer searches at once \(--at-once N\)/m,
    );
    expect(existsSync(join(out, "site-size.json"))).toBe(false);
  });

  it("stops at the wall-clock budget with exit 4 and writes nothing", async () => {
    const out = join(tempDir(), "out");
    expect(await cli(["plan", SMALL_STUDY, "--sizes", "8", "--workers", "0", "--max-wall", "1e-6", "--out", out])).toBe(
      EXIT.budget,
    );
    expect(io.err).toContain(
      "iovsim: stopped by the wall-clock budget (0.000001 s) before the site-size curve was complete; nothing written",
    );
    expect(existsSync(join(out, "site-size.json"))).toBe(false);
  });

  it("refuses a --max-heap that is not a whole number of MiB, or --at-once 0 (exit 2)", async () => {
    expect(await cli(["plan", SMALL_STUDY, "--sizes", "8", "--max-heap", "0.5"])).toBe(EXIT.usage);
    expect(io.err).toContain("--max-heap must be a whole number of MiB above 0");
    expect(await cli(["plan", SMALL_STUDY, "--sizes", "8", "--at-once", "0"])).toBe(EXIT.usage);
    expect(io.err).toContain("--at-once must be an integer ≥ 1");
  });

  it("refuses the curve's own options without --sizes, and the plan's own with it (exit 2), instead of ignoring them", async () => {
    const out = join(tempDir(), "out");
    expect(await cli(["plan", SMALL_STUDY, "--sizes-budget", "5", "--at-once", "2", "--out", out])).toBe(EXIT.usage);
    expect(io.err).toContain("iovsim: --sizes-budget, --at-once: only with --sizes (the site-size curve)");
    expect(await cli(["plan", SMALL_STUDY, "--sizes-confirm", "--out", out])).toBe(EXIT.usage);
    expect(io.err).toContain("iovsim: --sizes-confirm: only with --sizes");
    expect(await cli(["plan", SMALL_STUDY, "--sizes", "8", "--precision", "0.05", "--replications", "5"])).toBe(
      EXIT.usage,
    );
    expect(io.err).toContain("iovsim: --precision, --replications: not with --sizes (the curve is flow level;");
    expect(existsSync(out)).toBe(false);
  });

  it("takes sites past 4,096 servers only with --allow-large (refused with exit 2 and the override named)", async () => {
    const out = join(tempDir(), "out");
    expect(await cli(["plan", SMALL_STUDY, "--sizes", "8,5000", "--out", out])).toBe(EXIT.usage);
    expect(io.err).toContain(
      "iovsim: --sizes: 5,000 servers; a site size is at most 4,096 (raise the limit with --allow-large)",
    );
    expect(existsSync(out)).toBe(false);
    // Accepted with it; a shard past the last search plans nothing (one size, one search per design).
    const large = ["plan", SMALL_STUDY, "--sizes", "5000", "--allow-large", "--shard", "9/9", "--workers", "0"];
    expect(await cli([...large, "--out", out])).toBe(EXIT.ok);
    expect(io.err).toContain("shard 9/9 (nothing: more shards than searches)");
    expect(existsSync(join(out, "shard.json"))).toBe(true);
  });

  it("confirms each size with --replications when --sizes-confirm asks for packet level", async () => {
    const out = join(tempDir(), "out");
    const args = ["plan", SMALL_STUDY, "--sizes", "8", "--sizes-confirm", "--replications", "4", "--workers", "0"];
    expect(await cli([...args, "--no-fail-on-miss", "--out", out])).toBe(EXIT.ok);
    const curve = JSON.parse(readFileSync(join(out, "site-size.json"), "utf8")) as {
      size: { packet: { replications: number } | null }[];
    };
    const confirmed = curve.size.flatMap((s) => (s.packet === null ? [] : [s.packet.replications]));
    expect(confirmed.length).toBeGreaterThan(0);
    expect(new Set(confirmed)).toEqual(new Set([4]));
  });
});

describe("the site-size curve's status line", () => {
  it("counts the candidates built where an evaluator builds them, and leaves the count out where it cannot (--workers 0)", () => {
    const answered = { build: 84, flow: 4, replicate: 0 };
    expect(evaluationsText(answered, true)).toBe("84 candidates built, 4 flow-level and 0 packet-level evaluations");
    expect(evaluationsText(answered, false)).toBe("4 flow-level and 0 packet-level evaluations");
  });
});

describe("iovsim plan --max-heap", () => {
  it("stops the plan at the memory budget with exit 4 and writes nothing", async () => {
    const out = join(tempDir(), "out");
    expect(await cli(["plan", SMALL_STUDY, "--no-curve", "--workers", "0", "--max-heap", "1", "--out", out])).toBe(
      EXIT.budget,
    );
    expect(io.err).toMatch(/^iovsim: stopped by the memory budget before the plan was complete: .*nothing written\./m);
    expect(existsSync(join(out, "plan.json"))).toBe(false);
  });

  it("gives up a search after --sizes-budget flow-level evaluations, says why and states the budget in its rule", async () => {
    const out = join(tempDir(), "out");
    const code = await cli([
      "plan",
      SMALL_STUDY,
      "--sizes",
      "16",
      "--sizes-budget",
      "1",
      "--workers",
      "0",
      "--no-fail-on-miss",
      "--json",
      "--out",
      out,
    ]);
    expect(code).toBe(EXIT.ok);
    const curve = JSON.parse(io.out) as { rule: string; size: Array<{ flow: { evaluations: number } }> };
    expect(curve.rule).toContain("at most 1 flow-level evaluations per size and design");
    for (const s of curve.size) expect(s.flow.evaluations).toBeLessThanOrEqual(1);
    expect(await cli(["plan", SMALL_STUDY, "--sizes", "8", "--sizes-budget", "0"])).toBe(EXIT.usage);
    expect(io.err).toContain("--sizes-budget must be a whole number ≥ 1");
  });
});
