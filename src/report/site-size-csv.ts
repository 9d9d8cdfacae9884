/** site-size.csv: the site-size curve, one row per (size, design), with why a design has no figure at a size. */
import type { SiteSizeCurve } from "../planner/sizes.js";
import { type CsvCell, csv, TOTALS_HEADER, totalsCells } from "./plan-csv.js";
import { parameterPairs } from "./plan-shared.js";

const HEADER = [
  "servers",
  "design",
  "status",
  "fidelity",
  "confirmed",
  "tco_per_server_usd",
  "capex_per_server_usd",
  "hardware_per_server",
  "cost_is_lower_bound",
  "parameters",
  "reason",
  ...TOTALS_HEADER("site"),
];

/** `reason` is empty where the design met, else what defeats it (the nearest candidate's binding row or failure, or a generator limit). */
export function siteSizeCsv(c: SiteSizeCurve): string {
  const rows = c.rows.map((r): CsvCell[] => [
    r.servers,
    r.design,
    r.status,
    r.fidelity,
    r.confirmed,
    r.costPerServer,
    r.capexPerServer,
    r.hardwarePerServer,
    r.costIsLowerBound,
    r.parameters === null ? null : parameterPairs(r.parameters).join(";"),
    r.reason,
    ...totalsCells(r.totals),
  ]);
  return csv(HEADER, rows);
}
