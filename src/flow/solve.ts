/**
 * One solve of a set of flows (model.ts keeps them): water-filling over their resources,
 * then each port's statistics (messages per second, per-queue loads of multi-queue ports,
 * elastic windows) and each flow's latency (the formulas in evaluate.ts's header). The set
 * must be closed under sharing a resource (whole components), so that its ports see all
 * their traffic. Sums run in flow order; each (port, queue) wait is computed once.
 * Cost O(E log E) for E = Σ route lengths (waterfill.ts), the rest O(E).
 */
import type { AnyPort } from "../network/port-view.js";
import type { ResolvedWorkload, WorkloadInstance } from "../topology/types.js";
import type { FlowWorkloadResult } from "./evaluate.js";
import { type Hops, packHops } from "./hops.js";
import { type Moments, quantile99 } from "./latency.js";
import { isLossy, type LocalPorts, localPorts, type PortStatistics, portStatistics, Waits } from "./port-stats.js";
import type { PortNumbers, RouteTable } from "./route-table.js";
import { type PackedAllocation, solveFluid } from "./waterfill.js";
import type { WorkloadWire } from "./wire.js";

/** One (workload instance, target) pair: a flow when it has a route, stranded when not. */
export interface Slot {
  readonly workload: number;
  readonly inst: WorkloadInstance;
  readonly key: string;
  readonly target: number;
  readonly demand: number;
  readonly windowBytes: number;
}

/** A slot's resources and coefficients: rows `from` … `to` of the two arrays (a cursor `usesAt` fills). */
export interface UsesView {
  resources: ArrayLike<number>;
  coeffs: ArrayLike<number>;
  from: number;
  to: number;
}

/** What a solve reads of the model, and where it writes each flow's solution (per slot). */
export interface FlowSet {
  readonly ports: readonly AnyPort[];
  readonly portIndex: PortNumbers;
  readonly nP: number;
  readonly capacities: readonly number[];
  readonly slots: readonly Slot[];
  /** Each slot's route (packed). */
  readonly routes: RouteTable;
  readonly wires: readonly WorkloadWire[];
  /** Per workload: the array service of its I/Os (null: none). */
  readonly service: readonly (Moments | null)[];
  readonly units: readonly ("message" | "io")[];
  /** Slot `s`'s uses, read into `into` (one cursor for every slot: no object per flow). */
  usesAt(s: number, into: UsesView): UsesView;
  readonly rate: Float64Array;
  readonly bottleneck: Int32Array;
  readonly mean: Float64Array;
  readonly tail: Float64Array;
  readonly contention: Uint8Array;
  /** Names of the resources (ports, then shapers): bottlenecks are reported by name. */
  readonly resourceNames: readonly string[];
}

export { isLossy } from "./port-stats.js";

/**
 * Water-filling, port statistics and latency of the flows `list` (ascending slots with
 * routes, closed under sharing a resource); writes each flow's rate, bottleneck and
 * latency. Returns the resources' loads and the components.
 *
 * Each phase is a function of its own with one loop over the flows: a site's evaluation
 * calls this once, and one big function was compiled on stack replacement again and again
 * (each time without type feedback for the phases after the loop it was in).
 */
