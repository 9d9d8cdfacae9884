import { describe, expect, it } from "vitest";
import { blastSummary } from "../../../src/report/blast.js";
import { runSummary } from "../../../src/report/run-summary.js";
import { aggregate } from "../../../src/run/aggregate.js";
import { type BlastResult, type BlastRow, blastOrder, surviveVerdict } from "../../../src/run/blast.js";
import { Replication } from "../../../src/run/replication.js";
import { design } from "../network/helpers.js";

const row = (target: string, over: Partial<BlastRow> = {}): BlastRow => ({
  target,
  kind: "ethernet-switch",
  affectedServers: [],
  affectedWorkloads: [],
  unprotectedServers: [],
  unprotectedWorkloads: [],
  slaMissed: [],
  outageSeconds: 0,
  lost: 0,
  failover: [],
  stuck: {},
  windowContainsFailover: true,
  ...over,
});
const study = (rows: BlastRow[], baselineMissed: string[] = [], redundancy: "none" | null = null): BlastResult => ({
  topology: "t",
  design: "traditional",
  failover: { multipath: 5, teaming: 0.1 },
  windowSeconds: 0.02,
  redundancy,
  baselineMissed,
  rows,
  notes: [],
});

describe("sla survive: single-failure", () => {
  it("is met only if no single failure misses an SLA row or strands a server", () => {
    const ok = study([row("sw1", { affectedServers: ["h1"] }), row("sw2")]);
    expect(surviveVerdict(ok, true)).toEqual({ status: "met", reasons: [] });
    const sla = study([row("sw1", { slaMissed: ["web lossRatio"] })]);
    expect(surviveVerdict(sla, true).status).toBe("missed");
    expect(surviveVerdict(sla, false).status).toBe("met");
    const spof = study([row("box", { unprotectedServers: ["h1", "h2"] })]);
    expect(surviveVerdict(spof, true).reasons).toEqual(["box failed: 2 servers without a path"]);
    expect(surviveVerdict(study([], ["web lossRatio"]), false).status).toBe("missed");
    // A declared non-redundant design still misses, and says its single points of failure are by design.
    expect(surviveVerdict(study([row("box", { unprotectedServers: ["h1"] })], [], "none"), true).reasons).toEqual([
      "box failed: 1 servers without a path (declared non-redundant)",
    ]);
    // Stuck work behind a component is named with the rows it breaks.
    const stuck = study([row("san-a", { slaMissed: ["db-io latency.p99"], stuck: { "db-io": 600 } })]);
    expect(surviveVerdict(stuck, true).reasons).toEqual([
      "san-a failed: missed db-io latency.p99 (600 db-io stuck at the end)",
    ]);
  });

  it("ranks single points of failure first, then blast radius, then SLA impact", () => {
    const rows = [
      row("b", { affectedServers: ["h1", "h2"] }),
      row("a", { affectedServers: ["h1"], slaMissed: ["x"] }),
      row("c", { affectedServers: ["h1"], unprotectedServers: ["h1"] }),
    ].sort(blastOrder);
    expect(rows.map((r) => r.target)).toEqual(["c", "b", "a"]);
    const text = blastSummary(study(rows));
    expect(text).toContain("survive: single-failure — MISSED");
    expect(text).toContain("failover per mechanism: multipath 5.000 s, teaming 100.00 ms");
  });
});

describe("fault timeline in the terminal summary", () => {
  it("lists each fault with its target, blast radius, outage and losses", () => {
    const topo = {
      ...design("ucs-chassis.yaml"),
      faults: [{ atTicks: 1e9, action: "fail" as const, target: { kind: "node" as const, node: "iom1a" } }],
    };
    const rep = new Replication(topo, 0, topo.experiment.seed, { failoverTicks: 2e8 });
    const text = runSummary(aggregate(topo, [rep.result()], 0));
    expect(text).toContain("faults (outage");
    expect(text).toMatch(/1\.00 ms\s+iom1a\s+—\s+8/);
  });
});
