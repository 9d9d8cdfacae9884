import { parseTime, TICKS_PER_SECOND } from "../../sim/units.js";
import { resultBom } from "../bom/bom.js";
import { formatCatalogIssues } from "../catalog/parse.js";
import { loadCatalog } from "../catalog/read-files.js";
import type { RunResult } from "../metrics/result.js";
import { type InterruptScope, withInterrupts } from "../node/interrupt.js";
import { checkOutputFile, type OutputFile, openOutputFile } from "../node/output-file.js";
import { type OutputDir, openOutputDir } from "../node/output-set.js";
import { nextTurn, progressBar } from "../node/progress.js";
import { runSummary } from "../report/run-summary.js";
import { aggregate } from "../run/aggregate.js";
import {
  BudgetClock,
  BudgetedReplications,
  describePartial,
  type MaybePartialResult,
  type PartialInfo,
  runBudget,
  runProblem,
} from "../run/budget.js";
import { PrecisionRun, type ReplicationRequest } from "../run/precision.js";
import { Replication } from "../run/replication.js";
import { limitsFor } from "../topology/size.js";
import type { Precision, ResolvedTopology } from "../topology/types.js";
import type { Message } from "../workload/message.js";
import { parseFailover } from "./blast.js";
import { bomOfTopology } from "./bom.js";
import { EXIT, type ExitCode, verdictExit } from "./exit-codes.js";
import { loadTopologyOrCode, UsageError } from "./load.js";
import { commandPrecision } from "./precision.js";
import { printErr, printOut } from "./terminal.js";

export interface RunOptions {
  seed?: number;
  replications?: number;
  duration?: string;
  /** Wanted relative half-width, or "off" (fixed replications); default: the file's `precision`. */
  precision?: string;
  json?: boolean;
  out?: string;
  trace?: string;
  traceEvery?: number;
  /** Faults' detection + failover time: a time, "off" or "design". */
  failover?: string;
  /** False (`--no-fail-on-miss`): a missed SLA row still exits 0. */
  failOnMiss?: boolean;
  /** Budgets (src/run/budget.ts): size limits raised a hundredfold; events and wall seconds of the run. */
  allowLarge?: boolean;
  maxEvents?: number;
  maxWall?: number;
}

/** What `iovsim run --out DIR` writes: its set in DIR (other files there are kept). */
export const RUN_FILES = ["result.json"] as const;

/** Slices of simulated time between event-loop turns: progress and Ctrl-C stay responsive. */
const SLICES = 50;

/** Options that change nothing for this file: one warning each, so a no-op is never silent. */
function noEffectWarnings(topo: ResolvedTopology, opts: RunOptions): string[] {
  const out: string[] = [];
  if (opts.failover !== undefined && topo.faults.length === 0 && topo.failures.length === 0)
    out.push(
      `iovsim: warning: --failover ${opts.failover} has no effect: ${topo.name} has no faults (add faults: or failures:, or use iovsim blast)`,
    );
  if (opts.traceEvery !== undefined && opts.trace === undefined)
    out.push("iovsim: warning: --trace-every has no effect without --trace FILE");
  return out;
}

/**
 * `iovsim run FILE`: simulates a topology and prints the summary (or JSON).
 * Exit 0 when every SLA row is met, 1 when one is missed or undecided
 * (`--no-fail-on-miss`: 0), 2 usage (including an unusable --out/--trace,
 * checked before the run), 3 invalid input, 4 a budget hit (past a size limit:
 * nothing run; past --max-events or --max-wall: a partial, labelled result),
 * 130 on Ctrl-C (nothing written).
 */
