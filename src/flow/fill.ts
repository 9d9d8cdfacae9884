/**
 * The event-driven filling of water-filling (waterfill.ts states the method): one
 * connected component at a time, on scratch arrays shared by all components.
 */
import { StampedHeap } from "./heap.js";
import type { FluidProblem } from "./waterfill.js";

const EPS = 1e-12;
/** Flows frozen at a resource per unit of its degree before its slope is summed afresh. */
const RESUM = 8;

/** The event-driven filling of one component at a time, on shared scratch arrays. */
export class ComponentSolver {
  readonly rates: Float64Array;
  readonly bottleneck: Int32Array;
  private readonly frozen: Uint8Array;
  private readonly full: Uint8Array;
  private readonly frozenLoad: Float64Array;
  private readonly slope: Float64Array;
  private readonly unfrozen: Int32Array;
  private readonly budget: Float64Array;
  private readonly stamp: Int32Array;
  private readonly mark: Int32Array;
  private readonly touchMark: Int32Array;
  private readonly delta: Float64Array;
  private readonly count: Int32Array;
  private readonly fillHeap = new StampedHeap();
  private readonly fullHeap = new StampedHeap();
  private roundId = 0;
  /** The current solve's state: unfrozen flows, water level, first unfrozen place in `order`. */
  private active = 0;
  private level = 0;
  private dp = 0;
  // Scratch lists shared by all components (a site has thousands: no arrays per component or round).
  private readonly order: number[] = [];
  private readonly resources: number[] = [];
  private readonly deferred: number[] = [];
  // Per round: typed stacks of a fixed size (each holds distinct resources or flows), as
  // `length = 0` drops a JS array's storage and the next round would grow it again.
  private readonly newlyFull: IntStack;
  private readonly byDemand: IntStack;
  private readonly byResource: IntStack;
  private readonly touched: IntStack;

  constructor(
    private readonly p: FluidProblem,
    private readonly w: (i: number) => number,
    private readonly rStart: Int32Array,
    private readonly rFlow: Int32Array,
    private readonly rCw: Float64Array,
  ) {
    const nF = p.demand.length;
    const nR = p.capacities.length;
    this.rates = new Float64Array(nF);
    this.bottleneck = new Int32Array(nF).fill(-1);
    this.frozen = new Uint8Array(nF);
    this.full = new Uint8Array(nR);
    this.frozenLoad = new Float64Array(nR);
    this.slope = new Float64Array(nR);
    this.unfrozen = new Int32Array(nR);
    this.budget = new Float64Array(nR);
    this.stamp = new Int32Array(nR);
    this.mark = new Int32Array(nF);
    this.touchMark = new Int32Array(nR);
    this.delta = new Float64Array(nR);
    this.count = new Int32Array(nR);
    this.newlyFull = new IntStack(nR);
    this.byDemand = new IntStack(nF);
    this.byResource = new IntStack(nF);
    this.touched = new IntStack(nR);
  }

  /** Σ weight × coefficient of the unfrozen flows at `r`, in flow order (the textbook sum). */
  private resum(r: number): number {
    let s = 0;
    for (let k = this.rStart[r]!; k < this.rStart[r + 1]!; k++) if (!this.frozen[this.rFlow[k]!]) s += this.rCw[k]!;
    return s;
  }

  private pushKeys(r: number): void {
    const cap = this.p.capacities[r]!;
    const st = ++this.stamp[r]!;
    const s = this.slope[r]!;
    if (this.full[r] || !(s > 0)) return;
    this.fillHeap.push((cap - this.frozenLoad[r]!) / s, r, st);
    this.fullHeap.push((cap * (1 - 1e-12) - EPS - this.frozenLoad[r]!) / s, r, st);
  }

  private valid(h: StampedHeap): boolean {
    while (h.size > 0) {
      const r = h.topId();
      if (h.topStamp() === this.stamp[r] && !this.full[r]) return true;
      h.pop();
    }
    return false;
  }

