/**
 * The flow model of one topology (evaluate.ts states the model): its flows, their routes
 * and resource uses, one water-filling solve and the per-workload results; and
 * `withDown`, the same answer with some ports failed, re-solving only what they change.
 *
 * Incremental re-solve (the single-failure check solves once per shared component):
 * - A route depends on the `routingDown` of the ports it read (`RouteReads`); only the
 *   flows that read a failed port are re-routed.
 * - Max-min fair rates of one connected component of flows and resources do not depend on
 *   the others (waterfill.ts), and port statistics and latencies of a flow depend only on
 *   its component. So the components the re-routed flows leave or join are solved again,
 *   the rest keep their results, and the workloads with a changed flow are summed again,
 *   in flow order: the answer is the one a fresh evaluation of the failed topology gives,
 *   bit for bit (tested).
 */
import { RandomStreams } from "../../sim/random.js";
import { Simulation } from "../../sim/simulation.js";
import { TICKS_PER_SECOND } from "../../sim/units.js";
import type { EgressPort } from "../fabric/egress-port.js";
import { buildNetwork, type FlowRoutes, type Network } from "../network/build.js";
import type { RouteReads } from "../network/routing.js";
import type { ResolvedTopology, WorkloadInstance } from "../topology/types.js";
import type { FlowLinkResult, FlowOptions, FlowResult, FlowWorkloadResult } from "./evaluate.js";
import { type Moments, mm1, quantile99 } from "./latency.js";
import { solveFluid } from "./waterfill.js";
import { arrayService, type WorkloadWire, workloadWire } from "./wire.js";

/** One (workload instance, target) pair: a flow when it has a route, stranded when not. */
interface Slot {
  readonly workload: number;
  readonly inst: WorkloadInstance;
  readonly key: string;
  readonly target: number;
  readonly demand: number;
  readonly windowBytes: number;
}

/** A flow's resources in first-use order (ports, then shapers after the ports), and coefficients. */
interface Uses {
  readonly resources: Int32Array;
  readonly coeffs: Float64Array;
}

/** What a failure changes, for `withDown`. */
export interface FlowFailureResult {
  workloads: FlowWorkloadResult[];
  /** Flows with a path. */
  flows: number;
  /** Flows whose routes were computed again (they read a failed port). */
  rerouted: number;
  /** Flows solved again (the components the re-routed flows leave or join). */
  resolved: number;
}

const now = (): number => (typeof performance === "undefined" ? Date.now() : performance.now());
const QUEUES = 65536;

/** Per scheduler queue of a multi-queue port: wire load (bits/s), messages/s, largest transfer. */
interface QueueStat {
  load: number;
  msgRate: number;
  transfer: number;
  elastic: boolean;
}

export class FlowModel {
  readonly net: Network;
  private readonly ports: readonly EgressPort[];
  private readonly portIndex = new Map<EgressPort, number>();
  private readonly nP: number;
  private readonly capacities: number[];
  private readonly resourceNames: string[];
  private readonly shaperOf = new Map<number, number>();
  private readonly wires: WorkloadWire[];
  private readonly slots: Slot[] = [];
  /** First slot of each workload (W + 1 entries). */
  private readonly workloadStart: Int32Array;
  private readonly routes: (FlowRoutes | null)[] = [];
  private readonly uses: (Uses | null)[] = [];
  private readonly reads: RouteReads[] = [];
  private readonly service: (Moments | null)[];
  private readonly serviceNode: (string | null)[];
  private readonly nodeByName: ReadonlyMap<string, ResolvedTopology["nodes"][number]>;
  // Per slot, the current solution.
  private readonly rate: Float64Array;
  private readonly bottleneck: Int32Array;
  private readonly mean: Float64Array;
  private readonly tail: Float64Array;
  private readonly contention: Uint8Array;
  private readonly shapers: boolean;
  private readonly t0: number;
  private readonly tBuilt: number;
  private readonly tFlows: number;
  private base: {
    result: FlowResult;
    /** Component of each slot (−1: stranded) and of each resource (−1: unused). */
    slotComponent: Int32Array;
    resourceComponent: Int32Array;
    /** Slots of each component, ascending (CSR). */
    componentStart: Int32Array;
    componentSlots: Int32Array;
  } | null = null;
  private watchers: { start: Int32Array; slots: Int32Array; everything: Int32Array } | null = null;

