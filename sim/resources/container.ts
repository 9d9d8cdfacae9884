import { SimEvent } from "../event.js";
import { Fifo } from "../fifo.js";
import type { Simulation } from "../simulation.js";
import { TimeWeighted } from "../stats/time-weighted.js";

/** A request to add or remove `amount` from a `Container`; succeeds once done. */
export class ContainerRequest extends SimEvent<undefined> {
  constructor(
    sim: Simulation,
    readonly kind: "put" | "get",
    readonly amount: number,
  ) {
    super(sim);
  }
}

export interface ContainerOptions {
  /** Most the container holds; a put waits until it fits. Default Infinity. */
  capacity?: number;
  /** Level at the start, in [0, capacity]. Default 0. */
  init?: number;
}

/**
 * SimPy's Container: a continuous, undivided amount (credits, buffer space,
 * fluid) between `0` and `capacity`. `put(a)` succeeds once `a` fits,
 * `get(a)` once `a` is there.
 *
 * Puts and gets are each served strictly in arrival order: a small request
 * never bypasses a blocked larger one that came before it (as in SimPy), so a
 * large get cannot starve, at the price of head-of-line blocking. A request
 * that can be served at once succeeds at once with no kernel event; a waiting
 * one succeeds through a kernel event at the time it is served.
 *
 * Amounts are floats. With whole-number amounts (bytes, credits) the level is
 * exact up to 2^53; fractional ones (0.1 + 0.2) round, and a level one ulp
 * short of a request leaves it waiting. Prefer integer units.
 */
export class Container {
  readonly capacity: number;
  private amount: number;
  private readonly puts = new Fifo<ContainerRequest>();
  private readonly gets = new Fifo<ContainerRequest>();
  /** Amount held over time (its `value` is the level now). */
  readonly level: TimeWeighted;
  /** Gets waiting over time. */
  readonly waitingGets: TimeWeighted;
  /** Puts waiting over time. */
  readonly waitingPuts: TimeWeighted;

  constructor(
    readonly sim: Simulation,
    options: ContainerOptions = {},
  ) {
    const capacity = options.capacity ?? Number.POSITIVE_INFINITY;
    const init = options.init ?? 0;
    if (!(capacity > 0)) throw new RangeError(`container: capacity must be > 0, got ${capacity}`);
    if (!(init >= 0 && init <= capacity && Number.isFinite(init)))
      throw new RangeError(`container: init must be in [0, ${capacity}], got ${init}`);
    this.capacity = capacity;
    this.amount = init;
    this.level = new TimeWeighted(init, sim.now);
    this.waitingGets = new TimeWeighted(0, sim.now);
    this.waitingPuts = new TimeWeighted(0, sim.now);
  }

  /** Adds `amount` (> 0, ≤ capacity); succeeds once it fits. */
  put(amount: number): ContainerRequest {
    this.check("put", amount);
    const req = new ContainerRequest(this.sim, "put", amount);
    if (this.puts.length === 0 && this.capacity - this.amount >= amount) {
      this.amount += amount;
      req.resolveNow(undefined);
      this.serve();
    } else this.puts.push(req);
    this.record();
    return req;
  }

  /** Removes `amount` (> 0, ≤ capacity); succeeds once it is there. */
  get(amount: number): ContainerRequest {
    this.check("get", amount);
    const req = new ContainerRequest(this.sim, "get", amount);
    if (this.gets.length === 0 && this.amount >= amount) {
      this.amount -= amount;
      req.resolveNow(undefined);
      this.serve();
    } else this.gets.push(req);
    this.record();
    return req;
  }

  /**
   * Withdraws a waiting request (say, after an interrupt). Returns false if it
   * was already served or is not waiting here. Withdrawing the head of a queue
   * may let the requests behind it through at once. O(waiting requests).
   */
  cancel(req: ContainerRequest): boolean {
    const removed = (req.kind === "put" ? this.puts : this.gets).remove(req);
    if (removed) {
      this.serve();
      this.record();
    }
    return removed;
  }

  /** Restarts the monitors at the current time (end of warm-up). */
  resetStats(): void {
    const now = this.sim.now;
    this.level.reset(now);
    this.waitingGets.reset(now);
    this.waitingPuts.reset(now);
  }

  /** Serves waiting puts and gets, each in arrival order, until the heads of both queues are stuck. */
  private serve(): void {
    const puts = this.puts;
    const gets = this.gets;
    for (;;) {
      let moved = false;
      for (let put = puts.peek(); put !== undefined && this.capacity - this.amount >= put.amount; put = puts.peek()) {
        puts.shift();
        this.amount += put.amount;
        put.succeed(undefined);
        moved = true;
      }
      for (let get = gets.peek(); get !== undefined && this.amount >= get.amount; get = gets.peek()) {
        gets.shift();
        this.amount -= get.amount;
        get.succeed(undefined);
        moved = true;
      }
      if (!moved) return;
    }
  }

  private check(op: "put" | "get", amount: number): void {
    // A request above capacity could never be served: say so now rather than hang.
    if (!(amount > 0 && amount <= this.capacity && Number.isFinite(amount)))
      throw new RangeError(`container: ${op} amount must be in (0, ${this.capacity}], got ${amount}`);
  }

  // One update per public call, after the cascade (see Store).
  private record(): void {
    const now = this.sim.now;
    this.level.update(this.amount, now);
    this.waitingGets.update(this.gets.length, now);
    this.waitingPuts.update(this.puts.length, now);
  }
}
