/**
 * The plan on a terminal (what `npm start` prints): what was minimized, each
 * design's cost of ownership, capex and power as ranges with how stable the
 * ranking is, the hardware table with the hardware count's definition beside
 * it, each design's choice and SLA rows, the last-mile curve and the study's
 * size. Pure and browser-safe (the CLI writes it out).
 */

import type { PlanResult } from "../planner/plan.js";
import { count, seconds, table, usdAmount } from "./format.js";
import { basisTable, COST_LEGEND, costTable, objectiveLine, robustnessLine, tcoTermsTable } from "./plan-money.js";
import { designLines, SUMMARY_LEGEND, slaActual, slaValue, summaryTable, type TextTable } from "./plan-shared.js";

const lines = (t: TextTable): string[] => table([t.header, ...t.rows], 1);

/** One part's evaluations: candidates built, flow level, packet level. */
function formatSize(what: string, s: PlanResult["size"]): string[] {
  const simPer = s.packet.simulatedSecondsPerReplication;
  return [
    `  ${what}: ${count(s.boms)} candidates built and priced; flow level ${count(s.flow.evaluations)} evaluations; ` +
      `packet level ${s.packet.evaluations} × ${s.packet.replications} replications × ${simPer === null ? "—" : seconds(simPer)} = ${s.packet.simulatedSeconds.toFixed(3)} simulated s (${count(s.packet.events)} events)`,
    ...(s.survive.flowEvaluations + s.survive.packetRuns === 0
      ? []
      : [
          `  ${what}, single failures: ${count(s.survive.flowEvaluations)} flow-level solves; ${s.survive.packetRuns} packet runs × 1 replication = ${s.survive.simulatedSeconds.toFixed(3)} simulated s (${count(s.survive.events)} events)`,
        ]),
  ];
}

/** The last-mile curve: fabric / site hardware count and site TCO per design and share, then knees. */
export function formatCurve(c: NonNullable<PlanResult["lastMileCurve"]>): string[] {
  const designs = [...new Set(c.rows.map((r) => r.design))].sort();
  const rows: string[][] = [["virtualized", "hosts on fabric", ...designs]];
  let starred = false;
  for (const share of c.shares) {
    const at = c.rows.filter((r) => r.share === share);
    const first = at[0];
    rows.push([
      `${Math.round(share * 100)} %`,
      first === undefined ? "—" : `${first.virtualizedHosts} (+${first.physicalHosts} physical)`,
      ...designs.map((d) => {
        const r = at.find((x) => x.design === d);
        if (r === undefined) return "—";
        if (r.fabric === null || r.site === null) return r.status;
        starred ||= !r.confirmed;
        return `${count(r.fabric.hardwareScore)} / ${count(r.site.hardwareScore)}, ${usdAmount(r.site.tco)}${r.confirmed ? "" : "*"}`;
      }),
    ]);
  }
  const basis = c.physicalBasis;
  const params = Object.entries(basis.parameters)
    .map(([k, v]) => `${k}=${v}`)
    .join(" ");
  const out = [
    "last-mile curve: hardware count of the fabric / of the site, and the site's cost of ownership",
    `(physical servers keep their share of the traditional site ${basis.source === "chosen" ? "the plan chose" : "at the study's current values (no traditional choice)"}: ${params})`,
    ...table(rows, 1),
    // The legend only where a cell carries the mark.
    ...(starred ? ["  * not confirmed at packet level"] : []),
  ];
  for (const k of c.knees) {
    out.push(
      `  ${k.design}: ${k.knee === null ? (k.averagePerHost === null ? "fewer than 2 points met" : "no knee") : `knee at ${Math.round(k.knee * 100)} % (+${k.steepestPerHost?.toFixed(1)} per host)`}; average +${k.averagePerHost?.toFixed(1) ?? "—"} per host moved onto the fabric`,
    );
  }
  out.push(`  flattest: ${c.flattest ?? "—"}`);
  return out;
}

/** The files a plan writes beside plan.json, in the order the report line names them. */
const REPORT_FILES = ["report.html", "plan.json", "plan.md", "plan.csv", "plan-sla.csv", "last-mile-curve.csv"];

/**
 * The terminal report (ends with a newline). `outDir`: where the files went (null: not written);
 * `written`: which of them were (last-mile-curve.csv only with a curve).
 */
export function formatPlan(
  p: PlanResult,
  outDir: string | null,
  workers: number | null = null,
  written: readonly string[] = REPORT_FILES,
): string {
  const out = [`iovsim plan ${p.study}`, "", objectiveLine(p), ""];
  out.push(...lines(costTable(p)), COST_LEGEND, robustnessLine(p), "");
  out.push(...lines(summaryTable(p.designs)));
  out.push(`${p.rules.hardwareScore}.`, SUMMARY_LEGEND, "");
  out.push("cost of ownership by term (typical):", ...lines(tcoTermsTable(p.designs)));
  out.push("what the cost of ownership rests on (typical $ by the confidence of its figures):");
  out.push(...lines(basisTable(p.designs)));
  for (const d of p.designs) {
    out.push("");
    const params =
      d.chosen === null
        ? "—"
        : Object.entries(d.chosen.parameters)
            .map(([k, v]) => `${k}=${v}`)
            .join(" ");
    out.push(`${d.design}: ${params}`);
    for (const l of designLines(d)) out.push(`  ${l}`);
    for (const r of d.chosen?.sla ?? [])
      out.push(`  ${r.workload} ${r.metric}: ${slaActual(r)} vs ${slaValue(r.metric, r.target)} → ${r.status}`);
    for (const note of d.notes) out.push(`  note: ${note}`);
  }
  if (p.lastMileCurve !== null) out.push("", ...formatCurve(p.lastMileCurve));
  out.push("", "study size (evaluations × replications × simulated seconds at each fidelity):");
  out.push(...formatSize("plan", p.size));
  if (p.curveSize !== null) out.push(...formatSize("curve", p.curveSize));
  out.push(
    `wall time ${p.wallSeconds.toFixed(1)} s${workers === null ? "" : workers === 0 ? " in one thread" : ` on ${workers} worker thread${workers === 1 ? "" : "s"}`}`,
  );
  if (outDir !== null) {
    const dir = outDir.replace(/\/+$/, "");
    const others = REPORT_FILES.filter((f) => f !== "report.html" && written.includes(f));
    out.push(`report: ${dir}/report.html (open offline); also ${others.join(", ")} in ${dir}`);
  }
  return `${out.join("\n")}\n`;
}