  /**
   * Solves the component of `flows[from … to)` (ascending indices); returns its rounds.
   * Each phase of a round is a method of its own with one loop: a site's one big component
   * runs them once each, and one big method would be compiled on stack replacement (OSR)
   * over and over, each time with no type feedback for the code after its first loop
   * (7 compilations of about 40 ms each on a 4,096-host site; now one small one per phase).
   */
  solve(flows: Int32Array, from: number, to: number): number {
    this.fillHeap.clear();
    this.fullHeap.clear();
    this.active = this.begin(flows, from, to);
    this.sortByDemand();
    this.initResources();
    this.level = 0;
    this.dp = 0;
    let rounds = 0;
    while (this.active > 0) {
      rounds++;
      const round = ++this.roundId;
      // The next event: a resource fills or a flow reaches its demand.
      const next = this.nextEvent();
      if (!Number.isFinite(next)) {
        // Elastic flows that cross no resource: unbounded.
        for (let f = from; f < to; f++) if (!this.frozen[flows[f]!]) this.rates[flows[f]!] = Number.POSITIVE_INFINITY;
        break;
      }
      const level = Math.max(this.level, next);
      this.level = level;
      // Resources that filled (as of the round's start): their flows freeze at the level.
      this.fill(level);
      // Flows that reached their demand (they take precedence over a resource that filled at once).
      this.freezeByDemand(level, Math.max(EPS, level * 1e-12));
      this.collectByResource(round);
      this.freezeByResource(level);
      // The resources those flows cross: new slopes and heap keys.
      this.touch(round);
      this.reslope();
    }
    return rounds;
  }

  /** Freezes the flows with no demand; lists the others by demand level and the component's resources; returns how many are active. */
  private begin(flows: Int32Array, from: number, to: number): number {
    const { frozen, rates, w, order, resources, touchMark } = this;
    const { useStart, useResource, demand } = this.p;
    let active = 0;
    order.length = 0;
    resources.length = 0;
    for (let f = from; f < to; f++) {
      const i = flows[f]!;
      if (demand[i] === 0) {
        frozen[i] = 1;
        rates[i] = 0;
      } else {
        active++;
        if (Number.isFinite(demand[i]! / w(i))) order.push(i);
      }
      for (let k = useStart[i]!; k < useStart[i + 1]!; k++) {
        const r = useResource[k]!;
        if (touchMark[r] !== -1) {
          touchMark[r] = -1;
          resources.push(r);
        }
      }
    }
    return active;
  }

  /** Flows by demand level, ties in index order (the levels are finite: a comparison, not a difference, as the answer). */
  private sortByDemand(): void {
    const { demand } = this.p;
    const w = this.w;
    this.order.sort((a, b) => {
      const x = demand[a]! / w(a);
      const y = demand[b]! / w(b);
      return x < y ? -1 : x > y ? 1 : a - b;
    });
  }

  private initResources(): void {
    const { rStart, rFlow, frozen, resources, touchMark, unfrozen, slope } = this;
    for (let j = 0; j < resources.length; j++) {
      const r = resources[j]!;
      touchMark[r] = 0;
      let n = 0;
      for (let k = rStart[r]!; k < rStart[r + 1]!; k++) if (!frozen[rFlow[k]!]) n++;
      unfrozen[r] = n;
      slope[r] = this.resum(r);
      this.pushKeys(r);
    }
  }

  /** The lower of the next fill level and the next demand level (Infinity: none). */
  private nextEvent(): number {
    const { order, frozen, w } = this;
    const demand = this.p.demand;
    let next = this.valid(this.fillHeap) ? this.fillHeap.topKey() : Number.POSITIVE_INFINITY;
    let dp = this.dp;
    while (dp < order.length && frozen[order[dp]!]) dp++;
    this.dp = dp;
    if (dp < order.length) {
      const i = order[dp]!;
      const t = demand[i]! / w(i);
      if (t < next) next = t;
    }
    return next;
  }

  /** Marks full the resources that fill at `level` (`newlyFull`). */
  private fill(level: number): void {
    const { newlyFull, deferred, fullHeap, frozenLoad, slope, full } = this;
    const caps = this.p.capacities;
    newlyFull.n = 0;
    deferred.length = 0;
    const reach = level + Math.abs(level) * 1e-9;
    while (this.valid(fullHeap) && fullHeap.topKey() <= reach) {
      const r = fullHeap.topId();
      const key = fullHeap.topKey();
      fullHeap.pop();
      if (frozenLoad[r]! + slope[r]! * level >= caps[r]! * (1 - 1e-12) - EPS) {
        full[r] = 1;
        newlyFull.push(r);
      } else deferred.push(key, r);
    }
    for (let k = 0; k < deferred.length; k += 2)
      fullHeap.push(deferred[k]!, deferred[k + 1]!, this.stamp[deferred[k + 1]!]!);
  }

