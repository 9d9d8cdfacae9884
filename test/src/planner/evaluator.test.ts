import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { guardedEvaluator, inProcessEvaluator, runFlowJob, runReplicationJob } from "../../../src/planner/evaluator.js";
import type { Evaluator } from "../../../src/planner/types.js";
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

describe("runFlowJob", () => {
  it("answers with the evaluation's size and time, not its per-link results (what the search holds per candidate)", () => {
    const yaml = readFileSync(FILE, "utf8");
    const entry = runFlowJob({ yaml, file: FILE, survive: false });
    expect(Object.keys(entry.flow).sort()).toEqual(["design", "flows", "phases", "rounds", "topology", "wallSeconds"]);
    expect(entry.flow.flows).toBeGreaterThan(0);
    expect(entry.summary.sla.length).toBeGreaterThan(0);
  });
});

describe("guardedEvaluator", () => {
  const yaml = readFileSync(FILE, "utf8");
  const job = { yaml, file: FILE, survive: false };

  it("checks before each job and counts each answer by kind", async () => {
    const calls: string[] = [];
    const e = guardedEvaluator(
      inProcessEvaluator,
      () => calls.push("before"),
      (kind) => calls.push(kind),
    );
    await e.flow(job);
    await e.replicate({ yaml, file: FILE, replication: 0, durationTicks: 1e8 });
    expect(calls).toEqual(["before", "flow", "before", "replicate"]);
    expect(e.concurrency).toBe(1);
  });

  it("does not start a job when the check throws (a budget passed)", async () => {
    let started = 0;
    const inner: Evaluator = {
      ...inProcessEvaluator,
      flow: (j) => {
        started++;
        return inProcessEvaluator.flow(j);
      },
    };
    const e = guardedEvaluator(inner, () => {
      throw new Error("budget");
    });
    await expect(e.flow(job)).rejects.toThrow("budget");
    expect(started).toBe(0);
  });

  it("hands each search an evaluator of its own whose jobs pass the same checks", async () => {
    const calls: string[] = [];
    let searches = 0;
    const inner: Evaluator = {
      ...inProcessEvaluator,
      forSearch: () => {
        searches++;
        return inProcessEvaluator;
      },
    };
    const e = guardedEvaluator(
      inner,
      () => calls.push("before"),
      (kind) => calls.push(kind),
    );
    const search = e.forSearch!();
    expect(searches).toBe(1);
    await search.flow(job);
    expect(calls).toEqual(["before", "flow"]);
    expect(guardedEvaluator(inProcessEvaluator, () => {}).forSearch).toBeUndefined();
  });

  it("reports the inner evaluator's concurrency as it changes (queue workers joining)", () => {
    let threads = 1;
    const inner: Evaluator = {
      ...inProcessEvaluator,
      get concurrency() {
        return threads;
      },
    };
    const e = guardedEvaluator(inner, () => {});
    threads = 5;
    expect(e.concurrency).toBe(5);
  });
});
