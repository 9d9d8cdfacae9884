import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { expandStudy } from "../../../src/design/index.js";
import { FlowModel } from "../../../src/flow/index.js";
import { PortChannels } from "../../../src/flow/port-channels.js";
import { scaleStudy } from "../../../src/planner/site-scale.js";
import { parseStudy } from "../../../src/study/index.js";
import { formatIssues, parseTopology } from "../../../src/topology/index.js";

const STUDY = readFileSync(new URL("../../../topologies/studies/last-mile.yaml", import.meta.url), "utf8");

/** 128 servers on directors with 10 FC modules each and 30 array ports per side: SAN edge and core switches, `sanIsl` ISLs per edge. */
function edgeCore(sanIsl: number) {
  const s = parseStudy(STUDY, "study.yaml");
  if (!s.ok) throw new Error(formatIssues(s.issues));
  const yaml = expandStudy(scaleStudy(s.study, 128), "director", {
    ibUplinks: 2,
    ethModules: 3,
    fcModules: 10,
    sanArrayPorts: 30,
    sanIsl,
  });
  const r = parseTopology(yaml, "director.yaml");
  if (!r.ok) throw new Error(formatIssues(r.issues));
  return r.topology;
}

/** Total offered load (bits per second, every workload) at each port. */
function offered(model: FlowModel, ports: readonly number[]): number[] {
  const W = model.topo.workloads.length;
  const rows = model.offeredAt(ports);
  return ports.map((_, k) => rows.subarray(k * W, (k + 1) * W).reduce((a, b) => a + b, 0));
}

describe("FC port channels at the flow level", () => {
  const topo = edgeCore(4);
  const model = new FlowModel(topo);
  const ports = model.net.fabric.ports;
  const channels = new PortChannels(ports, topo);

  it("bundle the ISLs between two FC switches, each direction its own channel, and nothing else", () => {
    const ids = channels.members.map((m) => Array.from(m, (i) => ports[i]!.id));
    expect(ids.length).toBeGreaterThan(0);
    for (const c of ids) {
      expect(c).toHaveLength(4);
      // One switch's ports to one other switch, both SAN switches.
      expect(new Set(c.map((id) => id.split(":")[0])).size).toBe(1);
      expect(c.every((id) => id.startsWith("san-"))).toBe(true);
    }
    for (const [i, p] of ports.entries())
      if (!p.node.name.startsWith("san-") || !p.peerNode.name.startsWith("san-")) expect(channels.of[i]).toBe(-1);
  });

  it("spread a flow's use of a member evenly over the channel: every member offered the same", () => {
    for (const m of channels.members) {
      const loads = offered(model, Array.from(m));
      expect(loads[0]!).toBeGreaterThan(0);
      for (const x of loads) expect(x).toBeCloseTo(loads[0]!, 0);
    }
  });

  it("spread it over the members that are up when one fails, offering the channel the same in all", () => {
    const m = Array.from(channels.members[0]!);
    const before = offered(model, m).reduce((a, b) => a + b, 0);
    let after: number[] = [];
    model.withDown([ports[m[0]!]!], () => {
      after = offered(model, m);
    });
    expect(after[0]).toBe(0);
    for (const x of after.slice(1)) expect(x).toBeCloseTo(before / 3, 0);
  });
});
