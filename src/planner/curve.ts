/**
 * The last-mile curve (issue 5 item 5): hardware per design as the virtualized
 * share of the site rises, where the knee is and which design flattens it.
 *
 * At a share s, the first round(s × servers) servers in virtualization order
 * (`src/study/virtualize.ts`: already-virtualized groups first, last-mile groups
 * last) sit on the design's fabric; the rest stay physical.
 * - Fabric: the least hardware meeting every SLA row of the hosts on it, found
 *   as the plan finds it (flow-level search in hardware order, packet-level
 *   confirmation with the same replications and budget), without running the
 *   smaller neighbour; `survive: single-failure` is judged at flow level only there
 *   (every component), the packet runs being kept for the plan's own choices. At
 *   100 % the plan's own verdict is used. A design whose verdict is not met has no
 *   hardware figure at that share.
 * - Physical: the physical servers' share (n / servers) of the traditional
 *   design's whole-site BOM at the study's current values (its pinned host I/O,
 *   its top-of-rack switches), each figure rounded to a whole number.
 * - Site = fabric + physical.
 *
 * Knee: the start of the steepest segment of the fabric's hardware score per
 * host moved onto it. Flattest: the design whose steepest segment is least steep.
 */

import { bom as bomOf } from "../bom/bom.js";
import type { BomTotals } from "../bom/types.js";
import type { Catalog } from "../catalog/types.js";
import { designParams, GENERATORS, type ParamValue } from "../design/index.js";
import type { Study } from "../study/load.js";
import { hostsAtShare, virtualizeFirst } from "../study/virtualize.js";
import { formatIssues } from "../topology/issues.js";
import { parseTopology } from "../topology/load.js";
import type { Design } from "../topology/types.js";
import { hardwareScore } from "./candidates.js";
import { type DesignPlan, type SearchSettings, type StudySize, searchDesign } from "./plan.js";
import type { Fidelity } from "./sla.js";

/** Site-wide hardware counts of a curve point (DESIGN.md §5 `bom.totals` fields that add up across parts). */
export interface CurveTotals {
  adapters: number;
  cables: number;
  optics: number;
  switchPorts: number;
  /** adapters + cables + optics + switch ports installed (the hardware score's rule). */
  hardwareScore: number;
  /** Known part of the list cost ("≥" when unpricedItems > 0); null when nothing is priced. */
  costUsd: number | null;
  unpricedItems: number;
  /** Known part of the typical power; null when no power is known. */
  watts: number | null;
}

/** One point of the last-mile curve: one design at one virtualized share. */
export interface CurveRow {
  /** Virtualized share of the site's servers, 0 … 1 (the x axis). */
  share: number;
  design: Design;
  /** The first N hosts in group order (already-virtualized groups first), on the design's fabric. */
  virtualizedHosts: number;
  /** The rest, still physical with the traditional design's per-server I/O. */
  physicalHosts: number;
  /** The planner's verdict for the hosts on the fabric (met: the least hardware meeting every SLA row). */
  status: "met" | "missed" | "undecided" | "none";
  /** Fidelity of the verdict; confirmed: met at packet level. */
  fidelity: Fidelity;
  confirmed: boolean;
  parameters: Record<string, ParamValue> | null;
  /** The virtualized hosts' fabric (null unless status is met). */
  fabric: CurveTotals | null;
  /** The physical hosts' traditional I/O: per-server figures × physicalHosts. */
  physical: CurveTotals;
  /** fabric + physical (null unless status is met). */
  site: CurveTotals | null;
}

export interface CurveKnee {
  design: Design;
  /** Share at the start of the steepest segment (fabric hardware score added per host moved onto the fabric) when it is at least KNEE_RATIO × the average slope; null for a straight line or fewer than 2 met points. */
  knee: number | null;
  /** Fabric hardware score added per host in the steepest segment. */
  steepestPerHost: number | null;
  /** Fabric hardware score added per host from the first met point to the last. */
  averagePerHost: number | null;
  /** Fabric hardware score at the last share minus at the first (null unless both are met). */
  growth: number | null;
}

export interface LastMileCurve {
  shares: number[];
  rule: string;
  /** Sorted by share, then design. */
  rows: CurveRow[];
  /** Per design (sorted by name). */
  knees: CurveKnee[];
  /** The design whose steepest segment is the least steep (null when no design has 2 met points). */
  flattest: Design | null;
}

/** How much steeper than the average a segment must be to be a knee. */
export const KNEE_RATIO = 1.25;

/** The x axis of the curve (issue 5: "from 60 % to 100 %"). */
export const DEFAULT_SHARES: readonly number[] = [0.6, 0.7, 0.8, 0.9, 1];