  constructor(
    readonly topo: ResolvedTopology,
    options: FlowOptions = {},
  ) {
    this.t0 = now();
    this.net =
      options.network ?? buildNetwork(topo, new Simulation(), new RandomStreams(topo.experiment.seed, 0), () => {});
    this.tBuilt = now();
    this.shapers = options.shapers !== false;
    this.ports = this.net.fabric.ports;
    this.nP = this.ports.length;
    this.ports.forEach((p, i) => {
      this.portIndex.set(p, i);
    });
    this.capacities = this.ports.map((p) => p.capacityBps);
    this.resourceNames = this.ports.map((p) => p.id);
    const seed = topo.experiment.seed;
    const samples = options.sizeSamples ?? 2048;
    this.wires = topo.workloads.map((w) => workloadWire(w, seed, samples));
    this.workloadStart = new Int32Array(topo.workloads.length + 1);
    topo.workloads.forEach((w, wi) => {
      const wire = this.wires[wi]!;
      for (const inst of w.instances) {
        const key = `${w.name}:${inst.host}${inst.vm === null ? "" : `/${inst.vm}`}`;
        const targets = inst.to.nodes.length;
        const on = options.active === undefined || options.active(w.name, key);
        for (let t = 0; t < targets; t++) {
          const demand = !on
            ? 0
            : w.pattern === "bulk"
              ? Number.POSITIVE_INFINITY
              : w.pattern === "iops"
                ? (w.iops * wire.meanBytes * 8) / targets
                : w.rateBps / targets;
          const windowBytes = w.pattern === "bulk" ? (w.outstanding * wire.meanBytes) / targets : 0;
          this.slots.push({ workload: wi, inst, key, target: t, demand, windowBytes });
        }
      }
      this.workloadStart[wi + 1] = this.slots.length;
    });
    for (let s = 0; s < this.slots.length; s++) {
      const reads: RouteReads = { ports: [], everything: false };
      const r = this.route(s, reads);
      this.reads.push(reads);
      this.routes.push(r);
      this.uses.push(r === null ? null : this.usesOf(s, r));
    }
    this.nodeByName = new Map(topo.nodes.map((n) => [n.name, n]));
    this.service = topo.workloads.map(() => null);
    this.serviceNode = topo.workloads.map(() => null);
    for (let wi = 0; wi < topo.workloads.length; wi++) this.setService(wi);
    const n = this.slots.length;
    this.rate = new Float64Array(n);
    this.bottleneck = new Int32Array(n).fill(-1);
    this.mean = new Float64Array(n);
    this.tail = new Float64Array(n);
    this.contention = new Uint8Array(n);
    this.tFlows = now();
  }

  private route(s: number, reads: RouteReads): FlowRoutes | null {
    const slot = this.slots[s]!;
    const w = this.topo.workloads[slot.workload]!;
    return this.net.tryRoutes(slot.inst, slot.key, slot.target, w.unit, reads);
  }

  /** The array service of workload `wi`: at the target of its first flow with a path (I/O only). */
  private setService(wi: number): boolean {
    const w = this.topo.workloads[wi]!;
    let node: string | null = null;
    if (w.unit === "io") {
      for (let s = this.workloadStart[wi]!; s < this.workloadStart[wi + 1]!; s++) {
        if (this.routes[s] === null) continue;
        const slot = this.slots[s]!;
        node = slot.inst.to.nodes[slot.target]!;
        break;
      }
    }
    const changed = node !== this.serviceNode[wi];
    this.serviceNode[wi] = node;
    this.service[wi] =
      node === null ? null : arrayService(this.nodeByName.get(node), w.read ?? 0, this.topo.experiment.seed);
    return changed;
  }

