import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { evaluateFlows } from "../../../src/flow/index.js";
import { flowSla } from "../../../src/planner/sla.js";
import { formatIssues, parseTopology } from "../../../src/topology/index.js";

const rack = () => {
  const r = parseTopology(
    readFileSync(new URL("../../../topologies/mriov-rack.yaml", import.meta.url), "utf8"),
    "mriov-rack.yaml",
  );
  if (!r.ok) throw new Error(formatIssues(r.issues));
  return r.topology;
};

describe("flowSla", () => {
  it("meets the MR-IOV rack's rows at flow level", () => {
    const topo = rack();
    expect(flowSla(topo, evaluateFlows(topo)).sla.map((r) => r.status)).toEqual(topo.sla.map(() => "met"));
  });

  it("misses every row of a workload some of whose flows have no path, whatever the routed flows say", () => {
    const topo = rack();
    const flow = evaluateFlows(topo);
    const workloads = flow.workloads.map((w) => (w.name === "db-io" ? { ...w, stranded: 1 } : w));
    const rows = flowSla(topo, { workloads }).sla;
    for (const r of rows) expect(r.status).toBe(r.workload === "db-io" ? "missed" : "met");
    expect(rows.some((r) => r.workload === "db-io")).toBe(true);
  });
});
