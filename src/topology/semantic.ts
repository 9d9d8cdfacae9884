/**
 * The semantic pass: what a resolved topology must also be for the models to
 * run it. Every problem is reported, each at the part of the file it concerns:
 * - every port a workload may leave through has a link;
 * - every workload instance reaches every one of its targets, by the same
 *   routing the simulation uses (`src/network`: the network is built once and
 *   asked for each route, so the check and the run cannot disagree);
 * - distributions the kernel can draw from (means above 0);
 * - arrivals no further apart than MAX_MEAN_GAP_TICKS (a mean gap of hours
 *   would schedule beyond the clock's range);
 * - random failures at most MAX_FAILURES_PER_RUN per node and run;
 * - the run's estimated events (every replication) within the size limits.
 * Browser-safe.
 */

import { RandomStreams } from "../../sim/random.js";
import { Simulation } from "../../sim/simulation.js";
import { formatRate, formatSize, formatTime, TICKS_PER_SECOND } from "../../sim/units.js";
import { buildNetwork, type Network } from "../network/build.js";
import { toDistribution } from "../network/distribution.js";
import { mediaPreset } from "../network/storage-array.js";
import { MAX_FAILURES_PER_RUN, MAX_MEAN_GAP_TICKS } from "./bounds.js";
import type { PathSegment, RawIssue } from "./expand.js";
import { nameList } from "./resolve-workloads.js";
import type { BudgetIssue, SizeLimits } from "./size.js";
import type { Dist, ResolvedTopology, ResolvedWorkload, ServerNode, WorkloadInstance } from "./types.js";

/** Mean of a resolved distribution, or null when the kernel cannot draw from it (the reason). */
function meanOf(d: Dist): number | string {
  try {
    return toDistribution(d).mean;
  } catch (e) {
    return e instanceof Error ? e.message.replace(/^[A-Za-z]+: /, "") : String(e);
  }
}

/** The ports an instance may leave its server through (failover alternatives included). */
function startPorts(inst: WorkloadInstance, server: ServerNode): string[] {
  const via = inst.via;
  if (via.kind === "ports") return [...via.ports];
  if (via.kind === "vf") return [via.port];
  // A team of vifs (teaming, multipathing): every member's port.
  if (via.kind === "vifs") return [...new Set(via.vifs.map((v) => v.port))];
  const adapter = server.adapters.find((a) => a.name === via.adapter);
  const self = adapter?.vifs.find((v) => v.name === via.vif);
  const partners = (adapter?.vifs ?? []).filter((v) => v.type === self?.type && v.port !== via.port).map((v) => v.port);
  return [via.port, ...partners];
}

function describeVia(inst: WorkloadInstance): string {
  const v = inst.via;
  return v.kind === "ports"
    ? v.ports.join(", ")
    : v.kind === "vif"
      ? v.vif
      : v.kind === "vifs"
        ? v.vifs.map((x) => x.vif).join(", ")
        : `vf ${v.vf} on ${v.port}`;
}

/** What one route costs the simulation: hops, the slowest link on it, and the port it leaves its server by. */
interface RouteCost {
  readonly hops: number;
  readonly mtu: number;
  readonly minRateBps: number;
  /** The server's network port the route starts at ("host1:nic0/1") and its data rate. */
  readonly firstPort: string;
  readonly firstRateBps: number;
}

/**
 * Events per transfer per hop, and per message: calibrated on the four reference racks
 * (`npm run fuzz` prints estimate/actual; the estimate stays within a factor of 3).
 */
const EVENTS_PER_TRANSFER_HOP = 3;
const EVENTS_PER_MESSAGE = 4;
const EVENTS_PER_REROUTE = 20;

