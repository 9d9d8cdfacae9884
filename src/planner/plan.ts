/**
 * The planner (docs/architecture.md §3, issues 5 and 11): per design of a study, the
 * configuration that minimizes the study's objective (3-year TCO by default)
 * and meets every SLA row (each design searched by `search.ts`), how robust
 * the designs' ranking is to the price and power ranges (`robust.ts`), and the
 * last-mile curve (`curve.ts`). Browser-safe: packet-level runs go through
 * an `Evaluator` (in-process by default).
 */

import { tcoRule } from "../bom/tco.js";
import type { Catalog } from "../catalog/types.js";
import type { Study } from "../study/load.js";
import { resolvePrecision } from "../topology/resolve.js";
import type { Design, Precision } from "../topology/types.js";
import { VERSION } from "../version.js";
import { HARDWARE_SCORE_RULE, orderRule, settingsOf } from "./candidates.js";
import {
  CURVE_RULE,
  curveFabric,
  curvePoint,
  curveRow,
  physicalBaseline,
  summarizeCurve,
  traditionalFabric,
} from "./curve.js";
import { addSize, emptySize } from "./evaluations.js";
import { inProcessEvaluator } from "./evaluator.js";
import { rankRobustness } from "./robust.js";
import { SEARCH_RULE, type SearchOutcome, searchDesign } from "./search.js";
import type { CurvePointResult, Evaluator, LastMileCurve, PlanProgress, PlanResult, SearchSettings } from "./types.js";

export { SEARCH_RULE, searchDesign } from "./search.js";
export { type Fidelity, type FlowSummary, flowSla, type PlanSlaRow } from "./sla.js";
// The plan's types live in types.ts; plan.ts is where readers look first, so they are re-exported here.
export type * from "./types.js";

export interface PlanOptions {
  /** Packet-level replications per confirmation (default 3; at least 2 for CIs): the first round with precision. */
  readonly replications?: number;
  /** Packet-level precision (src/run/precision.ts); null: `replications` fixed ones; absent: the study's `precision`. */
  readonly precision?: Precision | null;
  /** Packet-level confirmations of candidates per design (the neighbour not counted); default 6. */
  readonly maxAttempts?: number;
  /** Skip the packet level: the verdict is the flow level's, unconfirmed. Default true. */
  readonly confirm?: boolean;
  /** Only these designs (default: the study's). */
  readonly designs?: readonly Design[];
  readonly evaluator?: Evaluator;
  /** Called between evaluations; awaited (a caller can yield to the event loop there). */
  readonly onProgress?: (p: PlanProgress) => void | Promise<void>;
  /** Virtualized shares (0 … 1) for the last-mile curve; true: the study's `curve` shares; false or absent: no curve. */
  readonly curve?: readonly number[] | boolean;
}

/** The plan's independent searches: one per design, one per curve point below 100 % (the traditional design has none). */
export type PlanUnit = { kind: "design"; design: Design } | { kind: "curve"; design: Design; share: number };

/** The plan's options with their defaults, checked. */
export interface PlanSettings {
  readonly replications: number;
  /** Packet-level precision (null: `replications` fixed ones). */
  readonly precision: Precision | null;
  readonly maxAttempts: number;
  readonly confirm: boolean;
  readonly designs: readonly Design[];
  /** Curve shares, sorted and unique (null: no curve). */
  readonly shares: readonly number[] | null;
}

export function planSettings(study: Study, options: PlanOptions = {}): PlanSettings {
  const replications = options.replications ?? 3;
  const maxAttempts = options.maxAttempts ?? 6;
  if (!Number.isInteger(replications) || replications < 1) throw new RangeError("replications must be ≥ 1");
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new RangeError("maxAttempts must be ≥ 1");
  // The study's precision, its first round at least `replications` (the search's replications).
  const precision =
    options.precision !== undefined
      ? options.precision
      : resolvePrecision(study.file.precision, Math.max(2, replications), null);
  const asked = options.curve === true ? study.file.curve : options.curve;
  const shares = asked === undefined || asked === false ? null : [...new Set(asked)].sort((a, b) => a - b);
  const designs = [...(options.designs ?? study.designs)].sort();
  return { replications, precision, maxAttempts, confirm: options.confirm ?? true, designs, shares };
}

/** Curve points first (the bulk of the CPU time), then the designs: a fixed order (shards split it). */
export function planUnits(s: PlanSettings): PlanUnit[] {
  // The traditional design has no search below 100 %: every server is on the traditional rack at any share.
  const points: PlanUnit[] =
    s.shares === null
      ? []
      : s.designs
          .filter((design) => design !== "traditional")
          .flatMap((design) =>
            s.shares!.filter((x) => x < 1).map((share) => ({ kind: "curve" as const, design, share })),
          );
  return [...points, ...s.designs.map((design) => ({ kind: "design" as const, design }))];
}

