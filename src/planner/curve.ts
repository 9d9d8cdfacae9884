/**
 * The last-mile curve (issue 5 item 5, issue 11 item 6): hardware, cost and
 * power per design as the virtualized share of the site rises, where the knee
 * is and which design flattens it.
 *
 * At a share s, the first round(s × servers) servers in virtualization order
 * (`src/study/virtualize.ts`: already-virtualized groups first, last-mile groups
 * last) sit on the design's fabric; the rest stay physical.
 * - Fabric: the configuration minimizing the study's objective that meets every
 *   SLA row of the hosts on it, found as the plan finds it (search in the
 *   objective's order, packet-level confirmation with the same replications and
 *   budget), without running the smaller neighbour; `survive: single-failure` is
 *   judged at flow level only there (every component), the packet runs being kept
 *   for the plan's own choices. At 100 % the plan's own verdict is used. A design
 *   whose verdict is not met has no figure there.
 * - Physical: the physical servers' share (n / servers) of the traditional
 *   site the plan chose (its parameters, its top-of-rack switches), so that the
 *   traditional design's site cost stays flat as servers move onto the
 *   traditional fabric; when the study has no traditional design or it found
 *   none that meets, the traditional design at the study's current values (the
 *   curve says which). Counts are rounded to whole numbers, amounts scaled.
 * - Site = fabric + physical.
 * - The traditional design is not searched below 100 %: moving a server "onto"
 *   the traditional fabric changes no hardware (it is on the traditional rack
 *   either way), so at every share its fabric is the virtualized hosts' share
 *   of the plan's traditional choice and its site that choice: a flat line.
 *
 * Knee: the start of the steepest segment of the fabric's hardware count per
 * host moved onto it. Flattest: the design whose steepest segment is least steep.
 */

import { add, scale } from "../bom/amount.js";
import { bom as bomOf } from "../bom/bom.js";
import { type Tco, tco as tcoOf } from "../bom/tco.js";
import type { BomTotals } from "../bom/types.js";
import type { Catalog } from "../catalog/types.js";
import { designParams, GENERATORS, type ParamValue } from "../design/index.js";
import type { Study } from "../study/load.js";
import { hostsAtShare, virtualizeFirst } from "../study/virtualize.js";
import { formatIssues } from "../topology/issues.js";
import { parseTopology } from "../topology/load.js";
import type { Design } from "../topology/types.js";
import { settingsOf } from "./candidates.js";
import { searchDesign } from "./search.js";
import type {
  CurveFabric,
  CurveKnee,
  CurvePointResult,
  CurveRow,
  CurveTotals,
  DesignPlan,
  LastMileCurve,
  SearchSettings,
} from "./types.js";

export type { CurveKnee, CurvePointResult, CurveRow, CurveTotals, LastMileCurve } from "./types.js";

/** How much steeper than the average a segment must be to be a knee. */
export const KNEE_RATIO = 1.25;

export { DEFAULT_CURVE_SHARES as DEFAULT_SHARES } from "../study/schema.js";

export const CURVE_RULE =
  "at share s the first round(s × servers) servers (already-virtualized groups first, last-mile groups last) are on the design's fabric: the configuration minimizing the study's objective that meets every SLA row, searched and confirmed as the plan does (at 100 %: the plan's verdict; single failures at flow level below 100 %); the other servers stay physical and count their share (n / servers) of the traditional site the plan chose (physicalBasis); the traditional design is not searched below 100 % (a server on the traditional rack is on it at any share): its fabric is the virtualized hosts' share of that site, so its site is flat; site = fabric + physical; knee = start of the steepest segment of fabric hardware count per host moved onto the fabric, when ≥ 1.25 × the average slope; flattest = the design whose steepest segment is least steep";

/** A BOM's totals and cost of ownership as a curve point's figures. */
export function curveTotals(t: BomTotals, tco: Tco): CurveTotals {
  return {
    adapters: t.adapters,
    cables: t.cables,
    optics: t.optics,
    switchPorts: t.switchPorts,
    hardwareScore: t.hardwareScore,
    hardwareScoreUnknown: t.hardwareScoreUnknown,
    capex: tco.capex,
    tco: tco.total,
    power: t.power,
    costUsd: t.costUsd,
    unpricedItems: t.unpricedItems,
    watts: t.watts,
  };
}

