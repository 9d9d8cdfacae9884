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
import { PrecisionRun, type ReplicationRequest } from "../run/precision.js";
import { Replication, type ReplicationResult } from "../run/replication.js";
import type { Precision, ResolvedTopology } from "../topology/types.js";
import type { Message } from "../workload/message.js";
import { parseFailover } from "./blast.js";
import { bomOfTopology } from "./bom.js";
import { EXIT, type ExitCode, verdictExit } from "./exit-codes.js";
import { loadOrExit, UsageError } from "./load.js";
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
 * checked before the run), 3 invalid input, 130 on Ctrl-C (nothing written).
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
      const loaded = await loadOrExit(file);
      if (loaded === null) return EXIT.invalidInput;
      const experiment = { ...loaded.experiment };
      if (opts.seed !== undefined) experiment.seed = opts.seed;
      if (opts.replications !== undefined) experiment.replications = opts.replications;
      if (durationTicks !== undefined) experiment.durationTicks = durationTicks;
      const topo: ResolvedTopology = { ...loaded, experiment };
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
      // Replications chosen by precision unless the command line fixes their number.
      const precision = commandPrecision(topo.precision, opts);
      const simulated = await simulate(topo, precision, (requests, offset) =>
        replicate(topo, requests, offset, scope, openTrace, opts.traceEvery ?? 100, failoverTicks),
      );
      const result: RunResult = { ...simulated, bom: resultBom(billOfMaterials) };
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
 * until the precision target or a cap (src/run/precision.ts).
 */
async function simulate(
  topo: ResolvedTopology,
  precision: Precision | null,
  replicateRound: (requests: readonly ReplicationRequest[], offset: number) => Promise<ReplicationResult[]>,
): Promise<RunResult> {
  const started = performance.now();
  const { replications, seed, durationTicks } = topo.experiment;
  if (precision === null) {
    const fixed = Array.from({ length: replications }, (_, replication) => ({ replication, durationTicks }));
    const reps = await replicateRound(fixed, 0);
    return aggregate(topo, reps, (performance.now() - started) / 1000, seed);
  }
  const runner = new PrecisionRun(topo, precision, seed);
  let done = 0;
  for (let round = runner.next(); round.length > 0; round = runner.next()) {
    runner.add(await replicateRound(round, done));
    done += round.length;
  }
  return runner.result((performance.now() - started) / 1000);
}

/** A round of replications, in slices of simulated time (progress, Ctrl-C), with the sampled trace. */
async function replicate(
  topo: ResolvedTopology,
  requests: readonly ReplicationRequest[],
  offset: number,
  scope: InterruptScope,
  trace: OutputFile | null,
  every: number,
  failoverTicks: number | null | undefined,
): Promise<ReplicationResult[]> {
  const { seed } = topo.experiment;
  const reps: ReplicationResult[] = [];
  const bar = progressBar(`${topo.name}`, (offset + requests.length) * SLICES);
  try {
    for (const { replication: i, durationTicks } of requests) {
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
      for (let s = 1; s <= SLICES; s++) {
        rep.advanceTo(Math.ceil((rep.endTicks * s) / SLICES));
        bar.update((offset + reps.length) * SLICES + s);
        await nextTurn();
        scope.check();
      }
      reps.push(rep.result());
    }
  } finally {
    bar.stop();
  }
  return reps;
}

/** One line under the summary when the exit code says "missed". */
function missedNote(r: RunResult, failOnMiss: boolean | undefined): string {
  const notMet = r.sla.filter((s) => s.status !== "met");
  if (notMet.length === 0) return "";
  const rows = notMet.map((s) => `${s.workload} ${s.metric} ${s.status}`).join(", ");
  return `\n${notMet.length} SLA row${notMet.length === 1 ? "" : "s"} not met (${rows})${failOnMiss === false ? "" : ": exit 1 (--no-fail-on-miss to report only)"}\n`;
}
