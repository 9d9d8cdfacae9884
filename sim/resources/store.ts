import { SimEvent } from "../event.js";
import { Fifo } from "../fifo.js";
import type { Simulation } from "../simulation.js";
import { TimeWeighted } from "../stats/time-weighted.js";

/** A request to put `item` into a `Store`; succeeds once the item is stored. */
export class StorePut<T> extends SimEvent<undefined> {
  constructor(
    sim: Simulation,
    readonly item: T,
  ) {
    super(sim);
  }
}

/** A request to take an item (the first one `filter` accepts, if given); succeeds with the item. */
export class StoreGet<T> extends SimEvent<T> {
  constructor(
    sim: Simulation,
    readonly filter: ((item: T) => boolean) | undefined,
  ) {
    super(sim);
  }
}

export interface StoreOptions<T> {
  /** Items held at most; a put waits while the store is full. Default Infinity. */
  capacity?: number;
  /**
   * Orders the items: a get takes the item with the lowest key, FIFO among
   * equal keys (SimPy's PriorityStore). Without it items leave in the order
   * they came (SimPy's Store). Read once per put; must not be NaN.
   */
  key?: (item: T) => number;
}

/** Returned by a buffer's `take` when no held item is accepted (items may be `undefined`). */
const NONE: unique symbol = Symbol("none");

/** How held items are kept and found: insertion order or key order. */
interface ItemBuffer<T> {
  readonly length: number;
  push(item: T): void;
  /** Removes and returns the first item in order that `filter` accepts (the first item without one). */
  take(filter: ((item: T) => boolean) | undefined): T | typeof NONE;
}

/**
 * SimPy's Store, FilterStore and PriorityStore in one: a buffer of up to
 * `capacity` items between producers and consumers.
 *
 * - `put(item)` succeeds once the item is stored (at once while there is room).
 * - `get()` succeeds with the next item: the oldest one, or with `key` the one
 *   with the lowest key (FIFO among equal keys).
 * - `get(filter)` takes the first item, in that order, that `filter` accepts.
 *
 * Waiting requests are served in arrival order. A waiting get whose filter
 * accepts none of the held items does not block later gets (SimPy's
 * FilterStore). Without filters that never happens: a get waits only when the
 * store is empty. A put waits only when the store is full, so puts are strictly FIFO.
 *
 * A request that can be served at once succeeds at once, with no kernel event
 * (like `Resource.request`); a waiting one succeeds through a kernel event at
 * the time it is served. A process interrupted while waiting should `cancel`
 * its request, or the request stays queued and later takes an item / a slot.
 *
 * Cost: put/get O(1) in FIFO order, O(log n) with `key`; a filtered get scans
 * the held items, and while filtered gets wait, every put rescans them.
 */
export class Store<T> {
  readonly capacity: number;
  private readonly items: ItemBuffer<T>;
  private readonly puts = new Fifo<StorePut<T>>();
  private readonly gets = new Fifo<StoreGet<T>>();
  /** Filtered gets waiting: when 0, serving is a plain FIFO hand-off. */
  private filtered = 0;
  /** Items held over time. */
  readonly level: TimeWeighted;
  /** Gets waiting for an item over time. */
  readonly waitingGets: TimeWeighted;
  /** Puts waiting for room over time. */
  readonly waitingPuts: TimeWeighted;

  constructor(
    readonly sim: Simulation,
    options: StoreOptions<T> = {},
  ) {
    const capacity = options.capacity ?? Number.POSITIVE_INFINITY;
    if (!(capacity >= 1 && (Number.isInteger(capacity) || capacity === Number.POSITIVE_INFINITY)))
      throw new RangeError(`store: capacity must be an integer ≥ 1 or Infinity, got ${capacity}`);
    this.capacity = capacity;
    this.items = options.key === undefined ? new FifoBuffer<T>() : new KeyedBuffer<T>(options.key);
    this.level = new TimeWeighted(0, sim.now);
    this.waitingGets = new TimeWeighted(0, sim.now);
    this.waitingPuts = new TimeWeighted(0, sim.now);
  }

  /** Items held now. */
  get size(): number {
    return this.items.length;
  }

  /** Puts `item`; the event succeeds once it is stored. */
  put(item: T): StorePut<T> {
    const req = new StorePut(this.sim, item);
    if (this.items.length < this.capacity) {
      // Room means no put is waiting: puts wait only while the store is full.
      this.items.push(item);
      req.resolveNow(undefined);
      this.serve();
    } else this.puts.push(req);
    this.record();
    return req;
  }

  /** Takes the next item, or the first one `filter` accepts; the event succeeds with it. */
  get(filter?: (item: T) => boolean): StoreGet<T> {
    const req = new StoreGet<T>(this.sim, filter);
    // No waiting get accepts any held item (each took one if it could), so a
    // new get that finds one does not jump ahead of anyone who wanted it.
    const item = this.items.length > 0 ? this.items.take(filter) : NONE;
    if (item !== NONE) {
      req.resolveNow(item);
      this.serve();
    } else {
      this.gets.push(req);
      if (filter !== undefined) this.filtered++;
    }
    this.record();
    return req;
  }

  /**
   * Withdraws a waiting put or get (say, after an interrupt). Returns false if
   * it was already served or is not waiting here. O(waiting requests).
   */
  cancel(req: StorePut<T> | StoreGet<T>): boolean {
    let removed: boolean;
    if (req instanceof StorePut) removed = this.puts.remove(req);
    else {
      removed = this.gets.remove(req);
      if (removed && req.filter !== undefined) this.filtered--;
    }
    // Withdrawing frees neither an item nor a slot: nobody else can be served now.
    if (removed) this.record();
    return removed;
  }

