import { createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { parseTime, TICKS_PER_SECOND } from "../../sim/units.js";
import { resultBom } from "../bom/bom.js";
import { formatCatalogIssues } from "../catalog/parse.js";
import { loadCatalog } from "../catalog/read-files.js";

import { writeFileAtomic } from "../node/atomic-write.js";
import { nextTurn, progressBar } from "../node/progress.js";
import { runSummary } from "../report/run-summary.js";
import { aggregate } from "../run/aggregate.js";
import {
  BudgetClock,
  BudgetedReplications,
  describePartial,
  type MaybePartialResult,
  runBudget,
  runProblem,
} from "../run/budget.js";
import { Replication } from "../run/replication.js";
import { DEFAULT_LIMITS, LARGE_LIMITS } from "../topology/size.js";
import type { ResolvedTopology } from "../topology/types.js";
import type { Message } from "../workload/message.js";
import { parseFailover } from "./blast.js";
import { bomOfTopology } from "./bom.js";
import { loadOrExit, UsageError } from "./load.js";

export interface RunOptions {
  seed?: number;
  replications?: number;
  duration?: string;
  json?: boolean;
  out?: string;
  trace?: string;
  traceEvery?: number;
  /** Faults' detection + failover time: a time, "off" or "design". */
  failover?: string;
  /** Budgets (src/run/budget.ts): size limits raised, events and wall seconds of the run. */
  allowLarge?: boolean;
  maxEvents?: number;
  maxWall?: number;
}

/** Slices of simulated time between event-loop turns: progress and Ctrl-C stay responsive. */
const SLICES = 50;

class Interrupted extends Error {}

export async function runCommand(file: string, opts: RunOptions): Promise<number> {
  const limits = opts.allowLarge === true ? LARGE_LIMITS : DEFAULT_LIMITS;
  const loaded = await loadOrExit(file, limits);
  if (typeof loaded === "number") return loaded;
  let topo: ResolvedTopology = loaded;
  const experiment = { ...topo.experiment };
  if (opts.seed !== undefined) experiment.seed = opts.seed;
  if (opts.replications !== undefined) experiment.replications = opts.replications;
  if (opts.duration !== undefined) {
    try {
      experiment.durationTicks = parseTime(opts.duration);
    } catch (err) {
      throw new UsageError(`--duration: ${(err as Error).message}`);
    }
    if (experiment.durationTicks <= 0) throw new UsageError("--duration must be positive");
  }
  topo = { ...topo, experiment };
  if (opts.duration !== undefined || opts.replications !== undefined) {
    // The command line changed the run's length: its estimated events against the limits again.
    const problem = runProblem(topo, limits);
    if (problem !== undefined) {
      process.stderr.write(
        `${file}: ${problem} (with the command line's --duration/--replications); nothing written\n`,
      );
      return 4;
    }
  }
  // The bill of materials goes into the result: checked before any simulation, so a
  // model missing from the catalog is an input error, not a failure after the run.
  const catalog = await loadCatalog([]);
  if (!catalog.ok) {
    process.stderr.write(`${formatCatalogIssues(catalog.issues)}\n`);
    return 3;
  }
  const billOfMaterials = await bomOfTopology(file, topo, catalog.catalog);
  if (billOfMaterials === null) return 3;
  const failoverTicks = parseFailover(opts.failover);

  let interrupted = false;
  const onSigint = (): void => {
    interrupted = true;
  };
  process.on("SIGINT", onSigint);
  const traceTmp = opts.trace === undefined ? null : `${opts.trace}.${process.pid}.tmp`;
  const trace = traceTmp === null ? null : createWriteStream(traceTmp);
  const every = opts.traceEvery ?? 100;
  const started = performance.now();
  const total = experiment.replications * SLICES;
  const bar = progressBar(`${topo.name}`, total);
  const runs = new BudgetedReplications(topo, new BudgetClock(runBudget(opts)));
  try {
    for (let i = 0; runs.next(i); i++) {
      const rep = new Replication(topo, i, experiment.seed, failoverTicks === undefined ? {} : { failoverTicks });
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
        bar.update(i * SLICES + s);
        await nextTurn();
        if (interrupted) throw new Interrupted();
      }
      runs.finish(rep);
    }
  } catch (err) {
    bar.stop();
    if (trace !== null) await new Promise<void>((r) => trace.end(r));
    if (traceTmp !== null) await rm(traceTmp, { force: true });
    if (err instanceof Interrupted) {
      process.stderr.write("iovsim: interrupted; nothing written\n");
      return 130;
    }
    throw err;
  } finally {
    process.off("SIGINT", onSigint);
  }
  bar.stop();
  const { partial } = runs;
  const result: MaybePartialResult = {
    ...aggregate(runs.measured, runs.results, (performance.now() - started) / 1000, experiment.seed),
    bom: resultBom(billOfMaterials),
    ...(partial === null ? {} : { partial }),
  };
  if (trace !== null && traceTmp !== null && opts.trace !== undefined) {
    await new Promise<void>((r) => trace.end(r));
    await rename(traceTmp, opts.trace);
  }
  const json = `${JSON.stringify(result, null, 2)}\n`;
  if (opts.out !== undefined) await writeFileAtomic(join(opts.out, "result.json"), json);
  const note =
    topo.survive === "single-failure"
      ? "\nsurvive: single-failure — this file asks its SLA to hold after any one failure: `iovsim blast` gives that verdict.\n"
      : "";
  process.stdout.write(opts.json === true ? json : runSummary(result) + note);
  if (partial !== null) {
    process.stderr.write(`iovsim: ${describePartial(partial)}\n`);
    return 4;
  }
  return 0;
}
