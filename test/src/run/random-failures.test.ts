import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { RandomStreams } from "../../../sim/random.js";
import { aggregate } from "../../../src/run/aggregate.js";
import { drawFailures } from "../../../src/run/random-failures.js";
import { Replication } from "../../../src/run/replication.js";
import { parseTopology } from "../../../src/topology/load.js";
import type { ResolvedTopology } from "../../../src/topology/types.js";

const UCS = readFileSync(new URL("../../fixtures/designs/ucs-chassis.yaml", import.meta.url), "utf8");

function topo(extra: string): ResolvedTopology {
  const r = parseTopology(`${UCS}\n${extra}`, "ucs-chassis.yaml");
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.topology;
}

describe("random failures (MTBF/MTTR)", () => {
  const t = topo("failures:\n  - { kind: fabric-extender, mtbf: 2ms, mttr: 500us }\n");

  it("alternate exponential up and down times: long-run failure rate 1/(mtbf + mttr) per node (within 5 %)", () => {
    // 2 IOMs over 10 s: expected 2 · 10 s / 2.5 ms = 8000 failures.
    const faults = drawFailures(t, new RandomStreams(1, 0), 10e12);
    const fails = faults.filter((f) => f.action === "fail").length;
    expect(Math.abs(fails / 8000 - 1)).toBeLessThan(0.05);
    // Every node alternates: fail, restore, fail, …
    for (const node of ["iom1a", "iom1b"]) {
      const own = faults.filter((f) => f.target.kind === "node" && f.target.node === node).map((f) => f.action);
      own.forEach((a, i) => {
        expect(a).toBe(i % 2 === 0 ? "fail" : "restore");
      });
    }
  });

  it("draw each node's times from its own stream: the same seed gives the same timeline, another replication another", () => {
    const a = drawFailures(t, new RandomStreams(1, 0), 20e9);
    expect(drawFailures(t, new RandomStreams(1, 0), 20e9)).toEqual(a);
    expect(drawFailures(t, new RandomStreams(1, 1), 20e9)).not.toEqual(a);
  });

  it("change the run as timed faults do, and conservation still holds", () => {
    const rep = new Replication(t, 0);
    const r = rep.result();
    expect(r.faults.length).toBeGreaterThan(0);
    for (const w of r.workloads) expect(w.sent).toBe(w.delivered + w.dropped + w.inFlight);
    expect(r.workloads.some((w) => Object.keys(w.dropReasons).some((k) => k.startsWith("failed: iom")))).toBe(true);
  });

  it("aggregate over replications that drew different failures: each replication's faults kept apart, labelled", () => {
    const reps = [0, 1, 2].map((i) => new Replication(t, i).result());
    // The draws differ per replication (one stream per replication), so no entry can merge them.
    expect(reps[1]!.faults.map((f) => f.at)).not.toEqual(reps[0]!.faults.map((f) => f.at));
    const run = aggregate(t, reps, 0);
    expect(run.faults).toHaveLength(reps.reduce((a, r) => a + r.faults.length, 0));
    for (const [i, r] of reps.entries())
      expect(run.faults.filter((f) => f.replication === i).map((f) => f.at)).toEqual(r.faults.map((f) => f.at));
    // Timed faults (the same in every replication) still merge into one entry each, unlabelled.
    const timed = topo("faults:\n  - { at: 2ms, action: fail, target: iom1a }\n");
    const merged = aggregate(
      timed,
      [0, 1].map((i) => new Replication(timed, i).result()),
      0,
    );
    expect(merged.faults).toHaveLength(1);
    expect(merged.faults[0]!.replication).toBeUndefined();
  });
});
