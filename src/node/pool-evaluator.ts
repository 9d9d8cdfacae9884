/**
 * The Evaluator on worker threads: piscina runs each job in a
 * pool of `workers` threads. Jobs are plain data and pure functions of their
 * fields, so the planner's answer does not depend on how many workers run them
 * or in which order they finish (tested across separate processes).
 */
import { availableParallelism } from "node:os";
import { Piscina } from "piscina";
import type { CurvePointResult } from "../planner/curve.js";
import type { Evaluator } from "../planner/evaluator.js";
import type { ReplicationResult } from "../run/replication.js";
import type { PoolTask } from "./evaluator-worker.js";

/**
 * The compiled worker module next to this file (the CLI runs from dist/). Under
 * vitest this file runs from its TypeScript source, which a worker thread cannot
 * load; `npm test` builds first (pretest), so take the built worker.
 */
const WORKER = import.meta.url.endsWith(".ts")
  ? new URL("../../dist/src/node/evaluator-worker.js", import.meta.url)
  : new URL("./evaluator-worker.js", import.meta.url);

/** One worker per core by default: the main thread mostly waits (it enumerates candidates between jobs). */
export function defaultWorkers(): number {
  return Math.max(1, availableParallelism());
}

export function poolEvaluator(workers: number = defaultWorkers()): Evaluator {
  if (!Number.isSafeInteger(workers) || workers < 1) throw new RangeError(`workers must be ≥ 1, got ${workers}`);
  const pool = new Piscina<PoolTask, unknown>({
    filename: WORKER.href,
    minThreads: workers,
    maxThreads: workers,
    // Jobs arrive in bursts (curve points, then confirmations): keep the threads warm.
    idleTimeout: 60_000,
  });
  return {
    concurrency: workers,
    replicate: (job) => pool.run({ kind: "replicate", job }) as Promise<ReplicationResult>,
    curvePoint: (job) => pool.run({ kind: "curve", job }) as Promise<CurvePointResult>,
    close: () => pool.destroy(),
  };
}
