/**
 * The Evaluator (DESIGN.md §6): where the planner's expensive evaluations run.
 * Jobs are plain data (topology text, not parsed objects) so that an
 * implementation can ship them to worker threads (`src/node/pool-evaluator.ts`,
 * piscina) or to a browser Web Worker; results are plain data too.
 *
 * Every job is a pure function of its fields: the planner's answer is the
 * same whichever implementation runs it and however many workers it has.
 */

import { Replication, type ReplicationResult } from "../run/replication.js";
import { formatIssues } from "../topology/issues.js";
import { parseTopology } from "../topology/load.js";

/** One packet-level replication of a topology given as YAML text. */
export interface ReplicationJob {
  /** The topology's YAML text (a generator's output or a user's file). */
  readonly yaml: string;
  /** Name used in error messages. */
  readonly file: string;
  /** Replication index: the random streams derive from (seed, replication). */
  readonly replication: number;
}

export interface Evaluator {
  /** How many jobs it runs at once (1 in process). */
  readonly concurrency: number;
  replicate(job: ReplicationJob): Promise<ReplicationResult>;
  /** Releases threads or workers (a no-op in process). */
  close(): Promise<void>;
}

/** Runs a replication job in this thread. Throws when the topology text is invalid (generated text: a bug). */
export function runReplicationJob(job: ReplicationJob): ReplicationResult {
  const parsed = parseTopology(job.yaml, job.file);
  if (!parsed.ok) throw new Error(`${job.file} is not a valid topology:\n${formatIssues(parsed.issues)}`);
  return new Replication(parsed.topology, job.replication).result();
}

/** Runs jobs one after another in this thread (the reference the worker pool must agree with). */
export const inProcessEvaluator: Evaluator = {
  concurrency: 1,
  replicate: (job) => Promise.resolve(runReplicationJob(job)),
  close: () => Promise.resolve(),
};