export async function runCommand(file: string, opts: RunOptions): Promise<ExitCode> {
  // Options and output paths first: a mistake there is found before any work.
  let durationTicks: number | undefined;
  if (opts.duration !== undefined) {
    try {
      durationTicks = parseTime(opts.duration);
    } catch (err) {
      throw new UsageError(`--duration: ${(err as Error).message}`);
    }
    if (durationTicks <= 0) throw new UsageError("--duration must be positive");
  }
  const failoverTicks = parseFailover(opts.failover);
  commandPrecision(null, opts); // --precision checked here, applied to the file's below
  if (opts.trace !== undefined) await checkOutputFile("--trace", opts.trace);

  // Ctrl-C is handled from the lock to its release: no exit path leaves the lock or a temporary.
  return withInterrupts(async (scope) => {
    const outDir: OutputDir | null =
      opts.out === undefined ? null : await openOutputDir("--out", opts.out, "iovsim run", RUN_FILES);
    let trace: OutputFile | null = null;
    try {
      const limits = limitsFor(opts.allowLarge);
      const loaded = await loadTopologyOrCode(file, limits);
      if (typeof loaded === "number") return loaded;
      const experiment = { ...loaded.experiment };
      if (opts.seed !== undefined) experiment.seed = opts.seed;
      if (opts.replications !== undefined) experiment.replications = opts.replications;
      if (durationTicks !== undefined) experiment.durationTicks = durationTicks;
      const topo: ResolvedTopology = { ...loaded, experiment };
      if (opts.duration !== undefined || opts.replications !== undefined) {
        // The command line changed the run's length: its estimated events against the limits again.
        const problem = runProblem(topo, limits);
        if (problem !== undefined) {
          printErr(`${file}: ${problem} (with the command line's --duration/--replications); nothing written\n`);
          return EXIT.budget;
        }
      }
      // The bill of materials goes into the result: checked before any simulation, so a
      // model missing from the catalog is an input error, not a failure after the run.
      const catalog = await loadCatalog([]);
      if (!catalog.ok) {
        printErr(`${formatCatalogIssues(catalog.issues)}\n`);
        return EXIT.invalidInput;
      }
      const billOfMaterials = await bomOfTopology(file, topo, catalog.catalog);
      if (billOfMaterials === null) return EXIT.invalidInput;
      for (const w of noEffectWarnings(topo, opts)) printErr(`${w}\n`);
      trace = opts.trace === undefined ? null : openOutputFile("--trace", opts.trace);
      const openTrace = trace;
      scope.ready("run");
      const clock = new BudgetClock(runBudget(opts));
      // Replications chosen by precision unless the command line fixes their number.
      const precision = commandPrecision(topo.precision, opts);
      const { result: simulated, partial } = await simulate(topo, precision, (requests, offset) =>
        replicate(topo, requests, offset, scope, openTrace, opts.traceEvery ?? 100, failoverTicks, clock),
      );
      const result: MaybePartialResult = {
        ...simulated,
        bom: resultBom(billOfMaterials),
        ...(partial === null ? {} : { partial }),
      };
      const json = `${JSON.stringify(result, null, 2)}\n`;
      scope.ready("write");
      // result.json and the trace land together: a second Ctrl-C waits for both.
      await scope.critical(async () => {
        if (outDir !== null) await outDir.commit([{ name: "result.json", content: json }], scope);
        if (openTrace !== null) await openTrace.finish();
      });
      const note =
        topo.survive === "single-failure"
          ? "\nsurvive: single-failure — this file asks its SLA to hold after any one failure: `iovsim blast` gives that verdict.\n"
          : "";
      const missed = missedNote(result, opts.failOnMiss);
      if (opts.json === true) {
        // stdout stays one JSON document; the reason for the exit code goes to stderr.
        process.stdout.write(json);
        if (missed !== "") printErr(missed.trimStart());
      } else printOut(runSummary(result) + note + missed);
      if (partial !== null) {
        printErr(`iovsim: ${describePartial(partial)}\n`);
        return EXIT.budget;
      }
      return verdictExit(
        result.sla.every((s) => s.status === "met"),
        opts.failOnMiss,
      );
    } finally {
      await trace?.abort();
      await outDir?.release();
    }
  });
}

/**
 * The run: `experiment.replications` fixed replications (precision null), or rounds of them
 * until the precision target or a cap (src/run/precision.ts); within the run budget (past
 * it: the rounds that finished, or what ran of the first, labelled partial).
 */
