/**
 * The bill of materials as a terminal table: items, totals (with "≥" where
 * parts are unpriced or without a power figure), per-server figures, flags,
 * the counting rules, and optionally the reduction against a baseline.
 */

import type { Bom, BomItem, Reduction } from "../bom/types.js";
import { table, usd } from "./format.js";

function num(x: number | null, digits = 0): string {
  if (x === null) return "?";
  return x.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

/** "≥ " when the figure leaves unknown parts out. */
function atLeast(partial: boolean): string {
  return partial ? "≥ " : "";
}

const CONFIDENCE_SHORT: Readonly<Record<string, string>> = {
  solid: "solid",
  "vendor-claim": "vendor",
  rough: "rough",
  derived: "derived",
  unverified: "unverif.",
  estimate: "estimate",
};

function itemRow(i: BomItem): string[] {
  const ports =
    i.portsUsed === null ? "" : `${i.portsUsed}/${i.portsInstalled === null ? "?" : i.portsInstalled * i.count}`;
  const ru =
    i.category === "switching" || i.category === "chassis"
      ? num(i.rackUnits === null ? null : i.rackUnits * i.count)
      : "";
  const conf = i.confidence.entry;
  return [
    `${i.kind}${i.defaulted ? " *" : ""}${i.role === "management" ? " (mgmt)" : ""}`,
    i.class,
    String(i.count),
    usd(i.unitCostUsd),
    usd(i.totalCostUsd),
    num(i.watts, 1),
    num(i.totalWatts, 0),
    ru,
    ports,
    conf === null ? "?" : (CONFIDENCE_SHORT[conf] ?? conf),
  ];
}

/** The BOM as text (ends with a newline). */
export function formatBom(b: Bom, red?: Reduction): string {
  const t = b.totals;
  const out: string[] = [];
  out.push(`Bill of materials: ${b.topology} (${b.design}), ${t.servers} server${t.servers === 1 ? "" : "s"}`, "");
  const itemRows: string[][] = [
    ["item", "class", "count", "unit $", "total $", "unit W", "total W", "RU", "ports used/inst.", "conf."],
    ...b.items.map(itemRow),
  ];
  out.push(...table(itemRows, 2));
  out.push("* default model (the topology names none); ? unknown in the catalog (null: counted apart, never as 0)", "");

  const perServer = (n: number) => (t.servers === 0 ? "" : `  (${(n / t.servers).toFixed(2)} per server)`);
  const unpricedNote =
    t.unpricedItems === 0
      ? ""
      : `; ${t.unpricedItems} item${t.unpricedItems === 1 ? "" : "s"} unpriced (${t.unpricedKinds.length} kind${t.unpricedKinds.length === 1 ? "" : "s"})`;
  const range =
    t.costRangeUsd !== null && t.costRangeUsd[0] !== t.costRangeUsd[1]
      ? ` (range ${usd(t.costRangeUsd[0])}–${usd(t.costRangeUsd[1])})`
      : "";
  const rests = (["solid", "derived", "vendorClaim", "rough", "estimate"] as const)
    .filter((k) => t.cost.basis[k] > 0)
    .map((k) => `${usd(t.cost.basis[k])} ${k === "vendorClaim" ? "vendor claim" : k}`)
    .join(", ");
  const e = b.energy;
  const rows: [string, string][] = [
    ["adapters", `${t.adapters}${perServer(t.adapters)}`],
    [
      "cables",
      `${t.cables}${perServer(t.cables)}; not cables: ${t.traces} midplane traces, ${t.inBoxSlots} in-box slots`,
    ],
    ["optics", `${t.optics}${perServer(t.optics)}`],
    [
      "switch ports",
      `${t.switchPorts} used (${t.switchPortsCabled} cabled) of ${atLeast(t.switchPortsInstalledUnknown > 0)}${t.switchPortsInstalled} installed` +
        (t.switchPortsInstalledUnknown > 0
          ? ` (${t.switchPortsInstalledUnknown} boxes/modules with unknown port counts)`
          : ""),
    ],
    [
      "backplane ports",
      `${t.backplanePorts} used of ${atLeast(t.backplanePortsInstalledUnknown > 0)}${t.backplanePortsInstalled} installed (chassis IOM host ports: midplane, not switch ports)`,
    ],
    ["upstream ports", `${t.lanPorts} on the core network, ${t.sanPorts} on the storage arrays`],
    ["port licences", String(t.licences)],
    [
      "hardware count",
      `${atLeast(t.hardwareScoreUnknown > 0)}${t.hardwareScore} (adapters + cables + optics + front-panel switch ports installed + upstream ports)`,
    ],
    ["switching boxes", `${t.switchingDevices}; I/O modules ${t.ioModules}; chassis ${t.chassis}`],
    [
      "rack units",
      `${atLeast(t.rackUnitsUnknown > 0)}${t.rackUnits}` +
        (t.enclosureRackUnits > 0 ? ` (+ ${t.enclosureRackUnits} of blade chassis)` : "") +
        (t.rackUnitsUnknown > 0 ? `; ${t.rackUnitsUnknown} boxes without a height` : ""),
    ],
    ["management ports", String(t.managementPorts)],
    ["LAN ports used", String(t.lanPorts)],
    [
      "list cost",
      t.costUsd === null
        ? `unknown: none of the ${t.unpricedItems} items is priced`
        : `${atLeast(t.unpricedItems > 0)}${usd(t.costUsd)}${range}${unpricedNote}`,
    ],
    ["cost rests on", rests === "" ? "—" : rests],
    [
      "typical power",
      `${atLeast(t.unknownWattsItems > 0)}${num(t.watts, 0)} W` +
        (t.unknownWattsItems > 0 ? `; ${t.unknownWattsItems} items without a figure` : ""),
    ],
    [
      "energy",
      `${atLeast(e.partial)}${usd(e.costUsd)} over ${e.years} years ` +
        `(${atLeast(e.partial)}${num(e.kwh, 0)} kWh at ${e.kwhPriceUsd === null ? "an unknown price" : `$${e.kwhPriceUsd}/kWh`}, PUE ${e.pue ?? "unknown"}, ${e.era === "2010" ? "2010" : "today's"} figures)`,
    ],
  ];
  if (b.perServer !== null) {
    const p = b.perServer;
    rows.push([
      "per server",
      `${p.adapters.toFixed(2)} adapters, ${p.cables.toFixed(2)} cables, ${p.optics.toFixed(2)} optics, ` +
        `${p.switchPorts.toFixed(2)} switch ports, ${atLeast(t.unpricedItems > 0)}${usd(p.costUsd)}, ` +
        `${atLeast(t.unknownWattsItems > 0)}${num(p.watts, 1)} W`,
    ]);
  }
  if (t.unpricedKinds.length > 0) rows.push(["unpriced", t.unpricedKinds.join(", ")]);
  const width = Math.max(...rows.map(([k]) => k.length));
  out.push("Totals", ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`));
  out.push("");

  if (b.flags.length > 0) {
    const errors = b.flags.filter((f) => f.severity === "error").length;
    out.push(
      errors > 0 ? `Flags: INFEASIBLE (${errors} error${errors === 1 ? "" : "s"})` : "Flags",
      ...b.flags.map((f) => `  ${f.severity.padEnd(7)} ${f.at}: ${f.message} [${f.code}]`),
      "",
    );
  }
  if (red !== undefined) out.push(...formatReduction(red), "");
  out.push("Rules", ...b.rules.map((r) => `  - ${r}`));
  return `${out.join("\n")}\n`;
}

/** The reduction table against a baseline. */
export function formatReduction(r: Reduction): string[] {
  const money = (m: string) => m.includes("USD");
  const cell = (m: string, x: number | null, partial: boolean) =>
    x === null ? "?" : `${partial ? "≥ " : ""}${money(m) ? usd(x) : num(x, m.includes("per server") ? 2 : 0)}`;
  const rows: string[][] = [["metric", "baseline", "this design", "saved", "change"]];
  for (const row of r.rows) {
    rows.push([
      row.metric,
      cell(row.metric, row.baseline, row.baselinePartial),
      cell(row.metric, row.value, row.valuePartial),
      row.saved === null ? "?" : money(row.metric) ? usd(row.saved) : num(row.saved, 2),
      row.change === null
        ? row.partial
          ? "?"
          : "—"
        : `${row.change > 0 ? "+" : ""}${(100 * row.change).toFixed(0)} %`,
    ]);
  }
  return [
    `Against the baseline ${r.baseline} (${r.baselineDesign}); ≥ lower bound (unpriced items, unknown power or ports): the saving is then unknown (?)`,
    ...table(rows),
  ];
}
