/**
 * Timed faults (the topology's `faults:` list) and failover, applied to one replication.
 *
 * Mechanism (data plane): failing a target fails every port of it, both directions of each
 * link (see `EgressPort.fail`): what is queued there or on those links is dropped with the
 * reason `failed: <target>`, and so is everything routed onto them until the flow is
 * re-routed. A node fails all its links (a server: its adapters' links and PCIe buses);
 * an adapter its PCIe bus and its network links; a module its ports; a port its link.
 *
 * Failover (control plane), per mechanism (src/run/failover.ts): the failed ports are marked
 * `routingDown` at once, but every flow whose route crosses them keeps that route (it is
 * held: its messages are lost there, its storage I/O waits, queued by multipathing) until the
 * mechanism that protects it moves it, after that mechanism's time: host multipathing for
 * storage flows that leave through another HBA port or vHBA, NIC teaming for LAN flows that
 * leave through another team member or teamed vNIC, UCS fabric failover or a director's HA
 * vNIC for a single vNIC moved to its partner on the other side, and fabric re-routing when
 * the flow leaves the host the same way and the switches route around the failure. How a
 * flow finds another way is general (see `startOptions` in src/network/build.ts); a flow with
 * none left drops its messages with `no path after <target> failed` until a restore.
 * Restoring a target brings its ports back at once and routes are recomputed immediately
 * (fail-back without delay: an assumption). A mechanism set "off" (null) never moves a flow:
 * its flows wait for a restore.
 *
 * Results per `fail` fault: the flows whose route crossed the target when it failed (their
 * source servers and workloads: the blast radius), the longest time one of them had no
 * working path (outage: until failover found it one, a restore, or the end of the run),
 * and the messages lost with the fault's reasons; `retried` counts storage I/Os the
 * multipath layer re-issued (see src/run/transport.ts).
 */

import { NORMAL, type Simulation } from "../../sim/simulation.js";
import { TICKS_PER_SECOND } from "../../sim/units.js";
import type { EgressPort } from "../fabric/egress-port.js";
import type { Fabric } from "../fabric/fabric.js";
import type { FaultResultJson as FaultResult, FaultSla, SlaResult } from "../metrics/result.js";
import { evaluateSla } from "../metrics/sla.js";
import type { ResolvedFault, ResolvedTopology } from "../topology/types.js";
import type { Message } from "../workload/message.js";
import { type FailoverTimes, failoverTimes, MECHANISMS, type Mechanism, mechanismOf } from "./failover.js";
import { copyInto, PhaseStats } from "./fault-phases.js";
import { faultLabel, faultPorts } from "./fault-targets.js";
import type { FabricTransport, InstanceInfo } from "./transport.js";

/** The default time per mechanism: `FAILOVER_DEFAULTS` in src/run/failover.ts (sources in docs/failover.md). */
export { FAILOVER_DEFAULTS } from "./failover.js";
export { faultLabel, faultPorts } from "./fault-targets.js";

export interface FaultOptions {
  /**
   * One detection + failover time in ticks for every mechanism (the CLI's `--failover`);
   * null: no failover at all; undefined: per mechanism, the topology's `failover:` over the defaults.
   */
  readonly failoverTicks?: number | null;
}

/** One `fail` fault's outcome, as in the result JSON (defined with the result contract). */
export type { FaultResultJson as FaultResult, FaultSla } from "../metrics/result.js";

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
  /** Affected flow → the mechanism that moves it (or would: unprotected flows too). */
  readonly mechanism: Map<number, Mechanism>;
  lost: number;
  /** I/Os re-issued by multipathing after losing a part to this fault. */
  retried: number;
  restoredAt: number | null;
  active: boolean;
  /** Phase statistics (during, after), created when the fault happens. */
  phases: PhaseStats[];
}

