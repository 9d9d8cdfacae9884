import { dirname, join } from "node:path";
import { formatCatalogIssues } from "../catalog/parse.js";
import { loadCatalog } from "../catalog/read-files.js";
import { writeFileAtomic } from "../node/atomic-write.js";
import { defaultWorkers, poolEvaluator } from "../node/pool-evaluator.js";
import { nextTurn, progressBar } from "../node/progress.js";
import { DEFAULT_SHARES } from "../planner/curve.js";
import { inProcessEvaluator, type PlanResult, plan } from "../planner/index.js";
import { count, seconds, table } from "../report/format.js";
import { planReportFiles } from "../report/plan-files.js";
import { slaActual, slaValue, summaryTable } from "../report/plan-shared.js";
import { BudgetClock, runBudget } from "../run/budget.js";
import { DEFAULT_LIMITS, LARGE_LIMITS } from "../topology/size.js";
import { loadStudyOrExit, UsageError } from "./load.js";

export interface PlanCommandOptions {
  /** Directory for plan.json (default `out/`). */
  out?: string | undefined;
  /** Packet-level replications per confirmation (default 3). */
  replications?: number | undefined;
  /** Print plan.json on stdout instead of the table. */
  json?: boolean | undefined;
  /** Worker threads for the evaluations (default: one per core; 0: this thread). */
  workers?: number | undefined;
  /** Compute the last-mile curve (default true; `--no-curve`). */
  curve?: boolean | undefined;
  /** Extra catalog files, in order; their entries replace built-in ones with the same id. */
  catalog?: string[] | undefined;
  /** Size limits raised (`--allow-large`); a wall-clock budget in seconds (`--max-wall`). */
  allowLarge?: boolean | undefined;
  maxWall?: number | undefined;
}

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

/** The last-mile curve as a table: site hardware score per design and share, then knees. */
export function formatCurve(c: NonNullable<PlanResult["lastMileCurve"]>): string[] {
  const designs = [...new Set(c.rows.map((r) => r.design))].sort();
  const rows: string[][] = [["virtualized", "hosts on fabric", ...designs]];
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
        return `${count(r.fabric.hardwareScore)} / ${count(r.site.hardwareScore)}${r.confirmed ? "" : "*"}`;
      }),
    ]);
  }
  const out = [
    "last-mile curve: hardware score (adapters + cables + optics + switch ports installed) of the fabric / of the site",
    "(physical servers keep their share of the traditional rack's hardware at the study's current values)",
    ...table(rows, 1),
    "  * not confirmed at packet level",
  ];
  for (const k of c.knees) {
    out.push(
      `  ${k.design}: ${k.knee === null ? (k.averagePerHost === null ? "fewer than 2 points met" : "no knee") : `knee at ${Math.round(k.knee * 100)} % (+${k.steepestPerHost?.toFixed(1)} per host)`}; average +${k.averagePerHost?.toFixed(1) ?? "—"} per host moved onto the fabric`,
    );
  }
  out.push(`  flattest: ${c.flattest ?? "—"}`);
  return out;
}

/** The terminal report: the design table, parameters and notes, the study size. */
export function formatPlan(p: PlanResult, outFile: string | null, workers: number | null = null): string {
  const summary = summaryTable(p.designs);
  const lines = [`iovsim plan ${p.study}: least hardware per design that meets every SLA row`, ""];
  lines.push(...table([summary.header, ...summary.rows], 1), "");
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
      `${d.design}: ${params}  (rank ${d.chosen?.rank ?? "—"} in hardware order, hardware score ${d.chosen?.hardwareScore ?? "—"}; ${d.candidates.built} of ${d.candidates.enumerated} combinations built)`,
    );
    for (const r of d.chosen?.sla ?? [])
      lines.push(`  ${r.workload} ${r.metric}: ${slaActual(r)} vs ${slaValue(r.metric, r.target)} → ${r.status}`);
    if (d.neighbour !== null) {
      const n = d.neighbour;
      const missed = n.sla.filter((r) => r.status !== "met").map((r) => `${r.workload} ${r.metric} ${r.status}`);
      lines.push(
        `  smaller neighbour (score ${n.hardwareScore}, ${n.evidence.fidelity}): ${n.status}${missed.length > 0 ? ` — ${missed.join(", ")}` : ""}`,
      );
    }
    for (const note of d.notes) lines.push(`  note: ${note}`);
  }
  if (p.lastMileCurve !== null) lines.push("", ...formatCurve(p.lastMileCurve));
  lines.push("", "study size (evaluations × replications × simulated seconds at each fidelity):");
  lines.push(...formatSize("plan", p.size));
  if (p.curveSize !== null) lines.push(...formatSize("curve", p.curveSize));
  lines.push(
    `wall time ${p.wallSeconds.toFixed(1)} s${workers === null ? "" : workers === 0 ? " in one thread" : ` on ${workers} worker thread${workers === 1 ? "" : "s"}`}`,
  );
  if (outFile !== null) {
    const dir = dirname(outFile);
    lines.push(
      `report: ${join(dir, "report.html")} (open offline); also ${["plan.json", "plan.md", "plan.csv", "plan-sla.csv", "last-mile-curve.csv"].join(", ")} in ${dir}`,
    );
  }
  return `${lines.join("\n")}\n`;
}

