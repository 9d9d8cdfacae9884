import { SimEvent } from "../event.js";
import { Fifo } from "../fifo.js";
import type { Simulation } from "../simulation.js";
import { TimeWeighted } from "../stats/time-weighted.js";

/** A claim on one unit of a `Resource`; succeeds when granted. Release it when done. */
export class Request extends SimEvent<Request> {
  granted = false;
  constructor(
    sim: Simulation,
    readonly resource: Resource,
    readonly priority: number,
    readonly seq: number,
  ) {
    super(sim);
  }
}

export interface ResourceOptions {
  /** Units that can be held at once (servers, slots). Default 1. */
  capacity?: number;
  /** Waiting order: "fifo" (default) or "priority" (lower first, FIFO among equals). */
  discipline?: "fifo" | "priority";
}

/**
 * A capacity-n resource (SimPy's Resource / PriorityResource): `request()`
 * returns an event that succeeds when a unit is free; `release()` hands the
 * unit to the next waiter. A free unit is granted at once, with no kernel
 * event, so an uncontended `yield res.request()` costs a method call.
 *
 * Monitored as it runs: time-weighted units in use and queue length (reset
 * them at the end of a warm-up with `resetStats`).
 */
export class Resource {
  readonly capacity: number;
  readonly discipline: "fifo" | "priority";
  private inUse = 0;
  private seq = 0;
  private readonly fifo = new Fifo<Request>();
  private readonly heap: Request[] = [];
  /** Units in use over time: its mean / capacity is the utilization. */
  readonly busy: TimeWeighted;
  /** Requests waiting over time. */
  readonly waiting: TimeWeighted;

  constructor(
    readonly sim: Simulation,
    options: ResourceOptions = {},
  ) {
    const capacity = options.capacity ?? 1;
    if (!(Number.isInteger(capacity) && capacity >= 1))
      throw new RangeError(`resource: capacity must be an integer ≥ 1, got ${capacity}`);
    this.capacity = capacity;
    this.discipline = options.discipline ?? "fifo";
    this.busy = new TimeWeighted(0, sim.now);
    this.waiting = new TimeWeighted(0, sim.now);
  }

  /** Units currently held. */
  get count(): number {
    return this.inUse;
  }

  /** Requests waiting for a unit. */
  get queueLength(): number {
    return this.discipline === "fifo" ? this.fifo.length : this.heap.length;
  }

  /** Utilization over the monitored period: mean units in use / capacity. */
  utilization(): number {
    return this.busy.mean(this.sim.now) / this.capacity;
  }

  request(priority = 0): Request {
    if (!Number.isFinite(priority)) throw new RangeError(`resource: priority must be a finite number, got ${priority}`);
    const req = new Request(this.sim, this, priority, this.seq++);
    if (this.inUse < this.capacity && this.queueLength === 0) {
      this.inUse++;
      this.busy.update(this.inUse, this.sim.now);
      req.granted = true;
      req.resolveNow(req);
    } else {
      if (this.discipline === "fifo") this.fifo.push(req);
      else this.heapPush(req);
      this.waiting.update(this.queueLength, this.sim.now);
    }
    return req;
  }

  /** Releases a granted unit, or withdraws a request still waiting. */
  release(req: Request): void {
    if (req.resource !== this) throw new Error("release: request belongs to another resource");
    if (!req.granted) {
      const removed = this.discipline === "fifo" ? this.fifo.remove(req) : this.heapRemove(req);
      if (removed) this.waiting.update(this.queueLength, this.sim.now);
      return;
    }
    req.granted = false;
    const next = this.discipline === "fifo" ? this.fifo.shift() : this.heapPop();
    if (next === undefined) {
      this.inUse--;
      this.busy.update(this.inUse, this.sim.now);
      return;
    }
    // The unit passes straight to the next waiter: units in use stay the same.
    this.waiting.update(this.queueLength, this.sim.now);
    next.granted = true;
    next.succeed(next);
  }

  /** Restarts the monitors at the current time (end of warm-up). */
  resetStats(): void {
    this.busy.reset(this.sim.now);
    this.waiting.reset(this.sim.now);
  }

  // A small binary heap ordered by (priority, seq) for the "priority" discipline.
  private before(a: Request, b: Request): boolean {
    return a.priority < b.priority || (a.priority === b.priority && a.seq < b.seq);
  }

  private heapPush(req: Request): void {
    const h = this.heap;
    let i = h.length;
    h.push(req);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.before(req, h[p]!)) break;
      h[i] = h[p]!;
      i = p;
    }
    h[i] = req;
  }

  private heapPop(): Request | undefined {
    const h = this.heap;
    if (h.length === 0) return undefined;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) this.heapPlace(0, last);
    return top;
  }

  private heapPlace(i: number, req: Request): void {
    const h = this.heap;
    const n = h.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && this.before(h[r]!, h[l]!) ? r : l;
      if (!this.before(h[c]!, req)) break;
      h[i] = h[c]!;
      i = c;
    }
    h[i] = req;
  }

  private heapRemove(req: Request): boolean {
    const i = this.heap.indexOf(req);
    if (i < 0) return false;
    const last = this.heap.pop()!;
    if (i < this.heap.length) {
      this.heapPlace(i, last);
      // The moved entry may also need to rise.
      const h = this.heap;
      let j = h.indexOf(last);
      while (j > 0) {
        const p = (j - 1) >> 1;
        if (!this.before(h[j]!, h[p]!)) break;
        [h[j], h[p]] = [h[p]!, h[j]!];
        j = p;
      }
    }
    return true;
  }
}
