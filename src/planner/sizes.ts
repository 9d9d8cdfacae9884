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
 *   most the generator's limit). Capacity per unit (`SIZE_GROW_PARAMS`: uplinks per
 *   access switch, IB leaf or FI, modules per director, adapters per box, ISLs per
 *   SAN edge) may grow from the study's lowest value to N / servers times its
 *   highest: the generators add units, but the unit the last mile lands on (groups
 *   take consecutive hosts) and its partner after a failure carry more than the
 *   study's rack did; one that changes no hardware at that size stays at its lowest
 *   (`fixInert`). Those that never change hardware (`SIZE_FIXED_PARAMS`: UCS LAN
 *   failover and pin group) stay at the study's value.
 * - A design with no configuration that meets at a size records why
 *   (src/planner/none-reason.ts): the nearest candidate's binding rows or the failure
 *   that breaks it, the search's budget (`SIZE_FLOW_BUDGET` flow-level evaluations:
 *   the widened ranges hold thousands of combinations), or the generator's limit.
 * - Search: the plan's search (as for a last-mile curve point: a job on the Evaluator,
 *   so a few sizes and designs run side by side on the worker pool), at flow level only by
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
import type { ParamValue } from "../design/params.js";
import type { Study } from "../study/load.js";
import { resolvePrecision } from "../topology/resolve.js";
import type { Design } from "../topology/types.js";
import { curvePoint } from "./curve.js";
import { inProcessEvaluator } from "./evaluator.js";
import { inLanes } from "./lanes.js";
import { scaleStudy } from "./site-scale.js";
import type { CurveFabric, CurvePointResult, CurveTotals, Evaluator, StudySize } from "./types.js";

export { SITE_SCALE_PARAMS, SIZE_FIXED_PARAMS, SIZE_GROW_PARAMS, scaleStudy } from "./site-scale.js";

/**
 * Flow-level evaluations per size and design before the search gives up with "none" (and the nearest
 * candidate's reason): a design that cannot meet at a size would otherwise solve every combination of
 * its widened ranges (thousands at 1,000 servers).
 */
export const SIZE_FLOW_BUDGET = 300;

/** The curve's rules in words, with the search's budget. */
export function sizesRule(flowBudget: number = SIZE_FLOW_BUDGET): string {
  return `at N servers every group keeps its share of the site (largest remainders, at least one server each); site-scale parameters (sanArrayPorts) have their range scaled by N / servers; capacity per unit (uplinks, I/O modules, shared adapters, SAN ISLs per unit) may grow from the study's lowest value to N / servers times its highest (at most the generator's limit) while the generators add units (FI domains, director pairs, box pairs, access pairs, SAN edges), fixed at the lowest where no value changes the hardware at that size; those that change no hardware (lanFailover, bulkPinGroup) stay at the study's value; the plan's search per design (flow level unless confirmed; single failures of the busiest component of each kind; a candidate with the same choices as one that missed at flow level and no more of any capacity (range parameters, and UCS IOM uplinks among its choices) is taken to miss too and not evaluated, as is one with no more of a tier the miss's demand alone overloads (FC modules, FC uplinks, IOM uplinks, shared FC adapters, ISLs, array ports; at the same count when one port is), whatever its other capacities, so a choice may be dearer than the cheapest that meets; at most ${flowBudget} flow-level evaluations per size and design, else none with the nearest candidate's reason); per server: 3-year TCO and capex (typical, ≥ while unpriced) and hardware score; crossover: the first size where a design dearer per server at the size before is cheaper (TCO when both are fully priced, else hardware score)`;
}
export const SIZES_RULE = sizesRule();

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
  /** Not met: why (the nearest candidate's binding SLA row or failed component, or the generator's limit); null when met. */
  reason: string | null;
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

