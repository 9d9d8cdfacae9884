/**
 * The failure re-solve of a flow model (`FlowModel.withDown`): the workload results with
 * some ports failed for routing, as a fresh evaluation of the failed network gives them,
 * re-solving only what the failure changes (the single-failure check solves once per
 * shared component).
 * - A route depends on the `routingDown` of the ports it read (`RouteReads<AnyPort>`); only the
 *   flows that read a failed port are re-routed.
 * - Max-min fair rates of one connected component of flows and resources do not depend on
 *   the others (waterfill.ts), and port statistics and latencies of a flow depend only on
 *   its component. So the components the re-routed flows leave or join are solved again,
 *   the rest keep their results, and the workloads with a changed flow are summed again,
 *   in flow order: the answer is the one a fresh evaluation of the failed topology gives,
 *   bit for bit (tested).
 * - Where one component spans the site (a shared storage array or LAN core joins every
 *   flow), only the routing is incremental: every failure re-solves the whole component.
 */
import type { FlowRoutes, RoutedNetwork } from "../network/build.js";
import type { AnyPort } from "../network/port-view.js";
import type { RouteReads } from "../network/routing.js";
import type { ResolvedTopology } from "../topology/types.js";
import type { FlowResult, FlowWorkloadResult } from "./evaluate.js";
import type { Moments } from "./latency.js";
import { FloatList, IntList, type PortNumbers, type RouteTable } from "./route-table.js";
import { type FlowSet, type Slot, solveFlows, type UsesView, workloadResult } from "./solve.js";

/** A flow's resources in first-use order and their coefficients (a failure's re-routed flows). */
export interface Uses {
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

/** The model's full evaluation and its components. */
export interface BaseSolution {
  result: FlowResult;
  /** Component of each slot (−1: stranded) and of each resource (−1: unused). */
  slotComponent: Int32Array;
  resourceComponent: Int32Array;
  /** Slots of each component, ascending (CSR). */
  componentStart: Int32Array;
  componentSlots: Int32Array;
}

/** What the re-solve reads and changes of a `FlowModel` (its own arrays, shared, and its per-slot steps). */
export interface FailureModel {
  readonly topo: ResolvedTopology;
  readonly net: RoutedNetwork<AnyPort>;
  readonly slots: readonly Slot[];
  readonly nP: number;
  readonly portIndex: PortNumbers;
  /** First slot of each workload (W + 1 entries). */
  readonly workloadStart: Int32Array;
  readonly routeTable: RouteTable;
  /** A failure's re-routed slots: their uses instead of the packed rows (null: stranded). */
  readonly override: Map<number, Uses | null>;
  readonly flowSet: FlowSet;
  readonly base: BaseSolution;
  route(s: number, reads?: RouteReads<AnyPort>): FlowRoutes<AnyPort> | null;
  usesOf(s: number, res: IntList, coeffs: FloatList): void;
  usesAt(s: number): UsesView;
  /** The array service of each workload (node and moments, changed in place by `setService`). */
  service(): { node: (string | null)[]; service: (Moments | null)[] };
  /** Sets workload `wi`'s array service from its current routes; true when its node changed. */
  setService(wi: number): boolean;
}

/** The slots that read each port's state while routing, and the re-solve of a failure. */
export class Failures {
  private watchers: { start: Int32Array; slots: Int32Array; everything: Int32Array } | null = null;

  constructor(private readonly m: FailureModel) {}

  /**
   * Slots that read each port's state while routing (CSR by port), and those whose route
   * read every port. Recorded on first use by routing every slot again in the base state
   * (same routes): only the single-failure check needs them.
   */
  private watched(): NonNullable<Failures["watchers"]> {
    if (this.watchers !== null) return this.watchers;
    const { m } = this;
    const pairPort: number[] = [];
    const pairSlot: number[] = [];
    const everything: number[] = [];
    const stamp = new Int32Array(m.nP).fill(-1);
    const reads: RouteReads<AnyPort> = { ports: [], everything: false };
    for (let s = 0; s < m.slots.length; s++) {
      reads.ports.length = 0;
      reads.everything = false;
      m.route(s, reads);
      if (reads.everything) everything.push(s);
      for (const p of reads.ports) {
        const pi = m.portIndex.get(p)!;
        if (stamp[pi] === s) continue;
        stamp[pi] = s;
        pairPort.push(pi);
        pairSlot.push(s);
      }
    }
    const start = new Int32Array(m.nP + 1);
    for (const pi of pairPort) start[pi + 1]!++;
    for (let i = 0; i < m.nP; i++) start[i + 1]! += start[i]!;
    const slots = new Int32Array(pairPort.length);
    const fill = start.slice(0, m.nP);
    pairPort.forEach((pi, k) => {
      slots[fill[pi]!++] = pairSlot[k]!;
    });
    this.watchers = { start, slots, everything: Int32Array.from(everything) };
    return this.watchers;
  }

