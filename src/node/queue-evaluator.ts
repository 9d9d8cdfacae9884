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
import { decodeAnswer, encodeTask, QueueRefused, REFUSED } from "./queue-codec.js";

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

/** The URL without its password (it goes to logs). */
export function redacted(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== "") u.password = "***";
    return u.toString();
  } catch {
    return url;
  }
}

/**
 * What an `iovsim worker` calls its connection (Redis CLIENT SETNAME, through BullMQ's worker name): its
 * thread count, so that a planner can see how many jobs the workers listening take at once.
 */
export function workerName(threads: number): string {
  return `iovsim-threads-${threads}`;
}

/** The worker threads behind BullMQ's client names (`bull:<queue>:w:<name>`); a worker named otherwise counts 1. */
export function threadsListening(clientNames: readonly string[]): number {
  let threads = 0;
  for (const name of clientNames) {
    const m = /:w:iovsim-threads-(\d+)$/.exec(name);
    threads += m === null ? 1 : Math.max(1, Number(m[1]));
  }
  return threads;
}

/**
 * The id of the queue's last event (a Redis stream entry), or "0-0" for none: a QueueEvents reading from
 * it hears every event after this call. BullMQ's default ('$') starts reading after `waitUntilReady` has
 * resolved (its client names itself first), so an event in between is missed and a job answered then is
 * waited for for ever (taskforcesh/bullmq#2874; seen here as a planner test hanging 1 run in 10 under load).
 */
export async function lastEventId(queue: Queue): Promise<string> {
  const client = await queue.getBackend().client;
  const last = (await client.runCommand("xrevrange", [queue.keys.events, "+", "-", "COUNT", "1"])) as [string][];
  return last[0]?.[0] ?? "0-0";
}

const CONNECT_SECONDS = 15;
/** How long a closing planner waits for the server to take its last commands before it cuts the connections. */
const CLOSE_MS = 2000;
/** How often, after a lost connection, the planner looks whether the server is back. */
const RECHECK_MS = 2000;

/**
 * One PING before any queue or worker is made: a wrong URL or a server not started is a sentence (a
 * `QueueUnreachable`), not a silent wait or a stream of retries.
 */
export async function reachable(url: string): Promise<void> {
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
      `cannot reach the Redis queue at ${redacted(url)} (${(e as Error).message}): is redis-server running there and reachable?`,
    );
  } finally {
    client.disconnect();
  }
}

/** The queue's Redis server did not answer (a usage problem: a wrong URL or a server not started). */
export class QueueUnreachable extends RangeError {}

/**
 * `say` once per outage: ioredis retries a lost connection every second or two and BullMQ reports every
 * failed attempt (refused, closed, refused …); a reader needs the first. The outage ends with `fine()`
 * (an answer arrived, so the server is back).
 */
export function oncePerOutage(say: (message: string) => void): { error(message: string): void; fine(): void } {
  let out = false;
  return {
    error(message) {
      if (out) return;
      out = true;
      say(message);
    },
    fine() {
      out = false;
    },
  };
}

export interface QueueEvaluatorOptions {
  /** The queue's name in Redis (default QUEUE_NAME, the one `iovsim worker` takes jobs from). */
  readonly name?: string;
  /** A lost connection, said once per outage (the jobs wait while ioredis reconnects). */
  readonly onConnectionError?: (message: string) => void;
  /** No worker listens on the queue when the planner starts: its jobs wait until one does. */
  readonly onNoWorker?: () => void;
}

