/**
 * The worker side of the pool Evaluator (`pool-evaluator.ts`): one module
 * loaded by each piscina worker thread. A task is `{ kind, job }`; the answer is
 * what the in-process evaluator would return for the same job.
 */
import { type CurveJob, type ReplicationJob, runCurveJob, runReplicationJob } from "../planner/evaluator.js";

export type PoolTask = { kind: "replicate"; job: ReplicationJob } | { kind: "curve"; job: CurveJob };

export default function run(task: PoolTask): unknown {
  switch (task.kind) {
    case "replicate":
      return runReplicationJob(task.job);
    case "curve":
      return runCurveJob(task.job);
  }
}
