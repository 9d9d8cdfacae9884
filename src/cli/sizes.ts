import { formatCatalogIssues } from "../catalog/parse.js";
import { loadCatalog } from "../catalog/read-files.js";
import { HeapBudgetError, heapBudget, mib } from "../node/heap-budget.js";
import { type InterruptScope, withInterrupts } from "../node/interrupt.js";
import { type OutputDir, openOutputDir } from "../node/output-set.js";
import { nextTurn, statusLine } from "../node/progress.js";
import { QueueRefused } from "../node/queue-codec.js";
import { guardedEvaluator } from "../planner/evaluator.js";
import { type SiteSizeCurve, siteSizeCurve } from "../planner/sizes.js";
import { type SizesShardFile, sizesShard } from "../planner/sizes-shard.js";
import { count, table } from "../report/format.js";
import { siteSizeCsv } from "../report/site-size-csv.js";
import { BudgetClock, runBudget } from "../run/budget.js";
import { tooManyServers } from "../study/load.js";
import { DEFAULT_LIMITS, limitsFor, type SizeLimits } from "../topology/size.js";
import { EXIT, type ExitCode, verdictExit } from "./exit-codes.js";
import { loadStudyOrCode, UsageError } from "./load.js";
import { commandEvaluator, SHARD_FILE, shardOrUsage, WallBudget, withinWall, workerCount } from "./plan.js";
import { printErr, printOut } from "./terminal.js";

/** What `iovsim plan --sizes --out DIR` writes: its set in DIR. */
export const SIZES_FILES = ["site-size.json", "site-size.csv"] as const;

/**
 * `--sizes 32,64,128`: whole numbers from 1 to the limits' `servers` (4,096; `--allow-large` raises it), or
 * undefined for the study's `sizes`.
 */
export function parseSizes(
  text: string | boolean | undefined,
  limits: SizeLimits = DEFAULT_LIMITS,
): number[] | undefined {
  if (text === undefined || text === true) return undefined;
  if (text === false) return undefined;
  const parts = text.split(",").map((s) => s.trim());
  const sizes = parts.map(Number);
  if (parts.some((p) => !/^\d+$/.test(p)) || sizes.some((n) => n < 1))
    throw new UsageError(`--sizes: expected server counts (whole numbers from 1) separated by commas, got "${text}"`);
  const large = sizes.find((n) => n > limits.servers);
  if (large !== undefined) throw new UsageError(`--sizes: ${tooManyServers(large, limits)}`);
  return sizes;
}

/** The site-size curve as terminal text: per size and design the choice, hardware and cost per server; crossovers. */
export function formatSizes(c: SiteSizeCurve): string {
  const designs = [...new Set(c.rows.map((r) => r.design))].sort();
  const rows: string[][] = [
    ["servers", ...designs.map((d) => `${d} TCO/server`), ...designs.map((d) => `${d} hw/server`)],
  ];
  for (const n of c.sizes) {
    const at = (d: string) => c.rows.find((r) => r.servers === n && r.design === d);
    rows.push([
      String(n),
      ...designs.map((d) => {
        const r = at(d);
        if (r === undefined || r.totals === null) return r?.status ?? "—";
        return r.costPerServer === null
          ? "—"
          : `${r.costIsLowerBound ? "≥ " : ""}$${count(Math.round(r.costPerServer))}`;
      }),
      ...designs.map((d) => {
        const r = at(d);
        return r?.hardwarePerServer == null ? (r?.status ?? "—") : r.hardwarePerServer.toFixed(1);
      }),
    ]);
  }
  const out = [
    "site-size curve: per design the planner's choice for the same site at each size (flow level unless confirmed)",
    "TCO/server: the chosen configuration's cost of ownership over the study's years per server, typical (≥: some items unpriced); hw/server: hardware count per server",
    ...table(rows, 1),
    "",
  ];
  for (const r of c.rows) {
    const params =
      r.parameters === null
        ? r.status
        : Object.entries(r.parameters)
            .map(([k, v]) => `${k}=${v}`)
            .join(" ");
    out.push(
      `  ${String(r.servers).padStart(4)} ${r.design.padEnd(11)} ${params}${r.confirmed ? " (packet-confirmed)" : ""}${r.reason === null ? "" : `: ${r.reason}`}`,
    );
  }
  out.push("", "crossovers (the first size where a design that was dearer per server is cheaper):");
  if (c.crossovers.length === 0) out.push("  none between these sizes");
  for (const x of c.crossovers)
    out.push(`  ${x.overtaker} overtakes ${x.overtaken} between ${x.from} and ${x.to} servers (${x.by})`);
  out.push("", `rule: ${c.rule}`, `wall time ${c.wallSeconds.toFixed(1)} s`);
  return `${out.join("\n")}\n`;
}

