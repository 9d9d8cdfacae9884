import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { TICKS_PER_SECOND } from "../../sim/units.js";
import { aggregate } from "../../src/run/aggregate.js";
import { Replication } from "../../src/run/replication.js";
import { parseTopology } from "../../src/topology/load.js";
import type { ResolvedTopology } from "../../src/topology/types.js";
import { binTicksFor, HOP_FIELDS, type Snapshot } from "../../web/src/protocol.js";
import { instanceMeta, portMeta, Snapshotter } from "../../web/src/snapshot.js";

const MS = TICKS_PER_SECOND / 1e3;

function rack(file: string): ResolvedTopology {
  const r = parseTopology(readFileSync(new URL(`../../topologies/${file}`, import.meta.url), "utf8"), file);
  if (!r.ok) throw new Error(`${file} does not load`);
  return r.topology;
}

const ucs = rack("ucs-rack.yaml");
const topo = { ...ucs, experiment: { ...ucs.experiment, warmupTicks: 1 * MS, durationTicks: 4 * MS } };

/** Runs to the end in steps of `step` ticks (stopping at every bin boundary, as the worker does), snapshotting each step. */
function runInSnapshots(
  t: ResolvedTopology,
  step: number,
  inject?: (rep: Replication) => void,
): { rep: Replication; snaps: Snapshot[]; snap: Snapshotter } {
  const rep = new Replication(t, 0);
  const snap = new Snapshotter(rep, binTicksFor(rep.endTicks));
  const snaps: Snapshot[] = [snap.take(false, 0)];
  for (let target = step; !rep.done; target += step) {
    while (rep.sim.now < Math.min(target, rep.endTicks)) {
      rep.advanceTo(Math.min(target, snap.tracer.nextBoundary(rep.sim.now)));
      snap.tracer.closeUpTo(rep.sim.now);
    }
    if (inject !== undefined && rep.sim.now === 2 * MS) inject(rep);
    snaps.push(snap.take(true, 0));
  }
  return { rep, snaps, snap };
}

describe("bins of simulated time", () => {
  it("are a 1-2-5 step near a 120th of the run (200 µs for 22 ms)", () => {
    expect(binTicksFor(22 * MS)).toBe(0.2 * MS);
    expect(binTicksFor(11 * MS)).toBe(0.1 * MS);
    expect(binTicksFor(800 * MS)).toBe(10 * MS);
    expect(binTicksFor(1)).toBe(1e6);
  });
});

