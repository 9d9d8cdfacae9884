import { join } from "node:path";
import { formatCatalogIssues } from "../catalog/parse.js";
import { loadCatalog } from "../catalog/read-files.js";
import { writeFileAtomic } from "../node/atomic-write.js";
import { defaultWorkers, poolEvaluator } from "../node/pool-evaluator.js";
import { nextTurn, progressBar } from "../node/progress.js";
import { inProcessEvaluator, type PlanResult, plan } from "../planner/index.js";
import { planReportFiles } from "../report/plan-files.js";
import { formatPlan } from "../report/plan-terminal.js";
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
}

class Interrupted extends Error {}

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
  const loaded = await loadStudyOrExit(study);
  if (loaded === null) return 3;
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
      curve: opts.curve !== false,
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
      },
    });
  } catch (err) {
    bar.stop();
    if (err instanceof Interrupted || interrupted) {
      process.stderr.write("iovsim: interrupted; nothing written\n");
      return 130;
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
  else process.stdout.write(formatPlan(result, outDir, workers));
  return 0;
}
