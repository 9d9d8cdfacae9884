/**
 * The router's per-destination distance tables (routing.ts's header says how they are used):
 * their shape, the candidate lists they cache, and the order candidates are kept in.
 */
import type { RoutedNode } from "./routed.js";

/** Ports in id order. */
export function byId(a: { readonly id: string }, b: { readonly id: string }): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Sorts ports by id: a short list in place by insertion (no scratch arrays: it runs per candidate list), a long one by `sort`. */
export function sortById<P extends { readonly id: string }>(list: P[]): void {
  if (list.length > 16) {
    list.sort(byId);
    return;
  }
  for (let i = 1; i < list.length; i++) {
    const p = list[i]!;
    let k = i;
    while (k > 0 && byId(list[k - 1]!, p) > 0) {
      list[k] = list[k - 1]!;
      k--;
    }
    list[k] = p;
  }
}

/**
 * A destination's distances, grown level by level only as far as the sources asked about
 * need (a pin or a host destination in a site joined by its LAN would otherwise cost a
 * search of the whole site each). Levels 1 … `depth` are complete: every port that far
 * has its distance, so a port's candidates (one level nearer) are all known.
 */
export interface Table<P> {
  /** Distances by port index (0: not reached yet): a Map while few ports are reached. */
  dense: Int32Array | null;
  sparse: Map<number, number> | null;
  reached: number;
  depth: number;
  /** The ports at `depth` (the next level is found from them). */
  frontier: number[];
  /** Per ingress port index: the ports one hop nearer that the node lets it turn to, sorted by id. */
  readonly candidates: Map<number, Candidates<P>>;
  /** Ports from nodes that forward only to this destination (a server's adapters, to its host): searched like the rest. */
  readonly extra: readonly number[];
  /** Nodes all of whose searched incoming ports have their distance (nothing left to find there). */
  readonly full: Set<RoutedNode<P>>;
  /** When it was last asked for (the least recently used table goes first when the cache is full). */
  used: number;
  /** Its estimated size (`TABLE_COST`), counted against the router's `TABLE_BUDGET`. */
  bytes: number;
}

/**
 * How many tables a router keeps: the most recently used, as many as fit in `TABLE_BUDGET` bytes
 * (estimated, checked as a table is added) and at least `TABLES_KEPT` whatever their size. A count
 * alone does not do: a site's flows visit their destinations in turn (the VMs of a workload placed
 * round-robin over 103 hosts, each flow's reverse leg to its own host), and a cycle longer than the
 * cache misses on every route, each miss a search of the fabric (measured on a scaled 2,048-server
 * study: 21,016 table builds for 105 destinations with 64 kept). Most tables are small (grown only as
 * far as asked: 9 MB for 1,083 destinations of a 2,048-server MR-IOV site).
 */
export const TABLE_BUDGET = 64 * 2 ** 20;
export const TABLES_KEPT = 64;

/**
 * Estimated bytes of a table's parts: a small table's Map entry (V8's ordered hash map, about
 * three 8-byte words an entry with its bucket), a large table's Int32Array entry, a candidate
 * list (an object and two arrays) and each of its ports (a pointer and a small integer).
 */
export const TABLE_COST = { base: 400, sparseEntry: 32, denseEntry: 4, list: 96, listEntry: 12 } as const;

/** Ports one hop nearer, sorted by id, and their port indices. */
export interface Candidates<P> {
  readonly ports: readonly P[];
  readonly index: readonly number[];
}

/** Port `qi`'s distance in `t` (0: not reached yet). */
export function tableDist<Q>(t: Table<Q>, qi: number): number {
  return t.dense !== null ? t.dense[qi]! : (t.sparse!.get(qi) ?? 0);
}
