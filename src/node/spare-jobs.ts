/**
 * Spare jobs beside jobs asked for: a spare job (a look-ahead's guess) runs
 * only when fewer jobs are in flight than workers, so it never queues ahead
 * of a job the search is waiting for. Taking a spare job starts it at once;
 * dropping one that has not started forgets it.
 */
import type { SpareJob } from "../planner/types.js";

export interface SpareScheduler<T, R> {
  /** Runs `task` now (a job asked for). */
  run(task: T): Promise<R>;
  /** Runs `task` once a worker is free of every other job. */
  runIfIdle(task: T): SpareJob<R>;
  /** Spare jobs not started yet. */
  spareWaiting(): number;
}

/** Spare jobs over `run`, for `workers` workers. */
export function spareScheduler<T, R>(workers: number, run: (task: T) => Promise<R>): SpareScheduler<T, R> {
  /** Jobs handed to `run` and not answered yet (running or queued behind it). */
  let inFlight = 0;
  /** Spare jobs waiting for a free worker, oldest first. */
  const waiting: Array<{ start: () => void }> = [];
  const startSpare = () => {
    while (inFlight < workers && waiting.length > 0) waiting.shift()!.start();
  };
  const runNow = async (task: T): Promise<R> => {
    inFlight++;
    try {
      return await run(task);
    } finally {
      inFlight--;
      startSpare();
    }
  };
  return {
    run: runNow,
    runIfIdle(task) {
      let started: Promise<R> | null = null;
      const entry = {
        start: () => {
          started = runNow(task);
          // Never left unhandled: a failure surfaces when (and if) the job is taken.
          started.catch(() => {});
        },
      };
      waiting.push(entry);
      startSpare();
      const leave = () => {
        const i = waiting.indexOf(entry);
        if (i >= 0) waiting.splice(i, 1);
      };
      return {
        take: () => {
          leave();
          if (started === null) entry.start();
          return started!;
        },
        drop: leave,
      };
    },
    spareWaiting: () => waiting.length,
  };
}