function row(servers: number, c: CurveFabric, reason: string | null): SizeRow {
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
    reason: c.status === "met" ? null : reason,
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
  /** Flow-level evaluations per size and design before it gives up (default SIZE_FLOW_BUDGET). */
  readonly flowBudget?: number;
  /** Skip candidates dominated by a flow-level miss (default true; src/planner/dominance.ts). */
  readonly skipDominated?: boolean;
  /** Searches run side by side (default: the evaluator's concurrency + 1); the answer does not depend on it. */
  readonly searchesAtOnce?: number;
  readonly onProgress?: (done: number, total: number) => void | Promise<void>;
}

/** One search of the curve: a size and a design. */
export interface SizeUnit {
  readonly servers: number;
  readonly design: Design;
}

/** The curve's searches in a fixed order (sizes ascending, then designs by name): what shards deal out. */
export function sizeUnits(study: Study, sizes: readonly number[], designs?: readonly Design[]): SizeUnit[] {
  const list = [...new Set(sizes)].sort((a, b) => a - b);
  const ds = [...(designs ?? study.designs)].sort();
  return list.flatMap((servers) => ds.map((design) => ({ servers, design })));
}

/** Runs `units` side by side in this thread; their evaluations (builds, flow solves, replications) go to the evaluator. */
export async function runSizeUnits(
  study: Study,
  catalog: Catalog,
  units: readonly SizeUnit[],
  options: SizesOptions = {},
): Promise<CurvePointResult[]> {
  const evaluator = options.evaluator ?? inProcessEvaluator;
  const replications = options.replications ?? 3;
  // Packet-level confirmation (--sizes-confirm) to the study's precision, as the plan confirms.
  const precision = resolvePrecision(study.file.precision, Math.max(2, replications), null);
  const sites = new Map<number, Study>();
  const siteAt = (n: number): Study => {
    if (!sites.has(n)) sites.set(n, scaleStudy(study, n));
    return sites.get(n)!;
  };
  let done = 0;
  // A size's search is a curve point at 100 % of the scaled site (no physical servers).
  const search = (u: SizeUnit) =>
    curvePoint(siteAt(u.servers), u.design, 1, catalog, {
      replications,
      precision,
      maxAttempts: options.maxAttempts ?? 6,
      confirm: options.confirm ?? false,
      evaluator,
      surviveSample: "busiest-per-kind",
      flowBudget: options.flowBudget ?? SIZE_FLOW_BUDGET,
      skipDominated: options.skipDominated ?? true,
    });
  // A few searches at a time, not all: each holds its candidates and evaluations until it ends (at 1,000
  // servers hundreds of MB), and a search keeps about one worker busy, so a few more than the workers keep
  // them all busy. Each search's answer depends only on its own jobs, so how many run at once changes nothing.
  const width = options.searchesAtOnce ?? (() => evaluator.concurrency + 1);
  const results: CurvePointResult[] = new Array(units.length);
  await inLanes(units.length, width, async (i) => {
    results[i] = await search(units[i]!);
    await options.onProgress?.(++done, units.length);
  });
  return results;
}

/** The curve from every unit's answer (in `sizeUnits` order). */
export function assembleSizes(
  units: readonly SizeUnit[],
  results: readonly CurvePointResult[],
  wallSeconds: number,
  flowBudget: number = SIZE_FLOW_BUDGET,
): SiteSizeCurve {
  const rows = units.map((u, i) => row(u.servers, results[i]!.point, results[i]!.reason));
  rows.sort((a, b) => a.servers - b.servers || (a.design < b.design ? -1 : a.design > b.design ? 1 : 0));
  return {
    sizes: [...new Set(units.map((u) => u.servers))],
    rule: sizesRule(flowBudget),
    rows,
    crossovers: crossovers(rows),
    size: results.map((r) => r.size),
    wallSeconds,
  };
}

/** The site-size curve of `study` at `sizes` servers: one search per size and design, a few at a time on the evaluator. */
export async function siteSizeCurve(
  study: Study,
  catalog: Catalog,
  sizes: readonly number[],
  options: SizesOptions = {},
): Promise<SiteSizeCurve> {
  const t0 = performance.now();
  const units = sizeUnits(study, sizes, options.designs);
  const results = await runSizeUnits(study, catalog, units, options);
  return assembleSizes(units, results, (performance.now() - t0) / 1000, options.flowBudget);
}