/** Arrivals per second of one instance of `w`, given its route (bulk: as fast as the slowest link). */
function arrivalsPerSecond(w: ResolvedWorkload, meanSize: number, route: RouteCost): number {
  switch (w.pattern) {
    case "poisson":
    case "onoff":
      return w.rateBps / (8 * meanSize);
    case "iops":
      return w.iops;
    case "bulk":
      return route.minRateBps / (8 * meanSize);
  }
}

export interface RunEstimate {
  /** Simulated events of one replication (order of magnitude: within a factor of about 3). */
  readonly eventsPerReplication: number;
  /** Of every replication. */
  readonly events: number;
  /** The workload that costs the most, with its share of the events. */
  readonly heaviest: { readonly index: number; readonly name: string; readonly events: number } | null;
}

interface Routed {
  readonly issues: RawIssue[];
  /** Route cost per workload and instance (null where there is none). */
  readonly costs: (RouteCost | null)[][];
}

function buildFor(topo: ResolvedTopology): Network {
  const sim = new Simulation();
  return buildNetwork(topo, sim, new RandomStreams(topo.experiment.seed, 0), () => {});
}

/** Links of every start port, then every route (the first target's cost is kept for the estimate). */
function routeAll(topo: ResolvedTopology): Routed {
  const issues: RawIssue[] = [];
  const byName = new Map(topo.nodes.map((n) => [n.name, n]));
  const unlinked = topo.workloads.map(() => new Map<string, Set<string>>());
  topo.workloads.forEach((w, wi) => {
    for (const inst of w.instances) {
      const server = byName.get(inst.host) as ServerNode;
      for (const port of startPorts(inst, server)) {
        if (server.ports.find((p) => p.name === port)?.peer != null) continue;
        const hosts = unlinked[wi]!.get(port) ?? new Set<string>();
        hosts.add(inst.host);
        unlinked[wi]!.set(port, hosts);
      }
    }
  });
  unlinked.forEach((ports, wi) => {
    for (const [port, hosts] of ports) {
      const list = nameList([...hosts]);
      issues.push({
        path: ["workloads", wi, "via"],
        message: `${topo.workloads[wi]!.name} leaves ${list} through ${port}, which has no link${hosts.size === 1 ? "" : " on any of them"}`,
      });
    }
  });
  if (issues.length > 0) return { issues, costs: [] };

  let net: Network;
  try {
    net = buildFor(topo);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return { issues: [{ path: [], message: `the fabric cannot be built from this file: ${why}` }], costs: [] };
  }
  const costs = topo.workloads.map((w, wi) => {
    const missing = new Map<string, string[]>();
    const out = w.instances.map((inst) => {
      const key = `${w.name}:${inst.host}${inst.vm === null ? "" : `/${inst.vm}`}`;
      let cost: RouteCost | null = null;
      inst.to.nodes.forEach((target, t) => {
        let r: ReturnType<Network["tryRoutes"]>;
        try {
          r = net.tryRoutes(inst, key, t, w.unit);
        } catch {
          r = null;
        }
        if (r === null) {
          const where = `from ${inst.host} (via ${describeVia(inst)})`;
          const known = missing.get(where) ?? [];
          // An I/O workload's lanes name the same array again (resolve-workloads.ts, ioLanes).
          if (!known.includes(target)) missing.set(where, [...known, target]);
          return;
        }
        // ports[0] is the host's PCIe bus to the adapter, ports[1] the adapter's network port.
        const first = r.forward.ports[1] ?? r.forward.ports[0]!;
        cost ??= {
          hops: r.forward.ports.length,
          mtu: r.mtu,
          minRateBps: Math.min(...r.forward.ports.map((p) => p.protocol.dataRateBps)),
          firstPort: first.id,
          firstRateBps: first.protocol.dataRateBps,
        };
      });
      return cost;
    });
    if (missing.size > 0) {
      const first = [...missing.entries()].slice(0, 3).map(([from, to]) => `${from} to ${nameList(to, 3)}`);
      const more = missing.size > 3 ? `; and from ${missing.size - 3} more instances` : "";
      issues.push({
        path: ["workloads", wi, "to"],
        message: `${w.name} has no path ${first.join("; ")}${more}`,
      });
    }
    return out;
  });
  return { issues, costs };
}