  /** Freezes the flows whose demand level is reached (`byDemand`) at their demand. */
  private freezeByDemand(level: number, tol: number): void {
    const { order, frozen, rates, byDemand, frozenLoad, w } = this;
    const { useStart, useResource, useCoeff, demand } = this.p;
    byDemand.n = 0;
    for (let k = this.dp; k < order.length; k++) {
      const i = order[k]!;
      if (demand[i]! / w(i) > level + tol) break;
      if (frozen[i]) continue;
      frozen[i] = 1;
      this.active--;
      rates[i] = demand[i]!;
      byDemand.push(i);
    }
    byDemand.sort();
    for (let j = 0; j < byDemand.n; j++) {
      const i = byDemand.data[j]!;
      for (let k = useStart[i]!; k < useStart[i + 1]!; k++) frozenLoad[useResource[k]!]! += useCoeff[k]! * demand[i]!;
    }
  }

  /** The unfrozen flows of the resources that just filled (`byResource`, ascending). */
  private collectByResource(round: number): void {
    const { newlyFull, byResource, rStart, rFlow, frozen, mark } = this;
    byResource.n = 0;
    for (let j = 0; j < newlyFull.n; j++) {
      const r = newlyFull.data[j]!;
      for (let k = rStart[r]!; k < rStart[r + 1]!; k++) {
        const i = rFlow[k]!;
        if (frozen[i] || mark[i] === round) continue;
        mark[i] = round;
        byResource.push(i);
      }
    }
    byResource.sort();
  }

  /** Freezes `byResource` at the level, each bottlenecked at its first full resource. */
  private freezeByResource(level: number): void {
    const { byResource, full, frozen, rates, bottleneck, frozenLoad, w } = this;
    const { useStart, useResource, useCoeff } = this.p;
    for (let j = 0; j < byResource.n; j++) {
      const i = byResource.data[j]!;
      let hit = -1;
      for (let k = useStart[i]!; k < useStart[i + 1]!; k++) {
        if (full[useResource[k]!]) {
          hit = useResource[k]!;
          break;
        }
      }
      frozen[i] = 1;
      this.active--;
      rates[i] = w(i) * level;
      bottleneck[i] = hit;
      for (let k = useStart[i]!; k < useStart[i + 1]!; k++) frozenLoad[useResource[k]!]! += useCoeff[k]! * rates[i]!;
    }
  }

  /** The resources the round's frozen flows cross (`touched`), with their slope change and count. */
  private touch(round: number): void {
    const { touched, touchMark, delta, count, byDemand, byResource, w } = this;
    const { useStart, useResource, useCoeff } = this.p;
    touched.n = 0;
    for (let pass = 0; pass < 2; pass++) {
      const list = pass === 0 ? byDemand : byResource;
      for (let j = 0; j < list.n; j++) {
        const i = list.data[j]!;
        const wi = w(i);
        for (let k = useStart[i]!; k < useStart[i + 1]!; k++) {
          const r = useResource[k]!;
          if (touchMark[r] !== round) {
            touchMark[r] = round;
            delta[r] = 0;
            count[r] = 0;
            touched.push(r);
          }
          delta[r]! += useCoeff[k]! * wi;
          count[r]!++;
        }
      }
    }
  }

  /** New slopes and heap keys of the touched resources. */
  private reslope(): void {
    const { touched, unfrozen, count, slope, rStart, budget, delta } = this;
    for (let j = 0; j < touched.n; j++) {
      const r = touched.data[j]!;
      unfrozen[r]! -= count[r]!;
      if (unfrozen[r] === 0) slope[r] = 0;
      else {
        const degree = rStart[r + 1]! - rStart[r]!;
        budget[r]! += RESUM * count[r]!;
        if (budget[r]! >= degree) {
          budget[r]! -= degree;
          slope[r] = this.resum(r);
        } else {
          slope[r]! -= delta[r]!;
          if (!(slope[r]! > 0)) slope[r] = this.resum(r);
        }
      }
      this.pushKeys(r);
    }
  }
}

/** A stack of distinct numbers below its capacity (no growth check). */
export class IntStack {
  readonly data: Int32Array;
  n = 0;

  constructor(capacity: number) {
    this.data = new Int32Array(capacity);
  }

  push(x: number): void {
    this.data[this.n++] = x;
  }

  /** Ascending, in place (as `Array.sort((a, b) => a − b)` on distinct numbers): a short one by insertion. */
  sort(): void {
    const a = this.data;
    const n = this.n;
    if (n > 16) {
      a.subarray(0, n).sort();
      return;
    }
    for (let i = 1; i < n; i++) {
      const x = a[i]!;
      let k = i;
      while (k > 0 && a[k - 1]! > x) {
        a[k] = a[k - 1]!;
        k--;
      }
      a[k] = x;
    }
  }
}
