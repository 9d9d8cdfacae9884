import { createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { parseTime, TICKS_PER_SECOND } from "../../sim/units.js";
import { resultBom } from "../bom/bom.js";
import { formatCatalogIssues } from "../catalog/parse.js";
import { loadCatalog } from "../catalog/read-files.js";
import type { RunResult } from "../metrics/result.js";
import { writeFileAtomic } from "../node/atomic-write.js";
import { nextTurn, progressBar } from "../node/progress.js";
import { runSummary } from "../report/run-summary.js";
import { aggregate } from "../run/aggregate.js";
import { PrecisionRun, type ReplicationRequest } from "../run/precision.js";
import { Replication, type ReplicationResult } from "../run/replication.js";
import type { ResolvedTopology } from "../topology/types.js";
import type { Message } from "../workload/message.js";
import { parseFailover } from "./blast.js";
import { bomOfTopology } from "./bom.js";
import { loadOrExit, UsageError } from "./load.js";
import { commandPrecision } from "./precision.js";

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
}

/** Slices of simulated time between event-loop turns: progress and Ctrl-C stay responsive. */
const SLICES = 50;

class Interrupted extends Error {}

export async function runCommand(file: string, opts: RunOptions): Promise<number> {
  const loaded = await loadOrExit(file);
  if (loaded === null) return 3;
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
  // Replications chosen by precision unless the command line fixes their number.
  const precision = commandPrecision(topo.precision, opts);
  const runner = precision === null ? null : new PrecisionRun(topo, precision, experiment.seed);
  const fixed: ReplicationRequest[] = Array.from({ length: experiment.replications }, (_, replication) => ({
    replication,
    durationTicks: experiment.durationTicks,
  }));
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
  let reps: ReplicationResult[] = [];
  let done = 0;
  const bar = progressBar(`${topo.name}`, (runner?.settings.minReplications ?? experiment.replications) * SLICES);
  try {
    for (let round = runner === null ? fixed : runner.next(); round.length > 0; round = runner?.next() ?? []) {
      bar.setTotal((done + round.length) * SLICES);
      const results: ReplicationResult[] = [];
      for (const { replication: i, durationTicks } of round) {
        const rep = new Replication(topo, i, experiment.seed, {
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
          bar.update(done * SLICES + s);
          await nextTurn();
          if (interrupted) throw new Interrupted();
        }
        results.push(rep.result());
        done++;
      }
      if (runner === null) reps = results;
      else runner.add(results);
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
  const wall = (performance.now() - started) / 1000;
  const result: RunResult = {
    ...(runner === null ? aggregate(topo, reps, wall, experiment.seed) : runner.result(wall)),
    bom: resultBom(billOfMaterials),
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
  return 0;
}
