/**
 * Reads a running replication into a `Snapshot` (worker side). Rates are deltas
 * since the previous snapshot, so the page sees what happens now, not a window
 * average; everything is read through the same public accessors `aggregate` uses.
 */
import { PAUSED } from "../../src/fabric/egress-port.js";
import type { Replication } from "../../src/run/replication.js";
import type { LinkSnapshot, PortMeta, Snapshot, WorkloadSnapshot } from "./protocol.js";
import { TransferSampler } from "./sampler.js";

export function portMeta(rep: Replication): PortMeta[] {
  return rep.net.fabric.ports.map((p) => ({ id: p.id, to: p.to, capacityBps: p.capacityBps, lossless: p.lossless }));
}

/** Keeps the previous readings to turn counters into rates. */
export class Snapshotter {
  private lastNow = 0;
  private lastWire: number[] = [];
  private lastTransfers: number[] = [];
  private lastDelivered: number[] = [];
  private lastWindowStart = 0;

  private readonly sampler: TransferSampler;

  constructor(private readonly rep: Replication) {
    this.sampler = new TransferSampler(rep);
  }

  take(running: boolean, eventsPerSecond: number): Snapshot {
    const rep = this.rep;
    const now = rep.sim.now;
    const dt = (now - this.lastNow) / 1e12;
    const ports = rep.net.fabric.ports;
    // Port counters restart at the end of warm-up: a counter that went down restarted.
    const links: LinkSnapshot = {
      utilization: [],
      transfersPerSecond: [],
      queueBytes: [],
      paused: [],
      failed: [],
      dropped: [],
      pausedSeconds: [],
      maxQueueBytes: [],
    };
    ports.forEach((p, i) => {
      const s = p.stats();
      const prevWire = this.lastWire[i] ?? 0;
      const prevTx = this.lastTransfers[i] ?? 0;
      const wire = s.transmittedBytes >= prevWire ? s.transmittedBytes - prevWire : s.transmittedBytes;
      const tx = s.transmittedTransfers >= prevTx ? s.transmittedTransfers - prevTx : s.transmittedTransfers;
      this.lastWire[i] = s.transmittedBytes;
      this.lastTransfers[i] = s.transmittedTransfers;
      links.utilization.push(dt > 0 ? Math.min(1, (wire * 8) / (p.capacityBps * dt)) : 0);
      links.transfersPerSecond.push(dt > 0 ? tx / dt : 0);
      links.queueBytes.push(p.scheduler.bytes);
      links.paused.push(p.state === PAUSED ? 1 : 0);
      links.failed.push(p.failedReason === null ? 0 : 1);
      links.dropped.push(s.dropped);
      links.pausedSeconds.push(s.pausedSeconds);
      links.maxQueueBytes.push(s.maxQueueBytes);
    });
    const windowStarted = now >= rep.topo.experiment.warmupTicks;
    const workloads: WorkloadSnapshot[] = rep.stats.map((w, i) => {
      const prev = this.lastDelivered[i] ?? 0;
      // deliveredBytes restarts at the end of warm-up, like the port counters.
      const restarted = windowStarted && this.lastWindowStart === 0;
      const bytes = restarted || w.deliveredBytes < prev ? w.deliveredBytes : w.deliveredBytes - prev;
      this.lastDelivered[i] = w.deliveredBytes;
      const n = w.latency.count;
      const q = (p: number): number | null => (n === 0 ? null : w.latencySketch.quantile(p));
      return {
        name: w.name,
        sent: w.sent,
        delivered: w.delivered,
        dropped: w.dropped,
        deliveredBps: dt > 0 ? (bytes * 8) / dt : 0,
        p50: q(0.5),
        p99: q(0.99),
        p999: q(0.999),
        mean: n === 0 ? null : w.latency.mean,
      };
    });
    if (windowStarted) this.lastWindowStart = 1;
    this.lastNow = now;
    return {
      type: "snapshot",
      now,
      events: rep.sim.events,
      running,
      eventsPerSecond,
      links,
      workloads,
      faults: rep.faults === null ? [] : rep.faults.results(now),
      hops: this.sampler.take(),
    };
  }
}
