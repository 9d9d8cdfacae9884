/**
 * The site-size curve (issue 12 item 5): per design, the planner's choice for the
 * same site at several sizes (e.g. 32 … 512 servers), its hardware and cost per
 * server, and the sizes where one design overtakes another. It shows whether and
 * where the fixed cost of a director pair, a fabric interconnect pair or a PCIe
 * box pair pays back.
 *
 * - A site of N servers is the study scaled (`scaleStudy`): every group keeps its
 *   share of the servers (largest remainders, at least one server each), so the
 *   last mile stays the same share; workloads, SLAs and host I/O are unchanged.
 *   Parameters marked site-scale (`sanArrayPorts`: the array's ports grow with the
 *   site's storage load) have their range scaled by N / servers (at least 1, at
 *   most the generator's limit); the others are per unit (per FI, per director,
 *   per box, per access switch) and keep the study's range; those that change no
 *   hardware (`SIZE_FIXED_PARAMS`: UCS LAN failover and pin group) stay at the
 *   study's value.
 * - Search: the plan's search (as for a last-mile curve point: a job on the Evaluator,
 *   so sizes and designs run side by side on the worker pool), at flow level only by
 *   default: packet-level runs of a 500-server site take minutes each; `confirm: true`
 *   confirms every size at packet level (whole site). `survive: single-failure` is
 *   judged at flow level on the busiest component of each kind (a large site has
 *   hundreds of components, its A and B sides and repeated units alike).
 * - Per row: the chosen parameters (the configuration minimizing the study's
 *   objective, 3-year TCO by default), the BOM totals, and per server the cost of
 *   ownership (typical; "≥" while some item is unpriced), the capex and the hardware
 *   score.
 * - Crossovers: for each pair of designs, the first size at which the one that was
 *   dearer per server at the size before is cheaper (by TCO per server when both are
 *   fully priced at both sizes, else by hardware score, and the row says which).
 */

import type { Catalog } from "../catalog/types.js";
import { PARAMS, type ParamValue } from "../design/params.js";
import { checkStudy, type Study } from "../study/load.js";
import type { StudyFile } from "../study/schema.js";
import { resolvePrecision } from "../topology/resolve.js";
import type { Design } from "../topology/types.js";
import { curvePoint } from "./curve.js";
import { inProcessEvaluator } from "./evaluator.js";
import type { CurveFabric, CurveTotals, Evaluator, StudySize } from "./types.js";

/** Parameters whose range scales with the site (the array's ports follow the site's storage load). */
export const SITE_SCALE_PARAMS: ReadonlySet<string> = new Set(["sanArrayPorts"]);

/**
 * Parameters that change no hardware (how UCS LAN traffic fails over, its pin group): at site
 * sizes they stay at the study's current value, so each size searches hardware, not four
 * variants of every hardware point.
 */
export const SIZE_FIXED_PARAMS: ReadonlySet<string> = new Set(["lanFailover", "bulkPinGroup"]);

export const SIZES_RULE =
  "at N servers every group keeps its share of the site (largest remainders, at least one server each); site-scale parameters (sanArrayPorts) have their range scaled by N / servers, those that change no hardware (lanFailover, bulkPinGroup) stay at the study's value; the plan's search per design (flow level unless confirmed; single failures of the busiest component of each kind); per server: 3-year TCO and capex (typical, ≥ while unpriced) and hardware score; crossover: the first size where a design dearer per server at the size before is cheaper (TCO when both are fully priced, else hardware score)";

export interface SizeRow {
  servers: number;
  design: Design;
  status: "met" | "missed" | "undecided" | "none";
  fidelity: "flow" | "packet";
  confirmed: boolean;
  parameters: Record<string, ParamValue> | null;
  totals: CurveTotals | null;
  /** Cost of ownership per server over the study's years, typical (null: no design met). */
  costPerServer: number | null;
  /** Capex per server, typical (null: no design met). */
  capexPerServer: number | null;
  /** Some item unpriced: the costs are lower bounds. */
  costIsLowerBound: boolean;
  hardwarePerServer: number | null;
}

export interface Crossover {
  /** The design that was dearer per server at `from` and is cheaper at `to`. */
  overtaker: Design;
  overtaken: Design;
  from: number;
  to: number;
  by: "TCO per server" | "hardware score per server";
}

export interface SiteSizeCurve {
  sizes: number[];
  rule: string;
  /** Sorted by size, then design. */
  rows: SizeRow[];
  crossovers: Crossover[];
  size: StudySize[];
  wallSeconds: number;
}

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
      if (!SITE_SCALE_PARAMS.has(def.name) || def.kind !== "int") continue;
      const nums = p.candidates.map(Number);
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
  return checked.study;
}

