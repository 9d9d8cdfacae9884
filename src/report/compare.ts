import type { RunResult } from "../metrics/result.js";
import type { ResolvedTopology } from "../topology/types.js";
import { percent, seconds, table } from "./format.js";
import { countHardware } from "./hardware.js";

export interface CompareRow {
  topo: ResolvedTopology;
  result: RunResult;
}

/**
 * Designs side by side: the hardware each uses and whether its workloads meet
 * their SLAs. The first row is the baseline the reductions are measured against.
 */
export function compareSummary(rows: readonly CompareRow[]): string {
  const out: string[] = [];
  const base = rows[0] === undefined ? null : countHardware(rows[0].topo);
  const hw: string[][] = [
    ["design", "servers", "adapters", "cables", "cables/server", "switch ports", "switching boxes", "cables vs first"],
  ];
  for (const { topo } of rows) {
    const h = countHardware(topo);
    hw.push([
      `${topo.design} (${topo.name})`,
      String(h.servers),
      String(h.adapters),
      String(h.cables),
      h.cablesPerServer.toFixed(1),
      String(h.switchPorts),
      String(h.switchingDevices),
      base === null || base.cables === 0 ? "—" : percent(h.cables / base.cables - 1, 0),
    ]);
  }
  out.push("Hardware (counted from the topology; prices and power come with the catalog):", ...table(hw), "");

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
  out.push("Service levels (ok = met, MISSED, ? = undecided):", ...table(sla), "");
  return `${out.join("\n")}\n`;
}
