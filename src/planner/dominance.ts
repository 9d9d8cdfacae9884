/**
 * Skipping candidates a flow-level miss already answers (the site-size curve only).
 *
 * At site sizes the search's ranges hold thousands of combinations, and the best-first walk evaluates
 * every one cheaper than the first that meets: at 256 servers director, UCS and MR-IOV ran out of a
 * 300-evaluation budget on candidates with too few LAN uplinks. The rule: a candidate with the same
 * choices as one that missed at flow level and no more of any range parameter (uplinks, modules,
 * adapters, ISLs, array ports: every range parameter adds capacity; and choices of capacities, such as
 * UCS's IOM uplinks 1, 2, 4 or 8, where fewer uplinks per IOM also put more chassis on each FI pair)
 * is taken to miss too, and is not evaluated. And a candidate that missed only rows of LAN workloads answers for every SAN capacity
 * (FC uplinks, modules, adapters, ISLs, array ports) as well, and one that missed only SAN rows for every
 * LAN capacity: each range parameter declares whose traffic its capacity carries (`serves` in
 * src/design/params.ts; converged links such as InfiniBand host links carry both). A candidate that
 * missed rows of both sides answers for each side apart (its LAN rows miss whatever the SAN capacity,
 * and the other way round). A miss after a single failure counts the same way, by the workloads the
 * failure broke (their rows missed, or no path left).
 *
 * A miss that names the tier it is short of (src/planner/tiers.ts: a unit's ports that the offered demand
 * alone overloads) answers more widely: for every candidate with no more of that capacity, whatever the
 * others (`missTier`). Without it a 512-server director search walked the staircase of IB uplinks × FC
 * modules × array ports × ISLs one corner per evaluation and ran out of 3,000 evaluations.
 *
 * The assumptions: more capacity never turns a met flow-level row into a missed one, and capacity on
 * one side does not mend the other side's rows. Neither is a theorem: under max-min fair sharing a wider
 * link can let one flow take more of a bottleneck further on, and on converged links (FCoE, InfiniBand)
 * more SAN capacity lets storage traffic take more of the links it shares with the LAN. What it can cost is bounded: a skipped candidate is never chosen, so the choice is still one shown
 * to meet; it may only be dearer than the cheapest (the curve's costs are then upper bounds). On the
 * sizes an unpruned search can still walk, the choices are the same with and without it (tested).
 */
import type { ParamTier, ParamValue } from "../design/params.js";
import type { StudyParameter } from "../study/load.js";
import type { TierSpec } from "./tiers.js";

export type Side = "lan" | "san";

interface Miss {
  readonly levels: readonly number[];
  /** Per range parameter: does the miss bound it (its side missed, or it carries both)? */
  readonly binds: readonly boolean[];
  /**
   * Per range parameter, how a tier's miss answers for it (src/planner/tiers.ts): `eq` only at its very level
   * (parameters that decide which hosts a unit serves), `ge` at its level or above (parameters whose fewer
   * values change the tier's shape, such as array ports below which the SAN needs no ISLs); absent: `binds`.
   */
  readonly exact?: ReadonlyArray<"eq" | "ge" | undefined>;
}

export class Dominance {
  /**
   * Parameters that add capacity, with the side they serve, their highest value and their tier (if any):
   * ranges, and choices of capacities (`serves` on a choice of numbers, such as UCS IOM uplinks). A
   * choice is never stepped through on the way out of a skipped region (`stepped`): the candidate order
   * tries each choice apart.
   */
  private readonly capacity: Array<{
    name: string;
    serves: Side | "both";
    top: number;
    tier: ParamTier | undefined;
    stepped: boolean;
  }>;
  /** Every other parameter: a miss answers only for candidates with the same values. */
  private readonly others: string[];
  private readonly missed = new Map<string, Miss[]>();

  constructor(parameters: Readonly<Record<string, StudyParameter>>) {
    this.capacity = [];
    this.others = [];
    for (const [name, p] of Object.entries(parameters)) {
      const { serves, tier } = p.def;
      const numbers = p.candidates.every((v) => typeof v === "number");
      const capacity = serves !== undefined && (p.ranged || (p.candidates.length > 1 && numbers));
      if (capacity)
        this.capacity.push({
          name,
          serves,
          top: Math.max(...p.candidates.map(Number)),
          tier,
          stepped: p.ranged,
        });
      else this.others.push(name);
    }
  }

