import { queueingCases, simulateQueue } from "../../examples/queueing.js";

export interface DemoOptions {
  seed: number;
  customers: number;
}

/**
 * The kernel demonstration (`iovsim demo`): each queueing case simulated next
 * to its closed form. Returns the text to print.
 */
export function demo(options: DemoOptions, progress: (line: string) => void): string {
  const rows: string[][] = [
    ["system", "simulated W (us)", "95% CI ±", "closed form", "error", "utilization", "closed form"],
  ];
  let events = 0;
  const started = performance.now();
  for (const qc of queueingCases()) {
    progress(`simulating ${qc.name}…`);
    const r = simulateQueue(qc, {
      seed: options.seed,
      customers: options.customers,
      warmup: Math.floor(options.customers / 50),
    });
    events += r.events;
    rows.push([
      qc.name,
      r.meanSojourn.toFixed(4),
      r.ci.halfWidth === null ? "n/a" : r.ci.halfWidth.toFixed(4),
      qc.analyticSojourn.toFixed(4),
      `${((100 * (r.meanSojourn - qc.analyticSojourn)) / qc.analyticSojourn).toFixed(2)} %`,
      r.utilization.map((u) => u.toFixed(3)).join(" "),
      qc.analyticUtilization.map((u) => u.toFixed(3)).join(" "),
    ]);
  }
  const seconds = (performance.now() - started) / 1000;
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const lines = rows.map((r) =>
    r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join("  "),
  );
  lines.splice(1, 0, widths.map((w) => "-".repeat(w)).join("  "));
  return [
    "iovsim kernel demonstration: queueing systems simulated with generator processes,",
    `next to their closed forms (seed ${options.seed}, ${options.customers} customers each, batch-means 95 % CIs).`,
    "",
    ...lines,
    "",
    `${events.toLocaleString("en-US")} events in ${seconds.toFixed(2)} s (${(events / seconds / 1e6).toFixed(1)} M events/s).`,
    "The fabric question itself: npm start (iovsim plan topologies/studies/last-mile.yaml).",
    "",
  ].join("\n");
}