  /** The resource of the shaper at (port `pi`, queue), or −1 when the queue is not shaped. */
  private shaper(pi: number, queue: number): number {
    const key = pi * QUEUES + queue;
    const hit = this.shaperOf.get(key);
    if (hit !== undefined) return hit;
    const port = this.ports[pi]!;
    const rate = shaperRate(port, queue);
    let r = -1;
    if (rate !== null) {
      r = this.capacities.length;
      this.capacities.push(rate);
      this.resourceNames.push(`shaper ${port.id}#${queue}`);
    }
    this.shaperOf.set(key, r);
    return r;
  }

  /** Wire bits per payload bit at each port (and shaper) of the flow's legs, merged per resource in first-use order. */
  private usesOf(s: number, r: FlowRoutes): Uses {
    const slot = this.slots[s]!;
    const wire = this.wires[slot.workload]!;
    const legs = this.topo.workloads[slot.workload]!.unit === "io" ? 2 : 1;
    const res: number[] = [];
    const coeff: number[] = [];
    const add = (resource: number, c: number): void => {
      const at = res.indexOf(resource);
      if (at < 0) {
        res.push(resource);
        coeff.push(0 + c);
      } else coeff[at]! += c;
    };
    for (let dir = 0 as 0 | 1; dir < legs; dir = (dir + 1) as 0 | 1) {
      const route = dir === 0 ? r.forward : r.reverse;
      route.ports.forEach((port, h) => {
        const e = wire.expected(port.protocol, r.mtu, dir);
        const c = e.wire / wire.meanBytes;
        const pi = this.portIndex.get(port)!;
        add(pi, c);
        if (this.shapers) {
          const si = this.shaper(pi, route.queues[h] ?? 0);
          if (si >= 0) add(si, c);
        }
      });
    }
    return { resources: Int32Array.from(res), coeffs: Float64Array.from(coeff) };
  }

  /** The full evaluation (computed once). */
  result(): FlowResult {
    if (this.base !== null) return this.base.result;
    const list: number[] = [];
    for (let s = 0; s < this.slots.length; s++) if (this.routes[s] !== null) list.push(s);
    const solved = this.solve(list);
    const load = new Float64Array(this.capacities.length);
    solved.resources.forEach((r, k) => {
      load[r] = solved.load[k]!;
    });
    const slotComponent = new Int32Array(this.slots.length).fill(-1);
    list.forEach((s, k) => {
      slotComponent[s] = solved.flowComponent[k]!;
    });
    const resourceComponent = new Int32Array(this.capacities.length).fill(-1);
    solved.resources.forEach((r, k) => {
      resourceComponent[r] = solved.resourceComponent[k]!;
    });
    const componentStart = new Int32Array(solved.components + 1);
    for (const s of list) componentStart[slotComponent[s]! + 1]!++;
    for (let c = 0; c < solved.components; c++) componentStart[c + 1]! += componentStart[c]!;
    const componentSlots = new Int32Array(list.length);
    const fill = componentStart.slice(0, solved.components);
    for (const s of list) componentSlots[fill[slotComponent[s]!]!++] = s;
    const workloads = this.topo.workloads.map((_, wi) => this.workloadResult(wi));
    const links: FlowLinkResult[] = this.ports.map((p, i) => ({
      id: p.id,
      to: p.to,
      capacityBps: p.capacityBps,
      loadBps: load[i]!,
      utilization: load[i]! / p.capacityBps,
      lossy: isLossy(p),
    }));
    const t = now();
    const result: FlowResult = {
      topology: this.topo.name,
      design: this.topo.design,
      workloads,
      links,
      flows: list.length,
      rounds: solved.rounds,
      wallSeconds: (t - this.t0) / 1000,
      phases: {
        build: (this.tBuilt - this.t0) / 1000,
        flows: (this.tFlows - this.tBuilt) / 1000,
        solve: (t - this.tFlows) / 1000,
      },
    };
    this.base = { result, slotComponent, resourceComponent, componentStart, componentSlots };
    return result;
  }

