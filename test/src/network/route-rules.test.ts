import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { expandStudy } from "../../../src/design/index.js";
import { FlowModel } from "../../../src/flow/index.js";
import { scaleStudy } from "../../../src/planner/site-scale.js";
import { instanceKey } from "../../../src/run/transport.js";
import { parseStudy } from "../../../src/study/index.js";
import { formatIssues, parseTopology } from "../../../src/topology/index.js";

const STUDY = readFileSync(new URL("../../../topologies/studies/last-mile.yaml", import.meta.url), "utf8");

describe("a shared adapter", () => {
  // Two hosts per PCIe box pair: the messaging VMs' host (host36) and the databases (host37, host38) sit on
  // different boxes, so their east-west traffic leaves one box's shared NIC for the LAN and comes in through
  // the other box's.
  const s = parseStudy(STUDY, "study.yaml");
  if (!s.ok) throw new Error(formatIssues(s.issues));
  const parsed = parseTopology(expandStudy(s.study, "mriov", { hostsPerBox: 2 }), "mriov.yaml");

  it("carries traffic from another box in to the hosts it serves (the topology's every flow has a path)", () => {
    if (!parsed.ok) throw new Error(formatIssues(parsed.issues));
    const model = new FlowModel(parsed.topology);
    expect(model.result().workloads.map((w) => [w.name, w.stranded])).toEqual(
      parsed.topology.workloads.map((w) => [w.name, 0]),
    );
  });

  it("sends it through the LAN and the destination box's shared NIC", () => {
    if (!parsed.ok) throw new Error(formatIssues(parsed.issues));
    const topo = parsed.topology;
    const model = new FlowModel(topo);
    const w = topo.workloads.find((x) => x.name === "latency-sensitive")!;
    const inst = w.instances[0]!;
    const t = inst.to.nodes.indexOf("host37");
    const r = model.net.tryRoutes(inst, `${w.name}:${inst.host}/${inst.vm}`, t, w.unit)!;
    const nodes = r.forward.ports.map((p) => p.id.split(":")[0]);
    expect(nodes).toContain("lan");
    const into = nodes.slice(nodes.indexOf("lan") + 1);
    expect(into[0]).toMatch(/^sa-eth-[ab]19-\d+$/);
    // …then its box's PCIe switch, and the database host's extender.
    expect(into.slice(1)).toEqual([expect.stringMatching(/^pbox-[ab]19$/), "host37"]);
  });
});

describe("a SAN switch", () => {
  // Sites with several units of a design, their FC ports on shared SAN fabrics A and B: PCIe box pairs of
  // 2 hosts; 1,000 servers on director pairs of 120 (6 IB uplinks per leaf); UCS domains at 256 servers.
  // Between two units the LAN and the SAN are both two hops, so only the rule keeps messages off the
  // SAN: without it the MR-IOV and director sites send some over FC (UCS pins each vNIC to a LAN uplink).
  const s = parseStudy(STUDY, "study.yaml");
  if (!s.ok) throw new Error(formatIssues(s.issues));
  const sites = [
    ["mriov", s.study, { hostsPerBox: 2 }],
    ["director", scaleStudy(s.study, 1000), { ibUplinks: 6 }],
    ["ucs", scaleStudy(s.study, 256), { iomUplinks: 8 }],
  ] as const;

  for (const [design, study, params] of sites) {
    it(`carries only storage I/O, to the arrays: no message between two ${design} units crosses Fibre Channel`, () => {
      const parsed = parseTopology(expandStudy(study, design, params), `${design}.yaml`);
      if (!parsed.ok) throw new Error(formatIssues(parsed.issues));
      const topo = parsed.topology;
      const model = new FlowModel(topo);
      let messages = 0;
      let io = 0;
      for (const w of topo.workloads)
        for (const inst of w.instances)
          for (let t = 0; t < inst.to.nodes.length; t++) {
            const r = model.net.tryRoutes(inst, instanceKey(inst), t, w.unit);
            expect(r, `${w.name} from ${inst.host} to ${inst.to.nodes[t]}`).not.toBeNull();
            const families = new Set(r!.forward.ports.map((p) => p.protocol.family));
            if (w.unit === "message") {
              messages++;
              expect(families.has("fibre-channel"), `${w.name} from ${inst.host} to ${inst.to.nodes[t]}`).toBe(false);
            } else if (families.has("fibre-channel")) io++;
          }
      expect(messages).toBeGreaterThan(0);
      expect(io).toBeGreaterThan(0);
    });
  }
});
