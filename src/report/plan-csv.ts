/**
 * The plan as CSV (RFC 4180): plan.csv (one row per design), plan-sla.csv (one
 * row per design × SLA row of the choice) and last-mile-curve.csv (one row per
 * curve point). Records end in CRLF (RFC 4180 §2.1), the last one too. SI units
 * sit in the column names or in a `unit` column; null is an empty field, never 0.
 *
 * Injection: a text cell that starts with `=`, `+`, `-`, `@`, TAB or CR gets a
 * leading `'`, so a spreadsheet shows it as text instead of running it as a
 * formula (OWASP's rule). Numbers are written as numbers and keep their sign.
 */

import { TCO_TERMS } from "../bom/tco.js";
import type { CurveTotals, DesignPlan, LastMileCurve, PlanResult, RankRobustness } from "../planner/plan.js";
import { metricUnit, parameterPairs } from "./plan-shared.js";

export type CsvCell = string | number | boolean | null;

export const CSV_LINE_END = "\r\n";

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One field: null → empty; text guarded against formulas, quoted when it holds `,` `"` CR or LF. */
export function csvCell(v: CsvCell): string {
  if (v === null) return "";
  // JSON cannot carry NaN or ±Infinity; should one appear it is unknown, not a number.
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : "";
  if (typeof v === "boolean") return v ? "true" : "false";
  const text = FORMULA_START.test(v) ? `'${v}` : v;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Header and records, each ending in CRLF. */
export function csv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return [header, ...rows].map((r) => r.map(csvCell).join(",") + CSV_LINE_END).join("");
}

const PLAN_HEADER = [
  "design",
  "verdict",
  "confirmed",
  "fidelity",
  "replications",
  "simulated_s_per_replication",
  "rank",
  "candidates_ordered",
  "objective",
  "objective_typical",
  "objective_unknown_units",
  "hardware_score",
  "hardware_score_unknown",
  "parameters",
  "adapters",
  "cables",
  "optics",
  "switch_ports_used",
  "switch_ports_installed",
  "switch_ports_installed_unknown",
  "backplane_ports_used",
  "backplane_ports_installed",
  "lan_ports",
  "san_ports",
  "licences",
  "io_modules",
  "switching_devices",
  "rack_units",
  "rack_units_unknown",
  "watts",
  "watts_unknown_items",
  "cost_usd",
  "cost_low_usd",
  "cost_high_usd",
  "unpriced_items",
  "watts_low",
  "watts_high",
  "tco_years",
  "tco_usd",
  "tco_low_usd",
  "tco_high_usd",
  "tco_unknown_units",
  "capex_usd",
  "capex_low_usd",
  "capex_high_usd",
  ...TCO_TERMS.map((k) => `tco_${k}_usd`),
  "cheapest_share_of_draws",
  "attempts",
  "budget_exhausted",
  "notes",
] as const;

function planRow(d: DesignPlan, robustness: RankRobustness | null, objective: string): CsvCell[] {
  const c = d.chosen;
  const head: CsvCell[] = [d.design, d.verdict, d.confirmed];
  const tail: CsvCell[] = [d.attempts, d.budgetExhausted, d.notes.join("; ")];
  if (c === null)
    return [...head, ...Array<CsvCell>(PLAN_HEADER.length - head.length - tail.length).fill(null), ...tail];
  const t = c.bomDetail;
  return [
    ...head,
    c.evidence.fidelity,
    c.evidence.replications,
    c.evidence.simulatedSeconds,
    c.rank,
    d.candidates.ordered,
    objective,
    c.objective.typical,
    c.objective.unknown,
    c.hardwareScore,
    c.hardwareScoreUnknown,
    parameterPairs(c.parameters).join(";"),
    t.adapters,
    t.cables,
    t.optics,
    t.switchPorts,
    t.switchPortsInstalled,
    t.switchPortsInstalledUnknown,
    t.backplanePorts,
    t.backplanePortsInstalled,
    t.lanPorts,
    t.sanPorts,
    t.licences,
    t.ioModules,
    t.switchingDevices,
    t.rackUnits,
    t.rackUnitsUnknown,
    t.watts,
    t.unknownWattsItems,
    t.costUsd,
    t.costRangeUsd?.[0] ?? null,
    t.costRangeUsd?.[1] ?? null,
    t.unpricedItems,
    t.power.min,
    t.power.max,
    c.tco.years,
    c.tco.total.typical,
    c.tco.total.min,
    c.tco.total.max,
    c.tco.total.unknown,
    c.tco.capex.typical,
    c.tco.capex.min,
    c.tco.capex.max,
    ...TCO_TERMS.map((k) => c.tco.terms[k].typical),
    robustness?.designs.find((x) => x.design === d.design)?.cheapest ?? null,
    ...tail,
  ];
}

