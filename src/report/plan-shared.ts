/**
 * Wording shared by the plan's report files (CSV, Markdown, HTML): how an SLA
 * value reads, a design's verdict and evidence in a phrase, and the tables'
 * cells as plain text (each format escapes them its own way). Pure and
 * browser-safe.
 */

import { format } from "d3";
import { type Amount, partial } from "../bom/amount.js";
import type { SlaMetric } from "../metrics/result.js";
import type {
  CurveKnee,
  CurveRow,
  DesignPlan,
  Evidence,
  LastMileCurve,
  PlanResult,
  PlanSlaRow,
  StudySize,
} from "../planner/plan.js";
import { count, percent, rate, seconds, usdAmount, usdRange, wattsRange } from "./format.js";

/** The SI unit of an SLA metric's target, actual and half-width. */
export function metricUnit(metric: SlaMetric): "s" | "ratio" | "bit/s" {
  if (metric === "latency.p99" || metric === "latency.mean") return "s";
  return metric === "lossRatio" ? "ratio" : "bit/s";
}

export const isLatency = (metric: SlaMetric): boolean => metricUnit(metric) === "s";

const ratio = format(".3~g");

/** An SLA figure in readable units ("—" for null). */
export function slaValue(metric: SlaMetric, x: number | null): string {
  if (x === null) return "—";
  const unit = metricUnit(metric);
  return unit === "s" ? seconds(x) : unit === "bit/s" ? rate(x) : ratio(x);
}

/** "447.7 us ± 31.8 us" (no "±" when the row has no CI). */
export function slaActual(r: PlanSlaRow): string {
  const hw = r.halfWidth === null || r.actual === null ? "" : ` ± ${slaValue(r.metric, r.halfWidth)}`;
  return `${slaValue(r.metric, r.actual)}${hw}`;
}

/** `name=value` pairs in the study's parameter order. */
export function parameterPairs(params: Readonly<Record<string, unknown>> | null): string[] {
  return params === null ? [] : Object.entries(params).map(([k, v]) => `${k}=${String(v)}`);
}

/** The latency.p99 row closest to (or furthest past) its target; a missing estimate counts as furthest. */
export function tightestP99(d: DesignPlan): PlanSlaRow | undefined {
  let worst: PlanSlaRow | undefined;
  let worstRatio = -1;
  for (const r of d.chosen?.sla ?? []) {
    if (r.metric !== "latency.p99") continue;
    const x = r.actual === null ? Number.POSITIVE_INFINITY : r.actual / r.target;
    if (x > worstRatio) {
      worstRatio = x;
      worst = r;
    }
  }
  return worst;
}

/** "packet ×3, 22.00 ms simulated each" or "flow level only". */
export function evidenceText(e: Evidence): string {
  if (e.fidelity === "flow") return "flow level only";
  const sim = e.simulatedSeconds === null ? "" : `, ${seconds(e.simulatedSeconds)} simulated each`;
  return `packet ×${e.replications ?? "?"}${sim}`;
}

/** "met (confirmed), packet ×3" / "missed, packet ×3, budget out: vm-lan lossRatio". */
export function verdictText(d: DesignPlan): string {
  if (d.chosen === null) return "none";
  const e = d.chosen.evidence;
  const how = e.fidelity === "packet" ? `packet ×${e.replications ?? "?"}` : "flow only";
  const bad = d.chosen.sla.filter((r) => r.status !== "met").map((r) => `${r.workload} ${r.metric}`);
  const why = d.verdict === "met" || bad.length === 0 ? "" : `: ${bad.join(", ")}`;
  return `${d.verdict}${d.confirmed ? " (confirmed)" : ""}, ${how}${d.budgetExhausted ? ", budget out" : ""}${why}`;
}

/** "≥ " when a total leaves unknown parts out. */
export const atLeast = (partial: boolean): string => (partial ? "≥ " : "");

export const num = (x: number | null): string =>
  x === null ? "?" : x.toLocaleString("en-US", { maximumFractionDigits: 0 });

/** A table of plain-text cells; each format escapes and lays it out its own way. */
export interface TextTable {
  header: readonly string[];
  rows: string[][];
  /** One `l` or `r` per column; columns past its end are right-aligned. */
  align: string;
}

const SUMMARY_HEADER = [
  "design",
  "adapters",
  "cables",
  "optics",
  "switch ports used/installed",
  "backplane ports",
  "upstream ports",
  "I/O modules",
  "RU",
  "hardware count (vs traditional)",
  "p99 vs SLA (tightest)",
  "verdict",
];

