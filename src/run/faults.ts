/**
 * Timed faults (the topology's `faults:` list) and failover, applied to one replication.
 *
 * Mechanism (data plane): failing a target fails every port of it, both directions of each
 * link (see `EgressPort.fail`): what is queued there or on those links is dropped with the
 * reason `failed: <target>`, and so is everything routed onto them until the flow is
 * re-routed. A node fails all its links (a server: its adapters' links and PCIe buses);
 * an adapter its PCIe bus and its network links; a module its ports; a port its link.
 *
 * Failover (control plane), after `failoverTicks` (per design, below): the failed ports are
 * marked `routingDown`, every route is dropped and recomputed on demand, avoiding them.
 * How a flow finds another way is general (see `startOptions` in src/network/build.ts):
 * a team's other members (NIC teaming, FC multipathing), a vif's partner on another
 * adapter port (director HA vNIC pairs, UCS fabric failover, a vHBA's multipath twin),
 * another path through the fabric (a redundant switch, another shared adapter serving the
 * host); a flow with none left drops its messages with `no path after <target> failed`
 * until a restore. Restoring a target brings its ports back at once and routes are
 * recomputed immediately (fail-back without delay: an assumption). Failover `null` (off):
 * nothing is re-routed until a restore.
 *
 * Results per `fail` fault: the flows whose route crossed the target when it failed (their
 * source servers and workloads: the blast radius), the longest time one of them had no
 * working path (outage: until failover found it one, a restore, or the end of the run),
 * and the messages lost with the fault's reasons; `retried` counts storage I/Os the
 * multipath layer re-issued (see src/run/transport.ts).
 */

import { NORMAL, type Simulation } from "../../sim/simulation.js";
import { QuantileSketch } from "../../sim/stats/quantile-sketch.js";
import { TICKS_PER_SECOND } from "../../sim/units.js";
import type { EgressPort } from "../fabric/egress-port.js";
import type { Fabric } from "../fabric/fabric.js";
import type { FaultResultJson as FaultResult, FaultSla, SlaResult, WorkloadResult } from "../metrics/result.js";
import { evaluateSla } from "../metrics/sla.js";
import type { Design, FaultTarget, ResolvedFault, ResolvedTopology } from "../topology/types.js";
import type { Message } from "../workload/message.js";
import type { FabricTransport, InstanceInfo } from "./transport.js";

/**
 * Detection + failover time per design, seconds. All assumed (no measured figure in
 * ../shared/domain/reference.md): NIC teaming link-down detection and FC multipath path
 * switch ~50 ms; UCS fabric failover "100s of ms to ~1 s" (reference.md §4.3,
 * unverified): 300 ms; director HA vNIC ~1 s (assumed); MR-IOV re-assignment of a
 * host's function to another shared adapter by the PCIe manager ~1 s (assumed).
 */
export const DEFAULT_FAILOVER_SECONDS: Readonly<Record<Design, number>> = {
  traditional: 0.05,
  ucs: 0.3,
  director: 1,
  mriov: 1,
};

export interface FaultOptions {
  /** Detection + failover time in ticks; null: no failover; undefined: the design's default. */
  readonly failoverTicks?: number | null;
}

/** One `fail` fault's outcome, as in the result JSON (defined with the result contract). */
export type { FaultResultJson as FaultResult, FaultSla } from "../metrics/result.js";

/** What messages created (latency, loss) or completed (bytes) in one phase of a fault did, per workload. */
class PhaseStats {
  readonly delivered = new Map<string, number>();
  readonly dropped = new Map<string, number>();
  readonly bytes = new Map<string, number>();
  readonly sum = new Map<string, number>();
  readonly sketch = new Map<string, QuantileSketch>();
  constructor(
    readonly from: number,
    readonly to: number,
  ) {}

