/**
 * What travels through the Redis queue: a `PoolTask` and its answer as base64
 * of V8's structured serialization (the same the worker threads use: Maps,
 * typed arrays, NaN and ±Infinity survive, which JSON would not), tagged with
 * the iovsim version. A planner and its workers must run the same version: a
 * job of another version is refused, never answered by different code.
 */
import { deserialize, serialize } from "node:v8";
import { VERSION } from "../version.js";
import type { PoolTask } from "./evaluator-worker.js";

export interface QueuedTask {
  readonly iovsim: string;
  readonly task: string;
}

/** How a worker's refusal (a job it will not run) starts, so the planner tells it from a job that threw. */
export const REFUSED = "refused by an iovsim worker: ";

/** A worker refused the planner's job (another iovsim version, not an iovsim job): a setup problem, not a bug. */
export class QueueRefused extends Error {}

export function encodeTask(task: PoolTask): QueuedTask {
  return { iovsim: VERSION, task: serialize(task).toString("base64") };
}

/** The task, or a sentence saying why this worker will not run it. */
export function decodeTask(data: unknown): PoolTask | string {
  const q = data as Partial<QueuedTask> | null;
  if (q === null || typeof q !== "object" || typeof q.task !== "string")
    return "not an iovsim job (expected { iovsim, task })";
  if (q.iovsim !== VERSION)
    return `job from iovsim ${q.iovsim ?? "(unknown)"} but this worker is iovsim ${VERSION}: run the same version on the planner and the workers`;
  return deserialize(Buffer.from(q.task, "base64")) as PoolTask;
}

export function encodeAnswer(value: unknown): string {
  return serialize(value).toString("base64");
}

export function decodeAnswer(text: unknown): unknown {
  if (typeof text !== "string") throw new Error("a queue worker answered without an iovsim result");
  return deserialize(Buffer.from(text, "base64"));
}
