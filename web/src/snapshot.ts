/**
 * Reads a running replication into a `Snapshot` (worker side): the bins of simulated
 * time closed since the previous snapshot (rates, from the tracer), the state of every
 * port and workload now, the faults so far, sampled hops and newly seen routes.
 * Everything is read through public accessors; nothing here changes the run.
 */
import { PAUSED } from "../../src/fabric/egress-port.js";
import type { Replication } from "../../src/run/replication.js";
import type { ResolvedTopology } from "../../src/topology/types.js";
import type { InstanceMeta, LinkState, PortMeta, Snapshot, WorkloadSnapshot } from "./protocol.js";
import { FabricTracer } from "./tracer.js";

export function portMeta(rep: Replication): PortMeta[] {
  return rep.net.fabric.ports.map((p) => ({
    id: p.id,
    to: p.to,
    node: p.node.name,
    peer: p.peerNode.name,
    capacityBps: p.capacityBps,
    lossless: p.lossless,
    classes:
      p.classes === null ? null : p.classes.names.map((name, c) => ({ name, noDrop: p.classes!.noDrop[c] === 1 })),
  }));
}

/**
 * The workload instances in the order `Replication` numbers them (a message's
 * `source`): every workload in file order, then its instances in order.
 */
export function instanceMeta(topo: ResolvedTopology): InstanceMeta[] {
  return topo.workloads.flatMap((w, wi) =>
    w.instances.map((inst) => {
      const v = inst.via;
      // A team of vifs (teaming, multipathing) is drawn on its first member, as a team of ports is.
      const via =
        v.kind === "vif"
          ? v.vif
          : v.kind === "vf"
            ? `vf${v.vf}`
            : v.kind === "vifs"
              ? v.vifs.map((x) => x.vif).join("+")
              : v.ports.join("+");
      const port = v.kind === "ports" ? v.ports[0]! : v.kind === "vifs" ? v.vifs[0]!.port : v.port;
      return { workload: wi, host: inst.host, vm: inst.vm, via, port };
    }),
  );
}

export class Snapshotter {
  readonly tracer: FabricTracer;

  constructor(
    private readonly rep: Replication,
    binTicks: number,
  ) {
    this.tracer = new FabricTracer(rep, binTicks);
  }

  take(running: boolean, eventsPerSecond: number): Snapshot {
    const rep = this.rep;
    const now = rep.sim.now;
    this.tracer.closeUpTo(now);
    const links: LinkState = {
      queueBytes: [],
      paused: [],
      classPaused: [],
      failed: [],
      dropped: [],
      pausedSeconds: [],
      maxQueueBytes: [],
    };
    for (const p of rep.net.fabric.ports) {
      const s = p.stats();
      links.queueBytes.push(p.scheduler.bytes);
      links.paused.push(p.state === PAUSED ? 1 : 0);
      let held = 0;
      const cls = p.classes;
      if (cls !== null) for (let c = 0; c < cls.count && c < 31; c++) if (cls.pausedSince[c]! >= 0) held |= 1 << c;
      links.classPaused.push(held);
      links.failed.push(p.failedReason === null ? 0 : 1);
      links.dropped.push(s.dropped);
      links.pausedSeconds.push(s.pausedSeconds);
      links.maxQueueBytes.push(s.maxQueueBytes);
    }
    const workloads: WorkloadSnapshot[] = rep.stats.map((w) => {
      const n = w.latency.count;
      const q = (p: number): number | null => (n === 0 ? null : w.latencySketch.quantile(p));
      return {
        name: w.name,
        sent: w.sent,
        delivered: w.delivered,
        dropped: w.dropped,
        p50: q(0.5),
        p99: q(0.99),
        p999: q(0.999),
        mean: n === 0 ? null : w.latency.mean,
      };
    });
    return {
      type: "snapshot",
      now,
      events: rep.sim.events,
      running,
      eventsPerSecond,
      bins: this.tracer.takeBins(),
      links,
      workloads,
      faults: rep.faults === null ? [] : rep.faults.results(now),
      hops: this.tracer.takeHops(),
      routes: this.tracer.takeRoutes(),
    };
  }
}