/** "354 (−55 %)": a design's hardware count and its change against the traditional design's choice; "≥" for a lower bound, and no change then. */
function scoreVsTraditional(d: DesignPlan, traditional: { score: number; partial: boolean } | null): string {
  const c = d.chosen;
  if (c === null) return "—";
  const own = `${atLeast(c.hardwareScoreUnknown > 0)}${c.hardwareScore}`;
  if (traditional === null || d.design === "traditional" || traditional.score === 0) return own;
  // A change between lower bounds is no change at all: unknown.
  if (c.hardwareScoreUnknown > 0 || traditional.partial) return `${own} (?)`;
  const change = Math.round((100 * (c.hardwareScore - traditional.score)) / traditional.score);
  return `${own} (${change > 0 ? "+" : change < 0 ? "−" : "±"}${Math.abs(change)} %)`;
}

/** A design's row of the summary table (the terminal table's columns). */
function summaryRow(d: DesignPlan, traditional: { score: number; partial: boolean } | null): string[] {
  const c = d.chosen;
  if (c === null) return [d.design, ...Array<string>(SUMMARY_HEADER.length - 2).fill("—"), verdictText(d)];
  const t = c.bomDetail;
  const p99 = tightestP99(d);
  return [
    d.design,
    num(t.adapters),
    num(t.cables),
    num(t.optics),
    `${num(t.switchPorts)}/${atLeast(t.switchPortsInstalledUnknown > 0)}${num(t.switchPortsInstalled)}`,
    t.backplanePorts === 0
      ? "0"
      : `${num(t.backplanePorts)}/${atLeast(t.backplanePortsInstalledUnknown > 0)}${num(t.backplanePortsInstalled)}`,
    `${num(t.lanPorts)} + ${num(t.sanPorts)}`,
    num(t.ioModules),
    `${atLeast(t.rackUnitsUnknown > 0)}${num(t.rackUnits)}`,
    scoreVsTraditional(d, traditional),
    p99 === undefined ? "—" : `${p99.workload} ${slaActual(p99)} / ${seconds(p99.target)}`,
    verdictText(d),
  ];
}

/** Design × adapters, cables, optics, switch ports, backplane ports, upstream ports, modules, RU, hardware count, tightest p99, verdict. */
export function summaryTable(designs: readonly DesignPlan[]): TextTable {
  // The change is against the traditional design's own choice, when it met.
  const t = designs.find((d) => d.design === "traditional");
  const traditional =
    t?.verdict === "met" && t.chosen !== null
      ? { score: t.chosen.hardwareScore, partial: t.chosen.hardwareScoreUnknown > 0 }
      : null;
  return { header: SUMMARY_HEADER, rows: designs.map((d) => summaryRow(d, traditional)), align: "lrrrrrrrrrll" };
}

/** The choice's SLA rows with their CI, the flow level's estimate beside each. */
export function slaTable(c: NonNullable<DesignPlan["chosen"]>): TextTable {
  const rows = c.sla.map((r) => {
    const flow = c.flow.sla.find((f) => f.workload === r.workload && f.metric === r.metric);
    return [
      r.workload,
      r.metric,
      slaValue(r.metric, r.target),
      slaActual(r),
      r.status,
      flow === undefined ? "—" : `${slaValue(r.metric, flow.actual)} (${flow.status})`,
    ];
  });
  return {
    header: ["workload", "metric", "target", "actual ± 95 % CI", "status", "flow level"],
    rows,
    align: "llrrlr",
  };
}

/** A design's prose, in order: parameters, evidence, smaller neighbour (absent ones left out). */
export function designLines(d: DesignPlan): string[] {
  const c = d.chosen;
  const lines: string[] = [];
  if (c === null) lines.push("No candidate meets every SLA row at flow level.");
  else {
    const pairs = parameterPairs(c.parameters);
    lines.push(
      `Parameters: ${pairs.length === 0 ? "none" : pairs.join(", ")} (rank ${c.rank} in the objective's order; hardware count ${atLeast(c.hardwareScoreUnknown > 0)}${c.hardwareScore}; ${d.candidates.built} of ${d.candidates.enumerated} combinations built).`,
      `Cost of ownership over ${c.tco.years} years: ${usdRange(c.tco.total)}; capex ${usdRange(c.tco.capex)}; typical power ${wattsRange(c.bomDetail.power)}.`,
      `Evidence: ${evidenceText(c.evidence)}; ${d.confirmed ? "confirmed at packet level" : "not confirmed at packet level"}; ` +
        `${d.attempts} packet-level attempt${d.attempts === 1 ? "" : "s"}${d.budgetExhausted ? " (budget ran out)" : ""}.`,
    );
  }
  const n = d.neighbour;
  if (n !== null) {
    const missed = n.sla.filter((r) => r.status !== "met").map((r) => `${r.workload} ${r.metric} ${r.status}`);
    lines.push(
      `Smaller neighbour (the one before it in the objective's order: ${usdOrCount(n.objective)}, hardware count ${n.hardwareScore}; ${n.evidence.fidelity} level): ${n.status}${missed.length > 0 ? `: ${missed.join(", ")}` : ""}.`,
    );
  }
  return lines;
}