  /** Slots that read each port's state while routing (CSR by port), and those whose route read every port. */
  private watched(): NonNullable<FlowModel["watchers"]> {
    if (this.watchers !== null) return this.watchers;
    const start = new Int32Array(this.nP + 1);
    const stamp = new Int32Array(this.nP).fill(-1);
    const everything: number[] = [];
    this.reads.forEach((r, s) => {
      if (r.everything) everything.push(s);
      for (const p of r.ports) {
        const pi = this.portIndex.get(p)!;
        if (stamp[pi] === s) continue;
        stamp[pi] = s;
        start[pi + 1]!++;
      }
    });
    for (let i = 0; i < this.nP; i++) start[i + 1]! += start[i]!;
    const slots = new Int32Array(start[this.nP]!);
    const fill = start.slice(0, this.nP);
    stamp.fill(-1);
    this.reads.forEach((r, s) => {
      for (const p of r.ports) {
        const pi = this.portIndex.get(p)!;
        if (stamp[pi] === s) continue;
        stamp[pi] = s;
        slots[fill[pi]!++] = s;
      }
    });
    this.watchers = { start, slots, everything: Int32Array.from(everything) };
    return this.watchers;
  }

  /**
   * The workload results with `down` failed for routing (as a fresh evaluation of the
   * network with those ports `routingDown` gives them), re-solving only what changes.
   * The ports are restored before it returns.
   */
  withDown(down: readonly EgressPort[]): FlowFailureResult {
    const base = this.result();
    const baseBase = this.base!;
    const marked = down.filter((p) => !p.routingDown);
    for (const p of marked) p.routingDown = true;
    this.net.invalidateRoutes();
    const saved = new Map<number, { route: FlowRoutes | null; uses: Uses | null }>();
    const savedService = new Map<number, { node: string | null; service: Moments | null }>();
    const savedSolution = new Map<number, [number, number, number, number, number]>();
    try {
      // 1. Re-route the flows that read a failed port.
      const w = this.watched();
      const affected = new Set<number>(w.everything);
      for (const p of down) {
        const pi = this.portIndex.get(p);
        if (pi === undefined) continue;
        for (let k = w.start[pi]!; k < w.start[pi + 1]!; k++) affected.add(w.slots[k]!);
      }
      const changedWorkloads = new Set<number>();
      for (const s of affected) {
        const r = this.route(s, { ports: [], everything: false });
        saved.set(s, { route: this.routes[s]!, uses: this.uses[s]! });
        this.routes[s] = r;
        this.uses[s] = r === null ? null : this.usesOf(s, r);
        changedWorkloads.add(this.slots[s]!.workload);
      }
      // 2. The components they leave or join (and every flow of a workload whose array service moves).
      const components = new Set<number>();
      const addComponentsOf = (s: number): void => {
        const c = baseBase.slotComponent[s]!;
        if (c >= 0) components.add(c);
        const u = this.uses[s];
        if (u !== null && u !== undefined) {
          for (const r of u.resources) {
            const rc = r < baseBase.resourceComponent.length ? baseBase.resourceComponent[r]! : -1;
            if (rc >= 0) components.add(rc);
          }
        }
      };
      for (const s of affected) addComponentsOf(s);
      for (const wi of changedWorkloads) {
        savedService.set(wi, { node: this.serviceNode[wi]!, service: this.service[wi]! });
        if (this.setService(wi)) {
          for (let s = this.workloadStart[wi]!; s < this.workloadStart[wi + 1]!; s++) addComponentsOf(s);
        }
      }
      const inList = new Uint8Array(this.slots.length);
      for (const c of components) {
        for (let k = baseBase.componentStart[c]!; k < baseBase.componentStart[c + 1]!; k++) {
          inList[baseBase.componentSlots[k]!] = 1;
        }
      }
      for (const s of affected) inList[s] = 1;
      const list: number[] = [];
      for (let s = 0; s < this.slots.length; s++) if (inList[s] && this.routes[s] !== null) list.push(s);
      // 3. Solve them again, sum the workloads they belong to, then restore the base solution.
      for (const s of list) {
        savedSolution.set(s, [this.rate[s]!, this.bottleneck[s]!, this.mean[s]!, this.tail[s]!, this.contention[s]!]);
        changedWorkloads.add(this.slots[s]!.workload);
      }
      this.solve(list);
      const workloads = base.workloads.map((r, wi) => (changedWorkloads.has(wi) ? this.workloadResult(wi) : r));
      let flows = 0;
      for (const r of this.routes) if (r !== null) flows++;
      return { workloads, flows, rerouted: affected.size, resolved: list.length };
    } finally {
      for (const [s, v] of savedSolution) {
        [this.rate[s], this.bottleneck[s], this.mean[s], this.tail[s], this.contention[s]] = v;
      }
      for (const [wi, v] of savedService) {
        this.serviceNode[wi] = v.node;
        this.service[wi] = v.service;
      }
      for (const [s, v] of saved) {
        this.routes[s] = v.route;
        this.uses[s] = v.uses;
      }
      for (const p of marked) p.routingDown = false;
      this.net.invalidateRoutes();
    }
  }

