import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { TICKS_PER_SECOND } from "../../../sim/units.js";
import type { FlowRoutes } from "../../../src/network/build.js";
import { Replication } from "../../../src/run/replication.js";
import { instanceKey } from "../../../src/run/transport.js";
import { parseTopology } from "../../../src/topology/load.js";
import type { ResolvedTopology } from "../../../src/topology/types.js";

const MS = TICKS_PER_SECOND / 1e3;

function rack(name: string): ResolvedTopology {
  const file = new URL(`../../../topologies/${name}-rack.yaml`, import.meta.url);
  const loaded = parseTopology(readFileSync(file, "utf8"), `${name}-rack.yaml`);
  if (!loaded.ok) throw new Error(`${name}-rack does not load`);
  const t = loaded.topology;
  return { ...t, experiment: { ...t.experiment, warmupTicks: 1 * MS, durationTicks: 3 * MS } };
}

/** A route as plain data: port ids and queues out and back, MTU, hash. */
function plain(r: FlowRoutes | null) {
  if (r === null) return null;
  return {
    forward: r.forward.ports.map((p) => p.id),
    forwardQueues: [...r.forward.queues],
    reverse: r.reverse.ports.map((p) => p.id),
    reverseQueues: [...r.reverse.queues],
    mtu: r.mtu,
    hash: r.hash,
  };
}

/** Every flow of a replication: its instance number, target and the network's arguments. */
function flows(rep: Replication) {
  const out: Array<{ source: number; target: number; ask: () => FlowRoutes | null }> = [];
  let source = 0;
  for (const w of rep.topo.workloads) {
    for (const inst of w.instances) {
      const s = source;
      for (let t = 0; t < inst.to.nodes.length; t++)
        out.push({ source: s, target: t, ask: () => rep.net.tryRoutes(inst, instanceKey(inst), t, w.unit) });
      source++;
    }
  }
  return out;
}

describe("FabricTransport", () => {
  it("keeps each flow's routes at its own place among its instance's targets, equal to the network's", () => {
    for (const design of ["mriov", "ucs"]) {
      const rep = new Replication(rack(design), 0);
      const all = flows(rep);
      expect(all.some((f) => f.target > 0)).toBe(true);
      // Backwards, so a table that filled places by order of asking would be caught.
      for (const f of [...all].reverse())
        expect(plain(rep.transport.routeOf(f.source, f.target))).toEqual(plain(f.ask()));
      expect(all.length).toBeGreaterThan(rep.transport.sources.length - 1);
    }
  });

  it("holds the only copy of a flow's routes: the network computes them afresh on each call", () => {
    const rep = new Replication(rack("director"), 0);
    for (const f of flows(rep)) {
      const kept = rep.transport.routeOf(f.source, f.target);
      expect(rep.transport.routeOf(f.source, f.target)).toBe(kept);
      const again = f.ask();
      expect(again).not.toBe(kept);
      expect(plain(again)).toEqual(plain(kept));
    }
  });

  it("holds a flow hit by a failure on its broken route, then gives it the fresh route around it", () => {
    // dir-a fails at 1 ms; every failover takes 1 ms.
    const topo = rack("director");
    const rep = new Replication(topo, 0, topo.experiment.seed, {
      failoverTicks: 1 * MS,
      faults: [{ atTicks: 1 * MS, action: "fail", target: { kind: "node", node: "dir-a" } }],
    });
    const all = flows(rep);
    const crossesA = (r: FlowRoutes | null) => r?.forward.ports.some((p) => p.id.startsWith("dir-a:")) ?? false;
    rep.advanceTo(0.5 * MS);
    const before = all.map((f) => rep.transport.routeOf(f.source, f.target));
    const hit = all.filter((_, i) => crossesA(before[i]!));
    expect(hit.length).toBeGreaterThan(0);
    // Between the failure and the failover: held on the old route, while the network's avoids dir-a.
    rep.advanceTo(1.5 * MS);
    for (const f of hit) {
      const i = all.indexOf(f);
      expect(rep.transport.routeOf(f.source, f.target)).toBe(before[i]);
      expect(crossesA(rep.transport.freshRoute(f.source, f.target))).toBe(false);
    }
    // After it: every flow's route is the network's as the ports now are, none through dir-a.
    rep.advanceTo(2.5 * MS);
    for (const f of all) {
      const r = rep.transport.routeOf(f.source, f.target);
      expect(crossesA(r)).toBe(false);
      expect(plain(r)).toEqual(plain(f.ask()));
    }
  });
});
