/**
 * Weighted max-min fair sharing by progressive filling (water-filling).
 *
 * Resources (egress ports, shapers) have capacities; a flow uses a set of resources,
 * each with a coefficient: the resource units one unit of the flow's rate consumes
 * there (here: wire bits per payload bit, which differs per link protocol and per
 * direction of an I/O). Every unfrozen flow's rate is `weight × level`; the level rises
 * until a flow reaches its demand (it freezes, satisfied) or a resource fills (every
 * unfrozen flow through it freezes, bottlenecked there). Result: the weighted max-min
 * fair allocation (Bertsekas & Gallager, Data Networks §6.5.2), with the fairness measured
 * in the flows' own rate units. A demand of Infinity is an elastic (always-backlogged) flow.
 *
 * How it is computed (cost O(E log E) for E = Σ route lengths, F flows, R resources):
 * - Flows that share no resource, directly or through other flows, do not influence each
 *   other: the problem splits into connected components (union-find, O(E α)), each solved
 *   on its own. A component's answer depends only on its own flows (in index order), so
 *   re-solving the components a change touches gives exactly what a full solve gives
 *   (`FlowModel` in model.ts relies on this).
 * - Within a component the filling is event-driven: a heap holds each resource's fill
 *   level (capacity − frozen load) / slope, a sorted list the flows' demand levels; a
 *   round takes the lower of the two tops, marks the resources full at that level (a
 *   second heap, keyed by the level at which a resource comes within the fill tolerance),
 *   freezes the flows that reach their demand and then the unfrozen flows of each newly
 *   full resource. A flow freezes once and touches its resources once then (their frozen
 *   load, slope and heap keys change): O(E log E) for all rounds together. (The textbook
 *   form rescans every flow in every round: O(rounds × E), with rounds growing with the
 *   number of distinct bottlenecks of a site.)
 * - Numbers: a resource's slope (Σ weight × coefficient of its unfrozen flows) is summed
 *   afresh in flow order, as the textbook form does every round, whenever at least an
 *   eighth of its flows have frozen since the last sum (amortized O(E)); between sums the
 *   frozen flows' part is subtracted. Rates therefore equal the textbook form's within
 *   floating-point rounding (bit for bit when every slope was summed afresh), and ties
 *   within 1e-12 of a level are resolved as one (the same tolerance as before).
 */
import { ComponentSolver } from "./fill.js";

export interface FluidUse {
  /** Index into the capacities array. */
  readonly resource: number;
  /** Resource units consumed per unit of the flow's rate (> 0). */
  readonly coeff: number;
}

export interface FluidFlow {
  /** Largest rate the flow wants; Infinity = elastic. */
  readonly demand: number;
  /** Max-min weight (> 0); default 1. */
  readonly weight?: number;
  readonly uses: readonly FluidUse[];
}

export interface Allocation {
  /** Rate per flow, in the flows' units. */
  readonly rates: number[];
  /** The resource that froze each flow, or null when it got its whole demand. */
  readonly bottleneck: (number | null)[];
  /** Σ coeff × rate per resource. */
  readonly load: number[];
  /** Filling rounds taken, summed over the independent components. */
  readonly rounds: number;
}

/**
 * A fluid problem in packed form: flow i uses resources `useResource[useStart[i] …
 * useStart[i + 1])` with coefficients `useCoeff[…]` (compressed rows, no per-flow objects).
 */
export interface FluidProblem {
  readonly capacities: ArrayLike<number>;
  readonly demand: ArrayLike<number>;
  /** Per-flow weights; null = 1 each. */
  readonly weight: ArrayLike<number> | null;
  readonly useStart: Int32Array;
  readonly useResource: Int32Array;
  readonly useCoeff: Float64Array;
}

export interface PackedAllocation {
  readonly rates: Float64Array;
  /** The resource that froze each flow, or −1 when it got its whole demand. */
  readonly bottleneck: Int32Array;
  readonly load: Float64Array;
  /** Filling rounds, summed over components. */
  readonly rounds: number;
  /** Independent components solved. */
  readonly components: number;
  /** Each flow's component (0 … components − 1, numbered in order of their first flow). */
  readonly component: Int32Array;
}

/** The object form (tests, small problems): packs, solves, unpacks. */
export function waterfill(capacities: readonly number[], flows: readonly FluidFlow[]): Allocation {
  const useStart = new Int32Array(flows.length + 1);
  flows.forEach((f, i) => {
    useStart[i + 1] = useStart[i]! + f.uses.length;
  });
  const useResource = new Int32Array(useStart[flows.length]!);
  const useCoeff = new Float64Array(useResource.length);
  flows.forEach((f, i) => {
    f.uses.forEach((u, k) => {
      useResource[useStart[i]! + k] = u.resource;
      useCoeff[useStart[i]! + k] = u.coeff;
    });
  });
  const a = solveFluid({
    capacities,
    demand: flows.map((f) => f.demand),
    weight: flows.map((f) => f.weight ?? 1),
    useStart,
    useResource,
    useCoeff,
  });
  return {
    rates: Array.from(a.rates),
    bottleneck: Array.from(a.bottleneck, (b) => (b < 0 ? null : b)),
    load: Array.from(a.load),
    rounds: a.rounds,
  };
}

function check(p: FluidProblem): void {
  const nF = p.demand.length;
  const nR = p.capacities.length;
  if (p.useStart.length !== nF + 1) throw new RangeError("waterfill: useStart must have one entry per flow plus one");
  for (let i = 0; i < nF; i++) {
    const w = p.weight === null ? 1 : p.weight[i]!;
    if (!(w > 0 && Number.isFinite(w))) throw new RangeError(`waterfill: weight must be > 0 and finite, got ${w}`);
    const d = p.demand[i]!;
    if (!(d >= 0)) throw new RangeError(`waterfill: demand must be >= 0, got ${d}`);
  }
  for (let k = 0; k < p.useResource.length; k++) {
    const r = p.useResource[k]!;
    if (!(r >= 0 && r < nR)) throw new RangeError(`waterfill: no resource ${r}`);
    const c = p.useCoeff[k]!;
    if (!(c > 0 && Number.isFinite(c))) throw new RangeError("waterfill: coeff must be > 0");
  }
}

