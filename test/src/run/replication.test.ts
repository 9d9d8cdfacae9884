import { describe, expect, it, vi } from "vitest";
import { RandomStreams } from "../../../sim/random.js";
import { Replication } from "../../../src/run/replication.js";
import { Instance, instanceKey } from "../../../src/run/transport.js";
import { loadTopologyFile } from "../../../src/topology/read-file.js";
import type { WorkloadInstance } from "../../../src/topology/types.js";

const rack = new URL("../../../topologies/mriov-rack.yaml", import.meta.url).pathname;

describe("Replication", () => {
  it("gives the instances of one workload one shared arrival pattern (distributions are immutable)", async () => {
    const loaded = await loadTopologyFile(rack);
    if (!loaded.ok) throw new Error("mriov-rack does not load");
    const topo = loaded.topology;
    const rep = new Replication(topo, 0);
    const sources = rep.transport.sources;
    const byWorkload = new Map<string, Set<unknown>>();
    let i = 0;
    for (const w of topo.workloads) {
      const patterns = byWorkload.get(w.name) ?? new Set<unknown>();
      for (const _ of w.instances) patterns.add(sources[i++]!.pattern);
      byWorkload.set(w.name, patterns);
    }
    expect(i).toBe(sources.length);
    const several = topo.workloads.filter((w) => w.instances.length > 1);
    expect(several.length).toBeGreaterThan(0);
    for (const w of several) expect(byWorkload.get(w.name)!.size).toBe(1);
    // …and each workload its own.
    const all = new Set(sources.map((s) => s.pattern));
    expect(all.size).toBe(topo.workloads.filter((w) => w.instances.length > 0).length);
  });
});

describe("Replication's sources", () => {
  it("share one SourceGroup per workload", async () => {
    const loaded = await loadTopologyFile(rack);
    if (!loaded.ok) throw new Error("mriov-rack does not load");
    const rep = new Replication(loaded.topology, 0);
    const groups = new Set(rep.transport.sources.map((s) => s.group));
    expect(groups.size).toBe(loaded.topology.workloads.filter((w) => w.instances.length > 0).length);
  });

  it("make no sizes stream for a constant size and no choices stream for one target without reads", async () => {
    const loaded = await loadTopologyFile(rack);
    if (!loaded.ok) throw new Error("mriov-rack does not load");
    const topo = loaded.topology;
    let expected = 0;
    for (const w of topo.workloads) {
      for (const inst of w.instances) {
        expected += 1 + (w.size.kind === "constant" ? 0 : 1);
        expected += w.pattern === "iops" || inst.to.nodes.length > 1 ? 1 : 0;
      }
    }
    const made: string[] = [];
    const detached = RandomStreams.prototype.detached;
    const spy = vi.spyOn(RandomStreams.prototype, "detached").mockImplementation(function (this: RandomStreams, name) {
      made.push(name);
      return detached.call(this, name);
    });
    try {
      new Replication(topo, 0);
    } finally {
      spy.mockRestore();
    }
    const instances = topo.workloads.reduce((a, w) => a + w.instances.length, 0);
    expect(made.length).toBe(expected);
    expect(made.length).toBeLessThan(3 * instances);
    expect(made.filter((n) => n.endsWith(":arrivals")).length).toBe(instances);
  });
});

describe("Instance", () => {
  it("builds its key when asked instead of keeping it", () => {
    const spec = {
      workload: "vm-lan",
      host: "host3",
      vm: "vm2",
      via: { kind: "ports", ports: ["nic0/1"] },
      to: { kind: "lan", nodes: ["lan"] },
    } as unknown as WorkloadInstance;
    const inst = new Instance(spec, "message", "udp");
    expect(inst.key).toBe("vm-lan:host3/vm2");
    expect(instanceKey({ ...spec, vm: null })).toBe("vm-lan:host3");
    expect(Object.keys(inst)).not.toContain("key");
  });
});
