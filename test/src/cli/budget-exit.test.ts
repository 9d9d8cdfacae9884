import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { EXIT } from "../../../src/cli/exit-codes.js";
import { captureOutput } from "../../helpers/output.js";
import { cli, removeTempDirs, SMALL_STUDY, TINY, tempDir, tempFile, tinyWith } from "./helpers.js";

// Exit 4, a budget hit, for each command that has budgets (exit-codes.test.ts has the other codes):
// past a size limit nothing runs and nothing is written; past a run budget the result is partial,
// labelled, and still accounts for every message. Through main(), as bin/iovsim.js runs it.
const io = captureOutput();
afterAll(removeTempDirs);

/** The tiny rack with a million servers: past the size limits before any is made. */
const huge = () => tinyWith((t) => t.replaceAll("host[1..2]", "host[1..1000000]").replace("tor:eth[1..2]", "tor:eth1"));

describe("exit 4: past a size limit", () => {
  it("validate and run refuse a million servers with the count and --allow-large; nothing written", async () => {
    const file = huge();
    expect(await cli(["validate", file])).toBe(EXIT.budget);
    expect(io.err).toMatch(
      /the file describes 1,000,00\d nodes .*more than the limit of 10,000; raise the limits with --allow-large/,
    );
    const out = join(tempDir(), "out");
    io.err = "";
    expect(await cli(["run", file, "--out", out])).toBe(EXIT.budget);
    expect(io.err).toMatch(/; nothing written\n$/);
    expect(existsSync(join(out, "result.json"))).toBe(false);
    expect(io.out).toBe("");
  });

  it("run refuses a --duration whose estimated events pass the limit, before running", async () => {
    expect(await cli(["run", TINY, "--duration", "3000s"])).toBe(EXIT.budget);
    expect(io.err).toMatch(
      /a run of 3000 s × 1 replication would take about [\d.]+e\d+ events .*--allow-large \(with the command line's --duration\/--replications\); nothing written/,
    );
  });

  it("compare refuses before running any file; blast before its first run", async () => {
    expect(await cli(["compare", TINY, huge()])).toBe(EXIT.budget);
    expect(io.err).toContain("iovsim compare: 1 of 2 files past the size limits; nothing run");
    io.err = "";
    expect(await cli(["blast", TINY, "--max-events", "1000"])).toBe(EXIT.budget);
    expect(io.err).toMatch(/runs of about [\d.]+e\d+ events in all, more than the budget of 1\.0e3; .*nothing run\n$/);
  });

  it("plan refuses a study past the limits", async () => {
    const study = tempFile("study.yaml", readFileSync(SMALL_STUDY, "utf8").replace(/servers: \d+/, "servers: 100000"));
    expect(await cli(["plan", study, "--out", join(tempDir(), "out")])).toBe(EXIT.budget);
    expect(io.err).toMatch(/servers: the study describes 100,000 servers, more than the limit of 4,096/);
  });
});

describe("exit 4: past a run budget", () => {
  it("run --max-events: a partial, labelled result that accounts for every message", async () => {
    expect(await cli(["run", TINY, "--json", "--max-events", "200"])).toBe(EXIT.budget);
    const result = JSON.parse(io.out);
    expect(result.partial).toMatchObject({ reason: "event budget", limit: 200, plannedSeconds: 0.0022 });
    expect(result.simulatedSeconds).toBeLessThan(0.0022);
    for (const w of result.workloads) expect(w.sent).toBe(w.delivered + w.dropped + w.inFlight);
    expect(io.err).toMatch(/^iovsim: partial result: stopped by the event budget \(2\.0e2 events\)/m);
  });

  it("run --allow-large lifts the size limits (the run itself stays within its event budget)", async () => {
    const file = tinyWith((t) => t.replace("{ duration: 2ms", "{ duration: 3000s"));
    expect(await cli(["run", file])).toBe(EXIT.budget);
    io.err = "";
    expect(await cli(["run", file, "--allow-large", "--max-events", "5000", "--json"])).toBe(EXIT.budget);
    expect(JSON.parse(io.out).partial.reason).toBe("event budget");
  });

  it("compare: one budget for all files; the file it ran out in is partial, the rest are not run", async () => {
    expect(await cli(["compare", TINY, TINY, "--max-events", "200", "--json"])).toBe(EXIT.budget);
    const results = JSON.parse(io.out);
    expect(results).toHaveLength(1);
    expect(results[0].partial.reason).toBe("event budget");
    expect(io.err).toContain(`iovsim: not run (budget spent): ${TINY}`);
  });
});