/** Writes the curve's set (site-size.json, site-size.csv) into `outDir` and prints its table; the exit code. */
export async function writeSizesSet(
  curve: SiteSizeCurve,
  outDir: OutputDir,
  scope: InterruptScope,
  opts: { json?: boolean | undefined; failOnMiss?: boolean | undefined },
): Promise<ExitCode> {
  const json = `${JSON.stringify(curve, null, 2)}\n`;
  scope.ready("write");
  await outDir.commit(
    [
      { name: "site-size.json", content: json },
      { name: "site-size.csv", content: siteSizeCsv(curve) },
    ],
    scope,
  );
  if (opts.json === true) process.stdout.write(json);
  else printOut(formatSizes(curve));
  return verdictExit(
    curve.rows.every((r) => r.status === "met"),
    opts.failOnMiss,
  );
}

/**
 * `iovsim plan STUDY --sizes [32,64,…]`: the site-size curve only; writes site-size.json
 * and site-size.csv into --out as one set (see `src/node/output-set.ts`); with `--shard i/n`
 * only that shard's searches, into shard.json (`iovsim merge` joins them). Exit 0 when every
 * size has a configuration of every design that meets every row, 1 when one has none
 * (`--no-fail-on-miss`: 0); 2 usage; 3 invalid study or catalog; 4 stopped by a budget (`--max-wall`,
 * `--max-heap`: nothing written); 130 on Ctrl-C.
 */