function distributionProblems(topo: ResolvedTopology): RawIssue[] {
  const out: RawIssue[] = [];
  const check = (d: Dist, path: PathSegment[]) => {
    const m = meanOf(d);
    if (typeof m === "string") out.push({ path, message: `cannot draw from this distribution: ${m}` });
    else if (!(m > 0)) out.push({ path, message: "the distribution's mean must be above 0" });
  };
  topo.workloads.forEach((w, i) => {
    check(w.size, ["workloads", i, "size"]);
    if (w.pattern === "onoff") {
      check(w.burst.on, ["workloads", i, "burst", "on"]);
      check(w.burst.off, ["workloads", i, "burst", "off"]);
    }
  });
  for (const n of topo.nodes) {
    if (n.kind !== "storage-array" || n.service === null) continue;
    // Service times may be 0 (a constant); a distribution must still be drawable.
    for (const op of ["read", "write"] as const) {
      const d = n.service[op];
      if (d.kind === "constant") continue;
      check(d, ["topology", "nodes", n.name, "service", op]);
    }
  }
  return out;
}

/** Arrival gaps within the clock's reach: one issue per workload whose mean gap is too long. */
function gapProblems(topo: ResolvedTopology): RawIssue[] {
  const out: RawIssue[] = [];
  topo.workloads.forEach((w, i) => {
    if (w.pattern !== "poisson" && w.pattern !== "onoff") return;
    const size = meanOf(w.size);
    if (typeof size === "string") return;
    const gapTicks = (size * 8 * TICKS_PER_SECOND) / w.rateBps;
    if (gapTicks <= MAX_MEAN_GAP_TICKS) return;
    out.push({
      path: ["workloads", i, "rate"],
      message:
        `${formatRate(w.rateBps)} of ${formatSize(size)} messages is one message every ${formatTime(gapTicks)} per instance; ` +
        `arrivals at most ${formatTime(MAX_MEAN_GAP_TICKS)} apart are simulated (raise the rate or shrink the size)`,
    });
  });
  return out;
}

function failureProblems(topo: ResolvedTopology): RawIssue[] {
  const runTicks = topo.experiment.warmupTicks + topo.experiment.durationTicks;
  const out: RawIssue[] = [];
  topo.failures.forEach((f, i) => {
    const perRun = runTicks / (f.mtbfTicks + f.mttrTicks);
    if (perRun <= MAX_FAILURES_PER_RUN) return;
    const least = Math.ceil(runTicks / MAX_FAILURES_PER_RUN);
    out.push({
      path: ["failures", i, "mtbf"],
      message:
        `each ${f.kind} would fail about ${Math.round(perRun).toLocaleString("en-US")} times in a run of ${formatTime(runTicks)}; ` +
        `mtbf + mttr must be at least ${formatTime(least)} (the run / ${MAX_FAILURES_PER_RUN})`,
    });
  });
  return out;
}