/** plan.csv: one row per design, BOM totals and cost of ownership of its choice (empty when there is none); amounts typical, with _low/_high ends and the units left out as unknown. */
export function planCsv(plan: PlanResult): string {
  return csv(
    PLAN_HEADER,
    plan.designs.map((d) => planRow(d, plan.robustness, plan.rules.objective)),
  );
}

const SLA_HEADER = [
  "design",
  "workload",
  "metric",
  "unit",
  "target",
  "actual",
  "ci95_half_width",
  "status",
  "fidelity",
  "confirmed",
  "flow_actual",
  "flow_status",
] as const;

/** plan-sla.csv: one row per design × SLA row of its choice, with the flow level's estimate beside it. */
export function planSlaCsv(plan: PlanResult): string {
  const rows: CsvCell[][] = [];
  for (const d of plan.designs) {
    const c = d.chosen;
    if (c === null) continue;
    for (const r of c.sla) {
      const flow = c.flow.sla.find((f) => f.workload === r.workload && f.metric === r.metric);
      rows.push([
        d.design,
        r.workload,
        r.metric,
        metricUnit(r.metric),
        r.target,
        r.actual,
        r.halfWidth,
        r.status,
        c.evidence.fidelity,
        d.confirmed,
        flow?.actual ?? null,
        flow?.status ?? null,
      ]);
    }
  }
  return csv(SLA_HEADER, rows);
}

const TOTALS_FIELDS = [
  ["adapters", "adapters"],
  ["cables", "cables"],
  ["optics", "optics"],
  ["switchPorts", "switch_ports"],
  ["hardwareScore", "hardware_score"],
  ["hardwareScoreUnknown", "hardware_score_unknown"],
  ["costUsd", "cost_usd"],
  ["unpricedItems", "unpriced_items"],
  ["watts", "watts"],
] as const satisfies readonly (readonly [keyof CurveTotals, string])[];

/** Amounts of a curve point: typical USD (W for power) and the units left out as unknown. */
const AMOUNT_FIELDS = [
  ["tco", "tco_usd"],
  ["capex", "capex_usd"],
  ["power", "power_w"],
] as const satisfies readonly (readonly [keyof CurveTotals, string])[];

const PARTS = ["site", "fabric", "physical"] as const;

const CURVE_HEADER = [
  "share",
  "design",
  "virtualized_hosts",
  "physical_hosts",
  "status",
  "fidelity",
  "parameters",
  "knee",
  ...PARTS.flatMap((part) => [
    ...TOTALS_FIELDS.map(([, column]) => `${part}_${column}`),
    ...AMOUNT_FIELDS.flatMap(([, column]) => [
      `${part}_${column}`,
      `${part}_${column.replace(/_(usd|w)$/, "")}_unknown_units`,
    ]),
  ]),
];

/** Columns of a curve point's totals (hardware, then typical amounts with their unknown units). */
export const TOTALS_HEADER = (part: string): string[] => [
  ...TOTALS_FIELDS.map(([, column]) => `${part}_${column}`),
  ...AMOUNT_FIELDS.flatMap(([, column]) => [
    `${part}_${column}`,
    `${part}_${column.replace(/_(usd|w)$/, "")}_unknown_units`,
  ]),
];

export const totalsCells = (t: CurveTotals | null): CsvCell[] => [
  ...TOTALS_FIELDS.map(([field]) => t?.[field] ?? null),
  ...AMOUNT_FIELDS.flatMap(([field]) => [t?.[field].typical ?? null, t?.[field].unknown ?? null]),
];

/** last-mile-curve.csv: one row per (share, design); `knee` is true on the point that starts the design's steepest segment. */
export function lastMileCurveCsv(curve: LastMileCurve | null): string {
  const rows = (curve?.rows ?? []).map((r): CsvCell[] => [
    r.share,
    r.design,
    r.virtualizedHosts,
    r.physicalHosts,
    r.status,
    r.fidelity,
    r.parameters === null ? null : parameterPairs(r.parameters).join(";"),
    curve?.knees.find((k) => k.design === r.design)?.knee === r.share,
    ...totalsCells(r.site),
    ...totalsCells(r.fabric),
    ...totalsCells(r.physical),
  ]);
  return csv(CURVE_HEADER, rows);
}
