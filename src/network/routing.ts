/**
 * Routes: the egress ports a flow leaves through, computed once per flow.
 *
 * Assumptions:
 * - Shortest paths in hops (a rack fabric is a tree or a pair of trees; latency
 *   differences between equal-hop paths are ignored).
 * - Servers and their adapters never forward: a path may leave its source server
 *   and enter its destination server, never cross another one.
 * - Equal-cost choices are spread by the flow's hash (ECMP, port channels); a
 *   fabric extender with static pinning instead pins by the host port the flow
 *   came in on (UCS IOM: host port i → uplink (i − 1) mod uplinks).
 * - A shared adapter (MR-IOV) carries only the hosts whose virtual hierarchies it serves.
 * - A pinned virtual interface (`pin: node:port`) leaves through that port.
 * - Devices that do not switch locally refuse some turns (`RouteRules.turn`).
 * - All transfers of a flow follow one route, so they stay in order.
 * - Ports marked `routingDown` (a failure the control plane has detected) are never
 *   used; `invalidate()` drops what depended on them when that changes.
 *
 * How (cost): the route is the one a breadth-first search from the destination over the
 * ports the flow may use gives: at each hop, the candidates one hop nearer, sorted by id,
 * one picked by the hash. That search depends on the source host (which shared adapters
 * carry it) and on the ports that are down, so done per (destination, source) it costs
 * O(ports) per source: quadratic in the site. Instead the router keeps one distance table
 * per destination (a search that ignores ports down and opens every source-dependent node
 * to every source; the most recently used destinations, as many as 64 MiB holds and at least 64,
 * a Map per table while it is small, an Int32Array once it is not) and the sorted
 * candidate lists per (destination, ingress port). Distances in the flow's own graph are
 * never shorter; a port keeps its table distance exactly when one of its table candidates
 * is up, may carry the source and keeps its own (checked depth-first, memoized per call,
 * stopping at the first success). So the walk takes the table's candidates that pass this
 * check and picks among them as the search would, giving the same route. When the start
 * port itself fails the check (the flow's shortest path is longer than the table's), the
 * exact per-(destination, source) search runs, as before. Cost per route: O(hops ×
 * candidates × the part of the table checked), once the destination's table exists
 * (O(ports + Σ in-degree × out-degree of the nodes it crosses)).
 * `RouteReads` records which ports' `routingDown` a route was computed from: while none of
 * them changes, the route stays the same (the flow model re-routes only those flows after
 * a failure).
 */
import { hashSelect } from "../fabric/switch-node.js";
import {
  type Candidates,
  sortById,
  TABLE_BUDGET,
  TABLE_COST,
  TABLES_KEPT,
  type Table,
  tableDist,
} from "./distance-table.js";
import { ExactRoutes } from "./exact-routes.js";
import type { RoutedNode, RoutedPort, RouteReads, RouteRules, RouterOptions } from "./routed.js";

export type { RoutedNode, RoutedPort, RouteReads, RouteRules, RouterOptions } from "./routed.js";

/**
 * Shortest paths over ports rather than nodes, so that a device's forwarding
 * rules can depend on where a flow came in (a fabric extender sends what comes
 * from a host up, never across to another host).
 */
