/**
 * The Evaluator on a Redis-backed job queue (BullMQ): `iovsim plan --queue
 * redis://…` enqueues every evaluation (flow solves, packet-level replications,
 * candidate builds: the same plain-data jobs the worker threads run) and
 * collects the answers; `iovsim worker --queue redis://…` (`queue-worker.ts`),
 * on any number of machines, pulls them. Jobs are pure functions of their
 * fields, so the plan is the same as a local run's.
 *
 * A worker that dies mid-job stops renewing its lock; BullMQ's stalled-job check
 * (run by the other workers) puts the job back in the queue and another worker
 * answers it: nothing is lost.
 */
import { randomUUID } from "node:crypto";
import { type ConnectionOptions, Queue, QueueEvents } from "bullmq";
import { Redis } from "ioredis";
import type { Evaluator } from "../planner/evaluator.js";
import type { PoolTask } from "./evaluator-worker.js";
import { evaluatorOver } from "./pool-evaluator.js";
import { decodeAnswer, encodeTask } from "./queue-codec.js";

/** The queue's name in Redis (workers and planners that share it share the work). */
export const QUEUE_NAME = "iovsim";

/** `redis://[user:password@]host[:port][/db]` or `rediss://…`; throws a RangeError naming what is wrong. */
export function queueConnection(url: string): ConnectionOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new RangeError(`--queue must be a redis:// URL (e.g. redis://localhost:6379), got ${JSON.stringify(url)}`);
  }
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:")
    throw new RangeError(`--queue must be a redis:// or rediss:// URL, got ${JSON.stringify(url)}`);
  // Workers block on the queue: ioredis must retry commands for as long as it takes (BullMQ's advice).
  return { url, maxRetriesPerRequest: null };
}

const CONNECT_SECONDS = 15;

/** One PING before any queue is made: a wrong URL or a server not started is a sentence, not a silent wait. */
async function reachable(url: string): Promise<void> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: CONNECT_SECONDS * 1000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.ping();
  } catch (e) {
    throw new QueueUnreachable(
      `cannot reach the Redis queue at ${url} (${(e as Error).message}): is redis-server running there and reachable?`,
    );
  } finally {
    client.disconnect();
  }
}

/** The queue's Redis server did not answer (a usage problem: a wrong URL or a server not started). */
export class QueueUnreachable extends RangeError {}

export async function queueEvaluator(url: string, name = QUEUE_NAME): Promise<Evaluator> {
  const connection = queueConnection(url);
  await reachable(url);
  const queue = new Queue(name, { connection });
  const events = new QueueEvents(name, { connection });
  // A lost connection is retried by ioredis (the jobs wait); BullMQ would print every failed attempt.
  queue.on("error", () => {});
  events.on("error", () => {});
  // Every job in flight waits on one listener pair.
  events.setMaxListeners(0);
  await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
  const run = randomUUID();
  let n = 0;
  const runTask = async (task: PoolTask): Promise<unknown> => {
    const job = await queue.add(task.kind, encodeTask(task), {
      jobId: `${run}-${++n}`,
      // A job that throws is a bug, not bad luck: no retry. A worker that dies is another matter (stalled: retried).
      attempts: 1,
      // Kept a while: an answer that lands before the planner listens is read from the job itself.
      removeOnComplete: { age: 3600 },
      removeOnFail: { age: 24 * 3600 },
    });
    return decodeAnswer(await job.waitUntilFinished(events));
  };
  return evaluatorOver(Number.POSITIVE_INFINITY, runTask, {
    close: async () => {
      await events.close();
      await queue.close();
    },
  });
}