describe("worker snapshots", () => {
  const { rep, snaps } = runInSnapshots(topo, 0.37 * MS);
  const meta = portMeta(rep);
  const binTicks = binTicksFor(rep.endTicks);
  const allBins = snaps.flatMap((s) =>
    Array.from({ length: s.bins.count }, (_, i) => ({
      index: s.bins.first + i,
      util: s.bins.utilization.subarray(i * meta.length, (i + 1) * meta.length),
      delivered: s.bins.deliveredBps.subarray(i * rep.stats.length, (i + 1) * rep.stats.length),
    })),
  );

  it("carry every bin once, in order, whatever the snapshot times", () => {
    expect(allBins.map((b) => b.index)).toEqual(Array.from({ length: rep.endTicks / binTicks }, (_, i) => i));
  });

  it("keep every utilization within [0, 1] without clamping, and it sums to the result's", () => {
    for (const b of allBins) for (const u of b.util) expect(u >= 0 && u <= 1 + 1e-9).toBe(true);
    const result = aggregate(topo, [rep.result()], 0);
    const window = allBins.filter((b) => b.index * binTicks >= topo.experiment.warmupTicks);
    meta.forEach((p, i) => {
      const mean = window.reduce((a, b) => a + b.util[i]!, 0) / window.length;
      const link = result.links.find((l) => l.id === p.id);
      if (link !== undefined) expect(mean, p.id).toBeCloseTo(link.utilization ?? 0, 6);
    });
  });

  it("never show a workload delivering faster than the links its hosts have (backup: 2 × 10 Gb/s)", () => {
    const hostCapacity = new Map<string, number>();
    for (const p of meta) {
      const host = /^(host\d+):/.exec(p.id)?.[1];
      if (host !== undefined && !p.id.includes("/bus"))
        hostCapacity.set(host, (hostCapacity.get(host) ?? 0) + p.capacityBps);
    }
    topo.workloads.forEach((w, wi) => {
      const hosts = new Set(w.instances.map((x) => x.host));
      // A host's ports carry at most their capacity each way; storage I/O may use both ways.
      const limit = [...hosts].reduce((a, h) => a + (hostCapacity.get(h) ?? 0), 0) * (w.unit === "io" ? 2 : 1);
      for (const b of allBins) expect(b.delivered[wi]!, `${w.name} bin ${b.index}`).toBeLessThanOrEqual(limit);
    });
    const backup = topo.workloads.findIndex((w) => w.name === "backup");
    expect(Math.max(...allBins.map((b) => b.delivered[backup]!))).toBeLessThanOrEqual(20e9);
    expect(Math.max(...allBins.map((b) => b.delivered[backup]!))).toBeGreaterThan(1e9);
  });

  it("deliver over the window what the result counts, within the parts of messages still on the wire", () => {
    const result = aggregate(topo, [rep.result()], 0);
    const window = allBins.filter((b) => b.index * binTicks >= topo.experiment.warmupTicks);
    topo.workloads.forEach((w, wi) => {
      const mean = window.reduce((a, b) => a + b.delivered[wi]!, 0) / window.length;
      // The result lists workloads by name; the bins are in file order (the replication's).
      const r = result.workloads.find((x) => x.name === w.name)!;
      // Messages complete at their last byte: over the 4 ms window the two counts differ by the messages in flight at the edges.
      expect(Math.abs(mean - r.deliveredBps), w.name).toBeLessThanOrEqual(0.15 * r.deliveredBps + 5e7);
    });
  });

  it("sample every 64th message hop by hop, coloured by its workload", () => {
    const hops = snaps.flatMap((s) => [...s.hops]);
    expect(hops.length).toBeGreaterThan(0);
    for (let i = 0; i < hops.length; i += HOP_FIELDS) {
      expect(hops[i + 3]! % 64).toBe(0);
      expect(hops[i + 2]!).toBeGreaterThan(hops[i + 1]!);
      expect(hops[i + 4]! >= 0 && hops[i + 4]! < topo.workloads.length).toBe(true);
    }
  });

  it("report each route once, starting at the host of the instance that took it", () => {
    const routes = snaps.flatMap((s) => s.routes);
    const instances = instanceMeta(topo);
    expect(routes.length).toBeGreaterThan(0);
    const keys = routes.map((r) => `${r.instance}|${r.ports.join(",")}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const r of routes) {
      const inst = instances[r.instance]!;
      const first = meta[r.ports[0]!]!;
      // A forward route leaves the instance's host; a storage I/O's way back starts at the array.
      expect([
        `${inst.host}/host`,
        ...topo.nodes.filter((n) => n.kind === "storage-array").map((n) => n.name),
      ]).toContain(first.node);
    }
    // Every instance of the busy workloads (each sends many messages in 5 ms) got a route.
    const seen = new Set(routes.map((r) => r.instance));
    instances.forEach((inst, i) => {
      const w = topo.workloads[inst.workload]!.name;
      if (["db-io", "db-lan", "backup", "storage-heavy"].includes(w))
        expect(seen.has(i), `${w} on ${inst.host}`).toBe(true);
    });
  });

  it("do not change the run's result (fingerprint included)", () => {
    const plain = aggregate(topo, [new Replication(topo, 0).result()], 0);
    expect(JSON.stringify(aggregate(topo, [rep.result()], 0))).toBe(JSON.stringify(plain));
  });

  it("with nothing simulated since the previous one, carry no bins (no rate from a zero-length window)", () => {
    const r = new Replication(topo, 0);
    const s = new Snapshotter(r, binTicksFor(r.endTicks));
    r.advanceTo(0.5 * MS);
    s.take(false, 0);
    expect(s.take(false, 0).bins.count).toBe(0);
  });

  it("show a fault injected while paused as soon as the next tick has run", () => {
    const r = new Replication(topo, 0);
    const s = new Snapshotter(r, binTicksFor(r.endTicks));
    r.advanceTo(2 * MS);
    s.take(false, 0);
    const f = r.inject({ action: "fail", target: { kind: "node", node: "fi-a" } });
    r.advanceTo(f.atTicks);
    const after = s.take(false, 0);
    const failed = meta.filter((_, i) => after.links.failed[i] === 1).map((p) => p.id);
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((id) => id.startsWith("fi-a:") || meta.find((p) => p.id === id)?.to.startsWith("fi-a:"))).toBe(
      true,
    );
    expect(after.faults.map((x) => x.target)).toEqual(["fi-a"]);
    expect(after.faults[0]!.affectedServers.length).toBeGreaterThan(0);
  });
});
