/**
 * The Evaluator on worker threads: piscina runs each job in a
 * pool of `workers` threads. Jobs are plain data and pure functions of their
 * fields, so the planner's answer does not depend on how many workers run them
 * or in which order they finish (tested across separate processes).
 *
 * `evaluatorOver` turns any way of running a `PoolTask` (these threads, a Redis
 * queue: `queue-evaluator.ts`) into an Evaluator.
 */
import { createHash } from "node:crypto";
import { availableParallelism } from "node:os";
import { serialize } from "node:v8";
import { Piscina } from "piscina";
import type { Catalog } from "../catalog/types.js";
import { landCandidate, type ShippedCandidate } from "../planner/candidates.js";
import type { FlowEntry } from "../planner/evaluations.js";
import type { Evaluator } from "../planner/evaluator.js";
import type { ReplicationResult } from "../run/replication.js";
import type { Study } from "../study/load.js";
import type { PoolAnswer, PoolTask } from "./evaluator-worker.js";

/**
 * The compiled worker module next to this file (the CLI runs from dist/). Under
 * vitest this file runs from its TypeScript source, which a worker thread cannot
 * load; `npm test` builds first (pretest), so take the built worker.
 */
const WORKER = import.meta.url.endsWith(".ts")
  ? new URL("../../dist/src/node/evaluator-worker.js", import.meta.url)
  : new URL("./evaluator-worker.js", import.meta.url);

/** One worker per core by default: the main thread mostly waits (it walks the searches between jobs). */
export function defaultWorkers(): number {
  return Math.max(1, availableParallelism());
}

/** Worker threads that answer `PoolTask`s, with what each thread spent. */
export interface TaskPool {
  run(task: PoolTask): Promise<unknown>;
  /** Per worker thread (in the order they first answered): seconds in jobs. */
  busySeconds(): number[];
  /** Per worker thread: its CPU seconds (null where the platform does not tell). */
  cpuSeconds(): (number | null)[];
  destroy(): Promise<void>;
}

export function taskPool(workers: number): TaskPool {
  if (!Number.isSafeInteger(workers) || workers < 1) throw new RangeError(`workers must be ≥ 1, got ${workers}`);
  const pool = new Piscina<PoolTask, PoolAnswer>({
    filename: WORKER.href,
    minThreads: workers,
    maxThreads: workers,
    // Jobs arrive in bursts (curve points, then confirmations): keep the threads warm.
    idleTimeout: 60_000,
  });
  const busy = new Map<number, { wall: number; cpu: number | null }>();
  return {
    async run(task) {
      const answer = await pool.run(task);
      const b = busy.get(answer.threadId) ?? { wall: 0, cpu: null };
      b.wall += answer.busySeconds;
      b.cpu = answer.cpuSeconds === null ? null : Math.max(b.cpu ?? 0, answer.cpuSeconds);
      busy.set(answer.threadId, b);
      return answer.value;
    },
    busySeconds: () => [...busy.values()].map((b) => b.wall),
    cpuSeconds: () => [...busy.values()].map((b) => b.cpu),
    destroy: () => pool.destroy(),
  };
}

/**
 * An Evaluator that hands every job to `run`. A build job carries its study and
 * catalog serialized once per search (a curve point has a study of its own) and
 * named by their hash, so a worker deserializes each context once.
 */
export function evaluatorOver(
  concurrency: number,
  run: (task: PoolTask) => Promise<unknown>,
  extra: Pick<Evaluator, "close" | "busySeconds" | "cpuSeconds">,
): Evaluator {
  const contexts = new WeakMap<Study, { catalog: Catalog; bytes: Uint8Array; id: string }>();
  const contextOf = (study: Study, catalog: Catalog) => {
    let c = contexts.get(study);
    if (c === undefined || c.catalog !== catalog) {
      const bytes = serialize({ study, catalog });
      c = { catalog, bytes, id: createHash("sha256").update(bytes).digest("hex") };
      contexts.set(study, c);
    }
    return c;
  };
  return {
    concurrency,
    replicate: (job) => run({ kind: "replicate", job }) as Promise<ReplicationResult>,
    flow: (job) => run({ kind: "flow", job }) as Promise<FlowEntry & { failedKinds: string[] }>,
    build: async (study, catalog, design, index, parameters) => {
      const { bytes: context, id: contextId } = contextOf(study, catalog);
      const shipped = await run({ kind: "build", job: { context, contextId, design, index, parameters } });
      return landCandidate(shipped as ShippedCandidate | null);
    },
    ...extra,
  };
}

export function poolEvaluator(workers: number = defaultWorkers()): Evaluator {
  const pool = taskPool(workers);
  return evaluatorOver(workers, (task) => pool.run(task), {
    busySeconds: () => pool.busySeconds(),
    cpuSeconds: () => pool.cpuSeconds(),
    close: () => pool.destroy(),
  });
}
