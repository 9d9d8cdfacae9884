import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { evaluateFlows, type FlowResult } from "../../../src/flow/index.js";
import type { RunResult } from "../../../src/metrics/result.js";
import { toDistribution } from "../../../src/network/distribution.js";
import { aggregate } from "../../../src/run/aggregate.js";
import { Replication } from "../../../src/run/replication.js";
import { parseTopology } from "../../../src/topology/load.js";
import type { Dist, ResolvedTopology } from "../../../src/topology/types.js";

function rack(name: string): ResolvedTopology {
  const file = new URL(`../../../topologies/${name}-rack.yaml`, import.meta.url);
  const loaded = parseTopology(readFileSync(file, "utf8"), `${name}-rack.yaml`);
  if (!loaded.ok) throw new Error(`${name}: ${loaded.issues.map((i) => i.message).join("; ")}`);
  return loaded.topology;
}

/** Mean bytes and squared coefficient of variation of a size distribution (4 when unknown: a wide bound). */
function sizeMoments(d: Dist): { mean: number; cv2: number } {
  switch (d.kind) {
    case "constant":
      return { mean: d.value, cv2: 0 };
    case "exponential":
      return { mean: d.mean, cv2: 1 };
    case "lognormal":
      return { mean: d.mean, cv2: d.cv * d.cv };
    default:
      return { mean: toDistribution(d).mean, cv2: 4 };
  }
}

const RACKS = ["traditional", "director", "ucs", "mriov"] as const;