export class Router<P extends RoutedPort<P>> {
  private readonly incomingIndex = new Map<RoutedNode<P>, Int32Array>();
  /** Incoming ports the search follows: those sent from nodes that may forward (see `forwardsOnlyTo`). */
  private readonly incomingOpen = new Map<RoutedNode<P>, Int32Array>();
  /** Each node's egress port indices (a node's scan reads them, not a Map lookup per port). */
  private readonly outgoing = new Map<RoutedNode<P>, Int32Array>();
  /** Per port index: 1 when its node never forwards, 2 when only to one node (`forwardsOnlyTo`): left out of tables. */
  private readonly stub: Uint8Array;
  /** Ports of the nodes that forward only to a node, by that node's name. */
  private readonly stubPortsTo = new Map<string, number[]>();
  /** Port numbers of a build that does not number its ports (null: each port's own `index`). */
  private readonly index: Map<P, number> | null;
  private readonly sourceDependent = new Set<RoutedNode<P>>();
  /** The exhaustive per-(destination, source) search, for the flows the tables do not answer. */
  private readonly exactRoutes: ExactRoutes<P>;
  private readonly tables = new Map<RoutedNode<P>, Table<P>>();
  private readonly memoCall: Int32Array;
  private readonly memoOk: Uint8Array;
  /** The last table asked for (flows to one destination come in runs). */
  private lastDst: RoutedNode<P> | null = null;
  private lastTable: Table<P> | null = null;
  private uses = 0;
  /** Estimated bytes of the tables kept (`TABLE_COST`), and how many tables were built. */
  private tableBytes = 0;
  private tablesBuilt = 0;
  private call = 0;
  /** The table and source key of the current memo of `keeps` (null: none to share). */
  private memoTable: Table<P> | null = null;
  private memoSource = "";
  /** `path`'s ports before they are copied out. */
  private readonly scratch: P[] = [];

  constructor(
    private readonly ports: readonly P[],
    private readonly rules: RouteRules<P>,
    private readonly options: RouterOptions = {},
  ) {
    this.stub = new Uint8Array(ports.length);
    const only = new Map<RoutedNode<P>, string | null | undefined>();
    const incoming = new Map<RoutedNode<P>, number[]>();
    const outgoing = new Map<RoutedNode<P>, number[]>();
    const numbered = ports.every((p, i) => p.index === i);
    this.index = numbered ? null : new Map();
    ports.forEach((p, i) => {
      this.index?.set(p, i);
      const list = incoming.get(p.peerNode);
      if (list === undefined) incoming.set(p.peerNode, [i]);
      else list.push(i);
      const out = outgoing.get(p.node);
      if (out === undefined) outgoing.set(p.node, [i]);
      else out.push(i);
      if (options.tables === false) return;
      let to = only.get(p.node);
      if (!only.has(p.node)) {
        to = rules.forwardsOnlyTo?.(p.node);
        only.set(p.node, to);
      }
      if (to === undefined) return;
      this.stub[i] = to === null ? 1 : 2;
      if (to !== null) {
        const list = this.stubPortsTo.get(to);
        if (list === undefined) this.stubPortsTo.set(to, [i]);
        else list.push(i);
      }
    });
    for (const [node, list] of outgoing) this.outgoing.set(node, Int32Array.from(list));
    for (const [node, list] of incoming) {
      const all = Int32Array.from(list);
      this.incomingIndex.set(node, all);
      this.incomingOpen.set(
        node,
        all.filter((i) => this.stub[i] === 0),
      );
      if (rules.bySource?.(node)) this.sourceDependent.add(node);
    }
    this.memoCall = new Int32Array(ports.length);
    this.memoOk = new Uint8Array(ports.length);
    this.exactRoutes = new ExactRoutes(ports, rules, this.incomingIndex);
  }

  /** Port `p`'s number here, or undefined when it is not one of this network's ports. */
  private indexOf(p: P): number | undefined {
    if (this.index !== null) return this.index.get(p);
    const i = p.index;
    return i !== undefined && this.ports[i] === p ? i : undefined;
  }

