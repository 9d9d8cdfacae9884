import { join } from "node:path";
import { usd } from "../bom/format.js";
import { formatCatalogIssues } from "../catalog/parse.js";
import { loadCatalog } from "../catalog/read-files.js";
import { writeFileAtomic } from "../node/atomic-write.js";
import { nextTurn, progressBar } from "../node/progress.js";
import { type DesignPlan, type PlanResult, plan } from "../planner/index.js";
import { count, seconds, table } from "../report/format.js";
import { loadStudyOrExit, UsageError } from "./load.js";

export interface PlanCommandOptions {
  /** Directory for plan.json (default `out/`). */
  out?: string | undefined;
  /** Packet-level replications per confirmation (default 3). */
  replications?: number | undefined;
  /** Print plan.json on stdout instead of the table. */
  json?: boolean | undefined;
}

function num(x: number | null, digits = 0): string {
  if (x === null) return "?";
  return x.toLocaleString("en-US", { maximumFractionDigits: digits });
}

/** The latency.p99 row closest to its target, as "workload actual / target". */
function worstP99(d: DesignPlan): string {
  const rows = (d.chosen?.sla ?? []).filter((r) => r.metric === "latency.p99");
  let worst: (typeof rows)[number] | undefined;
  let ratio = -1;
  for (const r of rows) {
    const x = r.actual === null ? Number.POSITIVE_INFINITY : r.actual / r.target;
    if (x > ratio) {
      ratio = x;
      worst = r;
    }
  }
  if (worst === undefined) return "—";
  return `${worst.workload} ${seconds(worst.actual)} / ${seconds(worst.target)}`;
}

function verdictText(d: DesignPlan): string {
  if (d.chosen === null) return "none";
  const fidelity = d.chosen.evidence.fidelity;
  const reps = d.chosen.evidence.replications;
  const how = fidelity === "packet" ? `packet ×${reps}` : "flow only";
  const bad = d.chosen.sla.filter((r) => r.status !== "met").map((r) => `${r.workload} ${r.metric}`);
  const why = d.verdict === "met" || bad.length === 0 ? "" : `: ${bad.join(", ")}`;
  return `${d.verdict}${d.confirmed ? " (confirmed)" : ""}, ${how}${d.budgetExhausted ? ", budget out" : ""}${why}`;
}