  done(msg: Message, delivered: boolean, now: number): void {
    const w = msg.stats.name;
    if (delivered && now >= this.from && now < this.to) this.bytes.set(w, (this.bytes.get(w) ?? 0) + msg.bytes);
    if (msg.createdAt < this.from || msg.createdAt >= this.to) return;
    const counts = delivered ? this.delivered : this.dropped;
    counts.set(w, (counts.get(w) ?? 0) + 1);
    if (!delivered) return;
    const latency = (now - msg.createdAt) / TICKS_PER_SECOND;
    this.sum.set(w, (this.sum.get(w) ?? 0) + latency);
    let q = this.sketch.get(w);
    if (q === undefined) {
      q = new QuantileSketch(0.005);
      this.sketch.set(w, q);
    }
    q.add(latency);
  }

  /** The phase as a WorkloadResult, enough for `evaluateSla`. */
  result(name: string, unit: "message" | "io"): WorkloadResult {
    const delivered = this.delivered.get(name) ?? 0;
    const q = this.sketch.get(name);
    const seconds = (this.to - this.from) / TICKS_PER_SECOND;
    return {
      name,
      unit,
      offeredBps: 0,
      deliveredBps: seconds > 0 ? ((this.bytes.get(name) ?? 0) * 8) / seconds : 0,
      latency: {
        mean: delivered === 0 ? null : this.sum.get(name)! / delivered,
        p50: q === undefined ? null : q.quantile(0.5),
        p99: q === undefined ? null : q.quantile(0.99),
        p999: q === undefined ? null : q.quantile(0.999),
        max: q === undefined ? null : q.max,
        samples: delivered,
      },
      ci95: { "latency.mean": null, "latency.p99": null, deliveredBps: null },
      sent: 0,
      delivered,
      dropped: this.dropped.get(name) ?? 0,
      inFlight: 0,
      dropReasons: {},
    };
  }
}

/** `fi-a`, `host3:nic0/1`, `host3:nic0`, `dir-a:eth1`. */
export function faultLabel(t: FaultTarget): string {
  switch (t.kind) {
    case "node":
      return t.node;
    case "port":
      return `${t.node}:${t.port}`;
    case "adapter":
      return `${t.node}:${t.adapter}`;
    case "module":
      return `${t.node}:${t.module}`;
  }
}

/** Every egress port (both directions of each link) that failing `target` takes down. */
export function faultPorts(topo: ResolvedTopology, fabric: Fabric, target: FaultTarget): EgressPort[] {
  const byId = new Map(fabric.ports.map((p) => [p.id, p]));
  const out = new Set<EgressPort>();
  const add = (id: string): void => {
    const p = byId.get(id);
    if (p === undefined) return; // an unconnected port
    out.add(p);
    if (p.reverse !== null) out.add(p.reverse);
  };
  const node = topo.nodes.find((n) => n.name === target.node);
  switch (target.kind) {
    case "node":
      for (const p of fabric.ports) {
        const owner = p.node.name;
        if (owner === target.node || owner === `${target.node}/host`) add(p.id);
      }
      break;
    case "port":
      add(`${target.node}:${target.port}`);
      break;
    case "adapter": {
      const a = node?.kind === "server" ? node.adapters.find((x) => x.name === target.adapter) : undefined;
      add(`${target.node}/host:${target.adapter}`);
      for (const port of a?.ports ?? []) add(`${target.node}:${port}`);
      break;
    }
    case "module": {
      const m =
        node?.kind === "io-director" || node?.kind === "fabric-interconnect"
          ? node.modules.find((x) => x.name === target.module)
          : undefined;
      for (const port of m?.ports ?? []) add(`${target.node}:${port}`);
      break;
    }
  }
  return [...out];
}

interface Record_ {
  readonly fault: ResolvedFault;
  readonly label: string;
  readonly ports: EgressPort[];
  /** Affected flows still without a working path: flow index → since (ticks). */
  readonly open: Map<number, number>;
  readonly servers: Set<string>;
  readonly workloads: Set<string>;
  readonly unprotectedServers: Set<string>;
  readonly unprotectedWorkloads: Set<string>;
  outageTicks: number;
  lost: number;
  /** I/Os re-issued by multipathing after losing a part to this fault. */
  retried: number;
  restoredAt: number | null;
  active: boolean;
  /** Phase statistics (during, after), created when the fault happens. */
  phases: PhaseStats[];
}

