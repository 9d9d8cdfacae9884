/** The run's final numbers (the CLI's result JSON) as tables, plus the JSON itself. */
import type { RunResult } from "../../src/metrics/result.js";
import { bps, seconds } from "./charts/format.js";
import { el, table } from "./dom.js";

export function renderResults(box: HTMLElement, r: RunResult): void {
  box.replaceChildren();
  box.append(
    el(
      "p",
      `${r.topology} (${r.design}), seed ${r.seed}: ${r.events.toLocaleString("en")} events, ` +
        `${r.simulatedSeconds} s simulated, window ${r.window.start}–${r.window.end} s, fingerprint ${r.fingerprint}`,
    ),
    table(
      ["workload", "sent", "delivered", "dropped", "in flight", "delivered", "p99"],
      r.workloads.map((w) => [
        w.name,
        String(w.sent),
        String(w.delivered),
        String(w.dropped),
        String(w.inFlight),
        bps(w.deliveredBps),
        seconds(w.latency.p99),
      ]),
      "workloads of the run",
    ),
  );
  if (r.sla.length > 0)
    box.append(
      table(
        ["SLA workload", "metric", "target", "actual", "status"],
        r.sla.map((s) => {
          const fmt = (v: number | null): string =>
            v === null
              ? "–"
              : s.metric.startsWith("latency")
                ? seconds(v)
                : s.metric === "deliveredBps"
                  ? bps(v)
                  : String(Number(v.toPrecision(4)));
          return [s.workload, s.metric, fmt(s.target), fmt(s.actual), s.status];
        }),
        "SLA rows",
      ),
    );
  const faults = r.faults ?? [];
  if (faults.length > 0)
    box.append(
      table(
        ["fault", "at", "restored", "affected servers", "lost", "outage"],
        faults.map((f) => [
          f.target,
          seconds(f.at),
          f.restoredAt === null ? "–" : seconds(f.restoredAt),
          String(f.affectedServers.length),
          String(f.lost),
          seconds(f.outageSeconds),
        ]),
        "faults of the run",
      ),
    );
}

/** The faults so far (snapshot or result): blast radius, losses and outage. */
export function renderFaults(box: HTMLElement, faults: readonly RunResult["faults"][number][]): void {
  box.replaceChildren();
  if (faults.length === 0) return;
  box.append(
    table(
      ["fault", "at", "servers hit", "workloads hit", "lost", "outage"],
      faults.map((f) => [
        `${f.target}${f.restoredAt === null ? "" : " (restored)"}`,
        seconds(f.at),
        String(f.affectedServers.length),
        f.affectedWorkloads.join(", "),
        String(f.lost),
        seconds(f.outageSeconds),
      ]),
      "faults so far",
    ),
  );
}