  /**
   * Water-filling, port statistics and latency of the flows `list` (ascending slots with
   * routes, closed under sharing a resource); writes each flow's rate, bottleneck and
   * latency. Returns the resources' loads and the components.
   */
  private solve(list: readonly number[]): {
    resources: number[];
    load: Float64Array;
    rounds: number;
    components: number;
    flowComponent: Int32Array;
    resourceComponent: Int32Array;
  } {
    const nF = list.length;
    // Local resource numbers.
    const local = new Map<number, number>();
    const resources: number[] = [];
    const useStart = new Int32Array(nF + 1);
    let total = 0;
    list.forEach((s, k) => {
      total += this.uses[s]!.resources.length;
      useStart[k + 1] = total;
    });
    const useResource = new Int32Array(total);
    const useCoeff = new Float64Array(total);
    const demand = new Float64Array(nF);
    list.forEach((s, k) => {
      const u = this.uses[s]!;
      demand[k] = this.slots[s]!.demand;
      for (let j = 0; j < u.resources.length; j++) {
        const g = u.resources[j]!;
        let l = local.get(g);
        if (l === undefined) {
          l = resources.length;
          local.set(g, l);
          resources.push(g);
        }
        useResource[useStart[k]! + j] = l;
        useCoeff[useStart[k]! + j] = u.coeffs[j]!;
      }
    });
    const alloc = solveFluid({
      capacities: resources.map((g) => this.capacities[g]!),
      demand,
      weight: null,
      useStart,
      useResource,
      useCoeff,
    });
    const nP = this.nP;
    const nL = resources.length;
    const port = (l: number): EgressPort => this.ports[resources[l]!]!;
    // Messages per second and elastic window bytes per port; per-queue statistics of multi-queue ports.
    const msgRate = new Float64Array(nL);
    const elasticWindow = new Float64Array(nL);
    const elasticSat = new Uint8Array(nL);
    const queueStats = new Map<number, QueueStat>();
    list.forEach((s, k) => {
      const slot = this.slots[s]!;
      const x = alloc.rates[k]!;
      const elastic = slot.demand === Number.POSITIVE_INFINITY;
      this.forHops(s, (p, queue, wire, transferWire) => {
        const l = local.get(this.portIndex.get(p)!)!;
        const perByte = 1 / this.wires[slot.workload]!.meanBytes;
        msgRate[l]! += (x / 8) * perByte;
        if (p.scheduler.queueCount > 1) {
          const key = l * QUEUES + queue;
          let q = queueStats.get(key);
          if (q === undefined) {
            q = { load: 0, msgRate: 0, transfer: 0, elastic: false };
            queueStats.set(key, q);
          }
          q.load += (x * wire) / this.wires[slot.workload]!.meanBytes;
          q.msgRate += (x / 8) * perByte;
          q.transfer = Math.max(q.transfer, transferWire);
          q.elastic ||= elastic;
        }
        if (elastic) elasticWindow[l]! += (slot.windowBytes * wire) / this.wires[slot.workload]!.meanBytes;
      });
      const b = alloc.bottleneck[k]!;
      if (elastic && b >= 0 && resources[b]! < nP) elasticSat[b] = 1;
    });

    const lossy = (l: number): boolean => isLossy(port(l));
    const waits = new Map<number, Moments & { fixed: number }>();
    /** Wait (seconds) at local port `l` for a flow in scheduler queue `queue`: random part and fixed part. */
    const wait = (l: number, queue: number): Moments & { fixed: number } => {
      const key = l * QUEUES + queue;
      const hit = waits.get(key);
      if (hit !== undefined) return hit;
      const p = port(l);
      const c = p.capacityBps;
      const own = queueStats.get(key);
      let w: Moments & { fixed: number };
      if (p.scheduler.queueCount > 1 && own !== undefined && !(elasticSat[l] && own.elastic)) {
        // DRR: it waits for its own queue's traffic (M/M/1 on that load) plus, per other busy
        // queue, one transfer with the probability that queue is busy (1 for an elastic one here).
        let extra = 0;
        for (let q = 0; q < p.scheduler.queueCount; q++) {
          const other = q === queue ? undefined : queueStats.get(l * QUEUES + q);
          if (other === undefined) continue;
          const busy = elasticSat[l] && other.elastic ? 1 : Math.min(1, other.load / c);
          extra += (busy * other.transfer * 8) / c;
        }
        w = { ...mm1(own.load / c, own.msgRate), fixed: extra };
      } else if (elasticSat[l]) {
        const bytes = lossy(l) ? Math.min(p.bufferBytes, elasticWindow[l]!) : elasticWindow[l]!;
        w = { mean: 0, variance: 0, fixed: (bytes * 8) / c };
      } else w = { ...mm1(alloc.load[l]! / p.capacityBps, msgRate[l]!), fixed: 0 };
      waits.set(key, w);
      return w;
    };

    list.forEach((s, k) => {
      const slot = this.slots[s]!;
      const wire = this.wires[slot.workload]!;
      const x = alloc.rates[k]!;
      const b = alloc.bottleneck[k]!;
      this.rate[s] = x;
      this.bottleneck[s] = b < 0 ? -1 : resources[b]!;
      const elastic = slot.demand === Number.POSITIVE_INFINITY;
      /** Deterministic part, and the random part's moments. */
      let fixed = 0;
      const rand: Moments = { mean: 0, variance: 0 };
      /** Extra serialization of a p99-size message over a mean-size one, at its slowest port. */
      let sizeTail = 0;
      let contention = false;
      let legBase = 0;
      let rest = 0;
      this.forHops(
        s,
        (p, queue, w, transferWire) => {
          const l = local.get(this.portIndex.get(p)!)!;
          const c = p.capacityBps;
          legBase +=
            (transferWire * 8) / c + p.propagationTicks / TICKS_PER_SECOND + p.peerNode.latencyTicks / TICKS_PER_SECOND;
          rest = Math.max(rest, ((w - transferWire) * 8) / c);
          sizeTail = Math.max(sizeTail, (((wire.p99Bytes - wire.meanBytes) * w) / wire.meanBytes / c) * 8);
          if (lossy(l) && elasticSat[l] && !elastic) contention = true;
          const wq = wait(l, queue);
          fixed += wq.fixed;
          rand.mean += wq.mean;
          rand.variance += wq.variance;
        },
        () => {
          fixed += legBase + rest;
          legBase = 0;
          rest = 0;
        },
      );
      const service = this.service[slot.workload];
      if (service !== null && service !== undefined) {
        rand.mean += service.mean;
        rand.variance += service.variance;
      }
      let mean = fixed + rand.mean;
      // Independent tails, combined as a root sum of squares (a heuristic: exact when one dominates).
      let tail = fixed + Math.hypot(quantile99(rand), sizeTail);
      if (elastic) {
        // Closed loop: the window's bytes over the flow's rate (Little's law).
        mean = x > 0 ? (slot.windowBytes * 8) / x : Number.POSITIVE_INFINITY;
        tail = mean;
      }
      this.mean[s] = mean;
      this.tail[s] = tail;
      this.contention[s] = contention ? 1 : 0;
    });
    const resourceComponent = new Int32Array(nL);
    const flowComponent = new Int32Array(nF);
    for (let k = 0; k < nF; k++) {
      flowComponent[k] = alloc.component[k]!;
      for (let j = useStart[k]!; j < useStart[k + 1]!; j++) resourceComponent[useResource[j]!] = alloc.component[k]!;
    }
    return {
      resources,
      load: alloc.load,
      rounds: alloc.rounds,
      components: alloc.components,
      flowComponent,
      resourceComponent,
    };
  }

