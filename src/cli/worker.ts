/**
 * `iovsim worker --queue redis://… [--workers N] [--lock-seconds S]`: answers a
 * planner's jobs from a Redis queue until Ctrl-C or SIGTERM (it then finishes the
 * jobs in hand and exits 0; at once, leaving them to the queue's retry, when the
 * server is gone; a second signal: at once, exit 130). Prints one line per job on
 * stdout, and `iovsim worker: ready …` on stderr once it listens.
 */
import { defaultWorkers } from "../node/pool-evaluator.js";
import { redacted } from "../node/queue-evaluator.js";
import { startQueueWorker } from "../node/queue-worker.js";
import { EXIT, type ExitCode } from "./exit-codes.js";
import { UsageError } from "./load.js";
import { printErr, printOut } from "./terminal.js";

export interface WorkerCommandOptions {
  queue: string;
  workers?: number | undefined;
  lockSeconds?: number | undefined;
}

const jobs = (n: number): string => `${n} job${n === 1 ? "" : "s"}`;

export async function workerCommand(opts: WorkerCommandOptions): Promise<ExitCode> {
  const threads = opts.workers ?? defaultWorkers();
  if (!Number.isSafeInteger(threads) || threads < 1)
    throw new UsageError(`--workers must be an integer ≥ 1, got ${threads}`);
  const lockSeconds = opts.lockSeconds ?? 30;
  if (!Number.isFinite(lockSeconds) || lockSeconds < 1)
    throw new UsageError(`--lock-seconds must be a number ≥ 1, got ${opts.lockSeconds}`);
  let worker: Awaited<ReturnType<typeof startQueueWorker>>;
  try {
    worker = await startQueueWorker(opts.queue, { threads, lockSeconds, log: (line) => printOut(`${line}\n`) });
  } catch (e) {
    if (e instanceof RangeError) throw new UsageError(e.message);
    throw e;
  }
  printErr(`iovsim worker: ready on ${redacted(opts.queue)} with ${threads} thread${threads === 1 ? "" : "s"}\n`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  printErr(`iovsim worker: stopping after the ${jobs(worker.inHand())} in hand (a second Ctrl-C stops at once)\n`);
  // A second signal: the jobs in hand are left to BullMQ, which retries them when their locks run out.
  const insist = () => {
    printErr(
      `iovsim worker: stopped with ${jobs(worker.inHand())} in hand (retried by another worker when ${worker.inHand() === 1 ? "its lock runs" : "their locks run"} out)\n`,
    );
    process.exit(EXIT.interrupted);
  };
  process.once("SIGINT", insist);
  process.once("SIGTERM", insist);
  const left = await worker.close();
  process.off("SIGINT", insist);
  process.off("SIGTERM", insist);
  if (left > 0)
    printErr(
      `iovsim worker: the queue's server is gone: stopped with ${jobs(left)} in hand (retried by a worker when the server is back)\n`,
    );
  printErr(`iovsim worker: ${jobs(worker.answered())} answered\n`);
  return EXIT.ok;
}