export const CURVE_RULE =
  "at share s the first round(s × servers) servers (already-virtualized groups first, last-mile groups last) are on the design's fabric: its least hardware meeting every SLA row, searched and confirmed as the plan does (at 100 %: the plan's verdict; single failures at flow level below 100 %); the other servers stay physical and count their share (n / servers) of the traditional design's whole-site BOM at the study's current values; site = fabric + physical; knee = start of the steepest segment of fabric hardware score per host moved onto the fabric, when ≥ 1.25 × the average slope; flattest = the design whose steepest segment is least steep";

export function curveTotals(t: BomTotals): CurveTotals {
  return {
    adapters: t.adapters,
    cables: t.cables,
    optics: t.optics,
    switchPorts: t.switchPorts,
    hardwareScore: hardwareScore(t),
    costUsd: t.costUsd,
    unpricedItems: t.unpricedItems,
    watts: t.watts,
  };
}

/** The traditional design's whole-site BOM at the study's current values: what a physical server keeps. */
export function physicalBaseline(study: Study, catalog: Catalog): CurveTotals {
  const yaml = GENERATORS.traditional({ study, design: "traditional", params: designParams(study, "traditional") });
  const parsed = parseTopology(yaml, "<traditional baseline>");
  if (!parsed.ok) throw new Error(`the traditional baseline is invalid (a bug):\n${formatIssues(parsed.issues)}`);
  return curveTotals(bomOf(parsed.topology, catalog).totals);
}

/** `servers` physical servers' share of a whole-site baseline of `of` servers. */
export function physicalShare(baseline: CurveTotals, servers: number, of: number): CurveTotals {
  const part = (x: number): number => Math.round((x * servers) / of);
  const partOrNull = (x: number | null): number | null => (x === null ? null : part(x));
  return {
    adapters: part(baseline.adapters),
    cables: part(baseline.cables),
    optics: part(baseline.optics),
    switchPorts: part(baseline.switchPorts),
    hardwareScore: part(baseline.hardwareScore),
    costUsd: partOrNull(baseline.costUsd),
    // Unpriced units: rounded up, so "≥ cost" never hides one.
    unpricedItems: Math.ceil((baseline.unpricedItems * servers) / of),
    watts: partOrNull(baseline.watts),
  };
}

function sum(a: CurveTotals, b: CurveTotals): CurveTotals {
  const add = (x: number | null, y: number | null): number | null => (x === null || y === null ? (x ?? y) : x + y);
  return {
    adapters: a.adapters + b.adapters,
    cables: a.cables + b.cables,
    optics: a.optics + b.optics,
    switchPorts: a.switchPorts + b.switchPorts,
    hardwareScore: a.hardwareScore + b.hardwareScore,
    costUsd: add(a.costUsd, b.costUsd),
    unpricedItems: a.unpricedItems + b.unpricedItems,
    watts: add(a.watts, b.watts),
  };
}

/** A curve row from the design's plan for the hosts on the fabric. */
export function curveRow(study: Study, share: number, d: DesignPlan, baseline: CurveTotals): CurveRow {
  const servers = study.file.servers;
  const virtualizedHosts = hostsAtShare(study, share);
  const physicalHosts = servers - virtualizedHosts;
  const physical = physicalShare(baseline, physicalHosts, servers);
  const met = d.verdict === "met" && d.chosen !== null;
  const fabric = met ? curveTotals(d.chosen!.bomDetail) : null;
  return {
    share,
    design: d.design,
    virtualizedHosts,
    physicalHosts,
    status: d.verdict,
    fidelity: d.chosen?.evidence.fidelity ?? "flow",
    confirmed: d.confirmed,
    parameters: d.chosen?.parameters ?? null,
    fabric,
    physical,
    site: fabric === null ? null : sum(fabric, physical),
  };
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
  baseline: CurveTotals,
  settings: Pick<SearchSettings, "replications" | "maxAttempts" | "confirm" | "evaluator" | "surviveSample">,
): Promise<CurvePointResult> {
  const sub = virtualizeFirst(study, hostsAtShare(study, share));
  const { plan, size } = await searchDesign(sub, catalog, design, {
    ...settings,
    neighbourRun: false,
    survivePacket: false,
    progress: () => {},
  });
  return { row: curveRow(study, share, plan, baseline), size };
}

/** A curve point and what it cost (added to the plan's study size). */
export interface CurvePointResult {
  row: CurveRow;
  size: StudySize;
}

/** Knees and the flattest design, from the fabric's hardware (the physical part only shrinks as the share rises). */
export function summarizeCurve(
  shares: readonly number[],
  rows: readonly CurveRow[],
): Omit<LastMileCurve, "shares" | "rule" | "rows"> {
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
