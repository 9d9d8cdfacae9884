/**
 * `iovsim worker --queue redis://…`: pulls the planner's jobs from the Redis
 * queue (BullMQ) and answers them on local worker threads (`taskPool`), so the
 * event loop stays free to renew the jobs' locks however long a job runs.
 *
 * A job's lock lasts `lockSeconds` and is renewed every half of it while the job
 * runs; when a worker dies its locks run out, and another worker's stalled-job
 * check (every `lockSeconds`) puts the job back in the queue: it is answered
 * again, by the same pure function, so nothing is lost and nothing changes.
 *
 * Stopping finishes the jobs in hand and delivers their answers; while the
 * server is gone no answer can be delivered, so stopping then leaves the jobs
 * in hand to that same retry instead of waiting for the server.
 */
import { UnrecoverableError, Worker } from "bullmq";
import { taskPool } from "./pool-evaluator.js";
import { decodeTask, encodeAnswer, REFUSED } from "./queue-codec.js";
import { oncePerOutage, QUEUE_NAME, queueConnection, reachable, workerName } from "./queue-evaluator.js";

export interface QueueWorkerOptions {
  /** Worker threads, and jobs taken at once. */
  readonly threads: number;
  /** How long a job stays locked to this worker without a renewal (default 30 s). */
  readonly lockSeconds?: number;
  /** One line per job started and finished (ops logs; a test waits for "started"). */
  readonly log?: (line: string) => void;
  readonly name?: string;
}

export interface QueueWorker {
  /** Jobs answered so far. */
  answered(): number;
  /** Jobs taken and not answered yet. */
  inHand(): number;
  /**
   * Finishes the jobs in hand, then stops; with the server gone (now or while it waits) it stops at once.
   * Resolves with the jobs left in hand (0 unless the server was gone).
   */
  close(): Promise<number>;
}

/** How often a stopping worker looks whether the server is still there. */
const SERVER_CHECK_MS = 500;

export async function startQueueWorker(url: string, options: QueueWorkerOptions): Promise<QueueWorker> {
  const connection = queueConnection(url);
  // A server not reachable at the start is a usage problem (QueueUnreachable), not a wait.
  await reachable(url);
  const pool = taskPool(options.threads);
  const lockMs = Math.round((options.lockSeconds ?? 30) * 1000);
  const log = options.log ?? (() => {});
  let answered = 0;
  let started = 0;
  let inHand = 0;
  // Rejected when a stop leaves the jobs in hand (the server gone): their processors end, so BullMQ's close
  // (which waits for them before it stops its lock and stalled-job timers) ends too.
  let abandon: (reason: Error) => void = () => {};
  const abandoned = new Promise<never>((_, reject) => {
    abandon = reject;
  });
  abandoned.catch(() => {});
  // Fault injection for the test that kills a worker mid-job: after this many jobs, the next one is held for ever.
  const holdAfter = Number(process.env.IOVSIM_WORKER_HOLD_AFTER ?? Number.NaN);
  const worker = new Worker(
    options.name ?? QUEUE_NAME,
    async (job) => {
      const task = decodeTask(job.data);
      if (typeof task === "string") throw new UnrecoverableError(`${REFUSED}${task}`);
      inHand++;
      try {
        if (++started > holdAfter) {
          log(`job ${job.id} ${task.kind} started and held (IOVSIM_WORKER_HOLD_AFTER=${holdAfter})`);
          await abandoned;
        }
        log(`job ${job.id} ${task.kind} started`);
        const value = await Promise.race([pool.run(task), abandoned]);
        answered++;
        log(`job ${job.id} ${task.kind} done`);
        return encodeAnswer(value);
      } finally {
        inHand--;
      }
    },
    {
      connection,
      name: workerName(options.threads),
      concurrency: options.threads,
      lockDuration: lockMs,
      stalledInterval: lockMs,
      // A job whose worker died is put back this many times before it counts as failed.
      maxStalledCount: 5,
      autorun: true,
    },
  );
  // A connection lost later is retried by ioredis (the worker goes on when it is back): said once per outage.
  const outage = oncePerOutage((message) => log(`queue error: ${message}; retrying until the queue is back`));
  worker.on("error", (e) => outage.error(e.message));
  worker.on("completed", () => outage.fine());
  await worker.waitUntilReady();
  const client = await worker.getBackend().client;
  return {
    answered: () => answered,
    inHand: () => inHand,
    close: async () => {
      const finished = worker.close().then(() => true);
      finished.catch(() => {});
      // The answers of the jobs in hand go through the server: while it is gone (ioredis reconnecting),
      // waiting for them would wait for the server. Their locks run out and BullMQ retries them.
      let timer: NodeJS.Timeout | undefined;
      const gone = new Promise<false>((resolve) => {
        const look = () => {
          if (client.status !== "ready") resolve(false);
          else timer = setTimeout(look, SERVER_CHECK_MS);
        };
        look();
      });
      const inTime = await Promise.race([finished, gone]).catch(() => false);
      clearTimeout(timer);
      const left = inTime ? 0 : inHand;
      if (!inTime) {
        abandon(new Error("left to the queue: its server is gone"));
        await Promise.allSettled([worker.disconnect()]);
        // Its processors have ended; BullMQ's close ends with them (bounded all the same: the server is gone).
        await Promise.race([finished, new Promise((resolve) => setTimeout(resolve, SERVER_CHECK_MS * 4).unref())]);
      }
      await pool.destroy();
      return left;
    },
  };
}