export async function queueEvaluator(url: string, options: QueueEvaluatorOptions = {}): Promise<Evaluator> {
  const { name = QUEUE_NAME, onConnectionError = () => {}, onNoWorker = () => {} } = options;
  const connection = queueConnection(url);
  await reachable(url);
  const queue = new Queue(name, { connection });
  /** Jobs asked for and not answered: what a restarted server may have lost. */
  const pending = new Map<string, () => void>();
  let lost = false;
  const outage = oncePerOutage(onConnectionError);
  const onError = (e: Error) => {
    lost = true;
    outage.error(e.message);
  };
  // A server restarted at once gives no error (ioredis reconnects in milliseconds), only a closed connection.
  const onClose = () => onError(new Error("the connection to the server closed"));
  queue.on("error", onError);
  queue.on("ioredis:close", onClose);
  const events = new QueueEvents(name, { connection, lastEventId: await lastEventId(queue) });
  events.on("error", onError);
  events.on("ioredis:close", onClose);
  // Every job in flight waits on one listener pair (events) and one 'closing' listener (queue).
  events.setMaxListeners(0);
  queue.setMaxListeners(0);
  await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
  // The planner's concurrency (how many sweep points or site sizes it plans side by side) follows the worker
  // threads listening, counted now and every RECHECK_MS: workers that join a running sweep widen it.
  const threadsNow = async () => threadsListening((await queue.getWorkers()).map((w) => String(w.rawname ?? "")));
  let threads = await threadsNow();
  if (threads === 0) onNoWorker();
  const run = randomUUID();
  let n = 0;
  const submit = (id: string, task: PoolTask) =>
    queue.add(task.kind, encodeTask(task), {
      jobId: id,
      // A job that throws is a bug, not bad luck: no retry. A worker that dies is another matter (stalled: retried).
      attempts: 1,
      // Kept a while: an answer that lands before the planner listens is read from the job itself.
      removeOnComplete: { age: 3600 },
      removeOnFail: { age: 24 * 3600 },
    });
  const runTask = (task: PoolTask): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const id = `${run}-${++n}`;
      let settled = false;
      const settle = (answer: Promise<unknown>) =>
        answer.then(decodeAnswer).then(
          (value) => {
            if (settled) return;
            settled = true;
            pending.delete(id);
            outage.fine();
            resolve(value);
          },
          (e: unknown) => {
            if (settled) return;
            settled = true;
            pending.delete(id);
            const message = e instanceof Error ? e.message : String(e);
            reject(message.startsWith(REFUSED) ? new QueueRefused(message) : e);
          },
        );
      // Adding a job whose id the queue holds is a no-op, and waiting reads a finished job's answer at once.
      const wait = () => settle(submit(id, task).then((job) => job.waitUntilFinished(events)));
      pending.set(id, wait);
      wait();
    });
  // After a lost connection, once the server answers again, every job not answered is asked for again: a
  // server restarted without persistence (as docs/distributed.md starts it) has forgotten the jobs in its
  // queue, and the planner would wait for them for ever. Jobs are pure: asked twice, answered the same.
  let probing = false;
  let counting = false;
  const recheck = setInterval(() => {
    if (!lost && !counting) {
      counting = true;
      threadsNow()
        .then(
          (t) => {
            threads = t;
          },
          () => {},
        )
        .finally(() => {
          counting = false;
        });
    }
    if (!lost || probing || pending.size === 0) return;
    probing = true;
    // Answered once the server answers again (commands wait while ioredis reconnects).
    queue
      .count()
      .then(
        () => {
          lost = false;
          for (const wait of pending.values()) wait();
        },
        () => {},
      )
      .finally(() => {
        probing = false;
      });
  }, RECHECK_MS);
  recheck.unref();
  return evaluatorOver(() => Math.max(1, threads), runTask, {
    close: async () => {
      clearInterval(recheck);
      // With the server gone a graceful close waits for ever (its last commands wait to be sent, e.g. after
      // --max-wall stopped a plan during an outage): give it a moment, then cut the connections.
      const closed = Promise.all([events.close(), queue.close()]).then(() => true);
      closed.catch(() => {});
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), CLOSE_MS);
      });
      const inTime = await Promise.race([closed, late]).catch(() => false);
      clearTimeout(timer);
      if (!inTime) await Promise.allSettled([events.disconnect(), queue.disconnect()]);
    },
  });
}