  /**
   * Port `qi`'s distance, also for a port left out of the table (sent from a node that does
   * not forward to `dst`, see `forwardsOnlyTo`): one more than the nearest port of the node it
   * leads into that the search would reach it from. Exact once known, because levels
   * 1 … depth are complete; 0 while that node's ports are not reached.
   */
  private distOf(t: Table<P>, qi: number, dst: RoutedNode<P>): number {
    const stored = tableDist(t, qi);
    if (stored !== 0 || this.stub[qi] === 0 || (this.stub[qi] === 2 && t.extra.includes(qi))) return stored;
    const p = this.ports[qi]!;
    const n = p.peerNode;
    if (n === dst || !(this.sourceDependent.has(n) || this.rules.transit(n, "", dst))) return 0;
    let best = 0;
    for (const q of this.outgoing.get(n) ?? []) {
      const d = tableDist(t, q);
      if (d !== 0 && (best === 0 || d < best) && this.rules.turn(n, p, this.ports[q]!, dst)) best = d;
    }
    if (best === 0) return 0;
    this.setDist(t, qi, best + 1);
    return best + 1;
  }

  /** The destination's distance table (grown by `reach` as far as asked). */
  private table(dst: RoutedNode<P>): Table<P> {
    if (dst === this.lastDst) return this.lastTable!;
    const t = this.tableOf(dst);
    t.used = ++this.uses;
    this.lastDst = dst;
    this.lastTable = t;
    return t;
  }

  private tableOf(dst: RoutedNode<P>): Table<P> {
    // A hit only stamps the table (flows through a pin alternate two destinations: no Map
    // delete and insert per route to keep the order of use).
    const hit = this.tables.get(dst);
    if (hit !== undefined) return hit;
    const t: Table<P> = {
      dense: null,
      sparse: new Map(),
      reached: 0,
      depth: 1,
      frontier: [],
      candidates: new Map(),
      extra: this.stubPortsTo.get(dst.name) ?? [],
      full: new Set(),
      used: 0,
      bytes: 0,
    };
    this.tablesBuilt++;
    const budget = this.options.tableBudget ?? TABLE_BUDGET;
    while (this.tables.size >= TABLES_KEPT && this.tableBytes > budget) {
      let oldest: RoutedNode<P> | null = null;
      let when = Number.POSITIVE_INFINITY;
      for (const [node, table] of this.tables) {
        if (table.used < when) {
          when = table.used;
          oldest = node;
        }
      }
      this.tableBytes -= this.tables.get(oldest!)!.bytes;
      this.tables.delete(oldest!);
    }
    this.tables.set(dst, t);
    this.grow(t, TABLE_COST.base);
    for (const p of this.incomingIndex.get(dst) ?? []) {
      this.setDist(t, p, 1);
      t.frontier.push(p);
    }
    return t;
  }

  private setDist(t: Table<P>, pi: number, d: number): void {
    t.reached++;
    if (t.dense !== null) {
      t.dense[pi] = d;
      return;
    }
    t.sparse!.set(pi, d);
    this.grow(t, TABLE_COST.sparseEntry);
    if (t.reached * 16 >= this.ports.length) {
      const dense = new Int32Array(this.ports.length);
      for (const [k, v] of t.sparse!) dense[k] = v;
      t.dense = dense;
      t.sparse = null;
      this.grow(t, this.ports.length * TABLE_COST.denseEntry - t.reached * TABLE_COST.sparseEntry);
    }
  }

  /** Counts `bytes` more for table `t` (and the router's total). */
  private grow(t: Table<P>, bytes: number): void {
    t.bytes += bytes;
    this.tableBytes += bytes;
  }

  /** Grows `t` (breadth-first from `dst`, every port and source admitted) until port `si` has its distance or nothing is left. */
  private reach(t: Table<P>, dst: RoutedNode<P>, si: number): void {
    while (this.distOf(t, si, dst) === 0 && t.frontier.length > 0) {
      const next: number[] = [];
      const d = t.depth;
      for (const qi of t.frontier) {
        const q = this.ports[qi]!;
        const n = q.node;
        if (n === dst || t.full.has(n) || !(this.sourceDependent.has(n) || this.rules.transit(n, "", dst))) continue;
        // Ports sent from nodes that do not forward to dst are left out (see distOf); a node
        // whose other incoming ports all have their distance has nothing left for the next q.
        let all = true;
        const step = (pi: number): void => {
          if (tableDist(t, pi) !== 0) return;
          if (!this.rules.turn(n, this.ports[pi]!, q, dst)) {
            all = false;
            return;
          }
          this.setDist(t, pi, d + 1);
          next.push(pi);
        };
        for (const pi of this.incomingOpen.get(n) ?? []) step(pi);
        for (const pi of t.extra) if (this.ports[pi]!.peerNode === n) step(pi);
        if (all) t.full.add(n);
      }
      t.frontier = next;
      t.depth = d + 1;
    }
  }