/** The terminal report: the design table, parameters and notes, the study size. */
export function formatPlan(p: PlanResult, outFile: string | null): string {
  const rows: string[][] = [
    [
      "design",
      "adapters",
      "cables",
      "optics",
      "switch ports",
      "modules",
      "RU",
      "watts",
      "cost",
      "p99 vs SLA (tightest)",
      "verdict",
    ],
  ];
  for (const d of p.designs) {
    const c = d.chosen;
    if (c === null) {
      rows.push([d.design, "—", "—", "—", "—", "—", "—", "—", "—", "—", verdictText(d)]);
      continue;
    }
    const t = c.bomDetail;
    rows.push([
      d.design,
      num(t.adapters),
      num(t.cables),
      num(t.optics),
      `${num(t.switchPorts)}/${t.switchPortsInstalledUnknown > 0 ? "≥ " : ""}${num(t.switchPortsInstalled)}`,
      num(t.ioModules),
      num(t.rackUnits),
      `${t.unknownWattsItems > 0 ? "≥ " : ""}${num(t.watts)}`,
      `${t.unpricedItems > 0 ? "≥ " : ""}${usd(t.costUsd)}`,
      worstP99(d),
      verdictText(d),
    ]);
  }
  const lines = [`iovsim plan ${p.study}: least hardware per design that meets every SLA row`, ""];
  lines.push(...table(rows, 1), "");
  lines.push(
    "switch ports: used/installed (≥: some boxes' port counts unknown); cost ≥: list prices known so far (unpriced items excluded)",
  );
  for (const d of p.designs) {
    lines.push("");
    const params =
      d.chosen === null
        ? "—"
        : Object.entries(d.chosen.parameters)
            .map(([k, v]) => `${k}=${v}`)
            .join(" ");
    lines.push(
      `${d.design}: ${params}  (rank ${d.chosen?.rank ?? "—"} of ${d.candidates.ordered}, hardware score ${d.chosen?.hardwareScore ?? "—"})`,
    );
    for (const r of d.chosen?.sla ?? []) {
      const fmt = (x: number | null) =>
        r.metric.startsWith("latency") ? seconds(x) : r.metric === "deliveredBps" ? `${num(x, 0)} b/s` : num(x, 5);
      const hw = r.halfWidth === null ? "" : ` ± ${fmt(r.halfWidth)}`;
      lines.push(`  ${r.workload} ${r.metric}: ${fmt(r.actual)}${hw} vs ${fmt(r.target)} → ${r.status}`);
    }
    if (d.neighbour !== null) {
      const n = d.neighbour;
      const missed = n.sla.filter((r) => r.status !== "met").map((r) => `${r.workload} ${r.metric} ${r.status}`);
      lines.push(
        `  smaller neighbour (score ${n.hardwareScore}, ${n.evidence.fidelity}): ${n.status}${missed.length > 0 ? ` — ${missed.join(", ")}` : ""}`,
      );
    }
    for (const note of d.notes) lines.push(`  note: ${note}`);
  }
  const s = p.size;
  lines.push(
    "",
    `study size: ${count(s.candidates)} candidates (${count(s.boms)} BOMs); flow level ${count(s.flow.evaluations)} evaluations (${s.flow.wallSeconds.toFixed(1)} s); ` +
      `packet level ${s.packet.evaluations} evaluations × ${s.packet.replications} replications × ${s.packet.simulatedSecondsPerReplication === null ? "—" : seconds(s.packet.simulatedSecondsPerReplication)} = ${s.packet.simulatedSeconds.toFixed(3)} simulated s (${count(s.packet.events)} events, ${s.packet.wallSeconds.toFixed(1)} s)`,
    "last-mile curve: not computed yet (lastMileCurve is null)",
    `wall time ${p.wallSeconds.toFixed(1)} s${outFile === null ? "" : `; plan written to ${outFile}`}`,
  );
  return `${lines.join("\n")}\n`;
}

/**
 * `iovsim plan STUDY [--out DIR] [--replications N] [--json]`: per design the
 * least hardware that meets every SLA row (flow-level search, packet-level
 * confirmation); writes plan.json into DIR atomically. Exit 0, 3 with
 * `file:line:col path: message` lines on an invalid study or catalog.
 */
export async function planCommand(study: string, opts: PlanCommandOptions): Promise<number> {
  const replications = opts.replications ?? 3;
  if (!Number.isSafeInteger(replications) || replications < 1)
    throw new UsageError(`--replications must be an integer ≥ 1, got ${replications}`);
  const loaded = await loadStudyOrExit(study);
  if (loaded === null) return 3;
  const catalog = await loadCatalog([]);
  if (!catalog.ok) {
    process.stderr.write(`${formatCatalogIssues(catalog.issues)}\ncatalog: problems; nothing written\n`);
    return 3;
  }
  let bar: ReturnType<typeof progressBar> | null = null;
  let label = "";
  const result = await plan(loaded, catalog.catalog, {
    replications,
    onProgress: async (p) => {
      const l = `${p.design} ${p.phase}`;
      if (l !== label) {
        bar?.stop();
        label = l;
        bar = progressBar(l.padEnd(18), p.total);
      }
      bar?.update(p.done);
      await nextTurn();
    },
  });
  (bar as ReturnType<typeof progressBar> | null)?.stop();
  const outFile = join(opts.out ?? "out", "plan.json");
  const json = `${JSON.stringify(result, null, 2)}\n`;
  await writeFileAtomic(outFile, json);
  if (opts.json) process.stdout.write(json);
  else process.stdout.write(formatPlan(result, outFile));
  return 0;
}