/** Estimated events of a run, from the offered load and the routes (see the constants above). */
function estimate(topo: ResolvedTopology, costs: readonly (RouteCost | null)[][]): RunEstimate {
  const runSeconds = (topo.experiment.warmupTicks + topo.experiment.durationTicks) / TICKS_PER_SECOND;
  let perRep = 0;
  let heaviest: RunEstimate["heaviest"] = null;
  topo.workloads.forEach((w, wi) => {
    const size = meanOf(w.size);
    if (typeof size === "string") return;
    let events = 0;
    w.instances.forEach((_, k) => {
      const route = costs[wi]?.[k];
      if (route === null || route === undefined) return;
      const transfers = Math.max(1, Math.ceil(size / route.mtu)) + (w.unit === "io" ? 1 : 0);
      const perMessage = transfers * route.hops * EVENTS_PER_TRANSFER_HOP + EVENTS_PER_MESSAGE;
      events += arrivalsPerSecond(w, size, route) * runSeconds * perMessage;
      if (w.pattern === "bulk") events += w.outstanding * perMessage;
      if (w.pattern === "onoff") {
        // Every on/off cycle is decided in a loop, whether or not it holds an arrival.
        const on = meanOf(w.burst.on);
        const off = meanOf(w.burst.off);
        if (typeof on === "number" && typeof off === "number" && on + off > 0)
          events += (runSeconds * TICKS_PER_SECOND) / (on + off);
      }
    });
    perRep += events;
    if (heaviest === null || events > heaviest.events) heaviest = { index: wi, name: w.name, events };
  });
  // Each fault (a fail or a restore) re-routes every flow: it costs about as much as
  // EVENTS_PER_REROUTE events per instance (calibrated on an MR-IOV rack with 200 shared
  // adapters failing every 120 us: 35,000 faults took as long as ~1.4e8 events).
  const instances = topo.workloads.reduce((n, w) => n + w.instances.length, 0);
  let faults = topo.faults.length;
  for (const f of topo.failures) {
    const nodes = topo.nodes.filter((n) => n.kind === f.kind).length;
    faults += (nodes * 2 * runSeconds * TICKS_PER_SECOND) / (f.mtbfTicks + f.mttrTicks);
  }
  perRep += faults * (1 + instances * EVENTS_PER_REROUTE);
  return { eventsPerReplication: perRep, events: perRep * topo.experiment.replications, heaviest };
}

/**
 * Messages a run would hold at its end beyond what the fabric can carry: hosts
 * queue what their ports cannot send (a host never drops) and arrays queue what
 * they cannot serve, without bound. Per server port, the offered load beyond the
 * port's rate; per array, the I/Os beyond concurrency / mean service time; plus
 * what bulk workloads keep in flight. Each becomes objects in memory.
 */
function backlog(topo: ResolvedTopology, costs: readonly (RouteCost | null)[][]): { messages: number; worst: string } {
  const runSeconds = (topo.experiment.warmupTicks + topo.experiment.durationTicks) / TICKS_PER_SECOND;
  const ports = new Map<string, { bps: number; rate: number; msgs: number }>();
  const arrays = new Map<string, number>();
  let inFlight = 0;
  let worst = { messages: 0, what: "" };
  topo.workloads.forEach((w, wi) => {
    const size = meanOf(w.size);
    if (typeof size === "string") return;
    w.instances.forEach((inst, k) => {
      const route = costs[wi]?.[k];
      if (route === null || route === undefined) return;
      if (w.pattern === "bulk") {
        inFlight += w.outstanding;
        return;
      }
      const perSecond = arrivalsPerSecond(w, size, route);
      const port = ports.get(route.firstPort) ?? { bps: 0, rate: route.firstRateBps, msgs: 0 };
      port.bps += perSecond * size * 8;
      port.msgs += perSecond;
      ports.set(route.firstPort, port);
      if (inst.to.kind === "storage-array") {
        for (const a of inst.to.nodes) arrays.set(a, (arrays.get(a) ?? 0) + perSecond / inst.to.nodes.length);
      }
    });
  });
  let messages = inFlight;
  if (inFlight > 0) worst = { messages: inFlight, what: "bulk workloads' outstanding messages" };
  for (const [id, p] of ports) {
    if (p.bps <= p.rate) continue;
    const queued = p.msgs * (1 - p.rate / p.bps) * runSeconds;
    messages += queued;
    if (queued > worst.messages)
      worst = { messages: queued, what: `${id}: ${formatRate(p.bps)} offered to a ${formatRate(p.rate)} port` };
  }
  const byName = new Map(topo.nodes.map((n) => [n.name, n]));
  for (const [name, iops] of arrays) {
    const node = byName.get(name);
    if (node?.kind !== "storage-array") continue;
    const service = node.service ?? null;
    const mean = service === null ? presetServiceTicks(node.media ?? "flash") : meanServiceTicks(service);
    if (mean === null || mean <= 0) continue;
    const capacity = (node.concurrency * TICKS_PER_SECOND) / mean;
    if (iops <= capacity) continue;
    const queued = (iops - capacity) * runSeconds;
    messages += queued;
    if (queued > worst.messages)
      worst = {
        messages: queued,
        what: `${name}: ${Math.round(iops).toLocaleString("en-US")} I/Os per second for ${Math.round(capacity).toLocaleString("en-US")} it can serve`,
      };
  }
  return { messages, worst: worst.what };
}