  /** Restarts the monitors at the current time (end of warm-up). */
  resetStats(): void {
    const now = this.sim.now;
    this.level.reset(now);
    this.waitingGets.reset(now);
    this.waitingPuts.reset(now);
  }

  /** Hands items to waiting gets and room to waiting puts until neither can move. */
  private serve(): void {
    for (;;) {
      let moved = false;
      if (this.gets.length > 0 && this.items.length > 0) moved = this.serveGets();
      while (this.puts.length > 0 && this.items.length < this.capacity) {
        const put = this.puts.shift()!;
        this.items.push(put.item);
        put.succeed(undefined);
        moved = true;
      }
      if (!moved) return;
    }
  }

  private serveGets(): boolean {
    const gets = this.gets;
    const items = this.items;
    if (this.filtered === 0) {
      const served = Math.min(gets.length, items.length);
      for (let i = 0; i < served; i++) gets.shift()!.succeed(items.take(undefined) as T);
      return served > 0;
    }
    // Some gets are picky: offer the items to every waiting get in arrival
    // order, rotating the queue once so the ones left keep their order.
    let moved = false;
    for (let i = gets.length; i > 0; i--) {
      const get = gets.shift()!;
      const item = items.length > 0 ? items.take(get.filter) : NONE;
      if (item === NONE) gets.push(get);
      else {
        if (get.filter !== undefined) this.filtered--;
        get.succeed(item);
        moved = true;
      }
    }
    return moved;
  }

  // One update per public call, after the cascade: an item that passes
  // straight from a put to a waiting get never shows up in the level.
  private record(): void {
    const now = this.sim.now;
    this.level.update(this.items.length, now);
    this.waitingGets.update(this.gets.length, now);
    this.waitingPuts.update(this.puts.length, now);
  }
}

/** SimPy's PriorityStore: a `Store` whose `key` is required. */
export class PriorityStore<T> extends Store<T> {
  constructor(sim: Simulation, options: StoreOptions<T> & { key: (item: T) => number }) {
    super(sim, options);
  }
}

/** Items in arrival order, on a ring buffer. */
class FifoBuffer<T> implements ItemBuffer<T> {
  private fifo = new Fifo<T>();

  get length(): number {
    return this.fifo.length;
  }

  push(item: T): void {
    this.fifo.push(item);
  }

  take(filter: ((item: T) => boolean) | undefined): T | typeof NONE {
    const fifo = this.fifo;
    if (fifo.length === 0) return NONE;
    if (filter === undefined) return fifo.shift() as T;
    for (let i = 0; i < fifo.length; i++) {
      const item = fifo.at(i) as T;
      if (!filter(item)) continue;
      if (i === 0) fifo.shift();
      // `remove` drops the first `===` item, which is this one or an equal
      // earlier one the filter would have taken too; NaN is never `===` itself.
      else if (!fifo.remove(item)) this.fifo = withoutIndex(fifo, i);
      return item;
    }
    return NONE;
  }
}

function withoutIndex<T>(fifo: Fifo<T>, index: number): Fifo<T> {
  const rest = new Fifo<T>(fifo.length);
  let i = 0;
  for (const item of fifo) if (i++ !== index) rest.push(item);
  return rest;
}

interface Keyed<T> {
  readonly item: T;
  readonly key: number;
  readonly seq: number;
}

/** Items in (key, arrival) order, on a binary heap. */
class KeyedBuffer<T> implements ItemBuffer<T> {
  private readonly heap: Keyed<T>[] = [];
  private seq = 0;

  constructor(private readonly keyOf: (item: T) => number) {}

  get length(): number {
    return this.heap.length;
  }

  push(item: T): void {
    const key = this.keyOf(item);
    if (Number.isNaN(key)) throw new RangeError(`store: key of ${String(item)} is NaN`);
    const h = this.heap;
    h.push({ item, key, seq: this.seq++ });
    this.up(h.length - 1);
  }

  take(filter: ((item: T) => boolean) | undefined): T | typeof NONE {
    const h = this.heap;
    if (h.length === 0) return NONE;
    let at = 0;
    if (filter !== undefined) {
      // The heap is not sorted: the first accepted item in order is the least accepted one.
      at = -1;
      for (let i = 0; i < h.length; i++) {
        const e = h[i]!;
        if ((at < 0 || before(e, h[at]!)) && filter(e.item)) at = i;
      }
      if (at < 0) return NONE;
    }
    const taken = h[at]!;
    const last = h.pop()!;
    if (at < h.length) {
      h[at] = last;
      this.down(at);
      this.up(at);
    }
    return taken.item;
  }

  private up(i: number): void {
    const h = this.heap;
    const e = h[i]!;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(e, h[p]!)) break;
      h[i] = h[p]!;
      i = p;
    }
    h[i] = e;
  }

  private down(i: number): void {
    const h = this.heap;
    const e = h[i]!;
    const n = h.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const c = l + 1 < n && before(h[l + 1]!, h[l]!) ? l + 1 : l;
      if (!before(h[c]!, e)) break;
      h[i] = h[c]!;
      i = c;
    }
    h[i] = e;
  }
}

function before<T>(a: Keyed<T>, b: Keyed<T>): boolean {
  return a.key < b.key || (a.key === b.key && a.seq < b.seq);
}