  /** Ports one hop nearer than ingress port `qi` that its node lets it turn to, sorted by id (cached). */
  private candidates(t: Table<P>, qi: number, dst: RoutedNode<P>): Candidates<P> {
    const hit = t.candidates.get(qi);
    if (hit !== undefined) return hit;
    const ingress = this.ports[qi]!;
    const at = ingress.peerNode;
    const want = this.distOf(t, qi, dst) - 1;
    const list: P[] = [];
    for (const q of this.outgoing.get(at) ?? []) {
      const p = this.ports[q]!;
      if (this.distOf(t, q, dst) === want && this.rules.turn(at, ingress, p, dst)) list.push(p);
    }
    sortById(list);
    // A plain array of small integers: a short Int32Array is two heap objects of its own
    // (about 280 B a list, 32,000 lists live on a 4,096-host UCS site).
    const index = new Array<number>(list.length);
    for (let j = 0; j < list.length; j++) index[j] = this.indexOf(list[j]!)!;
    const c: Candidates<P> = { ports: list, index };
    t.candidates.set(qi, c);
    this.grow(t, TABLE_COST.list + list.length * TABLE_COST.listEntry);
    return c;
  }

  /**
   * Does port `qi` keep its table distance for this flow: it is up and, unless it reaches
   * `dst`, leads to a node that carries the source and on to a candidate that keeps its own.
   * Memoized for the current call; records each port whose state it reads.
   */
  private keeps(t: Table<P>, qi: number, dst: RoutedNode<P>, source: string, reads: RouteReads<P> | null): boolean {
    if (this.memoCall[qi] === this.call) return this.memoOk[qi] === 1;
    const q = this.ports[qi]!;
    reads?.ports.push(q);
    let ok = false;
    if (!q.routingDown) {
      const n = q.peerNode;
      if (n === dst) ok = true;
      else if (!this.sourceDependent.has(n) || this.rules.transit(n, source, dst)) {
        for (const pi of this.candidates(t, qi, dst).index) {
          if (this.keeps(t, pi, dst, source, reads)) {
            ok = true;
            break;
          }
        }
      }
    }
    this.memoCall[qi] = this.call;
    this.memoOk[qi] = ok ? 1 : 0;
    return ok;
  }

  /** Distance tables built so far, kept now, and the kept ones' estimated bytes. */
  tableStats(): { built: number; kept: number; bytes: number } {
    return { built: this.tablesBuilt, kept: this.tables.size, bytes: this.tableBytes };
  }

  /** Forgets what depended on ports being down or up (after ports went down or came back). */
  invalidate(): void {
    this.exactRoutes.clear();
    this.memoTable = null;
  }

  /**
   * The ports from `start` (the first port, already chosen) to `dst`, or null when
   * `dst` cannot be reached. `sourceHost` decides which nodes may carry the flow.
   * `pin`: the vNIC's fabric-interconnect turn (−1: none, see `RouteRules.pinnedUplink`).
   * `reads`, when given, collects the ports whose `routingDown` the answer read.
   */
  path(
    start: P,
    dst: RoutedNode<P>,
    sourceHost: string,
    flowHash: number,
    pin = -1,
    reads: RouteReads<P> | null = null,
  ): P[] | null {
    const n = this.pathInto(start, dst, sourceHost, flowHash, pin, reads, this.scratch, 0);
    return n < 0 ? null : this.scratch.slice(0, n);
  }