function row(servers: number, c: CurveFabric): SizeRow {
  const totals = c.fabric;
  return {
    servers,
    design: c.design,
    status: c.status,
    fidelity: c.fidelity,
    confirmed: c.confirmed,
    parameters: c.parameters,
    totals,
    costPerServer: totals === null ? null : totals.tco.typical / servers,
    capexPerServer: totals === null ? null : totals.capex.typical / servers,
    costIsLowerBound: totals !== null && totals.tco.unknown > 0,
    hardwarePerServer: totals === null ? null : totals.hardwareScore / servers,
  };
}

/** Where one design overtakes another between consecutive sizes (see the header). */
export function crossovers(rows: readonly SizeRow[]): Crossover[] {
  const sizes = [...new Set(rows.map((r) => r.servers))].sort((a, b) => a - b);
  const designs = [...new Set(rows.map((r) => r.design))].sort();
  const at = (d: Design, n: number) => rows.find((r) => r.design === d && r.servers === n);
  const out: Crossover[] = [];
  for (let i = 0; i < designs.length; i++)
    for (let j = i + 1; j < designs.length; j++) {
      const a = designs[i]!;
      const b = designs[j]!;
      for (let k = 1; k < sizes.length; k++) {
        const [p, q] = [sizes[k - 1]!, sizes[k]!];
        const ap = at(a, p);
        const bp = at(b, p);
        const aq = at(a, q);
        const bq = at(b, q);
        if (ap?.totals == null || bp?.totals == null || aq?.totals == null || bq?.totals == null) continue;
        const priced = [ap, bp, aq, bq].every((r) => r.costPerServer !== null && !r.costIsLowerBound);
        const m = (r: SizeRow) => (priced ? r.costPerServer! : r.hardwarePerServer!);
        const before = Math.sign(m(ap) - m(bp));
        const after = Math.sign(m(aq) - m(bq));
        if (before === 0 || after === 0 || before === after) continue;
        out.push({
          overtaker: before > 0 ? a : b,
          overtaken: before > 0 ? b : a,
          from: p,
          to: q,
          by: priced ? "TCO per server" : "hardware score per server",
        });
      }
    }
  return out.sort((x, y) => x.to - y.to || (x.overtaker < y.overtaker ? -1 : 1));
}

export interface SizesOptions {
  readonly designs?: readonly Design[];
  /** Packet-level confirmation of each size's choice (default false: flow level only). */
  readonly confirm?: boolean;
  readonly replications?: number;
  readonly maxAttempts?: number;
  readonly evaluator?: Evaluator;
  readonly onProgress?: (done: number, total: number) => void | Promise<void>;
}

/** The site-size curve of `study` at `sizes` servers: one search per size and design, all at once on the evaluator. */
export async function siteSizeCurve(
  study: Study,
  catalog: Catalog,
  sizes: readonly number[],
  options: SizesOptions = {},
): Promise<SiteSizeCurve> {
  const t0 = performance.now();
  const list = [...new Set(sizes)].sort((a, b) => a - b);
  const designs = [...(options.designs ?? study.designs)].sort();
  const evaluator = options.evaluator ?? inProcessEvaluator;
  const replications = options.replications ?? 3;
  // Packet-level confirmation (--sizes-confirm) to the study's precision, as the plan confirms.
  const precision = resolvePrecision(study.file.precision, Math.max(2, replications), null);
  const total = list.length * designs.length;
  let done = 0;
  // A size's search is a curve point at 100 % of the scaled site (no physical servers). The searches run
  // side by side in this thread; their evaluations (builds, flow solves, replications) go to the evaluator.
  const jobs = list.flatMap((n) => {
    const site = scaleStudy(study, n);
    return designs.map((design) =>
      curvePoint(site, design, 1, catalog, {
        replications,
        precision,
        maxAttempts: options.maxAttempts ?? 6,
        confirm: options.confirm ?? false,
        evaluator,
        surviveSample: "busiest-per-kind",
      }).then(async (r) => {
        await options.onProgress?.(++done, total);
        return { n, r };
      }),
    );
  });
  for (const job of jobs) job.catch(() => {});
  const results = await Promise.all(jobs);
  const rows = results.map(({ n, r }) => row(n, r.point));
  rows.sort((a, b) => a.servers - b.servers || (a.design < b.design ? -1 : a.design > b.design ? 1 : 0));
  return {
    sizes: list,
    rule: SIZES_RULE,
    rows,
    crossovers: crossovers(rows),
    size: results.map(({ r }) => r.size),
    wallSeconds: (performance.now() - t0) / 1000,
  };
}
