import { type BlastResult, surviveVerdict } from "../run/blast.js";
import { count, seconds, table } from "./format.js";

/** The terminal table of `iovsim blast`: components ranked by harm, most harmful first. */
export function blastSummary(r: BlastResult, asked = false): string {
  const out: string[] = [];
  const failover = Object.entries(r.failover)
    .map(([m, t]) => `${m} ${t === null ? "off" : seconds(t)}`)
    .join(", ");
  out.push(
    `${r.topology} (${r.design}) — each shared component failed at the start of the ${seconds(r.windowSeconds)} window, no restore; ` +
      `failover per mechanism: ${failover || "—"}`,
  );
  if (r.baselineMissed.length > 0) out.push(`SLA rows missed even without a fault: ${r.baselineMissed.join("; ")}`);
  out.push("");
  out.push(
    ...table(
      [
        [
          "#",
          "component",
          "kind",
          "unprotected",
          "servers",
          "workloads",
          "SLA missed",
          "outage",
          "lost",
          "stuck",
          "failover",
          "workloads hit",
        ],
        ...r.rows.map((row, i) => [
          String(i + 1),
          row.target,
          row.kind,
          count(row.unprotectedServers.length),
          count(row.affectedServers.length),
          count(row.affectedWorkloads.length),
          row.slaMissed.length === 0 ? "0" : `${row.slaMissed.length} (${row.slaMissed.join("; ")})`,
          seconds(row.outageSeconds),
          count(row.lost),
          count(Object.values(row.stuck).reduce((a, b) => a + b, 0)),
          row.failover.map((x) => `${x.mechanism}${row.windowContainsFailover ? "" : "*"}`).join(", ") || "—",
          row.affectedWorkloads.join(", ") || "—",
        ]),
      ],
      3,
    ),
  );
  out.push(
    "",
    "unprotected: servers left with no path by failover (a single point of failure for them); servers/workloads:",
    "whose traffic crossed the component when it failed; SLA missed: rows the no-fault run meets; outage: longest",
    "time an affected flow had no path (until failover, or the end of the run); lost: messages/I/Os lost to it;",
    "stuck: messages/I/Os still waiting behind it at the end (counted against the SLA); failover: the mechanisms",
    "that move its flows (* the window ends before they do).",
  );
  for (const note of r.notes) out.push(`note: ${note}`);
  const v = surviveVerdict(r, true);
  out.push(
    "",
    `survive: single-failure${asked ? " (the file asks for it)" : ""} — ${v.status.toUpperCase()}${v.reasons.length > 0 ? ` (${v.reasons.length} reason${v.reasons.length === 1 ? "" : "s"})` : ""}`,
  );
  for (const reason of v.reasons.slice(0, 10)) out.push(`  ${reason}`);
  if (v.reasons.length > 10) out.push(`  … ${v.reasons.length - 10} more (--json)`);
  return `${out.join("\n")}\n`;
}
