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
 * Cost: at most (#flows + #resources) rounds of O(Σ route lengths): milliseconds for a rack.
 */

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
  /** Filling rounds taken. */
  readonly rounds: number;
}

const EPS = 1e-12;

export function waterfill(capacities: readonly number[], flows: readonly FluidFlow[]): Allocation {
  const nF = flows.length;
  const nR = capacities.length;
  const rates = new Array<number>(nF).fill(0);
  const bottleneck = new Array<number | null>(nF).fill(null);
  const frozen = new Uint8Array(nF);
  const full = new Uint8Array(nR);
  const weight = flows.map((f) => {
    const w = f.weight ?? 1;
    if (!(w > 0 && Number.isFinite(w))) throw new RangeError(`waterfill: weight must be > 0 and finite, got ${w}`);
    return w;
  });
  flows.forEach((f, i) => {
    if (!(f.demand >= 0)) throw new RangeError(`waterfill: demand must be >= 0, got ${f.demand}`);
    for (const u of f.uses) {
      if (u.resource < 0 || u.resource >= nR) throw new RangeError(`waterfill: no resource ${u.resource}`);
      if (!(u.coeff > 0 && Number.isFinite(u.coeff))) throw new RangeError(`waterfill: coeff must be > 0`);
    }
    if (f.demand === 0) frozen[i] = 1;
  });
  let level = 0;
  let rounds = 0;
  let active = frozen.reduce((a, x) => a - x, nF);
  const frozenLoad = new Float64Array(nR);
  const slope = new Float64Array(nR);
  while (active > 0) {
    rounds++;
    slope.fill(0);
    for (let i = 0; i < nF; i++) {
      if (frozen[i]) continue;
      for (const u of flows[i]!.uses) slope[u.resource]! += u.coeff * weight[i]!;
    }
    // The next event: a resource fills or a flow reaches its demand.
    let next = Number.POSITIVE_INFINITY;
    for (let r = 0; r < nR; r++) {
      if (slope[r]! <= 0) continue;
      const t = (capacities[r]! - frozenLoad[r]!) / slope[r]!;
      if (t < next) next = t;
    }
    for (let i = 0; i < nF; i++) {
      if (frozen[i]) continue;
      const t = flows[i]!.demand / weight[i]!;
      if (t < next) next = t;
    }
    if (!Number.isFinite(next)) {
      // Elastic flows that cross no resource: unbounded.
      for (let i = 0; i < nF; i++) if (!frozen[i]) rates[i] = Number.POSITIVE_INFINITY;
      break;
    }
    level = Math.max(level, next);
    const tol = Math.max(EPS, level * 1e-12);
    // Resources that filled (counted before this round's freezes): their flows freeze at the level.
    for (let r = 0; r < nR; r++) {
      if (full[r] || slope[r]! <= 0) continue;
      const load = frozenLoad[r]! + slope[r]! * level;
      if (load >= capacities[r]! * (1 - 1e-12) - EPS) full[r] = 1;
    }
    // Flows that reached their demand (they take precedence over a resource that filled at once).
    for (let i = 0; i < nF; i++) {
      if (frozen[i]) continue;
      const f = flows[i]!;
      if (f.demand / weight[i]! <= level + tol) {
        frozen[i] = 1;
        active--;
        rates[i] = f.demand;
        for (const u of f.uses) frozenLoad[u.resource]! += u.coeff * f.demand;
      }
    }
    for (let i = 0; i < nF; i++) {
      if (frozen[i]) continue;
      const f = flows[i]!;
      const hit = f.uses.find((u) => full[u.resource]);
      if (hit === undefined) continue;
      frozen[i] = 1;
      active--;
      rates[i] = weight[i]! * level;
      bottleneck[i] = hit.resource;
      for (const u of f.uses) frozenLoad[u.resource]! += u.coeff * rates[i]!;
    }
  }
  const load = new Array<number>(nR).fill(0);
  flows.forEach((f, i) => {
    for (const u of f.uses) load[u.resource]! += u.coeff * rates[i]!;
  });
  return { rates, bottleneck, load, rounds };
}
