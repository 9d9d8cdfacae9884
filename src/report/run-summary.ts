import type { RunResult } from "../metrics/result.js";
import { count, percent, rate, seconds, table } from "./format.js";
import { precisionLine, verdictEvidence } from "./verdict-evidence.js";

const TOP_LINKS = 8;

/** The terminal summary of `iovsim run`: workloads, busiest links, paused ports, SLA verdicts. */
export function runSummary(r: RunResult): string {
  const out: string[] = [];
  const eps = r.wallSeconds > 0 ? r.events / r.wallSeconds : 0;
  out.push(
    `${r.topology} (${r.design}) — seed ${r.seed}, ${r.replications} replication${r.replications === 1 ? "" : "s"}, ` +
      `window ${seconds(r.window.start)} … ${seconds(r.window.end)} of simulated time`,
  );
  out.push(
    `${count(r.events)} events in ${r.wallSeconds.toFixed(2)} s (${(eps / 1e6).toFixed(2)} M events/s), fingerprint ${r.fingerprint}`,
  );
  out.push("");
  const wl: string[][] = [
    [
      "workload",
      "unit",
      "offered",
      "delivered",
      "p50",
      "p99",
      "p99.9",
      "loss",
      "sent",
      "delivered",
      "dropped",
      "in flight",
    ],
  ];
  // With replications, the 95 % CI half-widths across them beside the point estimates.
  const pm = (value: string, half: number | null, fmt: (x: number) => string): string =>
    half === null ? value : `${value} ± ${fmt(half)}`;
  for (const w of r.workloads) {
    const finished = w.delivered + w.dropped;
    wl.push([
      w.name,
      w.unit,
      rate(w.offeredBps),
      pm(rate(w.deliveredBps), w.ci95.deliveredBps, rate),
      seconds(w.latency.p50),
      pm(seconds(w.latency.p99), w.ci95["latency.p99"], seconds),
      seconds(w.latency.p999),
      finished === 0 ? "—" : percent(w.dropped / finished, 2),
      count(w.sent),
      count(w.delivered),
      count(w.dropped),
      count(w.inFlight),
    ]);
  }
  out.push(...table(wl, 2));
  if (r.replications > 1)
    out.push(`± : 95 % confidence interval half-widths across the ${r.replications} replications (Student t)`);
  const reasons = r.workloads.flatMap((w) =>
    Object.entries(w.dropReasons).map(([k, v]) => `  ${w.name}: ${count(v)} × ${k}`),
  );
  if (reasons.length > 0) out.push("", "drops:", ...reasons);

  const busiest = [...r.links]
    .sort((a, b) => b.utilization - a.utilization || (a.id < b.id ? -1 : 1))
    .slice(0, TOP_LINKS);
  out.push("", `busiest links (of ${r.links.length} link directions):`);
  out.push(
    ...table(
      [
        ["from", "to", "capacity", "utilization", "mean queue", "max queue", "paused", "dropped"],
        ...busiest.map((l) => [
          l.from,
          l.to,
          rate(l.capacityBps),
          percent(l.utilization),
          `${l.meanQueueBytes.toFixed(0)} B`,
          `${l.maxQueueBytes.toFixed(0)} B`,
          seconds(l.pausedSeconds),
          count(l.dropped),
        ]),
      ],
      2,
    ),
  );
  const paused = r.links.filter((l) => l.pausedSeconds > 0).sort((a, b) => b.pausedSeconds - a.pausedSeconds);
  if (paused.length > 0) {
    out.push("", `paused ports (lossless back-pressure): ${paused.length}`);
    for (const l of paused.slice(0, TOP_LINKS)) {
      out.push(
        `  ${l.from} → ${l.to}: paused ${seconds(l.pausedSeconds)} (${percent(l.pausedSeconds / (r.window.end - r.window.start))} of the window)`,
      );
    }
  }
  if (r.sla.length > 0) {
    const precision = precisionLine(r.precision, r.replications);
    out.push("", `SLA (95 % intervals; warm-up detected per row):${precision === null ? "" : `\n${precision}`}`);
    out.push(
      ...table(
        [
          ["workload", "metric", "target", "actual", "95 % half-width", "status", "evidence"],
          ...r.sla.map((s) => {
            const fmt = (x: number | null): string =>
              s.metric.startsWith("latency") ? seconds(x) : s.metric === "deliveredBps" ? rate(x) : percent(x, 3);
            return [
              s.workload,
              s.metric,
              fmt(s.target),
              fmt(s.actual),
              fmt(s.halfWidth),
              s.status.toUpperCase(),
              verdictEvidence(s),
            ];
          }),
        ],
        2,
      ),
    );
  }
  if (r.faults.length > 0) {
    out.push(
      "",
      "faults (outage: longest time an affected flow had no working path; stuck: unfinished behind it at the end, counted against the SLA):",
    );
    out.push(
      ...table(
        [
          ["at", "target", "restored", "servers", "workloads", "outage", "lost", "stranded flows", "stuck", "failover"],
          ...r.faults.map((f) => [
            seconds(f.at),
            f.target,
            f.restoredAt === null ? "—" : seconds(f.restoredAt),
            count(f.affectedServers.length),
            f.affectedWorkloads.length === 0 ? "—" : f.affectedWorkloads.join(", "),
            seconds(f.outageSeconds),
            count(f.lost),
            count(f.strandedFlows),
            count(Object.values(f.stuck).reduce((a, b) => a + b, 0)),
            f.failover.map((m) => `${m.mechanism} ${m.seconds === null ? "off" : seconds(m.seconds)}`).join(", ") ||
              "—",
          ]),
        ],
        2,
      ),
    );
    // A failover that ends after the run: what the window shows is the outage, not the state after it.
    const end = r.window.end;
    const late = r.faults.filter((f) => f.failover.some((m) => m.seconds === null || f.at + m.seconds > end));
    if (late.length > 0)
      out.push(
        `note: the run ends before the failover of ${late.map((f) => f.target).join(", ")}: the window shows the outage, not the state after failover (docs/failover.md)`,
      );
    const slaRows = r.faults.flatMap((f) =>
      f.sla.map((s) => [
        `${f.target} @ ${seconds(f.at)}`,
        s.workload,
        s.metric,
        s.during.status.toUpperCase(),
        s.after === null ? "—" : s.after.status.toUpperCase(),
      ]),
    );
    if (slaRows.length > 0) {
      out.push("", "SLA of the affected workloads during the outage and after failover:");
      out.push(...table([["fault", "workload", "metric", "during", "after"], ...slaRows], 3));
    }
  }
  return `${out.join("\n")}\n`;
}