export class FaultManager {
  readonly failoverTicks: number | null;
  private readonly records: Record_[] = [];
  /** Active faults per port, oldest first. */
  private readonly activeOn = new Map<EgressPort, Record_[]>();
  /** The latest active record per target label (losses are charged to it). */
  private readonly current = new Map<string, Record_>();
  /** Flows: (instance, target) pairs, in order. */
  private readonly flows: Array<{ source: number; target: number }> = [];
  /** Flow index per instance and target. */
  private readonly flowIndex: number[][] = [];

  constructor(
    private readonly topo: ResolvedTopology,
    private readonly sim: Simulation,
    private readonly fabric: Fabric,
    private readonly transport: FabricTransport,
    private readonly instances: readonly InstanceInfo[],
    faults: readonly ResolvedFault[],
    options: FaultOptions = {},
  ) {
    this.failoverTicks =
      options.failoverTicks === undefined
        ? Math.round(DEFAULT_FAILOVER_SECONDS[topo.design] * TICKS_PER_SECOND)
        : options.failoverTicks;
    instances.forEach((inst, source) => {
      const row: number[] = [];
      for (let target = 0; target < inst.spec.to.nodes.length; target++) {
        row.push(this.flows.length);
        this.flows.push({ source, target });
      }
      this.flowIndex.push(row);
    });
    const apply = sim.handler((f: ResolvedFault) => this.apply(f), "fault.apply");
    const failover = sim.handler((r: Record_) => this.failover(r), "fault.failover");
    this.hApply = apply;
    this.hFailover = failover;
    for (const f of faults) sim.scheduleAt(f.atTicks, apply, f);
    transport.noPathReason = (source, target) => this.noPathReason(source, target);
    // Per-phase SLA statistics: fault runs only (the probe costs nothing when no one listens).
    sim.probes.on("workload.done", (msg: Message, outcome: string) => {
      const now = this.sim.now;
      for (const rec of this.records) for (const ph of rec.phases) ph.done(msg, outcome === "delivered", now);
    });
    transport.onLose = (reason) => this.charge(reason, false);
    transport.onRetry = (reason) => this.charge(reason, true);
  }

  private readonly hApply: number;
  private readonly hFailover: number;

  /**
   * Schedules one more fault (a fail or restore decided while the run is paused: the
   * visualizer). `priority` URGENT puts it before the events already due at `atTicks`,
   * where a `faults:` entry (scheduled at construction) would be.
   */
  schedule(f: ResolvedFault, priority: number = NORMAL): void {
    this.sim.scheduleAt(f.atTicks, this.hApply, f, priority);
  }