/**
 * Solves a packed problem component by component (see the header). Each phase is a function
 * of its own with one loop: a site's evaluation calls this once, and one big function was
 * compiled on stack replacement again and again (each time without type feedback for the
 * phases after the loop it was in).
 */
export function solveFluid(p: FluidProblem): PackedAllocation {
  check(p);
  const nF = p.demand.length;
  const nR = p.capacities.length;
  const weight = p.weight;
  const w = (i: number): number => (weight === null ? 1 : weight[i]!);
  const parent = unionResources(p, nR);
  const { compOf, compStart, compFlows } = componentsOf(p, parent, nR);
  const nC = compStart.length - 1;
  const { rStart, rFlow, rCw } = resourceRows(p, nR, w);
  const solver = new ComponentSolver(p, w, rStart, rFlow, rCw);
  let rounds = 0;
  for (let c = 0; c < nC; c++) rounds += solver.solve(compFlows, compStart[c]!, compStart[c + 1]!);
  const rates = solver.rates;
  return {
    rates,
    bottleneck: solver.bottleneck,
    load: loads(p, rates, nF, nR),
    rounds,
    components: nC,
    component: compOf,
  };
}

/** The root of `x` in union-find `parent` (compressing the path). */
function find(parent: Int32Array, x: number): number {
  let r = x;
  while (parent[r] !== r) r = parent[r]!;
  let y = x;
  while (parent[y] !== r) {
    const next = parent[y]!;
    parent[y] = r;
    y = next;
  }
  return r;
}

/** Components: union-find over resources joined by the flows that use them. */
function unionResources(p: FluidProblem, nR: number): Int32Array {
  const { useStart, useResource } = p;
  const nF = p.demand.length;
  const parent = new Int32Array(nR);
  for (let r = 0; r < nR; r++) parent[r] = r;
  for (let i = 0; i < nF; i++) {
    const s = useStart[i]!;
    const e = useStart[i + 1]!;
    if (e <= s) continue;
    let a = find(parent, useResource[s]!);
    for (let k = s + 1; k < e; k++) {
      const b = find(parent, useResource[k]!);
      if (a === b) continue;
      // Union by index keeps the result independent of the order of the unions.
      if (a < b) parent[b] = a;
      else {
        parent[a] = b;
        a = b;
      }
    }
  }
  return parent;
}

/** Each flow's component (numbered in order of their first flow) and the flows of each (CSR, ascending). */
function componentsOf(
  p: FluidProblem,
  parent: Int32Array,
  nR: number,
): { compOf: Int32Array; compStart: Int32Array; compFlows: Int32Array } {
  const { useStart, useResource } = p;
  const nF = p.demand.length;
  // Each flow's component key: its resources' root, or nR + i for a flow with no resource.
  const compOf = new Int32Array(nF);
  const compIndex = new Map<number, number>();
  const compFlowCount: number[] = [];
  for (let i = 0; i < nF; i++) {
    const s = useStart[i]!;
    const key = useStart[i + 1]! > s ? find(parent, useResource[s]!) : nR + i;
    let c = compIndex.get(key);
    if (c === undefined) {
      c = compFlowCount.length;
      compIndex.set(key, c);
      compFlowCount.push(0);
    }
    compOf[i] = c;
    compFlowCount[c]!++;
  }
  const nC = compFlowCount.length;
  const compStart = new Int32Array(nC + 1);
  for (let c = 0; c < nC; c++) compStart[c + 1] = compStart[c]! + compFlowCount[c]!;
  const compFlows = new Int32Array(nF);
  const fill = compStart.slice(0, nC);
  for (let i = 0; i < nF; i++) compFlows[fill[compOf[i]!]!++] = i;
  return { compOf, compStart, compFlows };
}

/** Resources → their flows' use entries, in flow order (weight × coefficient beside each). */
function resourceRows(
  p: FluidProblem,
  nR: number,
  w: (i: number) => number,
): { rStart: Int32Array; rFlow: Int32Array; rCw: Float64Array } {
  const { useStart, useResource, useCoeff } = p;
  const nF = p.demand.length;
  const rStart = new Int32Array(nR + 1);
  for (let k = 0; k < useResource.length; k++) rStart[useResource[k]! + 1]!++;
  for (let r = 0; r < nR; r++) rStart[r + 1]! += rStart[r]!;
  const rFlow = new Int32Array(useResource.length);
  const rCw = new Float64Array(useResource.length);
  const rFill = rStart.slice(0, nR);
  for (let i = 0; i < nF; i++) {
    for (let k = useStart[i]!; k < useStart[i + 1]!; k++) {
      const at = rFill[useResource[k]!]!++;
      rFlow[at] = i;
      rCw[at] = useCoeff[k]! * w(i);
    }
  }
  return { rStart, rFlow, rCw };
}

/** Σ coeff × rate per resource, in flow order. */
function loads(p: FluidProblem, rates: Float64Array, nF: number, nR: number): Float64Array {
  const { useStart, useResource, useCoeff } = p;
  const load = new Float64Array(nR);
  for (let i = 0; i < nF; i++) {
    for (let k = useStart[i]!; k < useStart[i + 1]!; k++) load[useResource[k]!]! += useCoeff[k]! * rates[i]!;
  }
  return load;
}
