/**
 * The flow model of one topology (evaluate.ts states the model): its flows, their routes
 * and resource uses, one water-filling solve and the per-workload results; and
 * `withDown`, the same answer with some ports failed, re-solving only what they change
 * (failure.ts).
 */
import type { FlowRoutes, RoutedNetwork } from "../network/build.js";
import { buildFlowNetwork } from "../network/flow-network.js";
import type { AnyPort } from "../network/port-view.js";
import type { RouteReads } from "../network/routing.js";
import type { ResolvedTopology } from "../topology/types.js";
import type { FlowLinkResult, FlowOptions, FlowResult } from "./evaluate.js";
import { type BaseSolution, Failures, type FlowFailureResult, type Uses } from "./failure.js";
import type { Moments } from "./latency.js";
import { PortChannels } from "./port-channels.js";
import { FloatList, IntList, type PortNumbers, portNumbers, RouteTable, routeCursor } from "./route-table.js";
import { type FlowSet, isLossy, type Slot, solveFlows, type UsesView, workloadResult } from "./solve.js";
import { arrayService, type WorkloadWire, workloadWire } from "./wire.js";

export type { FlowFailureResult } from "./failure.js";

const now = (): number => (typeof performance === "undefined" ? Date.now() : performance.now());

export class FlowModel {
  readonly net: RoutedNetwork<AnyPort>;
  private readonly ports: readonly AnyPort[];
  private readonly portIndex: PortNumbers;
  private readonly nP: number;
  private readonly capacities: number[];
  private readonly resourceNames: string[];
  /** The shaper of each queue of a multi-queue port, by port (−2: not looked up yet). */
  private readonly shaperOf = new Map<number, Int32Array>();
  /** The shaper of each single-queue port (−2: not looked up yet). */
  private readonly shaperOfSingle: Int32Array;
  private readonly wires: WorkloadWire[];
  private readonly slots: Slot[] = [];
  /** First slot of each workload (W + 1 entries). */
  private readonly workloadStart: Int32Array;
  /** Each slot's route, packed (the router's route objects are not kept). */
  private readonly routeTable: RouteTable;
  private readonly cursor = routeCursor();
  /** Each slot's resources and coefficients (packed rows: slot s at useStart[s] … useStart[s + 1]). */
  private readonly useStart: Int32Array;
  private readonly useResource: Int32Array;
  private readonly useCoeff: Float64Array;
  /** A failure's re-routed slots: their uses instead of the packed rows (null: stranded). */
  private readonly override = new Map<number, Uses | null>();
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
  /** FC ISL port channels: a flow's use of a member is spread over the members that are up. */
  private readonly channels: PortChannels;
  private readonly t0: number;
  private readonly tBuilt: number;
  private readonly tFlows: number;
  /** What a solve reads and writes (solve.ts). */
  private readonly flowSet: FlowSet;
  private base: BaseSolution | null = null;
  /** The failure re-solve (made when first asked for). */
  private failures: Failures | null = null;

  constructor(
    readonly topo: ResolvedTopology,
    options: FlowOptions = {},
  ) {
    this.t0 = now();
    this.net = options.network ?? buildFlowNetwork(topo);
    this.tBuilt = now();
    this.shapers = options.shapers !== false;
    this.ports = this.net.fabric.ports;
    this.nP = this.ports.length;
    this.shaperOfSingle = new Int32Array(this.nP).fill(-2);
    this.channels = new PortChannels(this.ports, topo);
    this.portIndex = portNumbers(this.ports);
    // PCIe SKP ordered sets take their share of the line (src/link/pcie.ts); 0 elsewhere.
    this.capacities = this.ports.map((p) => p.capacityBps * (1 - p.protocol.orderedSetFraction));
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
    this.useStart = new Int32Array(this.slots.length + 1);
    this.routeTable = new RouteTable(this.slots.length, this.portIndex);
    const { res, coeffs } = this.routeAll();
    // Views, not copies: the rows are read through useStart.
    this.useResource = res.data.subarray(0, res.length);
    this.useCoeff = coeffs.data.subarray(0, coeffs.length);
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
    this.flowSet = {
      ports: this.ports,
      portIndex: this.portIndex,
      nP: this.nP,
      capacities: this.capacities,
      slots: this.slots,
      routes: this.routeTable,
      wires: this.wires,
      service: this.service,
      units: topo.workloads.map((w) => w.unit),
      usesAt: (s, into) => this.usesAt(s, into),
      rate: this.rate,
      bottleneck: this.bottleneck,
      mean: this.mean,
      tail: this.tail,
      contention: this.contention,
      resourceNames: this.resourceNames,
    };
    this.tFlows = now();
  }

