import { describe, expect, it } from "vitest";
import { Replication } from "../../../src/run/replication.js";
import { loadTopologyFile } from "../../../src/topology/read-file.js";

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
