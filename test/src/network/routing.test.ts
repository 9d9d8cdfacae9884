import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Replication } from "../../../src/run/replication.js";
import { parseTopology } from "../../../src/topology/load.js";

/** The routes (port ids) of every instance of `workload` in a reference rack to every target. */
function routes(rack: string, workload: string): string[][] {
  const text = readFileSync(new URL(`../../../topologies/${rack}-rack.yaml`, import.meta.url), "utf8");
  const loaded = parseTopology(text, `${rack}-rack.yaml`);
  if (!loaded.ok) throw new Error(`${rack} does not load`);
  const w = loaded.topology.workloads.find((x) => x.name === workload)!;
  const rep = new Replication(loaded.topology, 0);
  return w.instances.flatMap((inst) =>
    inst.to.nodes.map((_, target) =>
      rep.net.routes(inst, `${w.name}:${inst.host}/${inst.vm ?? ""}`, target, w.unit).forward.ports.map((p) => p.id),
    ),
  );
}

/** The route of the first instance to its first target. */
function route(rack: string, workload: string): string[] {
  return routes(rack, workload)[0]!;
}

describe("routes on the reference racks", () => {
  it("takes UCS blade-to-blade traffic up to the fabric interconnect: an IOM does no local switching", () => {
    const ports = route("ucs", "latency-sensitive");
    expect(ports.some((p) => p.startsWith("fi-a:"))).toBe(true);
    expect(ports.filter((p) => p.startsWith("iom")).length).toBe(2); // up through one IOM, down through another
  });

  it("turns director vNIC traffic between hosts at the I/O director, not in the InfiniBand switch", () => {
    expect(route("director", "latency-sensitive").some((p) => p.startsWith("dir-a:"))).toBe(true);
  });

  it("switches MR-IOV host-to-host traffic in a shared adapter's VF switch, never across PCIe hierarchies", () => {
    const ports = route("mriov", "latency-sensitive");
    expect(ports.some((p) => p.endsWith(":bus") && p.startsWith("sa-"))).toBe(true);
  });

  it("sends traditional host-to-host traffic through the access switches, between access pairs across the aggregation", () => {
    // host36 (1GbE pair 3) to the databases (10GbE pair): its access switch, the aggregation, theirs.
    for (const ports of routes("traditional", "latency-sensitive")) {
      expect(ports.some((p) => p.startsWith("sw1g-"))).toBe(true);
      expect(ports.some((p) => p.startsWith("lan:"))).toBe(true);
      expect(ports.some((p) => p.startsWith("sw10g-"))).toBe(true);
    }
  });

  it("pins UCS blades to IOM uplinks statically: blade 1 on uplink 1", () => {
    const ports = route("ucs", "vm-lan");
    expect(ports).toContain("iom1a:fabric1");
  });
});

describe("shared adapters", () => {
  it("never turn host-to-host traffic in an FC adapter: only an Ethernet adapter has a VF switch", () => {
    for (const ports of routes("mriov", "latency-sensitive")) {
      const turning = ports.filter((p) => p.startsWith("sa-") && p.endsWith(":bus"));
      expect(turning.length).toBe(1);
      expect(turning[0]).toMatch(/^sa-eth-/);
    }
  });
});