  /**
   * Routes every slot into the route table and its uses into packed rows (`useStart`).
   * A method of its own, not a loop in the constructor: the constructor runs once, and a
   * loop in it would have it compiled on stack replacement, without type feedback for
   * what follows the loop.
   */
  private routeAll(): { res: IntList; coeffs: FloatList } {
    // Growing typed arrays: the rows are not traced or copied by the garbage collector
    // (room for 12 uses a slot to start with).
    const res = new IntList(this.slots.length * 12);
    const coeffs = new FloatList(this.slots.length * 12);
    for (let s = 0; s < this.slots.length; s++) {
      this.routeTable.add(this.route(s));
      this.usesOf(s, res, coeffs);
      this.useStart[s + 1] = res.length;
    }
    return { res, coeffs };
  }

  private route(s: number, reads?: RouteReads<AnyPort>): FlowRoutes<AnyPort> | null {
    const slot = this.slots[s]!;
    const w = this.topo.workloads[slot.workload]!;
    return reads === undefined
      ? this.net.tryRoutes(slot.inst, slot.key, slot.target, w.unit)
      : this.net.tryRoutes(slot.inst, slot.key, slot.target, w.unit, reads);
  }

  /** Slot `s`'s uses: rows of `resources`/`coeffs` from `from` to `to`. */
  private usesAt(s: number, into: UsesView = { resources: [], coeffs: [], from: 0, to: 0 }): UsesView {
    const o = this.override.size === 0 ? undefined : this.override.get(s);
    if (o !== undefined) {
      into.resources = o?.resources ?? [];
      into.coeffs = o?.coeffs ?? [];
      into.from = 0;
      into.to = o?.resources.length ?? 0;
    } else {
      into.resources = this.useResource;
      into.coeffs = this.useCoeff;
      into.from = this.useStart[s]!;
      into.to = this.useStart[s + 1]!;
    }
    return into;
  }

