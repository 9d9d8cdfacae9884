/**
 * Tiers overloaded by demand alone: which capacity a flow-level miss is short of (the site-size
 * search's dominance rule, src/planner/dominance.ts).
 *
 * A range parameter may declare its tier (`tier` in src/design/params.ts): the egress ports it adds
 * (a director's FC module ports, a fabric interconnect's FC uplinks, a PCIe box's shared FC adapter
 * ports, an edge SAN switch's ISLs, the array's ports), grouped by unit (one director, one FI, one box,
 * one edge switch; the whole site when the pattern captures nothing). Each group is two cuts: its ports, and the same links' other direction.
 *
 * A cut is overloaded when the demand offered across it, in wire bits, reaches its capacity (ports
 * failed in the state judged carry nothing) and a workload that missed crosses it. Demand is what a
 * flow offers, not the rate it gets, so it does not depend on any other capacity; elastic flows
 * (unbounded demand) are left out. Then the cut's ports cannot carry it whatever else the candidate
 * has: some flow is starved, its queue unstable at its bottleneck (latency undecided) or losing the
 * excess. With no more of the parameter (and the same values of the parameters the tier names
 * `equal`, which decide which hosts a unit serves), the group has at most that capacity and the same
 * demand, so it is overloaded again. One port overloaded by its own flows says less, and only where
 * flows are pinned to the tier's ports (a vHBA's login on a director's or FI's FC port, a pin to a
 * shared adapter's port): the pinning follows the parameter's count, so it answers only at the same
 * count, but whatever the other capacities (array ports and ISLs do not move a login). Where ports
 * are chosen by hashing (array ports, ISLs), other capacities move flows between them (a UCS search
 * at 128 servers skipped its cheapest choice on an array port overloaded after a failure).
 *
 * The assumptions, stated because the rule skips candidates on them: the hosts a unit serves and the
 * traffic that must cross it depend only on the parameters in the search's choice key and the tier's
 * `equal` list; the same kind of failure leaves a candidate with fewer units no more capacity in the
 * group (units of a tier are alike); and an overloaded cut crossed by a missed row's workload misses a
 * row again (true of latency rows at an unstable queue and loss rows at a lossy bottleneck; a starved
 * flow of a workload with no row, or one at a port with several scheduler queues that keeps a finite
 * latency in its own queue, would break it). Like the rest of the dominance rule this is a search
 * heuristic: a skipped candidate is never chosen, so the choice is still one shown to meet.
 */
import type { FlowModel } from "../flow/index.js";
import type { ResolvedTopology } from "../topology/types.js";

/** A parameter's tier as a flow job carries it (plain data: the pattern's source). */
export interface TierSpec {
  readonly param: string;
  /** Regular expression over egress ports as `node:port>peer-node:port`; its first capture names the unit. */
  readonly ports: string;
  /** Flows are pinned to the tier's ports (one overloaded port says something; `tier.pinned` in src/design/params.ts). */
  readonly pinned?: boolean;
}

/** One direction of one unit's tier: its ports (indices in the model's fabric). */
export interface TierCut {
  readonly param: string;
  readonly ports: number[];
  readonly pinned: boolean;
}

/** The cuts of `specs` in a model's fabric (ports matched once per model). */
export function tierCuts(model: FlowModel, specs: readonly TierSpec[]): TierCut[] {
  const ports = model.net.fabric.ports;
  const cuts: TierCut[] = [];
  for (const spec of specs) {
    const pattern = new RegExp(spec.ports);
    const out = new Map<string, number[]>();
    const back = new Map<string, number[]>();
    ports.forEach((p, i) => {
      const m = pattern.exec(`${p.id}>${p.to}`);
      if (m === null) return;
      const unit = m[1] ?? "";
      (out.get(unit) ?? out.set(unit, []).get(unit)!).push(i);
      const r = p.reverse === null ? undefined : model.portNumber(p.reverse);
      if (r !== undefined) (back.get(unit) ?? back.set(unit, []).get(unit)!).push(r);
    });
    for (const group of [...out.values(), ...back.values()])
      cuts.push({ param: spec.param, ports: group, pinned: spec.pinned === true });
  }
  return cuts;
}

/** What a state offers the tiers' ports, per workload, and which of them are up (read inside the state). */
export interface TierLoads {
  readonly cuts: readonly TierCut[];
  /** Ports of every cut in one list, and each one's offered load per workload (row-major). */
  readonly ports: readonly number[];
  readonly offered: Float64Array;
  readonly capacity: Float64Array;
}

/** Reads the current state (fresh, or inside `withDown`'s `during`). */
export function tierLoads(model: FlowModel, cuts: readonly TierCut[]): TierLoads {
  const ports = [...new Set(cuts.flatMap((c) => c.ports))];
  const all = model.net.fabric.ports;
  const capacity = Float64Array.from(ports, (pi) => (all[pi]!.routingDown ? 0 : model.capacityOf(pi)));
  return { cuts, ports, offered: model.offeredAt(ports), capacity };
}

/**
 * A tier short of capacity: `tier`, a whole cut (a unit's ports in one direction) that its demand
 * overloads, answers for no more of the parameter; `port`, one port of it that its own flows overload,
 * answers only at the parameter's very value (with another count the flows are pinned and hashed
 * to other ports).
 */
export interface Overload {
  readonly param: string;
  readonly scope: "tier" | "port";
}

/**
 * The tiers whose demand overloads a cut or a port crossed by a missed workload (each parameter once,
 * `tier` before `port`, sorted by parameter). Demand counts every non-elastic workload: a port whose
 * offered load reaches its capacity carries it all only at an unstable queue, or some flow there is
 * starved and unstable at its bottleneck.
 */
export function overloadedTiers(topo: ResolvedTopology, loads: TierLoads, missed: ReadonlySet<string>): Overload[] {
  const W = topo.workloads.length;
  const isMissed = topo.workloads.map((w) => missed.has(w.name));
  const row = new Map(loads.ports.map((pi, k) => [pi, k]));
  const found = new Map<string, Overload["scope"]>();
  // The same threshold as an unstable queue (src/flow/latency.ts: ρ ≥ 1 − 1e-9).
  const over = (demand: number, capacity: number) => demand > 0 && demand >= capacity * (1 - 1e-9);
  for (const cut of loads.cuts) {
    let demand = 0;
    let capacity = 0;
    let crossed = false;
    for (const pi of cut.ports) {
      const k = row.get(pi)!;
      let here = 0;
      let missedHere = false;
      for (let w = 0; w < W; w++) {
        const x = loads.offered[k * W + w]!;
        here += x;
        if (x > 0 && isMissed[w]) missedHere = true;
      }
      demand += here;
      capacity += loads.capacity[k]!;
      crossed ||= missedHere;
      if (cut.pinned && missedHere && over(here, loads.capacity[k]!) && !found.has(cut.param))
        found.set(cut.param, "port");
    }
    if (crossed && over(demand, capacity)) found.set(cut.param, "tier");
  }
  return [...found].map(([param, scope]) => ({ param, scope })).sort((a, b) => (a.param < b.param ? -1 : 1));
}
