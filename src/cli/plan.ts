import { formatCatalogIssues } from "../catalog/parse.js";
import { loadCatalog } from "../catalog/read-files.js";
import { HeapBudgetError, heapBudget, mib } from "../node/heap-budget.js";
import { type InterruptScope, withInterrupts } from "../node/interrupt.js";
import { type OutputDir, openOutputDir } from "../node/output-set.js";
import { defaultWorkers, poolEvaluator } from "../node/pool-evaluator.js";
import { nextTurn, statusLine } from "../node/progress.js";
import { QueueRefused } from "../node/queue-codec.js";
import { queueEvaluator, redacted } from "../node/queue-evaluator.js";
import { guardedEvaluator } from "../planner/evaluator.js";
import { type Evaluator, inProcessEvaluator, type PlanProgress, type PlanResult, plan } from "../planner/index.js";
import { parseShard, planShard, type ShardFile, type ShardSpec } from "../planner/shard.js";
import { count } from "../report/format.js";
import { planReportFiles } from "../report/plan-files.js";
import { formatPlan } from "../report/plan-terminal.js";
import { BudgetClock, runBudget } from "../run/budget.js";
import { resolvePrecision } from "../topology/resolve.js";
import { limitsFor } from "../topology/size.js";
import { EXIT, type ExitCode, verdictExit } from "./exit-codes.js";
import { loadStudyOrCode, UsageError } from "./load.js";
import { commandPrecision } from "./precision.js";
import { printErr, printOut } from "./terminal.js";

/** What `iovsim plan --shard i/n --out DIR` writes. */
export const SHARD_FILE = "shard.json";

/** What `iovsim plan --out DIR` writes: its set in DIR (other files there are kept). */
export const PLAN_FILES = [
  "report.html",
  "plan.json",
  "plan.md",
  "plan.csv",
  "plan-sla.csv",
  "last-mile-curve.csv",
] as const;

/** `--max-wall` passed between two evaluations (also the site-size curve's, `sizes.ts`). */
export class WallBudget extends Error {
  constructor(readonly limit: number) {
    super("wall-clock budget");
  }
}

/**
 * `work`, or a WallBudget once `--max-wall` has passed even while no evaluation answers: the progress calls
 * that look at the clock never come while a plan waits on a queue without workers. Work abandoned at the
 * deadline ends when its evaluator closes; its failure then is not the command's.
 */
export async function withinWall<T>(clock: BudgetClock, work: Promise<T>): Promise<T> {
  const limit = clock.budget.maxWallSeconds;
  if (!Number.isFinite(limit)) return work;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new WallBudget(limit)), Math.max(0, (limit - clock.wallSeconds()) * 1000));
  });
  work.catch(() => {});
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

export interface PlanCommandOptions {
  /** Directory for plan.json (default `out/`). */
  out?: string | undefined;
  /** A fixed number of packet-level replications per confirmation (default: the study's precision, from 3). */
  replications?: number | undefined;
  /** Wanted relative half-width at packet level, or "off" (fixed replications); default: the study's `precision`. */
  precision?: string | undefined;
  /** Print plan.json on stdout instead of the table. */
  json?: boolean | undefined;
  /** Worker threads for the evaluations (default: one per core; 0: this thread). */
  workers?: number | undefined;
  /** A Redis URL: evaluations go to the job queue (`iovsim worker`) instead of local threads. */
  queue?: string | undefined;
  /** `i/n`: run only this shard's searches and write shard.json (`iovsim merge` joins the shards). */
  shard?: string | undefined;
  /** Compute the last-mile curve (default true; `--no-curve`). */
  curve?: boolean | undefined;
  /** Extra catalog files, in order; their entries replace built-in ones with the same id. */
  catalog?: string[] | undefined;
  /** Allow more workers than cores. */
  forceWorkers?: boolean | undefined;
  /** False (`--no-fail-on-miss`): a design without a met configuration still exits 0. */
  failOnMiss?: boolean | undefined;
  /** Size limits raised a hundredfold (`--allow-large`); a wall-clock budget in seconds (`--max-wall`). */
  allowLarge?: boolean | undefined;
  maxWall?: number | undefined;
  /** MiB of live heap in the planner's thread before it stops (`--max-heap`; default 80 % of the heap limit). */
  maxHeap?: number | undefined;
}