class Interrupted extends Error {}

/** `--max-wall` passed between two evaluations. */
class WallBudget extends Error {
  constructor(readonly limit: number) {
    super("wall-clock budget");
  }
}

/**
 * `iovsim plan STUDY [--out DIR] [--replications N] [--workers N] [--no-curve] [--json]`:
 * per design the least hardware that meets every SLA row (flow-level search,
 * packet-level confirmation) and the last-mile curve; writes plan.json into DIR
 * atomically. Evaluations run on `--workers` threads (0: in this thread).
 * Exit 0; 3 with `file:line:col path: message` lines on an invalid study or
 * catalog; 130 on Ctrl-C (nothing written).
 */
export async function planCommand(study: string, opts: PlanCommandOptions): Promise<number> {
  const replications = opts.replications ?? 3;
  if (!Number.isSafeInteger(replications) || replications < 1)
    throw new UsageError(`--replications must be an integer ≥ 1, got ${replications}`);
  const workers = opts.workers ?? defaultWorkers();
  if (!Number.isSafeInteger(workers) || workers < 0)
    throw new UsageError(`--workers must be an integer ≥ 0, got ${workers}`);
  const loaded = await loadStudyOrExit(study, opts.allowLarge === true ? LARGE_LIMITS : DEFAULT_LIMITS);
  if (typeof loaded === "number") return loaded;
  const clock = new BudgetClock(runBudget({ maxWall: opts.maxWall, maxEvents: Number.POSITIVE_INFINITY }));
  const catalog = await loadCatalog(opts.catalog ?? []);
  if (!catalog.ok) {
    process.stderr.write(`${formatCatalogIssues(catalog.issues)}\ncatalog: problems; nothing written\n`);
    return 3;
  }
  let interrupted = false;
  const onSigint = (): void => {
    interrupted = true;
  };
  process.on("SIGINT", onSigint);
  const evaluator = workers === 0 ? inProcessEvaluator : poolEvaluator(workers);
  // One bar over every evaluation: jobs of all designs interleave on the workers.
  const bar = progressBar("plan".padEnd(6), 1);
  const seen = new Map<string, { done: number; total: number }>();
  let result: PlanResult;
  try {
    result = await plan(loaded, catalog.catalog, {
      replications,
      evaluator,
      curve: opts.curve === false ? false : DEFAULT_SHARES,
      onProgress: async (p) => {
        seen.set(`${p.design} ${p.phase}`, { done: p.done, total: p.total });
        let done = 0;
        let total = 0;
        for (const v of seen.values()) {
          done += v.done;
          total += v.total;
        }
        bar.setTotal(Math.max(total, 1));
        bar.update(done);
        await nextTurn();
        if (interrupted) throw new Interrupted();
        const hit = clock.check();
        if (hit !== null) throw new WallBudget(hit.limit);
      },
    });
  } catch (err) {
    bar.stop();
    if (err instanceof Interrupted || interrupted) {
      process.stderr.write("iovsim: interrupted; nothing written\n");
      return 130;
    }
    if (err instanceof WallBudget) {
      process.stderr.write(
        `iovsim: stopped by the wall-clock budget (${err.limit} s) before the plan was complete; nothing written; raise it with --max-wall SECONDS\n`,
      );
      return 4;
    }
    throw err;
  } finally {
    process.off("SIGINT", onSigint);
    await evaluator.close();
  }
  bar.stop();
  const outDir = opts.out ?? "out";
  const outFile = join(outDir, "plan.json");
  const json = `${JSON.stringify(result, null, 2)}\n`;
  // plan.json last: a reader that sees it finds the other files of the same plan beside it.
  for (const f of planReportFiles(result)) await writeFileAtomic(join(outDir, f.name), f.content);
  await writeFileAtomic(outFile, json);
  if (opts.json) process.stdout.write(json);
  else process.stdout.write(formatPlan(result, outFile, workers));
  return 0;
}