  /** The tiers a flow job judges a miss against: those of the capacities this rule counts (`missTier` ignores others). */
  tierSpecs(): TierSpec[] {
    return this.capacity.flatMap(({ name, tier }) =>
      tier === undefined ? [] : [{ param: name, ports: tier.ports, ...(tier.pinned === true ? { pinned: true } : {}) }],
    );
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
   * Notes a candidate whose tier of `param` its demand overloads (src/planner/tiers.ts): the miss answers for
   * every candidate with the same choices, no more of `param` (`atLevel`: the same value, when one port was
   * overloaded rather than the whole tier) and the same values of the tier's `equal` parameters, whatever its
   * other capacities. A tier that `regroups` (the parameter moves hosts between units, as ISLs move initiators
   * between edge switches) answers only at its value; `atLeast` parameters at their value or above.
   */
  missTier(p: Readonly<Record<string, ParamValue>>, param: string, atLevel = false): void {
    const levels = this.levels(p);
    const at = this.capacity.findIndex((c) => c.name === param);
    if (levels === null || at < 0) return;
    const tier = this.capacity[at]!.tier;
    const exact = this.capacity.map((c, i): "eq" | "ge" | undefined =>
      (i === at && (atLevel || tier?.regroups === true)) || tier?.equal?.includes(c.name) === true
        ? "eq"
        : tier?.atLeast?.includes(c.name) === true
          ? "ge"
          : undefined,
    );
    const binds = this.capacity.map((_, i) => i === at || exact[i] !== undefined);
    const k = this.key(p);
    const list = this.missed.get(k);
    const m: Miss = { levels, binds, exact };
    if (list === undefined) this.missed.set(k, [m]);
    else list.push(m);
  }

  /**
   * The least candidates at or above `p` (same choices, at least as much of every capacity) that no noted
   * miss answers for: where a walk that met `p` dominated goes on. A best-first walk that stepped through a
   * dominated region one combination at a time would have to pass all of it at the score of the node that
   * entered it (its only known lower bound), building every combination on the region's far side however
   * dear: a 256-server director search built 190,000 candidates for 5 evaluations. Every candidate above
   * `p` that no miss answers for is at or above one of these, and the steps from there to it never enter a
   * dominated region (misses answer downwards). Capacity values step by one (range parameters are whole
   * numbers) up to each range's highest; empty when every way up stays dominated to the top.
   */
  exits(p: Readonly<Record<string, ParamValue>>): Array<Record<string, ParamValue>> {
    const start = this.levels(p);
    if (start === null) return [];
    const misses = this.missed.get(this.key(p)) ?? [];
    let points: number[][] = [start];
    for (let changed = true; changed; ) {
      changed = false;
      const next: number[][] = [];
      for (const v of points) {
        const m = misses.find((miss) => answers(miss, v));
        if (m === undefined) {
          next.push(v);
          continue;
        }
        changed = true;
        // Out of that miss's reach: one of the capacities it bounds above its level.
        this.capacity.forEach((c, i) => {
          // A bound from below (`ge`) is never left upwards.
          if (!c.stepped || !m.binds[i] || m.exact?.[i] === "ge" || m.levels[i]! + 1 > c.top) return;
          const up = [...v];
          up[i] = m.levels[i]! + 1;
          next.push(up);
        });
      }
      points = minimal(next);
    }
    return points.map((v) => {
      const out: Record<string, ParamValue> = { ...p };
      this.capacity.forEach((c, i) => {
        out[c.name] = v[i]!;
      });
      return out;
    });
  }

  /** True when a noted miss has the same other values and at least as much of every capacity it bounds. */
  dominated(p: Readonly<Record<string, ParamValue>>): boolean {
    const v = this.levels(p);
    if (v === null) return false;
    const list = this.missed.get(this.key(p));
    return list?.some((m) => answers(m, v)) ?? false;
  }
}

/** The points no other point is below (at most as much of every coordinate), each once. */
function minimal(points: readonly number[][]): number[][] {
  const unique = [...new Map(points.map((v) => [v.join(","), v])).values()];
  return unique.filter((v) => !unique.some((w) => w !== v && w.every((x, i) => x <= v[i]!)));
}

/** The miss answers for capacity levels `v`: no more of any capacity it bounds (as `exact` says for a tier's). */
function answers(m: Miss, v: readonly number[]): boolean {
  return m.levels.every((x, i) => {
    if (!m.binds[i]) return true;
    const how = m.exact?.[i];
    return how === "eq" ? v[i] === x : how === "ge" ? v[i]! >= x : v[i]! <= x;
  });
}