/**
 * The progress line's counts over every search seen (`iovsim plan`, `iovsim sweep`), from the planner's
 * progress calls (totals are not known before the end).
 */
export function progressText(seen: Map<string, PlanProgress>): string {
  let built = 0;
  let flow = 0;
  let packet = 0;
  let curve: PlanProgress | null = null;
  for (const p of seen.values()) {
    if (p.phase === "enumerate") built += p.done;
    else if (p.phase === "flow") flow += p.done;
    else if (p.phase === "packet") packet += p.done;
    else curve = p;
  }
  const parts = [`${count(built)} built`, `flow ${count(flow)}`, `packet ${count(packet)}`];
  if (curve !== null) parts.push(`curve ${curve.done}/${curve.total}`);
  return parts.join(" · ");
}

/** How many worker threads: at most one per core unless forced (each takes its own heap; more only contend). */
export function workerCount(
  asked: number | undefined,
  force: boolean | undefined,
  cores = defaultWorkers(),
): {
  workers: number;
  warning: string | null;
} {
  const workers = asked ?? cores;
  if (!Number.isSafeInteger(workers) || workers < 0)
    throw new UsageError(`--workers must be an integer ≥ 0, got ${workers}`);
  if (workers <= cores || force === true) return { workers, warning: null };
  return {
    workers: cores,
    warning: `iovsim: warning: --workers ${workers} capped at ${cores}, the number of cores: each worker thread takes its own memory and more threads than cores only contend (64 workers took 1.7 GB and ran 7× slower on 2 cores); --force-workers to use ${workers} anyway`,
  };
}

/**
 * `iovsim plan STUDY [--out DIR] [--replications N | --precision F|off] [--workers N] [--no-curve] [--json]`:
 * per design the configuration that minimizes the study's objective and meets
 * every SLA row (flow-level search, packet-level confirmation), the rank
 * robustness and the last-mile curve; writes plan.json and its
 * reports into DIR as one set (see `src/node/output-set.ts`). Evaluations run
 * on `--workers` threads (0: in this thread).
 * Exit 0 when every design has a configuration that meets every row, 1 when
 * one has none (`--no-fail-on-miss`: 0); 2 usage (an unusable or busy --out,
 * checked before any work); 3 with `file:line:col path: message` lines on an
 * invalid study or catalog; 130 on Ctrl-C (the previous set kept).
 */