export async function sizesCommand(
  study: string,
  opts: {
    sizes: string | boolean;
    out?: string | undefined;
    workers?: number | undefined;
    forceWorkers?: boolean | undefined;
    catalog?: string[] | undefined;
    json?: boolean | undefined;
    confirm?: boolean | undefined;
    /** Flow-level evaluations per size and design (default SIZE_FLOW_BUDGET). */
    flowBudget?: number | undefined;
    /** Packet-level replications per confirmation, at least (with `confirm`; default 3). */
    replications?: number | undefined;
    /** Searches side by side (`--at-once`; default the evaluator's concurrency + 1). */
    atOnce?: number | undefined;
    failOnMiss?: boolean | undefined;
    shard?: string | undefined;
    /** Evaluations on a Redis job queue that `iovsim worker` processes answer (redis://host:port). */
    queue?: string | undefined;
    maxWall?: number | undefined;
    /** MiB of live heap in this thread before it stops (default: 80 % of the heap limit). */
    maxHeap?: number | undefined;
    /** Site sizes past 4,096 servers (`--allow-large`: LARGE_LIMITS). */
    allowLarge?: boolean | undefined;
  },
): Promise<ExitCode> {
  const limits = limitsFor(opts.allowLarge);
  const asked = parseSizes(opts.sizes, limits);
  const { workers, warning } = workerCount(opts.workers, opts.forceWorkers);
  const shard = opts.shard === undefined ? null : shardOrUsage(opts.shard);
  return withInterrupts(async (scope) => {
    const outDir = await openOutputDir(
      "--out",
      opts.out ?? "out",
      "iovsim plan --sizes",
      shard === null ? SIZES_FILES : [SHARD_FILE],
    );
    try {
      if (warning !== null) printErr(`${warning}\n`);
      const loaded = await loadStudyOrCode(study, limits);
      if (typeof loaded === "number") return loaded;
      const sizes = asked ?? loaded.file.sizes;
      if (sizes === undefined)
        throw new UsageError("--sizes: give the sizes (e.g. --sizes 32,64,128) or set sizes: in the study");
      const catalog = await loadCatalog(opts.catalog ?? []);
      if (!catalog.ok) {
        printErr(`${formatCatalogIssues(catalog.issues)}\ncatalog: problems; nothing written\n`);
        return EXIT.invalidInput;
      }
      const status = statusLine("sizes");
      // Budgets are checked as each evaluation is handed out: a search at 1,000 servers runs for minutes
      // between two finished searches. The line counts the evaluations answered.
      const clock = new BudgetClock(runBudget({ maxWall: opts.maxWall, maxEvents: Number.POSITIVE_INFINITY }));
      const heap = heapBudget(opts.maxHeap === undefined ? undefined : opts.maxHeap * 2 ** 20);
      const answered = { build: 0, flow: 0, replicate: 0 };
      let searches = "";
      const show = () => status.update(`${searches}${evaluationsText(answered, evaluator.build !== undefined)}`);
      const evaluator = guardedEvaluator(
        await commandEvaluator(opts.queue, workers),
        () => {
          scope.check();
          const hit = clock.check();
          if (hit !== null) throw new WallBudget(hit.limit);
          heap();
        },
        (kind) => {
          answered[kind]++;
          show();
        },
      );
      const options = {
        confirm: opts.confirm === true,
        ...(opts.flowBudget === undefined ? {} : { flowBudget: opts.flowBudget }),
        ...(opts.atOnce === undefined ? {} : { searchesAtOnce: opts.atOnce }),
        ...(opts.replications === undefined ? {} : { replications: opts.replications }),
        evaluator,
        onProgress: async (done: number, total: number) => {
          searches = `${done}/${total} searches, `;
          show();
          await nextTurn();
          scope.check();
        },
      };
      let result: SiteSizeCurve | SizesShardFile;
      scope.ready("sizes");
      try {
        result = await withinWall<SiteSizeCurve | SizesShardFile>(
          clock,
          shard === null
            ? siteSizeCurve(loaded, catalog.catalog, sizes, options)
            : sizesShard(loaded, catalog.catalog, sizes, shard, options),
        );
      } catch (err) {
        if (err instanceof WallBudget) {
          printErr(
            `iovsim: stopped by the wall-clock budget (${err.limit} s) before the site-size curve was complete; nothing written; raise it with --max-wall SECONDS, or run fewer sizes or shards (--shard i/n)\n`,
          );
          return EXIT.budget;
        }
        if (err instanceof QueueRefused) {
          printErr(`iovsim: ${err.message}; nothing written\n`);
          return EXIT.usage;
        }
        if (err instanceof HeapBudgetError) {
          printErr(
            `iovsim: stopped by the memory budget before the site-size curve was complete: the planner thread held ${mib(err.usedBytes)} MiB of live heap (budget ${mib(err.limitBytes)} MiB); nothing written. Run fewer searches at once (--at-once N) or one process per shard (--shard i/n, then iovsim merge)\n`,
          );
          return EXIT.budget;
        }
        throw err;
      } finally {
        status.stop();
        await evaluator.close();
      }
      scope.check();
      if ("kind" in result) {
        scope.ready("write");
        await outDir.commit([{ name: SHARD_FILE, content: `${JSON.stringify(result)}\n` }], scope);
        const units = result.units.map((u) => `${u.unit.design}@${u.unit.servers}`);
        printErr(
          `iovsim plan --sizes: shard ${result.shard.index}/${result.shard.count} (${units.join(", ") || "nothing: more shards than searches"}) in ${result.wallSeconds.toFixed(1)} s → ${outDir.path.replace(/\/+$/, "")}/${SHARD_FILE}; join every shard with iovsim merge\n`,
        );
        return EXIT.ok;
      }
      return await writeSizesSet(result, outDir, scope, opts);
    } finally {
      await outDir.release();
    }
  });
}

/**
 * The status line's counts. Candidates built are counted where an evaluator builds them (worker threads,
 * a queue): with `--workers 0` the searches build them in the planner's thread, uncounted, and the line
 * leaves the count out rather than show 0.
 */
export function evaluationsText(
  answered: { readonly build: number; readonly flow: number; readonly replicate: number },
  countsBuilds: boolean,
): string {
  const built = countsBuilds ? `${answered.build} candidates built, ` : "";
  return `${built}${answered.flow} flow-level and ${answered.replicate} packet-level evaluations`;
}