async function simulate(
  topo: ResolvedTopology,
  precision: Precision | null,
  replicateRound: (requests: readonly ReplicationRequest[], offset: number) => Promise<BudgetedReplications>,
): Promise<{ result: RunResult; partial: PartialInfo | null }> {
  const started = performance.now();
  const wall = () => (performance.now() - started) / 1000;
  const { replications, seed, durationTicks } = topo.experiment;
  if (precision === null) {
    const fixed = Array.from({ length: replications }, (_, replication) => ({ replication, durationTicks }));
    const runs = await replicateRound(fixed, 0);
    return { result: aggregate(runs.measured, runs.results, wall(), seed), partial: runs.partial };
  }
  const runner = new PrecisionRun(topo, precision, seed);
  let done = 0;
  for (let round = runner.next(); round.length > 0; round = runner.next()) {
    const runs = await replicateRound(round, done);
    if (runs.partial !== null) {
      if (!runner.stopByBudget()) {
        return { result: aggregate(runs.measured, runs.results, wall(), seed), partial: runs.partial };
      }
      const result = runner.result(wall());
      return {
        result,
        partial: { ...runs.partial, replications: result.replications, plannedReplications: done + round.length },
      };
    }
    runner.add(runs.results);
    done += round.length;
  }
  return { result: runner.result(wall()), partial: null };
}

/**
 * A round of replications, in slices of simulated time (progress, Ctrl-C), with the
 * sampled trace, within the run budget (`clock` counts the whole command).
 */
async function replicate(
  topo: ResolvedTopology,
  requests: readonly ReplicationRequest[],
  offset: number,
  scope: InterruptScope,
  trace: OutputFile | null,
  every: number,
  failoverTicks: number | null | undefined,
  clock: BudgetClock,
): Promise<BudgetedReplications> {
  const { seed } = topo.experiment;
  // The round's length (precision may lengthen the runs): what the budget's partial label measures.
  const durationTicks = requests[0]?.durationTicks ?? topo.experiment.durationTicks;
  const roundTopo: ResolvedTopology =
    durationTicks === topo.experiment.durationTicks
      ? topo
      : { ...topo, experiment: { ...topo.experiment, durationTicks } };
  const runs = new BudgetedReplications(roundTopo, clock, requests.length, offset > 0);
  const bar = progressBar(`${topo.name}`, (offset + requests.length) * SLICES);
  try {
    for (let k = 0; runs.next(k); k++) {
      const i = requests[k]!.replication;
      const rep = new Replication(topo, i, seed, {
        ...(failoverTicks === undefined ? {} : { failoverTicks }),
        durationTicks,
      });
      if (trace !== null) {
        // Sampled trace: every `every`-th message of each workload, by id, so it is deterministic.
        rep.sim.probes.on("workload.done", (msg: Message, outcome: string, reason: string | null) => {
          if (msg.id % every !== 0) return;
          trace.write(
            `${JSON.stringify({
              replication: i,
              t: rep.sim.now / TICKS_PER_SECOND,
              event: outcome,
              workload: msg.stats.name,
              id: msg.id,
              bytes: msg.bytes,
              latency: (rep.sim.now - msg.createdAt) / TICKS_PER_SECOND,
              reason,
            })}\n`,
          );
        });
      }
      for (let s = 1; s <= SLICES && runs.advance(rep, s, SLICES); s++) {
        bar.update((offset + k) * SLICES + s);
        await nextTurn();
        scope.check();
      }
      runs.finish(rep);
    }
  } finally {
    bar.stop();
  }
  return runs;
}

/** One line under the summary when the exit code says "missed". */
function missedNote(r: RunResult, failOnMiss: boolean | undefined): string {
  const notMet = r.sla.filter((s) => s.status !== "met");
  if (notMet.length === 0) return "";
  const rows = notMet.map((s) => `${s.workload} ${s.metric} ${s.status}`).join(", ");
  return `\n${notMet.length} SLA row${notMet.length === 1 ? "" : "s"} not met (${rows})${failOnMiss === false ? "" : ": exit 1 (--no-fail-on-miss to report only)"}\n`;
}