/** What a physical server keeps: its share of a traditional site. */
export interface PhysicalBaseline {
  readonly totals: CurveTotals;
  readonly basis: LastMileCurve["physicalBasis"];
}

/**
 * The traditional site the physical servers take their share of: the plan's
 * chosen traditional configuration when it met, else the traditional design at
 * the study's current values.
 */
export function physicalBaseline(study: Study, catalog: Catalog, traditional?: DesignPlan): PhysicalBaseline {
  const c = traditional?.verdict === "met" ? traditional.chosen : null;
  if (c !== null && c !== undefined) {
    return { totals: curveTotals(c.bomDetail, c.tco), basis: { source: "chosen", parameters: c.parameters } };
  }
  const params = designParams(study, "traditional");
  const yaml = GENERATORS.traditional({ study, design: "traditional", params });
  const parsed = parseTopology(yaml, "<traditional baseline>");
  if (!parsed.ok) throw new Error(`the traditional baseline is invalid (a bug):\n${formatIssues(parsed.issues)}`);
  const b = bomOf(parsed.topology, catalog, { era: study.file.cost.era, years: study.file.cost.years });
  return {
    totals: curveTotals(b.totals, tcoOf(b, catalog, settingsOf(study))),
    basis: { source: "current", parameters: params as Record<string, ParamValue> },
  };
}

/** `servers` physical servers' share of a whole-site baseline of `of` servers. */
export function physicalShare(baseline: CurveTotals, servers: number, of: number): CurveTotals {
  const k = servers / of;
  const part = (x: number): number => Math.round(x * k);
  const partOrNull = (x: number | null): number | null => (x === null ? null : part(x));
  return {
    adapters: part(baseline.adapters),
    cables: part(baseline.cables),
    optics: part(baseline.optics),
    switchPorts: part(baseline.switchPorts),
    hardwareScore: part(baseline.hardwareScore),
    // Unknown boxes and unpriced units: rounded up, so "≥" never disappears.
    hardwareScoreUnknown: Math.ceil(baseline.hardwareScoreUnknown * k),
    capex: scale(baseline.capex, k),
    tco: scale(baseline.tco, k),
    power: scale(baseline.power, k),
    costUsd: partOrNull(baseline.costUsd),
    unpricedItems: Math.ceil(baseline.unpricedItems * k),
    watts: partOrNull(baseline.watts),
  };
}

function sum(a: CurveTotals, b: CurveTotals): CurveTotals {
  const plus = (x: number | null, y: number | null): number | null => (x === null || y === null ? (x ?? y) : x + y);
  return {
    adapters: a.adapters + b.adapters,
    cables: a.cables + b.cables,
    optics: a.optics + b.optics,
    switchPorts: a.switchPorts + b.switchPorts,
    hardwareScore: a.hardwareScore + b.hardwareScore,
    hardwareScoreUnknown: a.hardwareScoreUnknown + b.hardwareScoreUnknown,
    capex: add(a.capex, b.capex),
    tco: add(a.tco, b.tco),
    power: add(a.power, b.power),
    costUsd: plus(a.costUsd, b.costUsd),
    unpricedItems: a.unpricedItems + b.unpricedItems,
    watts: plus(a.watts, b.watts),
  };
}

/** A design's plan for the hosts on its fabric at `share`, as a curve point's fabric. */
export function curveFabric(study: Study, share: number, d: DesignPlan): CurveFabric {
  const virtualizedHosts = hostsAtShare(study, share);
  const met = d.verdict === "met" && d.chosen !== null;
  return {
    share,
    design: d.design,
    virtualizedHosts,
    physicalHosts: study.file.servers - virtualizedHosts,
    status: d.verdict,
    fidelity: d.chosen?.evidence.fidelity ?? "flow",
    confirmed: d.confirmed,
    parameters: d.chosen?.parameters ?? null,
    fabric: met ? curveTotals(d.chosen!.bomDetail, d.chosen!.tco) : null,
  };
}

