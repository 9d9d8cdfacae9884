import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { TICKS_PER_SECOND } from "../../sim/units.js";
import { aggregate } from "../../src/run/aggregate.js";
import { Replication } from "../../src/run/replication.js";
import { parseTopology } from "../../src/topology/load.js";
import { portMeta, Snapshotter } from "../../web/src/snapshot.js";

const MS = TICKS_PER_SECOND / 1e3;
const r = parseTopology(
  readFileSync(new URL("../../topologies/ucs-rack.yaml", import.meta.url), "utf8"),
  "ucs-rack.yaml",
);
if (!r.ok) throw new Error("ucs-rack.yaml does not load");
const topo = { ...r.topology, experiment: { ...r.topology.experiment, warmupTicks: 1 * MS, durationTicks: 4 * MS } };

describe("worker snapshots", () => {
  it("read rates and state without changing the run's result", () => {
    const rep = new Replication(topo, 0);
    const snap = new Snapshotter(rep);
    const meta = portMeta(rep);
    let s = snap.take(false, 0);
    const hops: number[] = [];
    for (let t = 0.5 * MS; !rep.done; t += 0.5 * MS) {
      rep.advanceTo(t);
      s = snap.take(true, 0);
      hops.push(...s.hops);
      expect(s.now).toBe(Math.min(t, rep.endTicks));
      expect(s.links.utilization).toHaveLength(meta.length);
      for (const u of s.links.utilization) expect(u >= 0 && u <= 1).toBe(true);
      for (const w of s.workloads) expect(w.delivered + w.dropped).toBeLessThanOrEqual(w.sent);
    }
    expect(s.workloads.some((w) => w.deliveredBps > 0)).toBe(true);
    expect(s.workloads.find((w) => w.name === "db-io")!.p99).not.toBeNull();
    // Sampled transfers: every 64th message, hop by hop along its route, in time order.
    expect(hops.length).toBeGreaterThan(0);
    const ports = rep.net.fabric.ports;
    const byMessage = new Map<number, number[][]>();
    for (let i = 0; i < hops.length; i += 4) {
      const [port, begin, end, id] = hops.slice(i, i + 4) as [number, number, number, number];
      expect(id % 64).toBe(0);
      expect(end).toBeGreaterThan(begin);
      byMessage.set(id, [...(byMessage.get(id) ?? []), [port, begin]]);
    }
    let chained = 0;
    for (const path of byMessage.values())
      for (let k = 1; k < path.length; k++) {
        expect(path[k]![1]).toBeGreaterThanOrEqual(path[k - 1]![1]!);
        // The next hop leaves the node the previous one led to (or the message went on elsewhere).
        if (ports[path[k]![0]!]!.node === ports[path[k - 1]![0]!]!.peerNode) chained++;
      }
    expect(chained).toBeGreaterThan(0);
    // Nothing simulated since the previous snapshot: no rate, not a division by zero.
    expect(snap.take(false, 0).workloads.every((w) => w.deliveredBps === 0)).toBe(true);
    const plain = aggregate(topo, [new Replication(topo, 0).result()], 0);
    expect(JSON.stringify(aggregate(topo, [rep.result()], 0))).toBe(JSON.stringify(plain));
  });
});
