/**
 * The Evaluator (DESIGN.md §6): where the planner's expensive evaluations run.
 * Jobs are plain data (topology text, not parsed objects) so that an
 * implementation can ship them to worker threads (`src/node/pool-evaluator.ts`,
 * piscina) or to a browser Web Worker; results are plain data too.
 *
 * Every job is a pure function of its fields: the planner's answer is the
 * same whichever implementation runs it and however many workers it has.
 */

import type { Catalog } from "../catalog/types.js";
import { Replication, type ReplicationResult } from "../run/replication.js";
import { checkStudy } from "../study/load.js";
import type { StudyFile } from "../study/schema.js";
import { formatIssues } from "../topology/issues.js";
import { parseTopology } from "../topology/load.js";
import type { Design, ResolvedTopology } from "../topology/types.js";
import { type CurvePointResult, type CurveTotals, curvePoint } from "./curve.js";
import type { SurviveSample } from "./survive.js";

/** One packet-level replication of a topology given as YAML text. */
export interface ReplicationJob {
  /** The topology's YAML text (a generator's output or a user's file). */
  readonly yaml: string;
  /** Name used in error messages. */
  readonly file: string;
  /** Replication index: the random streams derive from (seed, replication). */
  readonly replication: number;
  /** Faults instead of the topology's own (the planner's single-failure runs). */
  readonly faults?: ResolvedTopology["faults"];
  /** Failover time in ticks (null: none; absent: the design's default). */
  readonly failoverTicks?: number | null;
}

/** One point of the last-mile curve at flow level (plain data: structured-cloneable). */
export interface CurveJob {
  /** The study as loaded (its validated file). */
  readonly study: StudyFile;
  readonly catalog: Catalog;
  readonly design: Design;
  readonly share: number;
  /** The traditional whole-site BOM the physical servers take their share of. */
  readonly baseline: CurveTotals;
  /** The plan's search settings. */
  readonly replications: number;
  readonly maxAttempts: number;
  readonly confirm: boolean;
  /** Which components the flow-level single-failure check fails (default all; the site-size curve: the busiest per kind). */
  readonly surviveSample?: SurviveSample;
}

export interface Evaluator {
  /** How many jobs it runs at once (1 in process). */
  readonly concurrency: number;
  replicate(job: ReplicationJob): Promise<ReplicationResult>;
  curvePoint(job: CurveJob): Promise<CurvePointResult>;
  /** Releases threads or workers (a no-op in process). */
  close(): Promise<void>;
}

/** Runs a replication job in this thread. Throws when the topology text is invalid (generated text: a bug). */
export function runReplicationJob(job: ReplicationJob): ReplicationResult {
  const parsed = parseTopology(job.yaml, job.file);
  if (!parsed.ok) throw new Error(`${job.file} is not a valid topology:\n${formatIssues(parsed.issues)}`);
  const options = {
    ...(job.faults === undefined ? {} : { faults: job.faults }),
    ...(job.failoverTicks === undefined ? {} : { failoverTicks: job.failoverTicks }),
  };
  return new Replication(parsed.topology, job.replication, parsed.topology.experiment.seed, options).result();
}

/** Runs a curve job in this thread (its packet-level replications too, one after another). */
export function runCurveJob(job: CurveJob): Promise<CurvePointResult> {
  const checked = checkStudy(job.study);
  if (!checked.ok)
    throw new Error(`study ${job.study.name} is not valid: ${checked.issues.map((i) => i.message).join("; ")}`);
  const { replications, maxAttempts, confirm } = job;
  return curvePoint(checked.study, job.design, job.share, job.catalog, job.baseline, {
    replications,
    maxAttempts,
    confirm,
    evaluator: inProcessEvaluator,
    ...(job.surviveSample === undefined ? {} : { surviveSample: job.surviveSample }),
  });
}

/** Runs jobs one after another in this thread (the reference the worker pool must agree with). */
export const inProcessEvaluator: Evaluator = {
  concurrency: 1,
  replicate: (job) => Promise.resolve(runReplicationJob(job)),
  curvePoint: (job) => runCurveJob(job),
  close: () => Promise.resolve(),
};