/** Mean service time of an array's explicit service distributions (reads and writes alike), ticks. */
function meanServiceTicks(service: { readonly read: Dist; readonly write: Dist }): number | null {
  const r = meanOf(service.read);
  const w = meanOf(service.write);
  return typeof r === "number" && typeof w === "number" ? Math.min(r, w) : null;
}

/** Mean service time of a media preset (the faster of read and write, ticks): src/network/storage-array.ts. */
function presetServiceTicks(media: "flash" | "disk"): number {
  const p = mediaPreset(media);
  return Math.min(p.read.mean, p.write.mean);
}

/** The size-limit issue for what a run would queue, or undefined when it fits. */
function backlogProblem(
  topo: ResolvedTopology,
  costs: readonly (RouteCost | null)[][],
  limits: SizeLimits,
): BudgetIssue | undefined {
  const b = backlog(topo, costs);
  if (!(b.messages > limits.queued)) return undefined;
  return {
    path: ["workloads"],
    budget: true,
    message:
      `the run would hold about ${Math.round(b.messages).toLocaleString("en-US")} messages queued or in flight at once ` +
      `(most at ${b.worst}), more than the limit of ${limits.queued.toLocaleString("en-US")}: each is memory; ` +
      `lower the load or shorten the run, or raise the limits with ${limits.override}`,
  };
}

/** The estimated events of a run of `topo` (throws nothing; unreachable instances are left out). */
export function estimateRun(topo: ResolvedTopology): RunEstimate {
  return estimate(topo, routeAll(topo).costs);
}

/** The size-limit issue of an estimate, or undefined when it fits. */
export function eventsProblem(topo: ResolvedTopology, run: RunEstimate, limits: SizeLimits): BudgetIssue | undefined {
  if (!(run.events > limits.events)) return undefined;
  const e = topo.experiment;
  const fmt = (n: number) => n.toExponential(1).replace("e+", "e");
  const heaviest = run.heaviest === null ? "" : ` (${run.heaviest.name}: ${fmt(run.heaviest.events)} per replication)`;
  return {
    path: run.heaviest === null ? ["experiment", "duration"] : ["workloads", run.heaviest.index],
    budget: true,
    message:
      `a run of ${formatTime(e.warmupTicks + e.durationTicks)} × ${e.replications} replication${e.replications === 1 ? "" : "s"} ` +
      `would take about ${fmt(run.events)} events${heaviest}, more than the limit of ${fmt(limits.events)}; ` +
      `shorten experiment.duration or lower the load, or raise the limits with ${limits.override}`,
  };
}

/** Every semantic problem of a resolved topology (empty when it can run), the size limit last. */
export function semanticProblems(topo: ResolvedTopology, limits: SizeLimits): RawIssue[] {
  const issues = [...distributionProblems(topo), ...gapProblems(topo), ...failureProblems(topo)];
  if (issues.length > 0) return issues;
  const routed = routeAll(topo);
  if (routed.issues.length > 0) return routed.issues;
  const events = eventsProblem(topo, estimate(topo, routed.costs), limits);
  const queued = backlogProblem(topo, routed.costs, limits);
  return [events, queued].filter((p) => p !== undefined);
}
