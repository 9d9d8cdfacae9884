/**
 * Where each study group's servers sit in the site (host1 … hostN), which decides
 * which chassis, PCIe box, leaf or access pair carries them:
 * - `grouped` (default): groups take consecutive hosts in file order, servers in no
 *   group last; the last mile fills the last units, as in a rack cabled group by group.
 * - `spread`: every group's servers are spread evenly over the site, so each unit
 *   carries its share of the last mile. Architects place a cluster's nodes in
 *   different chassis (failure domains) and balance heavy servers over shared
 *   uplinks; with `grouped` a site's heaviest servers share the last units, and
 *   per-unit capacities must be sized for those.
 * Spreading is a smooth weighted round robin (as in nginx's upstream balancing):
 * each host goes to the entry with the most credit, credit grows by the entry's
 * count and the chosen entry pays the site's size. Over the site each entry is
 * chosen exactly its count of times, the hosts of an entry of count c lie less than
 * 2N / c apart (a property test checks both), and ties go to the earlier group.
 */

export const PLACEMENTS = ["grouped", "spread"] as const;
export type Placement = (typeof PLACEMENTS)[number];

/** Hosts `first` … `last` (1-based, inclusive). */
export interface HostRange {
  readonly first: number;
  readonly last: number;
}

/**
 * Each group's hosts as ascending ranges, for group sizes `counts` in a site of
 * `servers` (servers in no group: `servers` minus the sum, placed like a group
 * after the last one but not returned). Throws RangeError when the groups do not fit.
 */
export function placeGroups(counts: readonly number[], servers: number, placement: Placement): HostRange[][] {
  const grouped = counts.reduce((a, b) => a + b, 0);
  if (grouped > servers) throw new RangeError(`the groups hold ${grouped} hosts, more than the ${servers} servers`);
  const out: { first: number; last: number }[][] = counts.map(() => []);
  const take = (g: number, h: number) => {
    const last = out[g]!.at(-1);
    if (last !== undefined && last.last === h - 1) last.last = h;
    else out[g]!.push({ first: h, last: h });
  };
  if (placement !== "spread") {
    let next = 1;
    counts.forEach((c, g) => {
      if (c > 0) out[g]!.push({ first: next, last: next + c - 1 });
      next += c;
    });
    return out;
  }
  const weights = [...counts, servers - grouped];
  const credit = weights.map(() => 0);
  for (let h = 1; h <= servers; h++) {
    let best = -1;
    for (let i = 0; i < weights.length; i++) {
      if (weights[i] === 0) continue;
      credit[i]! += weights[i]!;
      if (best < 0 || credit[i]! > credit[best]!) best = i;
    }
    credit[best]! -= servers;
    if (best < counts.length) take(best, h);
  }
  return out;
}

/** The group index of each host (index 0 unused; -1: in no group). */
export function groupOfHost(ranges: readonly (readonly HostRange[])[], servers: number): Int32Array {
  const of = new Int32Array(servers + 1).fill(-1);
  ranges.forEach((rs, g) => {
    for (const r of rs) of.fill(g, r.first, r.last + 1);
  });
  return of;
}