  /**
   * Calls `hop` for each port of slot `s`'s legs in route order (forward, then reverse for
   * an I/O) with its queue, expected wire bytes per leg and per transfer; `legEnd` after each leg.
   */
  private forHops(
    s: number,
    hop: (port: EgressPort, queue: number, wire: number, transferWire: number) => void,
    legEnd?: () => void,
  ): void {
    const slot = this.slots[s]!;
    const r = this.routes[s]!;
    const wire = this.wires[slot.workload]!;
    const legs = this.topo.workloads[slot.workload]!.unit === "io" ? 2 : 1;
    for (let dir = 0 as 0 | 1; dir < legs; dir = (dir + 1) as 0 | 1) {
      const route = dir === 0 ? r.forward : r.reverse;
      const { ports, queues } = route;
      for (let h = 0; h < ports.length; h++) {
        const p = ports[h]!;
        const e = wire.expected(p.protocol, r.mtu, dir);
        hop(p, queues[h] ?? 0, e.wire, e.wire / e.transfers);
      }
      legEnd?.();
    }
  }

  /** Workload `wi`'s result from its flows' current solution, summed in flow order. */
  private workloadResult(wi: number): FlowWorkloadResult {
    const w = this.topo.workloads[wi]!;
    let offered = 0;
    let delivered = 0;
    let lost = 0;
    let latSum = 0;
    let latWeight = 0;
    let p99: number | null = 0;
    let unstable = false;
    let contention = false;
    let lossyBottleneck = false;
    let count = 0;
    let strandedFlows = 0;
    let strandedDemand = 0;
    const bottlenecks = new Set<string>();
    for (let s = this.workloadStart[wi]!; s < this.workloadStart[wi + 1]!; s++) {
      const slot = this.slots[s]!;
      if (this.routes[s] === null) {
        // No path (a failed element the routes avoid): everything it offers is lost.
        strandedFlows++;
        if (Number.isFinite(slot.demand)) strandedDemand += slot.demand;
        continue;
      }
      count++;
      const x = this.rate[s]!;
      const elastic = slot.demand === Number.POSITIVE_INFINITY;
      offered += slot.demand;
      delivered += x;
      const b = this.bottleneck[s]!;
      if (b >= 0) {
        bottlenecks.add(this.resourceNames[b]!);
        const lossyPort = b < this.nP && isLossy(this.ports[b]!);
        if (lossyPort && !elastic) lost += slot.demand - x;
        if (lossyPort && elastic) lossyBottleneck = true;
      }
      if (this.contention[s]) contention = true;
      if (slot.demand === 0) continue; // inactive: no latency sample
      const mean = this.mean[s]!;
      if (!Number.isFinite(mean)) unstable = true;
      latSum += mean * Math.max(x, 1e-9);
      latWeight += Math.max(x, 1e-9);
      p99 = Math.max(p99 ?? 0, this.tail[s]!);
    }
    const elastic = w.pattern === "bulk";
    offered += strandedDemand;
    lost += strandedDemand;
    return {
      name: w.name,
      unit: w.unit,
      pattern: w.pattern,
      elastic,
      offeredBps: offered,
      deliveredBps: delivered,
      lossRatio: elastic || offered === 0 ? 0 : lost / offered,
      latency: unstable || latWeight === 0 ? { mean: null, p99: null } : { mean: latSum / latWeight, p99 },
      bottlenecks: [...bottlenecks].sort(),
      lossyContention: contention,
      lossyBottleneck,
      flows: count,
      stranded: strandedFlows,
    };
  }
}

function isLossy(p: EgressPort): boolean {
  return !p.lossless && Number.isFinite(p.bufferBytes);
}

/** A shaped scheduler queue's rate in wire bits per second, or null (read from the DRR scheduler). */
function shaperRate(port: EgressPort, queue: number): number | null {
  const s = port.scheduler as unknown as { shaped?: Uint8Array; rate?: Float64Array };
  if (s.shaped === undefined || s.rate === undefined || !s.shaped[queue]) return null;
  return s.rate[queue]! * 8 * TICKS_PER_SECOND;
}