/** An objective amount without its unit (the plan's rules say which): typical, "≥" when partial. */
function usdOrCount(a: Amount): string {
  return `${atLeast(partial(a))}${num(a.typical)}`;
}

/** "fabric / site hardware count (site TCO ≥ $cost)" for a met point, else the verdict (missed, undecided, none). */
function curveCell(r: CurveRow): string {
  const f = r.fabric;
  const t = r.site;
  if (f === null || t === null) return r.status;
  return `${atLeast(f.hardwareScoreUnknown > 0)}${f.hardwareScore} / ${atLeast(t.hardwareScoreUnknown > 0)}${t.hardwareScore} (${usdAmount(t.tco)})`;
}

/** The curve as share × design (fabric / site hardware score, site cost), then the knee per design. */
export function curveTables(curve: LastMileCurve): [TextTable, TextTable] {
  const designs = curve.knees.map((k) => k.design);
  const cell = (share: number, design: string): string => {
    const r = curve.rows.find((x) => x.share === share && x.design === design);
    return r === undefined ? "—" : curveCell(r);
  };
  const perHost = (x: number | null): string => (x === null ? "—" : x.toFixed(2));
  const kneeRow = (k: CurveKnee): string[] => [
    k.design,
    k.knee === null ? "—" : percent(k.knee, 0),
    perHost(k.steepestPerHost),
    perHost(k.averagePerHost),
    k.growth === null ? "—" : String(k.growth),
  ];
  return [
    {
      header: ["virtualized share", ...designs],
      rows: curve.shares.map((share) => [percent(share, 0), ...designs.map((d) => cell(share, d))]),
      align: "l",
    },
    {
      header: ["design", "knee (share)", "steepest, per host", "average, per host", "fabric growth first → last share"],
      rows: curve.knees.map(kneeRow),
      align: "l",
    },
  ];
}

/** "Flattest: mriov." */
export const flattestLine = (curve: LastMileCurve): string =>
  `Flattest: ${curve.flattest ?? "none (no design has both ends of the curve)"}.`;

/** The study's size by fidelity: BOMs, flow level, packet level. */
export function sizeTable(plan: Pick<PlanResult, "size" | "curveSize">): TextTable {
  const rowsOf = (part: string, s: StudySize): string[][] => {
    const p = s.packet;
    const perRep = p.simulatedSecondsPerReplication === null ? "—" : seconds(p.simulatedSecondsPerReplication);
    const rows = [
      [part, "BOMs", count(s.boms), "—", "—", "—", "—"],
      [part, "flow", count(s.flow.evaluations), "—", "—", "—", s.flow.wallSeconds.toFixed(1)],
      [
        part,
        "packet",
        count(p.evaluations),
        String(p.replications),
        `${p.simulatedSeconds.toFixed(3)} (${perRep} per replication)`,
        count(p.events),
        p.wallSeconds.toFixed(1),
      ],
    ];
    const sv = s.survive;
    if (sv.flowEvaluations > 0)
      rows.push([part, "flow, one failure each", count(sv.flowEvaluations), "—", "—", "—", "—"]);
    if (sv.packetRuns > 0)
      rows.push([
        part,
        "packet, one failure each",
        count(sv.packetRuns),
        "1",
        sv.simulatedSeconds.toFixed(3),
        count(sv.events),
        "—",
      ]);
    return rows;
  };
  return {
    header: ["part", "level", "evaluations", "replications", "simulated s", "events", "wall s"],
    rows: [...rowsOf("plan", plan.size), ...(plan.curveSize === null ? [] : rowsOf("curve", plan.curveSize))],
    align: "l",
  };
}

/** What the summary table's marks mean. */
export const SUMMARY_LEGEND =
  "Switch ports: front-panel ports used/installed; backplane ports: a chassis IOM's midplane host ports used/installed, apart; upstream ports: core network + storage array ports the uplinks take. ≥: a lower bound (an unknown price, power or port count is left out, never counted as 0); (?): a change between lower bounds is unknown. ±: 95 % CI half-width across replications.";

/** "Per design, the least 3-year TCO that meets every SLA row (iovsim 0.1.0; 3 packet-level replications, …)." */
export function subtitle(plan: PlanResult): string {
  return (
    `Per design, the configuration with the least ${plan.rules.objective} that meets every SLA row (iovsim ${plan.iovsim}; ` +
    `${plan.rules.replications} packet-level replications, at most ${plan.rules.maxAttempts} confirmations per design)`
  );
}

/** "1,008 candidates in all; wall time 14.9 s." */
export const totalsLine = (plan: PlanResult): string =>
  `${count(plan.size.candidates)} candidates in all; wall time ${plan.wallSeconds.toFixed(1)} s.`;