export async function planCommand(study: string, opts: PlanCommandOptions): Promise<ExitCode> {
  const replications = opts.replications ?? 3;
  if (!Number.isSafeInteger(replications) || replications < 1)
    throw new UsageError(`--replications must be an integer ≥ 1, got ${replications}`);
  commandPrecision(null, opts); // --precision checked before any work; applied to the study's below
  const { workers, warning } = workerCount(opts.workers, opts.forceWorkers);
  // Ctrl-C is handled from the lock to its release: no exit path leaves the lock or a temporary.
  return withInterrupts(async (scope) => {
    const shard = opts.shard === undefined ? null : shardOrUsage(opts.shard);
    const outDir = await openOutputDir(
      "--out",
      opts.out ?? "out",
      "iovsim plan",
      shard === null ? PLAN_FILES : [SHARD_FILE],
    );
    try {
      if (warning !== null) printErr(`${warning}\n`);
      const loaded = await loadStudyOrCode(study, limitsFor(opts.allowLarge));
      if (typeof loaded === "number") return loaded;
      const clock = new BudgetClock(runBudget({ maxWall: opts.maxWall, maxEvents: Number.POSITIVE_INFINITY }));
      const catalog = await loadCatalog(opts.catalog ?? []);
      if (!catalog.ok) {
        printErr(`${formatCatalogIssues(catalog.issues)}\ncatalog: problems; nothing written\n`);
        return EXIT.invalidInput;
      }
      // Confirmations run to the study's precision unless the command line fixes their replications.
      const precision = commandPrecision(
        resolvePrecision(loaded.file.precision, Math.max(2, replications), null),
        opts,
      );
      // The memory budget is checked as each evaluation is handed out (src/node/heap-budget.ts).
      const evaluator = guardedEvaluator(
        await commandEvaluator(opts.queue, workers),
        heapBudget(opts.maxHeap === undefined ? undefined : opts.maxHeap * 2 ** 20),
      );
      // One line over every evaluation: jobs of all designs interleave on the workers.
      const status = statusLine("plan");
      const seen = new Map<string, PlanProgress>();
      let result: PlanResult | ShardFile;
      let busy: Busy | null = null;
      scope.ready("plan");
      try {
        const options = {
          replications,
          precision,
          evaluator,
          curve: opts.curve !== false,
          onProgress: async (p: PlanProgress) => {
            seen.set(`${p.design} ${p.phase}`, p);
            status.update(progressText(seen));
            await nextTurn();
            scope.check();
            const hit = clock.check();
            if (hit !== null) throw new WallBudget(hit.limit);
          },
        };
        result = await withinWall<PlanResult | ShardFile>(
          clock,
          shard === null ? plan(loaded, catalog.catalog, options) : planShard(loaded, catalog.catalog, shard, options),
        );
      } catch (err) {
        if (err instanceof HeapBudgetError) {
          printErr(
            `iovsim: stopped by the memory budget before the plan was complete: the planner thread held ${mib(err.usedBytes)} MiB of live heap (budget ${mib(err.limitBytes)} MiB); nothing written. Plan fewer designs at once or one process per shard (--shard i/n, then iovsim merge)\n`,
          );
          return EXIT.budget;
        }
        if (err instanceof QueueRefused) {
          printErr(`iovsim: ${err.message}; nothing written\n`);
          return EXIT.usage;
        }
        if (!(err instanceof WallBudget)) throw err;
        printErr(
          `iovsim: stopped by the wall-clock budget (${err.limit} s) before the plan was complete; nothing written; raise it with --max-wall SECONDS\n`,
        );
        return EXIT.budget;
      } finally {
        status.stop();
        busy =
          evaluator.busySeconds === undefined
            ? null
            : { wall: evaluator.busySeconds(), cpu: evaluator.cpuSeconds?.() ?? [], main: process.cpuUsage() };
        await evaluator.close();
      }
      scope.check();
      if ("kind" in result) {
        scope.ready("write");
        await outDir.commit([{ name: SHARD_FILE, content: `${JSON.stringify(result)}\n` }], scope);
        const units = result.units.map((u) =>
          u.unit.kind === "design" ? u.unit.design : `${u.unit.design}@${u.unit.share}`,
        );
        printErr(
          `iovsim plan: shard ${result.shard.index}/${result.shard.count} (${units.join(", ") || "nothing: more shards than searches"}) in ${result.wallSeconds.toFixed(1)} s → ${outDir.path.replace(/\/+$/, "")}/${SHARD_FILE}; join every shard with iovsim merge\n`,
        );
        return EXIT.ok;
      }
      return await writePlanSet(result, outDir, scope, opts, opts.queue === undefined ? workers : null, busy);
    } finally {
      await outDir.release();
    }
  });
}