export class FaultManager {
  /** Failover time per mechanism, ticks (null: off). */
  readonly times: FailoverTimes;
  /** Flows held on their broken route: flow index → the route and the faults holding it. */
  private readonly holds = new Map<number, { route: ReturnType<FabricTransport["routeOf"]>; by: Set<Record_> }>();
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
    this.times =
      options.failoverTicks === undefined ? failoverTimes(topo.failover) : failoverTimes({}, options.failoverTicks);
    instances.forEach((inst, source) => {
      const row: number[] = [];
      for (let target = 0; target < inst.spec.to.nodes.length; target++) {
        row.push(this.flows.length);
        this.flows.push({ source, target });
      }
      this.flowIndex.push(row);
    });
    const apply = sim.handler((f: ResolvedFault) => this.apply(f), "fault.apply");
    const failover = sim.handler(
      (x: { rec: Record_; mechanism: Mechanism }) => this.failover(x.rec, x.mechanism),
      "fault.failover",
    );
    this.hApply = apply;
    this.hFailover = failover;
    for (const f of faults) sim.scheduleAt(f.atTicks, apply, f);
    transport.noPathReason = (source, target) => this.noPathReason(source, target);
    transport.hold = (source, target) => {
      const h = this.holds.get(this.flowIndex[source]?.[target] ?? -1);
      return h === undefined || h.route === null ? undefined : h.route;
    };
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
      mechanism: new Map(),
      lost: 0,
      retried: 0,
      restoredAt: null,
      active: true,
      phases: [],
    };
    this.records.push(rec);
    this.current.set(label, rec);
    // Blast radius: the flows whose current route crosses the target; each keeps that route (held).
    const hit = new Set(ports);
    this.flows.forEach((flow, i) => {
      const r = this.transport.routeOf(flow.source, flow.target);
      if (r === null || !r.forward.ports.some((p) => hit.has(p))) return;
      const inst = this.instances[flow.source]!;
      rec.open.set(i, this.sim.now);
      rec.servers.add(inst.spec.host);
      rec.workloads.add(inst.spec.workload);
      const held = this.holds.get(i);
      if (held === undefined) this.holds.set(i, { route: r, by: new Set([rec]) });
      else held.by.add(rec);
    });
    // The control plane knows at once; flows not held take routes around the failure.
    for (const p of ports) p.routingDown = true;
    this.transport.invalidateRoutes();
    // Which mechanism moves each affected flow, and which flows no failover can save.
    let longest = 0;
    const used = new Set<Mechanism>();
    for (const i of rec.open.keys()) {
      const flow = this.flows[i]!;
      const old = this.holds.get(i)!.route!;
      const next = this.transport.freshRoute(flow.source, flow.target);
      const mechanism = mechanismOf(this.topo, this.instances[flow.source]!, old, next);
      rec.mechanism.set(i, mechanism);
      const t = this.times[mechanism];
      // Released at its mechanism's time even without a way around: from then on its messages find no path.
      if (t !== null) used.add(mechanism);
      longest = Math.max(longest, t ?? Number.POSITIVE_INFINITY);
      if (next !== null && t !== null) continue;
      const inst = this.instances[flow.source]!;
      rec.unprotectedServers.add(inst.spec.host);
      rec.unprotectedWorkloads.add(inst.spec.workload);
    }
    const switchAt = rec.open.size === 0 ? f.atTicks : f.atTicks + longest;
    rec.phases = [new PhaseStats(f.atTicks, switchAt), new PhaseStats(switchAt, Number.POSITIVE_INFINITY)];
    const reason = `failed: ${label}`;
    for (const p of ports) {
      const list = this.activeOn.get(p);
      if (list === undefined) this.activeOn.set(p, [rec]);
      else list.push(rec);
      if (p.failedReason === null) p.fail(reason);
    }
    for (const m of MECHANISMS) {
      const t = this.times[m];
      if (used.has(m) && t !== null) this.sim.schedule(t, this.hFailover, { rec, mechanism: m });
    }
    // Flows whose mechanism is off stay held: their messages keep failing at the failure until a restore.
  }

  /** The mechanism's time has come: its flows of `rec` leave their broken route. */
  private failover(rec: Record_, mechanism: Mechanism): void {
    if (!rec.active) return;
    for (const [i, m] of rec.mechanism) {
      if (m !== mechanism) continue;
      const held = this.holds.get(i);
      if (held === undefined) continue;
      held.by.delete(rec);
      if (held.by.size === 0) this.holds.delete(i);
    }
    this.reroute();
  }

  /** Failover times and flows per mechanism of a record (for the results). */
  private mechanisms(rec: Record_): Array<{ mechanism: Mechanism; flows: number; seconds: number | null }> {
    const counts = new Map<Mechanism, number>();
    for (const m of rec.mechanism.values()) counts.set(m, (counts.get(m) ?? 0) + 1);
    return MECHANISMS.filter((m) => counts.has(m)).map((m) => {
      const t = this.times[m];
      return { mechanism: m, flows: counts.get(m)!, seconds: t === null ? null : t / TICKS_PER_SECOND };
    });
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
    for (const [i, held] of this.holds) {
      held.by.delete(rec);
      if (held.by.size === 0) this.holds.delete(i);
    }
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
      }
    }
    this.reroute();
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

  private phaseSla(rec: Record_, endTicks: number, unfinished: readonly Message[]): FaultSla[] {
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
      for (const m of unfinished) bounded.unfinished(m, endTicks);
      const unit = (w: string): "message" | "io" => this.topo.workloads.find((x) => x.name === w)?.unit ?? "message";
      const results = [...new Set(targets.map((t) => t.workload))].map((w) => bounded.result(w, unit(w)));
      // Nothing of a workload completed in the phase but some was lost or is stuck: its latency target is missed too.
      return evaluateSla(targets, results).map((r) => {
        const w = results.find((x) => x.name === r.workload);
        return r.status === "undecided" && w !== undefined && w.delivered === 0 && w.dropped + w.unfinished > 0
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
  results(endTicks: number, unfinished: readonly Message[] = []): FaultResult[] {
    return this.records
      .map((rec) => {
        let outage = rec.outageTicks;
        for (const since of rec.open.values()) outage = Math.max(outage, endTicks - since);
        // Stuck: unfinished at the end on a flow this fault still keeps without a working path.
        const stuck: Record<string, number> = {};
        for (const m of unfinished) {
          const i = this.flowIndex[m.source]?.[m.target];
          if (i === undefined || !rec.open.has(i)) continue;
          stuck[m.stats.name] = (stuck[m.stats.name] ?? 0) + 1;
        }
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
          failover: this.mechanisms(rec),
          stuck: Object.fromEntries(Object.entries(stuck).sort(([a], [b]) => (a < b ? -1 : 1))),
          sla: this.phaseSla(rec, endTicks, unfinished),
        };
      })
      .sort((a, b) => a.at - b.at || (a.target < b.target ? -1 : a.target > b.target ? 1 : 0));
  }
}

/** Natural order: host2 before host10. */
function byName(a: string, b: string): number {
  const x = a.replace(/\d+/g, (d) => d.padStart(8, "0"));
  const y = b.replace(/\d+/g, (d) => d.padStart(8, "0"));
  return x < y ? -1 : x > y ? 1 : 0;
}