describe.each(RACKS)("flow level vs packet level: %s rack", (name) => {
  const topo = rack(name);
  let packet: RunResult;
  let flow: FlowResult;
  let packetWall = 0;

  it("runs both", () => {
    const t0 = performance.now();
    packet = aggregate(topo, [new Replication(topo, 0).result()], 0);
    packetWall = (performance.now() - t0) / 1000;
    flow = evaluateFlows(topo);
    const us = (x: number | null) => (x === null ? "-" : (x * 1e6).toFixed(0));
    const rows = packet.workloads.map((p) => {
      const f = flow.workloads.find((w) => w.name === p.name)!;
      const flag = f.lossyContention ? " (contention)" : f.lossyBottleneck ? " (lossy bottleneck)" : "";
      return [
        p.name,
        (p.deliveredBps / 1e9).toFixed(3),
        (f.deliveredBps / 1e9).toFixed(3),
        `${((100 * (f.deliveredBps - p.deliveredBps)) / p.deliveredBps).toFixed(1)}%`,
        f.elastic ? "-" : `${(100 * (f.deliveredBps / f.offeredBps - p.deliveredBps / p.offeredBps)).toFixed(2)}pp`,
        `${p.sent === 0 ? 0 : ((100 * p.dropped) / p.sent).toFixed(1)}% / ${(100 * f.lossRatio).toFixed(1)}%${flag}`,
        `${us(p.latency.mean)} / ${us(p.latency.p99)}`,
        `${us(f.latency.mean)} / ${us(f.latency.p99)}`,
      ].join(" | ");
    });
    const busyP = [...packet.links].sort((a, b) => b.utilization - a.utilization)[0]!;
    const busyF = [...flow.links].sort((a, b) => b.utilization - a.utilization)[0]!;
    const busyNonElastic = (links: Array<{ id: string; utilization: number }>) =>
      links
        .filter((l) => !saturatedByBulk(l.id))
        .sort((a, b) => b.utilization - a.utilization)
        .slice(0, 3)
        .map((l) => `${l.id} ${(100 * l.utilization).toFixed(1)}%`);
    const saturatedByBulk = (id: string) => (flow.links.find((l) => l.id === id)?.utilization ?? 0) > 0.999;
    if (process.env.FLOW_TABLE) {
      console.log(
        `\n== ${name}: packet ${packetWall.toFixed(3)} s wall, flow ${(flow.wallSeconds * 1e3).toFixed(1)} ms (${flow.flows} flows, ${flow.rounds} rounds)`,
      );
      console.log(
        "workload | packet Gb/s | flow Gb/s | diff | delivered-share diff | loss pkt / flow | pkt mean / p99 us | flow mean / p99 us",
      );
      console.log(rows.join("\n"));
      console.log(
        `busiest: packet ${busyP.id} ${(100 * busyP.utilization).toFixed(1)}%, flow ${busyF.id} ${(100 * busyF.utilization).toFixed(1)}%`,
      );
      console.log(
        `busiest not saturated by bulk: packet ${busyNonElastic(packet.links).join(", ")}; flow ${busyNonElastic(flow.links).join(", ")}`,
      );
    }
    expect(flow.workloads.map((w) => w.name).sort()).toEqual(packet.workloads.map((w) => w.name).sort());
  });

  const windowSeconds = topo.experiment.durationTicks / 1e12;
  const flowOf = (w: string) => flow.workloads.find((x) => x.name === w)!;
  const spec = (w: string) => topo.workloads.find((x) => x.name === w)!;

  it("non-elastic workloads: same delivered share of the offered load (within 2 % and one message or I/O at each window edge), same offered load within sampling", () => {
    for (const p of packet.workloads) {
      const f = flowOf(p.name);
      // Losses behind a saturating elastic flow: next test.
      if (f.elastic || p.dropped > 0) continue;
      // The packet run's offered load is a Poisson sample of the mean the flow model uses:
      // relative s.d. √((1 + cv²)/n), n = messages expected in the window; allow 4 s.d. + 1 %.
      const w = spec(p.name);
      const { mean: bytes, cv2 } = sizeMoments(w.size);
      const n = (f.offeredBps * windowSeconds) / (8 * bytes);
      const sd = Math.sqrt((1 + cv2) / n);
      expect(Math.abs(p.offeredBps / f.offeredBps - 1), `${p.name} offered`).toBeLessThanOrEqual(4 * sd + 0.01);
      // Throughput: delivered / offered both ways (removes the sampling of the offered load).
      const flowShare = f.deliveredBps / f.offeredBps;
      const packetShare = p.deliveredBps / p.offeredBps;
      // The packet share counts whole messages or I/Os completed in the window against those
      // created in it: a few dozen 64 KiB I/Os make one more or one fewer at each edge worth 1/n,
      // and what was created in its last mean latency is still on its way (64KiB I/Os at ~0.5 ms
      // are ~2.5 % of a 20 ms window).
      const boundary = (p.latency.mean ?? 0) / windowSeconds;
      expect(Math.abs(flowShare - packetShare), `${p.name} delivered share`).toBeLessThanOrEqual(
        0.02 + 2 / n + boundary,
      );
    }
  });

  it("elastic (bulk) workloads: within one message per flow of the packet level, unless lossy-bottlenecked", () => {
    for (const p of packet.workloads) {
      const f = flowOf(p.name);
      if (!f.elastic) continue;
      const w = spec(p.name);
      const size = w.size.kind === "constant" ? w.size.value : 0;
      if (p.dropped > 0) {
        // Drop-tail at a lossy bottleneck loses whole 1-MiB messages: the fluid model cannot
        // see the goodput collapse, but must flag it, and it is an upper bound.
        expect(f.lossyBottleneck, p.name).toBe(true);
        expect(f.deliveredBps).toBeGreaterThan(p.deliveredBps);
        continue;
      }
      // Delivered bytes are counted per completed message: ±1 message per flow in the window.
      const quantum = (f.flows * size * 8) / windowSeconds;
      expect(Math.abs(f.deliveredBps - p.deliveredBps), p.name).toBeLessThanOrEqual(quantum + 0.03 * p.deliveredBps);
    }
  });

  it("workloads that lose packets behind a saturating elastic flow are flagged", () => {
    for (const p of packet.workloads) {
      const f = flowOf(p.name);
      if (!f.elastic && p.dropped > 0) expect(f.lossyContention, p.name).toBe(true);
      // The fluid model is optimistic there: it delivers at least the packet level's share.
      if (f.lossyContention)
        expect(f.deliveredBps / f.offeredBps, p.name).toBeGreaterThanOrEqual(p.deliveredBps / p.offeredBps - 0.02);
    }
  });

  it("the busiest links agree", () => {
    const saturated = (u: number) => u >= 0.999;
    const flowSat = flow.links
      .filter((l) => saturated(l.utilization))
      .map((l) => l.id)
      .sort();
    const packetSat = packet.links.filter((l) => saturated(l.utilization)).map((l) => l.id);
    expect(flowSat.length).toBeGreaterThan(0);
    // Every port the flow model fills is (nearly) full at packet level too.
    const packetUtil = (id: string) => packet.links.find((l) => l.id === id)?.utilization ?? 0;
    for (const id of flowSat) expect(packetUtil(id), id).toBeGreaterThanOrEqual(0.95);
    // An elastic flow at a lossy bottleneck: lost messages still load the links before the drop, or (UCS,
    // lossless links) its window, paused behind PFC, keeps it just short of the line rate.
    const collapse = flow.workloads.some((w) => w.lossyBottleneck);
    if (collapse) return;
    expect(packetSat.sort()).toEqual(flowSat);
    // Every other link within sampling noise (per-port loads of a few Poisson flows over 20 ms).
    for (const pl of packet.links) {
      const fl = flow.links.find((l) => l.id === pl.id)!;
      expect(Math.abs(fl.utilization - pl.utilization), pl.id).toBeLessThanOrEqual(0.07);
    }
  });
});
