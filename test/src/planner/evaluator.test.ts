import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runReplicationJob } from "../../../src/planner/evaluator.js";
import { parseTopology } from "../../../src/topology/index.js";

const FILE = new URL("../../../topologies/mriov-rack.yaml", import.meta.url).pathname;

describe("runReplicationJob", () => {
  it("runs a precision round's longer window when the job asks for one", () => {
    const yaml = readFileSync(FILE, "utf8");
    const parsed = parseTopology(yaml, FILE);
    if (!parsed.ok) throw new Error("reference rack invalid");
    const { warmupTicks, durationTicks } = parsed.topology.experiment;
    // A quarter of the file's window keeps the test short; the precision procedure doubles runs the same way.
    const short = runReplicationJob({ yaml, file: FILE, replication: 0, durationTicks: durationTicks / 4 });
    const long = runReplicationJob({ yaml, file: FILE, replication: 0, durationTicks: durationTicks / 2 });
    expect(short.simulatedSeconds).toBeCloseTo((warmupTicks + durationTicks / 4) / 1e12, 12);
    expect(long.simulatedSeconds).toBeCloseTo((warmupTicks + durationTicks / 2) / 1e12, 12);
    expect(long.windowSeconds).toBeCloseTo(2 * short.windowSeconds, 12);
  });
});