  /** The array service of workload `wi`: at the target of its first flow with a path (I/O only). */
  private setService(wi: number): boolean {
    const w = this.topo.workloads[wi]!;
    let node: string | null = null;
    if (w.unit === "io") {
      for (let s = this.workloadStart[wi]!; s < this.workloadStart[wi + 1]!; s++) {
        if (!this.routeTable.has(s)) continue;
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
    // Most ports have one queue: an array, not a Map keyed by numbers past 2³¹ (slow to hash).
    const port = this.ports[pi]!;
    const single = queue === 0 && port.scheduler.queueCount === 1;
    if (single && this.shaperOfSingle[pi] !== -2) return this.shaperOfSingle[pi]!;
    // Per port, an array over its queues (a Map keyed by port × 65,536 + queue hashes heap numbers).
    let queues = single ? undefined : this.shaperOf.get(pi);
    if (!single && (queues === undefined || queue >= queues.length)) {
      const grown = new Int32Array(Math.max(port.scheduler.queueCount, queue + 1)).fill(-2);
      if (queues !== undefined) grown.set(queues);
      queues = grown;
      this.shaperOf.set(pi, queues);
    }
    if (queues !== undefined && queues[queue] !== -2) return queues[queue]!;
    const rate = shaperRate(port, queue);
    let r = -1;
    if (rate !== null) {
      r = this.capacities.length;
      this.capacities.push(rate);
      this.resourceNames.push(`shaper ${port.id}#${queue}`);
    }
    if (single) this.shaperOfSingle[pi] = r;
    else queues![queue] = r;
    return r;
  }

  /**
   * Appends to `res`/`coeff` the wire bits per payload bit at each port (and shaper) of the
   * flow's legs, merged per resource in first-use order.
   */
  private usesOf(s: number, res: IntList, coeff: FloatList): void {
    const c = this.cursor;
    if (!this.routeTable.at(s, c)) return;
    const slot = this.slots[s]!;
    const wire = this.wires[slot.workload]!;
    const end = this.topo.workloads[slot.workload]!.unit === "io" ? c.to : c.split;
    const from = res.length;
    // Plain loops, no closures: this runs once per flow (tens of thousands in a site).
    let protocol: AnyPort["protocol"] | null = null;
    let dir = 0 as 0 | 1;
    let k = 0;
    for (let h = c.from; h < end; h++) {
      const pi = c.port[h]!;
      const p = this.ports[pi]!;
      // Consecutive hops mostly share a protocol: its wire bytes are looked up once per run.
      if (p.protocol !== protocol || h === c.split) {
        dir = h < c.split ? 0 : 1;
        protocol = p.protocol;
        k = wire.expected(protocol, c.mtu, dir).wire / wire.meanBytes;
      }
      const ch = this.channels.of[pi]!;
      if (ch < 0) addUse(res, coeff, from, pi, k);
      else this.channelUses(ch, pi, res, coeff, from, k);
      if (this.shapers) {
        const si = this.shaper(pi, c.queue[h]!);
        if (si >= 0) addUse(res, coeff, from, si, k);
      }
    }
  }

  /** A use `k` of member `pi` of channel `ch`, spread evenly over the channel's members that are up. */
  private channelUses(ch: number, pi: number, res: IntList, coeff: FloatList, from: number, k: number): void {
    const up = this.channels.upCount(ch, this.ports);
    if (up <= 1) {
      addUse(res, coeff, from, pi, k);
      return;
    }
    const members = this.channels.members[ch]!;
    for (let j = 0; j < members.length; j++) {
      const m = members[j]!;
      if (!this.ports[m]!.routingDown) addUse(res, coeff, from, m, k / up);
    }
  }

  /** Port `p`'s index in `net.fabric.ports` (undefined for a port of another network). */
  portNumber(p: AnyPort): number | undefined {
    return this.portIndex.get(p);
  }

  /** Port `i`'s capacity in wire bits per second (after PCIe SKP ordered sets). */
  capacityOf(i: number): number {
    return this.capacities[i]!;
  }

  /**
   * The offered wire load (bits per second) of each workload at each of `ports` (port indices in
   * `net.fabric.ports`), in the current routes (inside `withDown`'s `during`: the failed state):
   * row k of the answer holds port k's load per workload. A flow offers its demand, not its rate
   * (elastic flows, whose demand is unbounded, are left out), so the figure does not depend on any
   * other port's capacity. O(flows × hops).
   */
  offeredAt(ports: readonly number[]): Float64Array {
    const W = this.topo.workloads.length;
    const out = new Float64Array(ports.length * W);
    const row = new Int32Array(this.capacities.length).fill(-1);
    ports.forEach((pi, k) => {
      row[pi] = k;
    });
    const u: UsesView = { resources: [], coeffs: [], from: 0, to: 0 };
    for (let s = 0; s < this.slots.length; s++) {
      const slot = this.slots[s]!;
      if (!Number.isFinite(slot.demand) || slot.demand === 0 || !this.routeTable.has(s)) continue;
      this.usesAt(s, u);
      for (let j = u.from; j < u.to; j++) {
        const k = row[u.resources[j]!]!;
        if (k >= 0) out[k * W + slot.workload]! += slot.demand * u.coeffs[j]!;
      }
    }
    return out;
  }

  /** The full evaluation (computed once). */
  result(): FlowResult {
    if (this.base !== null) return this.base.result;
    const list: number[] = [];
    for (let s = 0; s < this.slots.length; s++) if (this.routeTable.has(s)) list.push(s);
    const solved = solveFlows(this.flowSet, list);
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
    const workloads = this.topo.workloads.map((_, wi) =>
      workloadResult(this.flowSet, this.topo.workloads[wi]!, this.workloadStart[wi]!, this.workloadStart[wi + 1]!),
    );
    const links: FlowLinkResult[] = this.ports.map((p, i) => ({
      id: p.id,
      to: p.to,
      capacityBps: p.capacityBps,
      loadBps: load[i]!,
      utilization: load[i]! / this.capacities[i]!,
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

  /**
   * The workload results with `down` failed for routing (as a fresh evaluation of the
   * network with those ports `routingDown` gives them), re-solving only what changes
   * (failure.ts). The ports are restored before it returns.
   */
  withDown(down: readonly AnyPort[], during?: () => void): FlowFailureResult {
    this.result();
    this.failures ??= new Failures({
      topo: this.topo,
      net: this.net,
      slots: this.slots,
      nP: this.nP,
      portIndex: this.portIndex,
      workloadStart: this.workloadStart,
      routeTable: this.routeTable,
      override: this.override,
      flowSet: this.flowSet,
      base: this.base!,
      route: (s, reads) => this.route(s, reads),
      usesOf: (s, res, coeffs) => this.usesOf(s, res, coeffs),
      usesAt: (s) => this.usesAt(s),
      service: () => ({ node: this.serviceNode, service: this.service }),
      setService: (wi) => this.setService(wi),
    });
    return this.failures.withDown(down, during);
  }
}

/** Adds `c` to `resource`'s coefficient in the row that starts at `from` (first use appends it). */
function addUse(res: IntList, coeff: FloatList, from: number, resource: number, c: number): void {
  const data = res.data;
  for (let at = from; at < res.length; at++) {
    if (data[at] === resource) {
      coeff.data[at]! += c;
      return;
    }
  }
  res.push(resource);
  coeff.push(0 + c);
}

/** A shaped scheduler queue's rate in wire bits per second, or null. */
function shaperRate(port: AnyPort, queue: number): number | null {
  return port.scheduler.shaperRateBps?.(queue) ?? null;
}
