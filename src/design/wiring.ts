/**
 * Cabling many endpoints at once: runs of endpoints that differ by one number
 * (`host[1..12]:nic0/1`, `sw-a1:eth[1..12]`), handed out switch by switch, and
 * written as one link entry per pair of equal runs (the topology format zips the
 * two endpoints' ranges). Browser-safe, pure.
 */

import { DesignError, rng } from "./base.js";

/** `${pre}${n}${post}` for n in first … last: one numeric range. */
export interface Span {
  readonly pre: string;
  readonly first: number;
  readonly last: number;
  readonly post: string;
}

export function span(pre: string, first: number, last: number, post = ""): Span {
  return { pre, first, last, post };
}

export function size(s: Span): number {
  return s.last - s.first + 1;
}

/** The span as a name with its range (`host[1..12]:nic0/1`, or `host7:nic0/1` for one). */
export function text(s: Span): string {
  return rng(s.pre, s.first, s.last, s.post);
}

/** `count` endpoints of `s` from position `offset` (0-based). */
export function slice(s: Span, offset: number, count: number): Span {
  return { pre: s.pre, first: s.first + offset, last: s.first + offset + count - 1, post: s.post };
}

/** Ports of one node handed out in order: `node:prefix<first>` … */
export class PortBank {
  private next: number;

  constructor(
    readonly node: string,
    readonly prefix: string,
    first: number,
    readonly last: number,
  ) {
    this.next = first;
  }

  get free(): number {
    return this.last - this.next + 1;
  }

  /** The next `count` ports as a span; throws when there are not enough (a generator bug). */
  take(count: number): Span {
    if (count > this.free)
      throw new DesignError(`${this.node}: ${count} ${this.prefix} ports asked, ${this.free} free`);
    const s = span(`${this.node}:${this.prefix}`, this.next, this.next + count - 1);
    this.next += count;
    return s;
  }
}

/** A link to write: two equal runs of endpoints and the link type. */
export interface Cable {
  readonly a: Span;
  readonly b: Span;
  readonly type: string;
  readonly length?: string;
  readonly lossless?: boolean;
  readonly comment?: string;
}

/** Hosts `first` … `last` that need `ports` (port names) each on one side. */
export interface HostRun {
  readonly first: number;
  readonly last: number;
  /** Port names on this side, e.g. ["nic0/1", "nic0/3"]. */
  readonly ports: readonly string[];
  readonly type: string;
}

/**
 * Cables runs of hosts to switches taken from `bank(i)` (the i-th switch of the
 * side, 0-based, created on demand), keeping each host's ports on one switch:
 * a switch takes as many whole hosts as its free ports allow. Returns the
 * cables and how many switches were used.
 */
export function attachHosts(
  runs: readonly HostRun[],
  bank: (i: number) => PortBank,
  extra: { length?: string } = {},
): { cables: Cable[]; switches: number } {
  const cables: Cable[] = [];
  let i = 0;
  let current: PortBank | null = null;
  let fresh = false;
  for (const run of runs) {
    const per = run.ports.length;
    if (per === 0) continue;
    let host = run.first;
    while (host <= run.last) {
      if (current === null) {
        current = bank(i++);
        fresh = true;
      }
      const fit = Math.min(run.last - host + 1, Math.floor(current.free / per));
      if (fit === 0) {
        if (fresh) throw new DesignError(`${current.node}: one host needs ${per} ports, it has ${current.free}`);
        current = null;
        continue;
      }
      fresh = false;
      for (const port of run.ports) {
        const a = span("host", host, host + fit - 1, `:${port}`);
        cables.push({ a, b: current.take(fit), type: run.type, ...extra });
      }
      host += fit;
    }
  }
  return { cables, switches: i };
}
