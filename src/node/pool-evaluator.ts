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
import { expandStudy } from "../design/index.js";
import { landCandidate, type ShippedCandidate } from "../planner/candidates.js";
import type { FlowEntry } from "../planner/evaluations.js";
import type { Evaluator, FlowJob } from "../planner/evaluator.js";
import type { SpareJob } from "../planner/types.js";
import type { ReplicationResult } from "../run/replication.js";
import type { Study } from "../study/load.js";
import type { PoolAnswer, PoolTask } from "./evaluator-worker.js";
import { spareScheduler } from "./spare-jobs.js";

/**
 * The compiled worker module next to this file (the CLI runs from dist/). Under
 * vitest this file runs from its TypeScript source, which a worker thread cannot
 * load; `npm test` builds first (pretest), so take the built worker.
 */
const WORKER = import.meta.url.endsWith(".ts")
  ? new URL("../../dist/src/node/evaluator-worker.js", import.meta.url)
  : new URL("./evaluator-worker.js", import.meta.url);

/** Each worker's young generation (V8 sizes its semi-spaces from it; the flow probe's `--as-planner` uses it too). */
export const POOL_YOUNG_GENERATION_MB = 96;

/** One worker per core by default: the main thread mostly waits (it walks the searches between jobs). */
export function defaultWorkers(): number {
  return Math.max(1, availableParallelism());
}

/** Worker threads that answer `PoolTask`s, with what each thread spent. */
export interface TaskPool {
  /** Queues `task` behind the earlier jobs of its `stream` (a search's; streams take turns: spare-jobs.ts). */
  run(task: PoolTask, stream?: number): Promise<unknown>;
  /** Runs `task` only when a worker is free of every other job (see `Evaluator.flowIfIdle`). */
  runIfIdle(task: PoolTask, stream?: number): SpareJob<unknown>;
  /** A stream of its own for one search's jobs. */
  newStream(): number;
  /** Spare jobs not started yet. */
  spareWaiting(): number;
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
    // A larger young generation than V8's default (16 MiB semi-spaces on 64-bit): the jobs allocate many
    // short-lived objects (events, BOM lines, parse trees), and fewer scavenges cost the GC threads less
    // CPU: on the built-in study without the curve, 1 worker, process CPU 55.8 → 50.9 s together with the
    // shared contexts (one run each on a loaded machine; the answers are the same, only the GC's pace changes).
    resourceLimits: { maxYoungGenerationSizeMb: POOL_YOUNG_GENERATION_MB },
  });
  const busy = new Map<number, { wall: number; cpu: number | null }>();
  const spares = spareScheduler(workers, async (task: PoolTask): Promise<unknown> => {
    const answer = await pool.run(task);
    const b = busy.get(answer.threadId) ?? { wall: 0, cpu: null };
    b.wall += answer.busySeconds;
    b.cpu = answer.cpuSeconds === null ? null : Math.max(b.cpu ?? 0, answer.cpuSeconds);
    busy.set(answer.threadId, b);
    return answer.value;
  });
  return {
    ...spares,
    busySeconds: () => [...busy.values()].map((b) => b.wall),
    cpuSeconds: () => [...busy.values()].map((b) => b.cpu),
    destroy: () => pool.destroy(),
  };
}

/**
 * An Evaluator that hands every job to `run`. A build job carries its study and
 * catalog serialized once per search (a curve point has a study of its own), in
 * shared memory and named by their hash, so a worker deserializes each context once.
 */
export function evaluatorOver(
  /** A number, or a function for a concurrency that changes (the queue's workers). */
  concurrency: number | (() => number),
  run: (task: PoolTask, stream?: number) => Promise<unknown>,
  extra: Pick<Evaluator, "close" | "busySeconds" | "cpuSeconds">,
  runIfIdle?: (task: PoolTask, stream?: number) => SpareJob<unknown>,
  /** Streams of their own for searches (`Evaluator.forSearch`); absent: every job in one queue. */
  newStream?: () => number,
): Evaluator {
  const contexts = new WeakMap<Study, { catalog: Catalog; bytes: Uint8Array; id: string }>();
  const contextOf = (study: Study, catalog: Catalog) => {
    let c = contexts.get(study);
    if (c === undefined || c.catalog !== catalog) {
      const plain = serialize({ study, catalog });
      // In shared memory: every build job carries the context (~0.3 MB), and a worker thread receives a
      // view of the same bytes instead of a copy (the curve's 2,260 builds cloned 680 MB and fed the
      // workers' garbage collectors). The queue's codec copies the bytes like any other typed array.
      const bytes = new Uint8Array(new SharedArrayBuffer(plain.byteLength));
      bytes.set(plain);
      c = { catalog, bytes, id: createHash("sha256").update(plain).digest("hex") };
      contexts.set(study, c);
    }
    return c;
  };
  const over = (stream: number | undefined): Evaluator => ({
    get concurrency() {
      return typeof concurrency === "function" ? concurrency() : concurrency;
    },
    replicate: (job) => run({ kind: "replicate", job }, stream) as Promise<ReplicationResult>,
    flow: (job) => run({ kind: "flow", job }, stream) as Promise<FlowEntry & { failedKinds: string[] }>,
    ...(runIfIdle === undefined
      ? {}
      : {
          flowIfIdle: (job: FlowJob) =>
            runIfIdle({ kind: "flow", job }, stream) as SpareJob<FlowEntry & { failedKinds: string[] }>,
        }),
    build: async (study, catalog, design, index, parameters) => {
      const { bytes: context, id: contextId } = contextOf(study, catalog);
      const shipped = await run({ kind: "build", job: { context, contextId, design, index, parameters } }, stream);
      return landCandidate(shipped as ShippedCandidate | null, () => expandStudy(study, design, parameters));
    },
    ...(newStream === undefined ? {} : { forSearch: () => over(newStream()) }),
    ...extra,
  });
  return over(undefined);
}

export function poolEvaluator(workers: number = defaultWorkers()): Evaluator {
  const pool = taskPool(workers);
  return evaluatorOver(
    workers,
    (task, stream) => pool.run(task, stream),
    {
      busySeconds: () => pool.busySeconds(),
      cpuSeconds: () => pool.cpuSeconds(),
      close: () => pool.destroy(),
    },
    (task, stream) => pool.runIfIdle(task, stream),
    () => pool.newStream(),
  );
}