  private apply(f: ResolvedFault): void {
    const label = faultLabel(f.target);
    if (f.action === "restore") {
      this.restore(label);
      return;
    }
    const ports = faultPorts(this.topo, this.fabric, f.target);
    const rec: Record_ = {
      fault: f,
      label,
      ports,
      open: new Map(),
      servers: new Set(),
      workloads: new Set(),
      unprotectedServers: new Set(),
      unprotectedWorkloads: new Set(),
      outageTicks: 0,
      lost: 0,
      retried: 0,
      restoredAt: null,
      active: true,
      phases: [],
    };
    this.records.push(rec);
    this.current.set(label, rec);
    const switchAt = this.failoverTicks === null ? Number.POSITIVE_INFINITY : f.atTicks + this.failoverTicks;
    rec.phases = [new PhaseStats(f.atTicks, switchAt), new PhaseStats(switchAt, Number.POSITIVE_INFINITY)];
    // Blast radius: the flows whose current route crosses the target.
    const hit = new Set(ports);
    this.flows.forEach((flow, i) => {
      const r = this.transport.routeOf(flow.source, flow.target);
      if (r === null || !r.forward.ports.some((p) => hit.has(p))) return;
      const inst = this.instances[flow.source]!;
      rec.open.set(i, this.sim.now);
      rec.servers.add(inst.spec.host);
      rec.workloads.add(inst.spec.workload);
    });
    // Which of them could failover save? Ask the router as if the failure were already known.
    if (rec.open.size > 0) {
      const down = ports.filter((p) => !p.routingDown);
      for (const p of down) p.routingDown = true;
      this.transport.invalidateRoutes();
      for (const i of rec.open.keys()) {
        const flow = this.flows[i]!;
        if (this.failoverTicks !== null && this.transport.routeOf(flow.source, flow.target) !== null) continue;
        const inst = this.instances[flow.source]!;
        rec.unprotectedServers.add(inst.spec.host);
        rec.unprotectedWorkloads.add(inst.spec.workload);
      }
      for (const p of down) p.routingDown = false;
      this.transport.invalidateRoutes();
    }
    const reason = `failed: ${label}`;
    for (const p of ports) {
      const list = this.activeOn.get(p);
      if (list === undefined) this.activeOn.set(p, [rec]);
      else list.push(rec);
      if (p.failedReason === null) p.fail(reason);
    }
    if (this.failoverTicks !== null) this.sim.schedule(this.failoverTicks, this.hFailover, rec);
  }

  private failover(rec: Record_): void {
    if (!rec.active) return;
    for (const p of rec.ports) p.routingDown = true;
    this.reroute();
  }

  private restore(label: string): void {
    const rec = this.current.get(label);
    if (rec === undefined || !rec.active) return;
    rec.active = false;
    rec.restoredAt = this.sim.now;
    // The phases end at the restore.
    const [during, after] = rec.phases;
    if (during !== undefined && after !== undefined) {
      rec.phases = [
        new PhaseStats(during.from, Math.min(during.to, this.sim.now)),
        new PhaseStats(Math.min(after.from, this.sim.now), this.sim.now),
      ];
      copyInto(during, rec.phases[0]!);
      copyInto(after, rec.phases[1]!);
    }
    this.current.delete(label);
    for (const p of rec.ports) {
      const list = (this.activeOn.get(p) ?? []).filter((r) => r !== rec);
      if (list.length === 0) {
        this.activeOn.delete(p);
        p.restore();
        p.routingDown = false;
      } else {
        this.activeOn.set(p, list);
        // Another fault still holds the port: it keeps failing, with that fault's reason.
        p.failedReason = `failed: ${list[0]!.label}`;
        p.routingDown = list.some((r) => r.ports.includes(p) && this.detected(r));
      }
    }
    this.reroute();
  }

  private detected(r: Record_): boolean {
    return this.failoverTicks !== null && this.sim.now - r.fault.atTicks >= this.failoverTicks;
  }

  /** Routes are recomputed; affected flows that now have a working path end their outage. */
  private reroute(): void {
    this.transport.invalidateRoutes();
    const now = this.sim.now;
    for (const rec of this.records) {
      for (const [i, since] of rec.open) {
        const flow = this.flows[i]!;
        const r = this.transport.routeOf(flow.source, flow.target);
        if (r === null || r.forward.ports.some((p) => p.failedReason !== null)) continue;
        rec.outageTicks = Math.max(rec.outageTicks, now - since);
        rec.open.delete(i);
      }
    }
  }

