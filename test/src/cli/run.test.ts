import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { captureOutput } from "../../helpers/output.js";
import { cli, removeTempDirs, TINY, tempDir } from "./helpers.js";

// iovsim run says what happened: the CIs of its replications, the options that change nothing.
const io = captureOutput();
afterAll(removeTempDirs);

describe("iovsim run", () => {
  it("shows the 95 % CI half-widths beside p99 and the delivered rate with --replications", async () => {
    expect(await cli(["run", TINY, "--replications", "3"])).toBe(0);
    expect(io.out).toMatch(/^web\s+message\s+\S+ Mb\/s\s+\S+ Mb\/s ± \S+ [kM]?b\/s\s+\S+ us\s+\S+ us ± \S+ [nu]s /m);
    expect(io.out).toContain("± : 95 % confidence interval half-widths across the 3 replications (Student t)");
    io.out = "";
    // One replication (no precision target: the file's fixed replications) has no interval to show.
    expect(await cli(["run", TINY, "--precision", "off"])).toBe(0);
    expect(io.out).not.toContain("±");
  });

  it("warns when an option has no effect", async () => {
    expect(await cli(["run", TINY, "--failover", "300ms", "--trace-every", "5"])).toBe(0);
    expect(io.err).toBe(
      "iovsim: warning: --failover 300ms has no effect: tiny has no faults (add faults: or failures:, or use iovsim blast)\n" +
        "iovsim: warning: --trace-every has no effect without --trace FILE\n",
    );
  });

  it("writes result.json and the trace whole, with nothing left beside them", async () => {
    const parent = tempDir();
    const out = join(parent, "out");
    const trace = join(parent, "t.jsonl");
    expect(await cli(["run", TINY, "--out", out, "--trace", trace, "--trace-every", "1"])).toBe(0);
    expect(readdirSync(parent).sort()).toEqual(["out", "t.jsonl"]);
    expect(readdirSync(out)).toEqual(["result.json"]);
    const result = JSON.parse(readFileSync(join(out, "result.json"), "utf8")) as { workloads: { sent: number }[] };
    const lines = readFileSync(trace, "utf8").trimEnd().split("\n");
    expect(lines.length).toBeGreaterThan(10);
    expect(lines.length).toBeLessThanOrEqual(result.workloads[0]!.sent);
    expect(JSON.parse(lines[0]!)).toMatchObject({ replication: 0, workload: "web" });
  });
});
