/**
 * A study's site at N servers, for the site-size curve (src/planner/sizes.ts): every
 * group keeps its share (largest remainders), and the design parameters follow the site
 * as an architect sizes one: per site (array ports) scaled, capacity per unit widened,
 * what changes no hardware fixed (the rules: `SIZES_RULE`, docs/study-format.md).
 */

import { DesignError, expandStudy } from "../design/index.js";
import { PARAMS, type ParamValue } from "../design/params.js";
import { checkStudy, type Study } from "../study/load.js";
import type { StudyFile } from "../study/schema.js";
import type { Design } from "../topology/types.js";

/** Parameters whose range scales with the site (the array's ports follow the site's storage load). */
export const SITE_SCALE_PARAMS: ReadonlySet<string> = new Set(["sanArrayPorts"]);

/**
 * Capacity per unit (uplinks per access switch, FEX, IB leaf or FI; I/O modules per director; shared
 * adapters per box; ISLs per SAN edge switch): at a site N / servers times the study's, each may grow
 * from the study's lowest value up to N / servers times its highest (at most the generator's limit),
 * also where the study fixes it. Units are added by the generators (more FI domains, director pairs,
 * box pairs, access pairs, SAN edges); these say how big each may be.
 */
export const SIZE_GROW_PARAMS: ReadonlySet<string> = new Set([
  "accessUplinks",
  "fexUplinks",
  "sanIsl",
  "ibUplinks",
  "ethModules",
  "fcModules",
  "fiLanUplinks",
  "fiFcUplinks",
  "ethAdaptersPerBox",
  "fcAdaptersPerBox",
]);

/**
 * Parameters that change no hardware (how UCS LAN traffic fails over, its pin group): at site
 * sizes they stay at the study's current value, so each size searches hardware, not four
 * variants of every hardware point.
 */
export const SIZE_FIXED_PARAMS: ReadonlySet<string> = new Set(["lanFailover", "bulkPinGroup"]);

/**
 * Shares of `n` for weights `w` (Hamilton's largest remainders), each at least `floor`:
 * parts whose exact share is below the floor get the floor, the others share the rest.
 */
function apportion(w: readonly number[], n: number, floor: number): number[] {
  const fixed = new Set<number>();
  for (;;) {
    const free = w.map((_, i) => i).filter((i) => !fixed.has(i));
    const left = n - fixed.size * floor;
    const total = free.reduce((a, i) => a + w[i]!, 0);
    const exact = new Map(free.map((i) => [i, total === 0 ? 0 : (w[i]! * left) / total]));
    const below = free.filter((i) => exact.get(i)! < floor && w[i]! > 0);
    if (below.length > 0) {
      for (const i of below) fixed.add(i);
      continue;
    }
    const out = w.map((_, i) => (fixed.has(i) ? floor : Math.floor(exact.get(i)!)));
    let rest = n - out.reduce((a, b) => a + b, 0);
    const order = free
      .map((i) => [exact.get(i)! - Math.floor(exact.get(i)!), i] as const)
      .sort((a, b) => b[0] - a[0] || a[1] - b[1]);
    for (let k = 0; rest > 0 && order.length > 0; k = (k + 1) % order.length, rest--) out[order[k]![1]]!++;
    return out;
  }
}

/** The study's site at `servers` servers (see the header). Throws RangeError when it cannot hold every group. */
export function scaleStudy(study: Study, servers: number): Study {
  const file = study.file;
  const grouped = file.groups.reduce((a, g) => a + g.hosts, 0);
  const idle = file.servers - grouped;
  const weights = [...file.groups.map((g) => g.hosts), ...(idle > 0 ? [idle] : [])];
  if (!Number.isInteger(servers) || servers < file.groups.length)
    throw new RangeError(`a site of ${servers} servers cannot hold one of each of the ${file.groups.length} groups`);
  // Servers in no group take what is left (possibly none at a small size); groups keep at least one each.
  const shares = apportion(weights, servers, 1);
  const f = servers / file.servers;
  const designs: Record<string, unknown> = {};
  for (const [d, spec] of Object.entries(file.designs)) {
    if (spec === undefined) continue;
    const parameters: Record<string, unknown> = { ...spec.parameters };
    for (const def of PARAMS[d as Design]) {
      const p = study.parameters[d as Design]?.[def.name];
      if (p === undefined) continue;
      if (SIZE_FIXED_PARAMS.has(def.name)) {
        parameters[def.name] = p.value;
        continue;
      }
      if (def.kind !== "int") continue;
      const nums = p.candidates.map(Number);
      if (SIZE_GROW_PARAMS.has(def.name) && f > 1 && (p.ranged || nums.length === 1)) {
        // More uplinks, modules, adapters or ISLs per unit as the site grows: the heaviest unit (the one
        // the last mile lands on, failures moving its load) needs more than the study's rack did.
        const lo = Math.min(...nums);
        const hi = Math.min(def.max, Math.max(Math.max(...nums), Math.ceil(Math.max(...nums) * f)));
        parameters[def.name] = { value: Math.min(hi, Math.max(lo, Number(p.value))), range: [lo, hi] };
        continue;
      }
      if (!SITE_SCALE_PARAMS.has(def.name)) continue;
      const lo = Math.min(def.max, Math.max(def.min, Math.ceil(Math.min(...nums) * f)));
      const hi = Math.min(def.max, Math.max(lo, Math.ceil(Math.max(...nums) * f)));
      const value = Math.min(hi, Math.max(lo, Math.ceil(Number(p.value) * f)));
      parameters[def.name] = { value, range: [lo, hi] };
    }
    designs[d] = { ...spec, parameters };
  }
  const scaled: StudyFile = {
    ...file,
    servers,
    groups: file.groups.map((g, i) => ({ ...g, hosts: shares[i]! })),
    designs: designs as StudyFile["designs"],
  };
  const checked = checkStudy(scaled);
  if (!checked.ok)
    throw new Error(
      `study ${file.name} at ${servers} servers is not valid (a bug): ${checked.issues.map((i) => i.message).join("; ")}`,
    );
  return f > 1 ? fixInert(checked.study) : checked.study;
}

