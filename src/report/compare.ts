import type { Bom } from "../bom/types.js";
import type { RunResult } from "../metrics/result.js";
import type { ResolvedTopology } from "../topology/types.js";
import { percent, seconds, table } from "./format.js";

export interface CompareRow {
  topo: ResolvedTopology;
  result: RunResult;
  bom: Bom;
}

/** "≥ $X" when part of the figure is unknown; "?" when nothing is known. */
function atLeast(known: number | null, unknownItems: number, unit: (x: number) => string): string {
  if (known === null) return "?";
  return `${unknownItems > 0 ? "≥ " : ""}${unit(known)}`;
}

const usd = (x: number): string => `$${Math.round(x).toLocaleString("en-US")}`;
const watts = (x: number): string => `${Math.round(x).toLocaleString("en-US")} W`;

/**
 * Designs side by side: the hardware each needs (bill of materials from the
 * catalog) and whether its workloads meet their SLAs. The first row is the
 * baseline the reductions are measured against.
 */
export function compareSummary(rows: readonly CompareRow[]): string {
  const out: string[] = [];
  const base = rows[0]?.bom.totals;
  const hw: string[][] = [
    [
      "design",
      "adapters",
      "cables",
      "/server",
      "optics",
      "switch ports",
      "RU",
      "list cost",
      "power",
      "cables vs first",
    ],
  ];
  for (const { topo, bom } of rows) {
    const t = bom.totals;
    hw.push([
      `${topo.design} (${topo.name})`,
      String(t.adapters),
      String(t.cables),
      t.servers === 0 ? "—" : (t.cables / t.servers).toFixed(1),
      String(t.optics),
      `${t.switchPorts}/${t.switchPortsInstalledUnknown > 0 ? "≥ " : ""}${t.switchPortsInstalled}`,
      `${t.rackUnits}${t.enclosureRackUnits > 0 ? `+${t.enclosureRackUnits}` : ""}`,
      atLeast(t.costUsd, t.unpricedItems, usd),
      atLeast(t.watts, t.unknownWattsItems, watts),
      base === undefined || base.cables === 0 ? "—" : percent(t.cables / base.cables - 1, 0),
    ]);
  }
  out.push(
    "Hardware (bill of materials from the built-in catalog; switch ports used/installed; RU boxes+chassis;",
    "≥ where the catalog lacks prices or power — see `iovsim bom FILE` for the items and their confidence):",
    ...table(hw),
    "",
  );

  const names = [...new Set(rows.flatMap((r) => r.result.sla.map((s) => `${s.workload} ${s.metric}`)))];
  const sla: string[][] = [["SLA", ...rows.map((r) => r.topo.design)]];
  for (const name of names) {
    sla.push([
      name,
      ...rows.map((r) => {
        const s = r.result.sla.find((x) => `${x.workload} ${x.metric}` === name);
        if (s === undefined) return "—";
        const v = s.metric.startsWith("latency")
          ? seconds(s.actual)
          : s.metric === "deliveredBps"
            ? s.actual === null
              ? "—"
              : `${(s.actual / 1e9).toFixed(2)} Gb/s`
            : percent(s.actual, 3);
        return `${v} ${s.status === "met" ? "ok" : s.status === "missed" ? "MISSED" : "?"}`;
      }),
    ]);
  }
  const verdict = rows.map((r) => {
    const missed = r.result.sla.filter((s) => s.status === "missed").length;
    const undecided = r.result.sla.filter((s) => s.status === "undecided").length;
    return missed > 0 ? `${missed} missed` : undecided > 0 ? `${undecided} undecided` : "all met";
  });
  sla.push(["verdict", ...verdict]);
  out.push("Service levels (packet-level, one replication; ok = met, MISSED, ? = undecided):", ...table(sla), "");
  return `${out.join("\n")}\n`;
}
