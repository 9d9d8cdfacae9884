/**
 * The textbook water-filling (every round rescans every unfrozen flow: O(rounds × E)),
 * kept as the reference the event-driven solver in src/flow/waterfill.ts is checked
 * against. It is the solver iovsim used before the scale work (issue 16).
 */
import type { Allocation, FluidFlow } from "../../src/flow/waterfill.js";

const EPS = 1e-12;

export function referenceWaterfill(capacities: readonly number[], flows: readonly FluidFlow[]): Allocation {
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
