/**
 * The Evaluator (docs/architecture.md §6): where the planner's expensive evaluations run.
 * Jobs are plain data (topology text, not parsed objects) so that an
 * implementation can ship them to worker threads (`src/node/pool-evaluator.ts`,
 * piscina) or to a browser Web Worker; results are plain data too.
 *
 * Every job is a pure function of its fields: the planner's answer is the
 * same whichever implementation runs it and however many workers it has.
 */

import { Replication, type ReplicationResult } from "../run/replication.js";
import { checkStudy } from "../study/load.js";
import { formatIssues } from "../topology/issues.js";
import { parseTopologyQuick } from "../topology/load.js";
import { curvePoint } from "./curve.js";
import type { CurveJob, CurvePointResult, Evaluator, ReplicationJob } from "./types.js";

export type { CurveJob, Evaluator, ReplicationJob } from "./types.js";

/** Runs a replication job in this thread. Throws when the topology text is invalid (generated text: a bug). */
export function runReplicationJob(job: ReplicationJob): ReplicationResult {
  // Generated text from a checked study: the quick parse (no semantic pass; same topology).
  const parsed = parseTopologyQuick(job.yaml, job.file);
  if (!parsed.ok) throw new Error(`${job.file} is not a valid topology:\n${formatIssues(parsed.issues)}`);
  const options = {
    ...(job.faults === undefined ? {} : { faults: job.faults }),
    ...(job.failoverTicks === undefined ? {} : { failoverTicks: job.failoverTicks }),
    // Precision-driven confirmations lengthen the run (src/run/precision.ts).
    ...(job.durationTicks === undefined ? {} : { durationTicks: job.durationTicks }),
  };
  return new Replication(parsed.topology, job.replication, parsed.topology.experiment.seed, options).result();
}

/** Runs a curve job in this thread (its packet-level replications too, one after another). */
export function runCurveJob(job: CurveJob): Promise<CurvePointResult> {
  const checked = checkStudy(job.study);
  if (!checked.ok)
    throw new Error(`study ${job.study.name} is not valid: ${checked.issues.map((i) => i.message).join("; ")}`);
  const { replications, maxAttempts, confirm, precision } = job;
  return curvePoint(checked.study, job.design, job.share, job.catalog, {
    replications,
    maxAttempts,
    confirm,
    precision,
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