  /**
   * `path`'s ports written into `into` from place `at` on (what is past them is left as it
   * was): their number, or −1 when `dst` cannot be reached. A caller that copies the ports
   * out right away keeps no array per route (a site routes 50,000 to 100,000 paths).
   */
  pathInto(
    start: P,
    dst: RoutedNode<P>,
    sourceHost: string,
    flowHash: number,
    pin: number,
    reads: RouteReads<P> | null,
    into: P[],
    at: number,
  ): number {
    if (this.options.tables === false) {
      if (reads !== null) reads.everything = true;
      return copyInto(this.exactRoutes.path(start, dst, sourceHost, flowHash, pin), into, at);
    }
    const t = this.table(dst);
    const si = this.indexOf(start);
    if (si === undefined) return -1;
    this.reach(t, dst, si);
    if (this.distOf(t, si, dst) === 0) return -1;
    // keeps' answers depend on the table, the source (its key) and the ports' state, which
    // only changes with an `invalidate`: a run of routes to one destination from sources
    // routed alike shares them (unless the ports read are being recorded).
    const source = this.sourceDependent.size === 0 ? "" : (this.rules.sourceKey?.(sourceHost) ?? sourceHost);
    if (reads !== null || t !== this.memoTable || source !== this.memoSource) {
      this.call++;
      if (this.call === 0x7fffffff) {
        this.memoCall.fill(0);
        this.call = 1;
      }
      this.memoTable = reads === null ? t : null;
      this.memoSource = source;
    }
    if (!this.keeps(t, si, dst, sourceHost, reads)) {
      if (reads !== null) reads.everything = true;
      return copyInto(this.exactRoutes.path(start, dst, sourceHost, flowHash, pin), into, at);
    }
    let d = this.distOf(t, si, dst);
    let n = at;
    into[n++] = start;
    let ingress = start;
    let qi = si;
    while (d > 1) {
      const node = ingress.peerNode;
      // Usually every candidate keeps its distance: then the cached list itself is passed on.
      const all = this.candidates(t, qi, dst);
      let candidates = all.ports;
      for (let j = 0; j < all.index.length; j++) {
        if (this.keeps(t, all.index[j]!, dst, sourceHost, reads)) continue;
        // keeps is memoized for this call: asking again reads no port twice.
        const kept = all.index.filter((pi) => this.keeps(t, pi, dst, sourceHost, reads));
        candidates = Array.from(kept, (pi) => this.ports[pi]!);
        break;
      }
      if (candidates.length === 0) return -1;
      const next =
        this.rules.pinnedUplink(node, ingress, candidates, pin, flowHash ^ d) ?? hashSelect(candidates, flowHash ^ d);
      into[n++] = next;
      ingress = next;
      qi = this.indexOf(next)!;
      d--;
    }
    return n - at;
  }
}

/** Writes `ports` into `into` from `at` on; their number, or −1 for none. */
function copyInto<P>(ports: readonly P[] | null, into: P[], at: number): number {
  if (ports === null) return -1;
  for (let i = 0; i < ports.length; i++) into[at + i] = ports[i]!;
  return ports.length;
}

/** A stable 32-bit hash of a flow's name (FNV-1a), independent of random streams. */
export function flowHash(key: string): number {
  return flowHashMore(0x811c9dc5, key);
}

/**
 * `flowHash(a + String(more))` given `h = flowHash(a)` (FNV-1a reads the characters in
 * order): a flow's hash from its instance's key and its target number, without the string.
 */
export function flowHashMore(h: number, more: string | number): number {
  const text = typeof more === "string" ? more : String(more);
  let x = h | 0;
  for (let i = 0; i < text.length; i++) {
    x ^= text.charCodeAt(i);
    x = Math.imul(x, 0x01000193);
  }
  return x >>> 0;
}
