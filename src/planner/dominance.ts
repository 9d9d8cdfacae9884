/**
 * Skipping candidates a flow-level miss already answers (the site-size curve only).
 *
 * At site sizes the search's ranges hold thousands of combinations, and the best-first walk evaluates
 * every one cheaper than the first that meets: at 256 servers director, UCS and MR-IOV ran out of a
 * 300-evaluation budget on candidates with too few LAN uplinks. The rule: a candidate with the same
 * choices as one that missed at flow level and no more of any range parameter (uplinks, modules,
 * adapters, ISLs, array ports: every range parameter adds capacity) is taken to miss too, and is not
 * evaluated. And a candidate that missed only rows of LAN workloads answers for every SAN capacity
 * (FC uplinks, modules, adapters, ISLs, array ports) as well, and one that missed only SAN rows for every
 * LAN capacity: each range parameter declares whose traffic its capacity carries (`serves` in
 * src/design/params.ts; converged links such as InfiniBand host links carry both). A candidate that
 * missed rows of both sides answers for each side apart (its LAN rows miss whatever the SAN capacity,
 * and the other way round). A miss after a single failure counts the same way, by the workloads the
 * failure broke (their rows missed, or no path left).
 *
 * The assumptions: more capacity never turns a met flow-level row into a missed one, and capacity on
 * one side does not mend the other side's rows. Neither is a theorem: under max-min fair sharing a wider
 * link can let one flow take more of a bottleneck further on, and on converged links (FCoE, InfiniBand)
 * more SAN capacity lets storage traffic take more of the links it shares with the LAN. What it can cost is bounded: a skipped candidate is never chosen, so the choice is still one shown
 * to meet; it may only be dearer than the cheapest (the curve's costs are then upper bounds). On the
 * sizes an unpruned search can still walk, the choices are the same with and without it (tested).
 */
import type { ParamValue } from "../design/params.js";
import type { StudyParameter } from "../study/load.js";

export type Side = "lan" | "san";

interface Miss {
  readonly levels: readonly number[];
  /** Per range parameter: does the miss bound it (its side missed, or it carries both)? */
  readonly binds: readonly boolean[];
}

export class Dominance {
  /** Range parameters that add capacity, with the side they serve and their highest value. */
  private readonly capacity: Array<{ name: string; serves: Side | "both"; top: number }>;
  /** Every other parameter: a miss answers only for candidates with the same values. */
  private readonly others: string[];
  private readonly missed = new Map<string, Miss[]>();
  /** Probes that met: per choices, side and parameter, the highest value found not to bound that side alone. */
  private readonly freed = new Map<string, number>();

  constructor(parameters: Readonly<Record<string, StudyParameter>>) {
    this.capacity = [];
    this.others = [];
    for (const [name, p] of Object.entries(parameters)) {
      const serves = p.def.kind === "int" ? p.def.serves : undefined;
      if (p.ranged && serves !== undefined) this.capacity.push({ name, serves, top: Number(p.candidates.at(-1)) });
      else this.others.push(name);
    }
  }

  private key(p: Readonly<Record<string, ParamValue>>): string {
    return JSON.stringify(this.others.map((n) => p[n]));
  }

  private levels(p: Readonly<Record<string, ParamValue>>): number[] | null {
    const out = this.capacity.map((c) => p[c.name]);
    return out.every((v) => typeof v === "number") ? (out as number[]) : null;
  }

  /** Notes a candidate that missed at flow level on the rows of `sides`. */
  miss(p: Readonly<Record<string, ParamValue>>, sides: ReadonlySet<Side>): void {
    const levels = this.levels(p);
    if (levels === null || sides.size === 0) return;
    const binds = this.capacity.map((c) => c.serves === "both" || sides.has(c.serves));
    const k = this.key(p);
    const list = this.missed.get(k);
    if (list === undefined) this.missed.set(k, [{ levels, binds }]);
    else list.push({ levels, binds });
  }

  /**
   * After a miss on `side` at `p`: per capacity of that side (its own and the converged ones), `p` with
   * every other capacity of the side at its highest. A probe that misses on the side answers, by the rule
   * above, for every candidate with no more of that one capacity, whatever the others: a slab of the
   * lattice, where the miss at `p` answers for a corner only. A site-size search otherwise spends its
   * budget on the staircase of SAN combinations (array ports × FC modules × ISLs) below the one it needs.
   * None when the side has one capacity (the miss already answers for the slab), for a probe already
   * answered, or where a probe at this value or a higher one met (the capacity alone does not bound it).
   */
  probes(
    p: Readonly<Record<string, ParamValue>>,
    side: Side,
  ): Array<{ name: string; parameters: Record<string, ParamValue> }> {
    const own = this.capacity.filter((c) => c.serves === side || c.serves === "both");
    if (own.length < 2 || this.levels(p) === null) return [];
    const out: Array<{ name: string; parameters: Record<string, ParamValue> }> = [];
    for (const c of own) {
      const freed = this.freed.get(this.freedKey(p, side, c.name));
      if (freed !== undefined && Number(p[c.name]) <= freed) continue;
      const parameters: Record<string, ParamValue> = { ...p };
      for (const o of own) if (o !== c) parameters[o.name] = o.top;
      if (own.every((o) => o === c || o.top === Number(p[o.name])) || this.dominated(parameters)) continue;
      out.push({ name: c.name, parameters });
    }
    return out;
  }

  /** Notes a probe that met: `name` at its value does not bound `side` alone. */
  free(p: Readonly<Record<string, ParamValue>>, side: Side, name: string): void {
    const k = this.freedKey(p, side, name);
    this.freed.set(k, Math.max(this.freed.get(k) ?? Number.NEGATIVE_INFINITY, Number(p[name])));
  }

  private freedKey(p: Readonly<Record<string, ParamValue>>, side: Side, name: string): string {
    return `${this.key(p)} ${side} ${name}`;
  }

  /** True when a noted miss has the same other values and at least as much of every capacity it bounds. */
  dominated(p: Readonly<Record<string, ParamValue>>): boolean {
    const v = this.levels(p);
    if (v === null) return false;
    const list = this.missed.get(this.key(p));
    return list?.some((m) => m.levels.every((x, i) => !m.binds[i] || v[i]! <= x)) ?? false;
  }
}
