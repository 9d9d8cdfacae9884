/**
 * `iovsim sweep STUDY --set path=v1,v2,… [--set …] [--sizes n1,n2,…] [--out DIR]
 * [--workers N | --queue redis://…]`: the plan at every point of the grid, one
 * table and `sweep.csv` (a row per point and design). A sweep reports: exit 0
 * whatever the verdicts; 2 for a bad --set or --sizes, 3 for an invalid study
 * (also when a grid point makes it invalid), 4 when --max-wall or --max-heap
 * stops it (nothing written).
 */
import { readFile } from "node:fs/promises";
import { formatCatalogIssues } from "../catalog/parse.js";
import { loadCatalog } from "../catalog/read-files.js";
import { HeapBudgetError, heapBudget, mib } from "../node/heap-budget.js";
import { withInterrupts } from "../node/interrupt.js";
import { openOutputDir } from "../node/output-set.js";
import { nextTurn, statusLine } from "../node/progress.js";
import { QueueRefused } from "../node/queue-codec.js";
import { guardedEvaluator } from "../planner/evaluator.js";
import { parseSet, type SweepVariable, sweep, sweepCsv, sweepGrid } from "../planner/sweep.js";
import type { PlanProgress } from "../planner/types.js";
import { table } from "../report/format.js";
import { BudgetClock, runBudget } from "../run/budget.js";
import { limitsFor } from "../topology/size.js";
import { EXIT, type ExitCode } from "./exit-codes.js";
import { loadStudyOrCode, UsageError } from "./load.js";
import { commandEvaluator, progressText, WallBudget, withinWall, workerCount } from "./plan.js";
import { parseSizes } from "./sizes.js";
import { printErr, printOut } from "./terminal.js";

export interface SweepCommandOptions {
  set?: string[] | undefined;
  sizes?: string | undefined;
  out?: string | undefined;
  workers?: number | undefined;
  forceWorkers?: boolean | undefined;
  queue?: string | undefined;
  replications?: number | undefined;
  curve?: boolean | undefined;
  /** Points planned side by side (`--at-once`; default the evaluator's concurrency + 1). */
  atOnce?: number | undefined;
  catalog?: string[] | undefined;
  /** Site sizes past 4,096 servers and larger topologies (`--allow-large`: LARGE_LIMITS). */
  allowLarge?: boolean | undefined;
  /** Stop after this many seconds of wall time (`--max-wall`): nothing written, exit 4. */
  maxWall?: number | undefined;
  /** Stop when the planner thread's live heap passes this many MiB (`--max-heap`): nothing written, exit 4. */
  maxHeap?: number | undefined;
}

export const SWEEP_FILES = ["sweep.csv", "sweep.json"] as const;

export async function sweepCommand(study: string, opts: SweepCommandOptions): Promise<ExitCode> {
  const variables: SweepVariable[] = [];
  try {
    for (const s of opts.set ?? []) variables.push(parseSet(s));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  // The same list as plan --sizes takes (whole server counts up to the limit), with the same message.
  const limits = limitsFor(opts.allowLarge);
  const sizes = parseSizes(opts.sizes, limits) ?? null;
  const { workers, warning } = workerCount(opts.workers, opts.forceWorkers);
  return withInterrupts(async (scope) => {
    const outDir = await openOutputDir("--out", opts.out ?? "out", "iovsim sweep", SWEEP_FILES);
    try {
      if (warning !== null) printErr(`${warning}\n`);
      // Load once to report a broken study as `plan` does; the grid's points are edits of its text.
      const loaded = await loadStudyOrCode(study, limits);
      if (typeof loaded === "number") return loaded;
      const text = await readFile(study, "utf8");
      const catalog = await loadCatalog(opts.catalog ?? []);
      if (!catalog.ok) {
        printErr(`${formatCatalogIssues(catalog.issues)}\ncatalog: problems; nothing written\n`);
        return EXIT.invalidInput;
      }
      const clock = new BudgetClock(runBudget({ maxWall: opts.maxWall, maxEvents: Number.POSITIVE_INFINITY }));
      // The memory budget is checked as each evaluation is handed out (src/node/heap-budget.ts), as in plan.
      const evaluator = guardedEvaluator(
        await commandEvaluator(opts.queue, workers),
        heapBudget(opts.maxHeap === undefined ? undefined : opts.maxHeap * 2 ** 20),
      );
      scope.ready("sweep");
      // One line over the searches of every point being planned: they share the same workers.
      const status = statusLine("sweep");
      const seen = new Map<string, PlanProgress>();
      const points = sweepGrid(variables, sizes).length;
      let result: Awaited<ReturnType<typeof sweep>>;
      try {
        result = await withinWall(
          clock,
          sweep(text, study, catalog.catalog, variables, sizes, {
            limits,
            replications: opts.replications ?? 3,
            evaluator,
            curve: opts.curve === true,
            ...(opts.atOnce === undefined ? {} : { pointsAtOnce: opts.atOnce }),
            onProgress: async (p) => {
              seen.set(`${p.point} ${p.design} ${p.phase}`, p);
              status.update(`points ${p.pointsDone}/${points} planned · ${progressText(seen)}`);
              await nextTurn();
              scope.check();
              const hit = clock.check();
              if (hit !== null) throw new WallBudget(hit.limit);
            },
          }),
        );
      } catch (e) {
        if (e instanceof HeapBudgetError) {
          printErr(
            `iovsim: stopped by the memory budget before the sweep was complete: the planner thread held ${mib(e.usedBytes)} MiB of live heap (budget ${mib(e.limitBytes)} MiB); nothing written. Plan fewer points at once (--at-once N) or sweep fewer\n`,
          );
          return EXIT.budget;
        }
        if (e instanceof WallBudget) {
          printErr(
            `iovsim: stopped by the wall-clock budget (${e.limit} s) before the sweep was complete; nothing written; raise it with --max-wall SECONDS\n`,
          );
          return EXIT.budget;
        }
        if (e instanceof QueueRefused) {
          printErr(`iovsim: ${e.message}; nothing written\n`);
          return EXIT.usage;
        }
        if (!(e instanceof RangeError)) throw e;
        const message = e.message;
        if (message.startsWith("--")) throw new UsageError(message);
        printErr(`${message}\nnothing written\n`);
        return EXIT.invalidInput;
      } finally {
        status.stop();
        await evaluator.close();
      }
      scope.check();
      const csv = sweepCsv(result);
      await outDir.commit(
        [
          { name: "sweep.csv", content: csv },
          { name: "sweep.json", content: `${JSON.stringify(result.plans, null, 2)}\n` },
        ],
        scope,
      );
      const head = [...result.variables, "servers", "design", "verdict", "chosen", "objective value", "hardware"];
      const rows = result.rows.map((r) => [
        ...result.variables.map((v) => r.values[v] ?? ""),
        String(r.servers),
        r.design,
        r.verdict + (r.confirmed ? "" : " (flow)"),
        r.parameters || "—",
        r.objectiveTypical === null ? "—" : Math.round(r.objectiveTypical).toLocaleString("en-US"),
        r.hardwareScore === null ? "—" : String(r.hardwareScore),
      ]);
      printOut(
        `iovsim sweep ${loaded.file.name}: ${points} point${points === 1 ? "" : "s"}\n\n${table([head, ...rows], head.length - 2).join("\n")}\n\nwritten: ${outDir.path.replace(/\/+$/, "")}/sweep.csv, sweep.json (every point's plan)\n`,
      );
      return EXIT.ok;
    } finally {
      await outDir.release();
    }
  });
}