/**
 * The traditional design at `share`: the virtualized hosts' share of the plan's
 * traditional choice (no search: the same rack carries every server at any
 * share), with the plan's verdict. Not met: no figure.
 */
export function traditionalFabric(study: Study, share: number, d: DesignPlan, baseline: PhysicalBaseline): CurveFabric {
  const at = curveFabric(study, share, d);
  if (at.fabric === null || baseline.basis.source !== "chosen") return { ...at, fabric: null };
  return { ...at, fabric: physicalShare(baseline.totals, at.virtualizedHosts, study.file.servers) };
}

/** A curve row: the fabric plus the physical servers' share of the baseline. */
export function curveRow(study: Study, f: CurveFabric, baseline: CurveTotals): CurveRow {
  const physical = physicalShare(baseline, f.physicalHosts, study.file.servers);
  return { ...f, physical, site: f.fabric === null ? null : sum(f.fabric, physical) };
}

/**
 * One point of the curve: the planner's search (flow level, then packet
 * confirmation as in the plan, without the smaller neighbour) on the study cut
 * down to the hosts on the fabric.
 */
export async function curvePoint(
  study: Study,
  design: Design,
  share: number,
  catalog: Catalog,
  settings: Pick<
    SearchSettings,
    | "replications"
    | "maxAttempts"
    | "confirm"
    | "precision"
    | "evaluator"
    | "surviveSample"
    | "flowBudget"
    | "skipDominated"
  >,
): Promise<CurvePointResult> {
  const sub = virtualizeFirst(study, hostsAtShare(study, share));
  const { plan, size } = await searchDesign(sub, catalog, design, {
    ...settings,
    neighbourRun: false,
    survivePacket: false,
    progress: () => {},
  });
  return {
    point: curveFabric(study, share, plan),
    size,
    reason: plan.verdict === "met" ? null : (plan.notes[0] ?? null),
  };
}

/** Knees and the flattest design, from the fabric's hardware (the physical part only shrinks as the share rises). */
export function summarizeCurve(
  shares: readonly number[],
  rows: readonly CurveRow[],
): Pick<LastMileCurve, "knees" | "flattest"> {
  const designs = [...new Set(rows.map((r) => r.design))].sort();
  const knees: CurveKnee[] = designs.map((design) => {
    const met = rows.filter((r) => r.design === design && r.fabric !== null).sort((a, b) => a.share - b.share);
    let knee: number | null = null;
    let steepest: number | null = null;
    for (let i = 1; i < met.length; i++) {
      const a = met[i - 1]!;
      const b = met[i]!;
      const hosts = b.virtualizedHosts - a.virtualizedHosts;
      if (hosts <= 0) continue;
      const perHost = (b.fabric!.hardwareScore - a.fabric!.hardwareScore) / hosts;
      if (steepest === null || perHost > steepest) {
        steepest = perHost;
        knee = a.share;
      }
    }
    const first = rows.find((r) => r.design === design && r.share === shares[0]);
    const last = rows.find((r) => r.design === design && r.share === shares[shares.length - 1]);
    const growth = first?.fabric && last?.fabric ? last.fabric.hardwareScore - first.fabric.hardwareScore : null;
    // A knee is a bend: a segment at least KNEE_RATIO times the average slope. A straight line has none.
    const a = met[0];
    const b = met[met.length - 1];
    const average =
      a === undefined || b === undefined || b.virtualizedHosts === a.virtualizedHosts
        ? null
        : (b.fabric!.hardwareScore - a.fabric!.hardwareScore) / (b.virtualizedHosts - a.virtualizedHosts);
    const bent = steepest !== null && average !== null && steepest > KNEE_RATIO * Math.max(average, 0) && steepest > 0;
    return { design, knee: bent ? knee : null, steepestPerHost: steepest, averagePerHost: average, growth };
  });
  let flattest: Design | null = null;
  let least = Number.POSITIVE_INFINITY;
  for (const k of knees) {
    if (k.steepestPerHost !== null && k.steepestPerHost < least) {
      least = k.steepestPerHost;
      flattest = k.design;
    }
  }
  return { knees, flattest };
}
