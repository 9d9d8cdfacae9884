/**
 * The worker side of the pool Evaluator (`pool-evaluator.ts`): one module
 * loaded by each piscina worker thread. A task is `{ kind, job }`; the answer is
 * what the in-process evaluator would return for the same job, with the
 * thread's id and the job's busy time (for the pool's per-worker figures).
 */
import { readFileSync } from "node:fs";
import { deserialize } from "node:v8";
import { threadId } from "node:worker_threads";
import type { Catalog } from "../catalog/types.js";
import type { ParamValue } from "../design/index.js";
import { buildCandidate, shipCandidate } from "../planner/candidates.js";
import { type FlowJob, type ReplicationJob, runFlowJob, runReplicationJob } from "../planner/evaluator.js";
import type { Study } from "../study/load.js";
import type { Design } from "../topology/types.js";

/** One candidate to build: its study and catalog as one serialized context (`contextOf`), shared by many jobs. */
export interface BuildJob {
  readonly context: Uint8Array;
  /** Names the context: equal ids, equal contexts (the worker keeps the few it has seen). */
  readonly contextId: string;
  readonly design: Design;
  readonly index: number;
  readonly parameters: Record<string, ParamValue>;
}

export type PoolTask =
  | { kind: "replicate"; job: ReplicationJob }
  | { kind: "flow"; job: FlowJob }
  | { kind: "build"; job: BuildJob };

/** A job's answer and where its time went. */
export interface PoolAnswer {
  value: unknown;
  threadId: number;
  busySeconds: number;
  /** This thread's CPU seconds so far (Linux: /proc/thread-self/stat; null elsewhere). */
  cpuSeconds: number | null;
}

/** utime + stime of the calling thread, in seconds (the kernel's clock ticks, 100 per second on Linux). */
function threadCpuSeconds(): number | null {
  try {
    const stat = readFileSync("/proc/thread-self/stat", "utf8");
    // Fields after the command name (which is in parentheses and may hold spaces): utime is the 14th field.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** Contexts by id; a plan has one per study and curve point, so a small cache holds them all. */
const contexts = new Map<string, { study: Study; catalog: Catalog }>();
const MAX_CONTEXTS = 64;

function contextOf(job: BuildJob): { study: Study; catalog: Catalog } {
  let c = contexts.get(job.contextId);
  if (c === undefined) {
    c = deserialize(job.context) as { study: Study; catalog: Catalog };
    if (contexts.size >= MAX_CONTEXTS) contexts.delete(contexts.keys().next().value!);
    contexts.set(job.contextId, c);
  }
  return c;
}

function answer(task: PoolTask): unknown {
  switch (task.kind) {
    case "replicate":
      return runReplicationJob(task.job);
    case "flow":
      return runFlowJob(task.job);
    case "build": {
      const { study, catalog } = contextOf(task.job);
      return shipCandidate(buildCandidate(study, task.job.design, catalog, task.job.index, task.job.parameters));
    }
  }
}

export default function run(task: PoolTask): PoolAnswer {
  const t0 = performance.now();
  const value = answer(task);
  return { value, threadId, busySeconds: (performance.now() - t0) / 1000, cpuSeconds: threadCpuSeconds() };
}