/** What the units answered: the designs' searches and the curve points, each in unit order. */
export interface UnitResults {
  designs: SearchOutcome[];
  curvePoints: CurvePointResult[];
}

/** Runs `units` at once (their jobs interleave on the evaluator); answers in unit order. */
export async function runUnits(
  study: Study,
  catalog: Catalog,
  s: PlanSettings,
  units: readonly PlanUnit[],
  evaluator: Evaluator,
  progress: (p: PlanProgress) => void | Promise<void>,
): Promise<UnitResults> {
  const { replications, precision, maxAttempts, confirm } = s;
  const points = units.filter((u) => u.kind === "curve");
  let curveDone = 0;
  const curveJobs = points.map(({ design, share }) =>
    // Each point is a search of its own on this thread; its jobs join the designs' on the evaluator.
    curvePoint(study, design, share, catalog, { replications, precision, maxAttempts, confirm, evaluator }).then(
      async (point) => {
        await progress({ design: "all", phase: "curve", done: ++curveDone, total: points.length });
        return point;
      },
    ),
  );
  // When the plan fails or is interrupted before it awaits them, the curve jobs' rejections must not go unhandled.
  for (const job of curveJobs) job.catch(() => {});
  const settings: SearchSettings = {
    replications,
    precision,
    maxAttempts,
    confirm,
    neighbourRun: true,
    evaluator,
    progress,
  };
  const designs = await Promise.all(
    units.filter((u) => u.kind === "design").map((u) => searchDesign(study, catalog, u.design, settings)),
  );
  return { designs, curvePoints: await Promise.all(curveJobs) };
}

/** Per design of `study`, the configuration that minimizes the study's objective and meets every SLA row. */
export async function plan(study: Study, catalog: Catalog, options: PlanOptions = {}): Promise<PlanResult> {
  const t0 = performance.now();
  const s = planSettings(study, options);
  const results = await runUnits(
    study,
    catalog,
    s,
    planUnits(s),
    options.evaluator ?? inProcessEvaluator,
    options.onProgress ?? (() => {}),
  );
  return assemblePlan(study, catalog, s, results, (performance.now() - t0) / 1000);
}

/** The plan from every unit's answer (in unit order): the curve, the robustness, the sizes. */
export function assemblePlan(
  study: Study,
  catalog: Catalog,
  s: PlanSettings,
  results: UnitResults,
  wallSeconds: number,
): PlanResult {
  const { replications, precision, maxAttempts, shares } = s;
  const planned = results.designs;
  const curvePoints = results.curvePoints;
  const designs = planned.map((p) => p.plan);
  const size = emptySize(replications);
  for (const p of planned) addSize(size, p.size);
  const curveSize = emptySize(replications);
  for (const p of curvePoints) addSize(curveSize, p.size);
  let lastMileCurve: LastMileCurve | null = null;
  if (shares !== null) {
    // The physical servers keep their share of the traditional site the plan chose.
    const baseline = physicalBaseline(
      study,
      catalog,
      designs.find((d) => d.design === "traditional"),
    );
    const fabrics = curvePoints.map((p) => p.point);
    for (const d of designs) {
      if (d.design === "traditional") {
        for (const share of shares) fabrics.push(traditionalFabric(study, share, d, baseline));
      } else if (shares.includes(1)) fabrics.push(curveFabric(study, 1, d));
    }
    const rows = fabrics.map((f) => curveRow(study, f, baseline.totals));
    rows.sort((a, b) => a.share - b.share || (a.design < b.design ? -1 : a.design > b.design ? 1 : 0));
    lastMileCurve = {
      shares: [...shares],
      rule: CURVE_RULE,
      physicalBasis: baseline.basis,
      rows,
      ...summarizeCurve(shares, rows),
    };
  }
  const objective = study.file.objective;
  return {
    iovsim: VERSION,
    study: study.file.name,
    rules: {
      objective,
      order: orderRule(objective),
      hardwareScore: HARDWARE_SCORE_RULE,
      tco: tcoRule(settingsOf(study)),
      search: SEARCH_RULE,
      maxAttempts,
      replications,
      precision,
    },
    designs,
    robustness: rankRobustness(
      study,
      catalog,
      planned.map((p) => ({ plan: p.plan, candidate: p.candidate })),
    ),
    lastMileCurve,
    size,
    curveSize: lastMileCurve === null ? null : curveSize,
    wallSeconds,
  };
}