/** A probe's placeholder: the highest value the generator accepts. */
const TOP = "\u0000top";

function builds(site: Study, d: Design, values: Record<string, ParamValue>): boolean {
  try {
    expandStudy(site, d, values);
    return true;
  } catch (e) {
    if (e instanceof DesignError) return false;
    throw e;
  }
}

/** A topology's text without its comments (which name the parameter values). */
const hardwareText = (yaml: string): string => yaml.replace(/^\s*#.*\n/gm, "");

/**
 * A widened capacity parameter that changes nothing at this size (SAN ISLs where each fabric is one
 * switch, FEX links without FEXes) is fixed at its lowest value: the search would build every
 * combination again for each of its values. Probed at every combination of the choice parameters,
 * the ranges at their current and at their highest values; a probe the generator refuses says nothing.
 */
function fixInert(site: Study): Study {
  const file = site.file;
  const designs: Record<string, unknown> = { ...file.designs };
  let changed = false;
  for (const d of site.designs) {
    const params = site.parameters[d] ?? {};
    const ranged = Object.entries(params).filter(([, p]) => p.ranged);
    // Ranges at their current values, all at their highest, and each at its highest the generator
    // accepts with the others at their lowest (a sum of ports may refuse them all at their highest).
    let probes: Record<string, ParamValue>[] = [
      Object.fromEntries(ranged.map(([n, p]) => [n, p.value])),
      Object.fromEntries(ranged.map(([n, p]) => [n, p.candidates.at(-1)!])),
      ...ranged.map(([q]) => Object.fromEntries(ranged.map(([n, p]) => [n, n === q ? TOP : p.candidates[0]!]))),
    ];
    for (const [name, p] of Object.entries(params))
      if (!p.ranged) probes = probes.flatMap((o) => p.candidates.map((v) => ({ ...o, [name]: v })));
    probes = probes.flatMap((probe) => {
      const q = Object.keys(probe).find((k) => probe[k] === TOP);
      if (q === undefined) return [probe];
      const values = params[q]!.candidates;
      for (let i = values.length - 1; i >= 0; i--)
        if (builds(site, d, { ...probe, [q]: values[i]! })) return [{ ...probe, [q]: values[i]! }];
      return [];
    });
    const fixed: Record<string, number> = {};
    for (const [name, p] of Object.entries(params)) {
      if (!SIZE_GROW_PARAMS.has(name) || !p.ranged) continue;
      const lo = Number(p.candidates[0]);
      const hi = Number(p.candidates.at(-1));
      let seen = 0;
      let differs = false;
      for (const probe of probes) {
        try {
          const a = hardwareText(expandStudy(site, d, { ...probe, [name]: lo }));
          const b = hardwareText(expandStudy(site, d, { ...probe, [name]: hi }));
          seen++;
          if (a !== b) differs = true;
        } catch (e) {
          if (!(e instanceof DesignError)) throw e;
        }
        if (differs) break;
      }
      if (seen > 0 && !differs) fixed[name] = lo;
    }
    if (Object.keys(fixed).length === 0) continue;
    changed = true;
    const spec = file.designs[d]!;
    designs[d] = { ...spec, parameters: { ...spec.parameters, ...fixed } };
  }
  if (!changed) return site;
  const checked = checkStudy({ ...file, designs: designs as StudyFile["designs"] });
  if (!checked.ok)
    throw new Error(
      `study ${file.name} with inert parameters fixed is not valid (a bug): ${checked.issues.map((i) => i.message).join("; ")}`,
    );
  return checked.study;
}