/** Writes a plan's set (plan.json and its reports) into `outDir` and prints its table; the verdict's exit code. */
export async function writePlanSet(
  result: PlanResult,
  outDir: OutputDir,
  scope: InterruptScope,
  opts: { json?: boolean | undefined; failOnMiss?: boolean | undefined },
  workers: number | null,
  busy: Busy | null = null,
): Promise<ExitCode> {
  const json = `${JSON.stringify(result, null, 2)}\n`;
  const files = [...planReportFiles(result), { name: "plan.json", content: json }].filter(
    (f) => result.lastMileCurve !== null || f.name !== "last-mile-curve.csv",
  );
  scope.ready("write");
  await outDir.commit(files, scope);
  const missed = missedNote(result, opts.failOnMiss);
  if (opts.json) {
    // stdout stays one JSON document; the reason for the exit code goes to stderr.
    process.stdout.write(json);
    if (missed !== "") printErr(missed.trimStart());
  } else
    printOut(
      formatPlan(
        result,
        outDir.path,
        workers,
        files.map((f) => f.name),
      ) +
        busyLine(busy, result.wallSeconds) +
        missed,
    );
  return verdictExit(
    result.designs.every((d) => d.verdict === "met"),
    opts.failOnMiss,
  );
}

interface Busy {
  wall: readonly number[];
  cpu: readonly (number | null)[];
  /** The whole process's CPU time (all threads) when the plan ended. */
  main: NodeJS.CpuUsage;
}

/** How busy each worker thread was, in jobs and in CPU (where the pool's speedup shows first), and the rest of the process. */
export function busyLine(busy: Busy | null, wallSeconds: number): string {
  if (busy === null || busy.wall.length === 0) return "";
  const each = busy.wall
    .map((s, i) => {
      const cpu = busy.cpu[i];
      return `${s.toFixed(1)} s in jobs${cpu === null || cpu === undefined ? "" : `, ${cpu.toFixed(1)} s CPU`}`;
    })
    .join("; ");
  const cpus = busy.cpu.filter((c): c is number => c !== null && c !== undefined);
  const total = (busy.main.user + busy.main.system) / 1e6;
  const rest =
    cpus.length === busy.wall.length
      ? `; the rest of the process (planner thread, GC, start-up) ${(total - cpus.reduce((a, b) => a + b, 0)).toFixed(1)} s CPU`
      : "";
  return `worker threads: ${each} (of ${wallSeconds.toFixed(1)} s wall)${rest}\n`;
}

export function shardOrUsage(text: string): ShardSpec {
  try {
    return parseShard(text);
  } catch (e) {
    if (e instanceof RangeError) throw new UsageError(e.message);
    throw e;
  }
}

/**
 * Where a command's evaluations run: on the Redis queue at `queue` (a URL that cannot be reached is a
 * UsageError), in this thread (`workers` 0), or on that many worker threads.
 */
export async function commandEvaluator(queue: string | undefined, workers: number): Promise<Evaluator> {
  if (queue === undefined) return workers === 0 ? inProcessEvaluator : poolEvaluator(workers);
  try {
    return await queueEvaluator(queue, {
      onConnectionError: (message) =>
        printErr(
          `iovsim: lost the Redis queue at ${redacted(queue)} (${message}); the plan waits for it (--max-wall bounds the wait)\n`,
        ),
      onNoWorker: () =>
        printErr(
          `iovsim: no worker listens on ${redacted(queue)} yet; the jobs wait until one does (iovsim worker --queue URL)\n`,
        ),
    });
  } catch (e) {
    if (e instanceof RangeError) throw new UsageError(e.message);
    throw e;
  }
}

/** One line under the table when the exit code says "missed". */
function missedNote(p: PlanResult, failOnMiss: boolean | undefined): string {
  const notMet = p.designs.filter((d) => d.verdict !== "met");
  if (notMet.length === 0) return "";
  const which = notMet.map((d) => `${d.design} ${d.verdict === "none" ? "none meets" : d.verdict}`).join(", ");
  return `\n${notMet.length} design${notMet.length === 1 ? "" : "s"} without a configuration that meets every SLA row (${which})${failOnMiss === false ? "" : ": exit 1 (--no-fail-on-miss to report only)"}\n`;
}