  private phaseSla(rec: Record_, endTicks: number): FaultSla[] {
    const rows = this.topo.sla.filter((s) => rec.workloads.has(s.workload));
    const targets = rows.map((s) => ({
      workload: s.workload,
      metric: s.metric,
      target: s.metric.startsWith("latency") ? s.target / TICKS_PER_SECOND : s.target,
    }));
    const evaluate = (ph: PhaseStats | undefined): SlaResult[] | null => {
      if (ph === undefined) return null;
      const from = ph.from;
      const to = Math.min(ph.to, endTicks);
      if (!(to > from)) return null;
      const bounded = new PhaseStats(from, to);
      copyInto(ph, bounded);
      const unit = (w: string): "message" | "io" => this.topo.workloads.find((x) => x.name === w)?.unit ?? "message";
      const results = [...new Set(targets.map((t) => t.workload))].map((w) => bounded.result(w, unit(w)));
      // Nothing of a workload completed in the phase but some was lost: its latency target is missed too.
      return evaluateSla(targets, results).map((r) => {
        const w = results.find((x) => x.name === r.workload);
        return r.status === "undecided" && w !== undefined && w.delivered === 0 && w.dropped > 0
          ? { ...r, status: "missed" as const }
          : r;
      });
    };
    const during = evaluate(rec.phases[0]);
    const after = evaluate(rec.phases[1]);
    return targets.map((t, i) => ({
      workload: t.workload,
      metric: t.metric,
      target: t.target,
      during: { actual: during?.[i]?.actual ?? null, status: during?.[i]?.status ?? "undecided" },
      after: after === null ? null : { actual: after[i]!.actual, status: after[i]!.status },
    }));
  }

  /** Names the active faults that took the flow's path (else every active fault). */
  private noPathReason(source: number, target: number): string {
    const i = this.flowIndex[source]?.[target] ?? -1;
    const active = [...this.current.values()];
    const own = active.filter((r) => r.open.has(i));
    const labels = (own.length > 0 ? own : active).map((r) => r.label);
    return labels.length === 0 ? "no path" : `no path after ${labels.join(", ")} failed`;
  }

  private charge(reason: string, retried: boolean): void {
    let label: string | null = null;
    if (reason.startsWith("failed: ")) label = reason.slice("failed: ".length);
    else if (reason.startsWith("no path after ")) label = reason.slice("no path after ".length, -" failed".length);
    if (label === null) return;
    // A no-path loss with several active faults is charged to the first of them.
    const first = label.split(", ")[0]!;
    const rec = this.current.get(first) ?? [...this.records].reverse().find((r) => r.label === first);
    if (rec !== undefined) {
      if (retried) rec.retried++;
      else rec.lost++;
    }
  }

  /** Per `fail` fault, sorted by time (then target); outages still open end at `endTicks`. */
  results(endTicks: number): FaultResult[] {
    return this.records
      .map((rec) => {
        let outage = rec.outageTicks;
        for (const since of rec.open.values()) outage = Math.max(outage, endTicks - since);
        return {
          at: rec.fault.atTicks / TICKS_PER_SECOND,
          target: rec.label,
          affectedServers: [...rec.servers].sort(byName),
          affectedWorkloads: [...rec.workloads].sort(),
          outageSeconds: outage / TICKS_PER_SECOND,
          lost: rec.lost,
          retried: rec.retried,
          restoredAt: rec.restoredAt === null ? null : rec.restoredAt / TICKS_PER_SECOND,
          strandedFlows: rec.open.size,
          unprotectedServers: [...rec.unprotectedServers].sort(byName),
          unprotectedWorkloads: [...rec.unprotectedWorkloads].sort(),
          sla: this.phaseSla(rec, endTicks),
        };
      })
      .sort((a, b) => a.at - b.at || (a.target < b.target ? -1 : a.target > b.target ? 1 : 0));
  }
}

/** Copies a phase's counts into another (new boundaries, same messages). */
function copyInto(from: PhaseStats, to: PhaseStats): void {
  for (const [k, v] of from.delivered) to.delivered.set(k, v);
  for (const [k, v] of from.dropped) to.dropped.set(k, v);
  for (const [k, v] of from.bytes) to.bytes.set(k, v);
  for (const [k, v] of from.sum) to.sum.set(k, v);
  for (const [k, v] of from.sketch) to.sketch.set(k, v);
}

/** Natural order: host2 before host10. */
function byName(a: string, b: string): number {
  const x = a.replace(/\d+/g, (d) => d.padStart(8, "0"));
  const y = b.replace(/\d+/g, (d) => d.padStart(8, "0"));
  return x < y ? -1 : x > y ? 1 : 0;
}
