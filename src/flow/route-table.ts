/**
 * The flow model's routes in packed form: per slot, its hops' port numbers and scheduler
 * queues (forward leg, then reverse leg) in two growing typed arrays, its forward leg's
 * length and its transfer size. The route objects the router returns are read once and
 * dropped, so tens of thousands of them (with four arrays each) do not live through the
 * evaluation, where every young-generation collection would copy them. A failure's
 * re-routed slots are kept beside the rows (`override`) until `restore`.
 */
import type { FlowRoutes } from "../network/build.js";
import type { AnyPort } from "../network/port-view.js";

/** Each port's number in its network's port list (undefined: not one of its ports). */
export interface PortNumbers {
  get(p: AnyPort): number | undefined;
}

/** Numbers from the ports' own `index` (a build that numbers its ports). */
class OwnNumbers implements PortNumbers {
  constructor(private readonly ports: readonly AnyPort[]) {}

  get(p: AnyPort): number | undefined {
    const i = p.index;
    return i !== undefined && this.ports[i] === p ? i : undefined;
  }
}

/** The numbers of `ports`: their own when each port's `index` is its place, else a Map. */
export function portNumbers(ports: readonly AnyPort[]): PortNumbers {
  if (ports.every((p, i) => p.index === i)) return new OwnNumbers(ports);
  return new Map(ports.map((p, i) => [p, i]));
}

/** A growing Int32Array (its elements are not traced or copied by the garbage collector). */
export class IntList {
  data: Int32Array;
  length = 0;

  /** `capacity`: room to start with (a good guess saves the copies of growing, external memory V8 counts). */
  constructor(capacity = 1024) {
    this.data = new Int32Array(Math.max(16, capacity));
  }

  push(x: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = x;
  }
}

/** A growing Float64Array. */
export class FloatList {
  data: Float64Array;
  length = 0;

  constructor(capacity = 1024) {
    this.data = new Float64Array(Math.max(16, capacity));
  }

  push(x: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = x;
  }
}

/** One slot's route as `RouteTable.at` reads it: rows `from` … `to` − 1 of `port`/`queue`, the reverse leg from `split`. */
export interface RouteCursor {
  port: Int32Array;
  queue: Int32Array;
  from: number;
  split: number;
  to: number;
  mtu: number;
}

interface Packed {
  readonly port: Int32Array;
  readonly queue: Int32Array;
  readonly split: number;
  readonly mtu: number;
}

export class RouteTable {
  private readonly start: Int32Array;
  /** Forward leg's hops (−1: no route). */
  private readonly forward: Int32Array;
  private readonly mtu: Float64Array;
  /** Hops of every slot (both legs): room for 16 a slot to start with. */
  private readonly port: IntList;
  private readonly queue: IntList;
  private readonly override = new Map<number, Packed | null>();
  private added = 0;

  constructor(
    slots: number,
    private readonly portIndex: PortNumbers,
  ) {
    this.start = new Int32Array(slots + 1);
    this.port = new IntList(slots * 16);
    this.queue = new IntList(slots * 16);
    this.forward = new Int32Array(slots).fill(-1);
    this.mtu = new Float64Array(slots);
  }

  /** Appends the next slot's route (slots in order; null: none). */
  add(r: FlowRoutes<AnyPort> | null): void {
    const s = this.added++;
    if (r !== null) {
      this.forward[s] = r.forward.ports.length;
      this.mtu[s] = r.mtu;
      for (let dir = 0; dir < 2; dir++) {
        const leg = dir === 0 ? r.forward : r.reverse;
        for (let h = 0; h < leg.ports.length; h++) {
          this.port.push(this.portIndex.get(leg.ports[h]!)!);
          this.queue.push(leg.queues[h] ?? 0);
        }
      }
    }
    this.start[s + 1] = this.port.length;
  }

  /** Slot `s` has a route (a failure's re-route counts while it lasts). */
  has(s: number): boolean {
    const o = this.override.size === 0 ? undefined : this.override.get(s);
    return o === undefined ? this.forward[s]! >= 0 : o !== null;
  }

  /** Reads slot `s`'s route into `c`; false when it has none. */
  at(s: number, c: RouteCursor): boolean {
    const o = this.override.size === 0 ? undefined : this.override.get(s);
    if (o !== undefined) {
      if (o === null) return false;
      c.port = o.port;
      c.queue = o.queue;
      c.from = 0;
      c.split = o.split;
      c.to = o.port.length;
      c.mtu = o.mtu;
      return true;
    }
    if (this.forward[s]! < 0) return false;
    c.port = this.port.data;
    c.queue = this.queue.data;
    c.from = this.start[s]!;
    c.split = c.from + this.forward[s]!;
    c.to = this.start[s + 1]!;
    c.mtu = this.mtu[s]!;
    return true;
  }

  /** Slot `s` routed as `r` instead (a failure) until `restore`. */
  replace(s: number, r: FlowRoutes<AnyPort> | null): void {
    if (r === null) {
      this.override.set(s, null);
      return;
    }
    const n = r.forward.ports.length + r.reverse.ports.length;
    const port = new Int32Array(n);
    const queue = new Int32Array(n);
    let k = 0;
    for (let dir = 0; dir < 2; dir++) {
      const leg = dir === 0 ? r.forward : r.reverse;
      for (let h = 0; h < leg.ports.length; h++, k++) {
        port[k] = this.portIndex.get(leg.ports[h]!)!;
        queue[k] = leg.queues[h] ?? 0;
      }
    }
    this.override.set(s, { port, queue, split: r.forward.ports.length, mtu: r.mtu });
  }

  /** Drops every `replace`. */
  restore(): void {
    this.override.clear();
  }
}

/** An empty cursor to read routes into. */
export function routeCursor(): RouteCursor {
  return { port: new Int32Array(0), queue: new Int32Array(0), from: 0, split: 0, to: 0, mtu: 0 };
}