export function solveFlows(
  m: FlowSet,
  list: readonly number[],
): {
  resources: number[];
  load: Float64Array;
  rounds: number;
  components: number;
  flowComponent: Int32Array;
  resourceComponent: Int32Array;
} {
  // Local resource numbers (−1: not used by these flows); an array, not a Map: read at every hop.
  const local = new Int32Array(m.capacities.length).fill(-1);
  const uses = localUses(m, list, local);
  const { resources, useStart, useResource, useCoeff, demand } = uses;
  const alloc = solveFluid({
    capacities: resources.map((g) => m.capacities[g]!),
    demand,
    weight: null,
    useStart,
    useResource,
    useCoeff,
  });
  const hops = packHops(m, list, local);
  const ports = localPorts(m, resources, hops);
  const stats = portStatistics(m, list, alloc, hops, ports);
  latencies(m, list, alloc, hops, ports, stats, new Waits(ports, stats, alloc.load));
  const nF = list.length;
  const resourceComponent = new Int32Array(resources.length);
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

/** The flows' uses in local resource numbers (`local`, filled here), and their demands. */
function localUses(
  m: FlowSet,
  list: readonly number[],
  local: Int32Array,
): {
  resources: number[];
  useStart: Int32Array;
  useResource: Int32Array;
  useCoeff: Float64Array;
  demand: Float64Array;
} {
  const nF = list.length;
  const resources: number[] = [];
  const useStart = new Int32Array(nF + 1);
  let total = 0;
  const u: UsesView = { resources: [], coeffs: [], from: 0, to: 0 };
  for (let k = 0; k < nF; k++) {
    m.usesAt(list[k]!, u);
    total += u.to - u.from;
    useStart[k + 1] = total;
  }
  const useResource = new Int32Array(total);
  const useCoeff = new Float64Array(total);
  const demand = new Float64Array(nF);
  for (let k = 0; k < nF; k++) {
    const s = list[k]!;
    m.usesAt(s, u);
    demand[k] = m.slots[s]!.demand;
    for (let j = 0; j < u.to - u.from; j++) {
      const g = u.resources[u.from + j]!;
      let l = local[g]!;
      if (l < 0) {
        l = resources.length;
        local[g] = l;
        resources.push(g);
      }
      useResource[useStart[k]! + j] = l;
      useCoeff[useStart[k]! + j] = u.coeffs[u.from + j]!;
    }
  }
  return { resources, useStart, useResource, useCoeff, demand };
}

/** An open-loop flow's rate this far below its demand is throttled (not the water-filling's rounding). */
const THROTTLE_TOLERANCE = 1e-6;

/** Resource `r` (a port, or a shaper past the ports) drops what it cannot carry. */
function lossyBottleneckAt(m: FlowSet, r: number): boolean {
  return r < m.nP && isLossy(m.ports[r]!);
}

/** Each flow's rate, bottleneck and latency (mean, tail, lossy contention), written to the model's per-slot arrays. */
function latencies(
  m: FlowSet,
  list: readonly number[],
  alloc: PackedAllocation,
  hops: Hops,
  ports: LocalPorts,
  stats: PortStatistics,
  waits: Waits,
): void {
  const { cap, lossy, alpha, propagation, peerLatency, resources, queueBase } = ports;
  const { elasticSat, queueElastic } = stats;
  const { mean: waitMean, variance: waitVariance, fixed: waitFixed } = waits;
  const legs = hops.legs;
  // The random part's moments, for quantile99 (one object for every flow).
  const rand: Moments = { mean: 0, variance: 0 };
  for (let k = 0; k < list.length; k++) {
    const s = list[k]!;
    const slot = m.slots[s]!;
    const wire = m.wires[slot.workload]!;
    const x = alloc.rates[k]!;
    const b = alloc.bottleneck[k]!;
    m.rate[s] = x;
    m.bottleneck[s] = b < 0 ? -1 : resources[b]!;
    const elastic = slot.demand === Number.POSITIVE_INFINITY;
    /** Deterministic part, and the random part's moments. */
    let fixed = 0;
    let randMean = 0;
    let randVariance = 0;
    /** Extra serialization of a p99-size message over a mean-size one, at its slowest port. */
    let sizeTail = 0;
    let contention = false;
    let legBase = 0;
    let rest = 0;
    for (let h = hops.start[k]!; h < hops.start[k + 1]!; h++) {
      const l = hops.local[h]!;
      const at = hops.at[h]!;
      const w = legs.wire[at]!;
      const transferWire = w / legs.transfers[at]!;
      const c = cap[l]!;
      legBase += (transferWire * 8) / c + propagation[l]! + peerLatency[l]!;
      rest = Math.max(rest, ((w - transferWire) * 8) / c);
      sizeTail = Math.max(sizeTail, (((wire.p99Bytes - wire.meanBytes) * w) / wire.meanBytes / c) * 8);
      // Drop-tail behind an elastic stream: on the port's whole buffer, or (dynamic per-queue
      // thresholds) only in a queue the stream shares.
      if (lossy[l] && elasticSat[l] && !elastic && (alpha[l] === 0 || queueElastic[queueBase[l]! + hops.queue[h]!]))
        contention = true;
      const q = waits.at(l, hops.queue[h]!);
      fixed += waitFixed[q]!;
      randMean += waitMean[q]!;
      randVariance += waitVariance[q]!;
      if (hops.legEnd[h]) {
        fixed += legBase + rest;
        legBase = 0;
        rest = 0;
      }
    }
    const service = m.service[slot.workload];
    if (service !== null && service !== undefined) {
      randMean += service.mean;
      randVariance += service.variance;
    }
    let mean = fixed + randMean;
    rand.mean = randMean;
    rand.variance = randVariance;
    // Independent tails, combined as a root sum of squares (a heuristic: exact when one dominates).
    let tail = fixed + Math.hypot(quantile99(rand), sizeTail);
    if (elastic) {
      // Closed loop: the window's bytes over the flow's rate (Little's law).
      mean = x > 0 ? (slot.windowBytes * 8) / x : Number.POSITIVE_INFINITY;
      tail = mean;
    } else if (x < slot.demand * (1 - THROTTLE_TOLERANCE) && !(b >= 0 && lossyBottleneckAt(m, resources[b]!))) {
      // Open loop, held below its offered rate where nothing drops (a lossless link's credits or
      // pauses, a shaper): the excess waits at the source and its queue grows without bound.
      mean = Number.POSITIVE_INFINITY;
      tail = mean;
    }
    m.mean[s] = mean;
    m.tail[s] = tail;
    m.contention[s] = contention ? 1 : 0;
  }
}

/** Workload `w`'s result from its slots `first` … `end − 1` (their current solution), summed in flow order. */
export function workloadResult(m: FlowSet, w: ResolvedWorkload, first: number, end: number): FlowWorkloadResult {
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
  for (let s = first; s < end; s++) {
    const slot = m.slots[s]!;
    if (!m.routes.has(s)) {
      // No path (a failed element the routes avoid): everything it offers is lost.
      strandedFlows++;
      if (Number.isFinite(slot.demand)) strandedDemand += slot.demand;
      continue;
    }
    count++;
    const x = m.rate[s]!;
    const elastic = slot.demand === Number.POSITIVE_INFINITY;
    offered += slot.demand;
    delivered += x;
    const b = m.bottleneck[s]!;
    if (b >= 0) {
      bottlenecks.add(m.resourceNames[b]!);
      const lossyPort = lossyBottleneckAt(m, b);
      if (lossyPort && !elastic) lost += slot.demand - x;
      if (lossyPort && elastic) lossyBottleneck = true;
    }
    if (m.contention[s]) contention = true;
    if (slot.demand === 0) continue; // inactive: no latency sample
    const mean = m.mean[s]!;
    if (!Number.isFinite(mean)) unstable = true;
    latSum += mean * Math.max(x, 1e-9);
    latWeight += Math.max(x, 1e-9);
    p99 = Math.max(p99 ?? 0, m.tail[s]!);
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