  /**
   * The workload results with `down` failed for routing (as a fresh evaluation of the
   * network with those ports `routingDown` gives them), re-solving only what changes.
   * The ports are restored before it returns.
   */
  withDown(down: readonly AnyPort[], during?: () => void): FlowFailureResult {
    const { m } = this;
    const base = m.base;
    const set = m.flowSet;
    const w = this.watched();
    const marked = down.filter((p) => !p.routingDown);
    for (const p of marked) p.routingDown = true;
    m.net.invalidateRoutes();
    const { node: serviceNode, service } = m.service();
    const savedService = new Map<number, { node: string | null; service: Moments | null }>();
    const savedSolution = new Map<number, [number, number, number, number, number]>();
    try {
      // 1. Re-route the flows that read a failed port.
      const affected = new Set<number>(w.everything);
      for (const p of down) {
        const pi = m.portIndex.get(p);
        if (pi === undefined) continue;
        for (let k = w.start[pi]!; k < w.start[pi + 1]!; k++) affected.add(w.slots[k]!);
      }
      const changedWorkloads = new Set<number>();
      for (const s of affected) {
        const r = m.route(s, { ports: [], everything: false });
        m.routeTable.replace(s, r);
        if (r === null) m.override.set(s, null);
        else {
          const res = new IntList(32);
          const coeffs = new FloatList(32);
          m.usesOf(s, res, coeffs);
          m.override.set(s, {
            resources: res.data.slice(0, res.length),
            coeffs: coeffs.data.slice(0, coeffs.length),
          });
        }
        changedWorkloads.add(m.slots[s]!.workload);
      }
      // 2. The components they leave or join (and every flow of a workload whose array service moves).
      const components = new Set<number>();
      const addComponentsOf = (s: number): void => {
        const c = base.slotComponent[s]!;
        if (c >= 0) components.add(c);
        const u = m.usesAt(s);
        for (let k = u.from; k < u.to; k++) {
          const r = u.resources[k]!;
          const rc = r < base.resourceComponent.length ? base.resourceComponent[r]! : -1;
          if (rc >= 0) components.add(rc);
        }
      };
      for (const s of affected) addComponentsOf(s);
      for (const wi of changedWorkloads) {
        savedService.set(wi, { node: serviceNode[wi]!, service: service[wi]! });
        if (m.setService(wi)) {
          for (let s = m.workloadStart[wi]!; s < m.workloadStart[wi + 1]!; s++) addComponentsOf(s);
        }
      }
      const inList = new Uint8Array(m.slots.length);
      for (const c of components) {
        for (let k = base.componentStart[c]!; k < base.componentStart[c + 1]!; k++) {
          inList[base.componentSlots[k]!] = 1;
        }
      }
      for (const s of affected) inList[s] = 1;
      const list: number[] = [];
      for (let s = 0; s < m.slots.length; s++) if (inList[s] && m.routeTable.has(s)) list.push(s);
      // 3. Solve them again, sum the workloads they belong to, then restore the base solution.
      for (const s of list) {
        savedSolution.set(s, [set.rate[s]!, set.bottleneck[s]!, set.mean[s]!, set.tail[s]!, set.contention[s]!]);
        changedWorkloads.add(m.slots[s]!.workload);
      }
      solveFlows(set, list);
      const workloads = base.result.workloads.map((r, wi) =>
        changedWorkloads.has(wi)
          ? workloadResult(set, m.topo.workloads[wi]!, m.workloadStart[wi]!, m.workloadStart[wi + 1]!)
          : r,
      );
      let flows = 0;
      for (let s = 0; s < m.slots.length; s++) if (m.routeTable.has(s)) flows++;
      // A caller's look at the failed state (its routes, its ports down) before it is undone.
      during?.();
      return { workloads, flows, rerouted: affected.size, resolved: list.length };
    } finally {
      for (const [s, v] of savedSolution) {
        [set.rate[s], set.bottleneck[s], set.mean[s], set.tail[s], set.contention[s]] = v;
      }
      for (const [wi, v] of savedService) {
        serviceNode[wi] = v.node;
        service[wi] = v.service;
      }
      m.routeTable.restore();
      m.override.clear();
      for (const p of marked) p.routingDown = false;
      m.net.invalidateRoutes();
    }
  }
}
