/**
 * The pool's queue: jobs wait here, one queue per search, served in turn (round
 * robin) as workers take them (each worker holds one job running and one queued
 * behind it), and spare jobs (a look-ahead's guesses) only when no job asked for
 * waits and a worker would otherwise idle, so a spare job never queues ahead of
 * one a search is waiting for. Taking a spare job hands it on like a job asked
 * for; dropping one that has not started forgets it.
 *
 * Why per search: a search walks one job at a time (each step reads the last
 * answer), while another may ask for a whole score group's builds at once. In
 * one queue in arrival order the first waits behind the second's burst at every
 * step; served in turn, a search's next job waits for one job of each other
 * search. Measured on the site-size curve (32–256 servers, 2 workers, 3 pairs
 * on a noisy 2-core machine): 0.82 of the wall time of one queue (0.71–1.06;
 * docs/distributed.md has calmer figures). Jobs are pure functions of their
 * fields: the order they run in changes no answer.
 */
import type { SpareJob } from "../planner/types.js";

export interface SpareScheduler<T, R> {
  /** Queues `task` (a job asked for) behind the earlier jobs of its `stream` (0 when it has none). */
  run(task: T, stream?: number): Promise<R>;
  /** Runs `task` once a worker is free and no job asked for waits. */
  runIfIdle(task: T, stream?: number): SpareJob<R>;
  /** A stream of its own for a search's jobs. */
  newStream(): number;
  /** Spare jobs not started yet. */
  spareWaiting(): number;
}

interface Waiting {
  start: () => void;
}

/** Spare jobs and per-stream turns over `run`, for `workers` workers. */
export function spareScheduler<T, R>(workers: number, run: (task: T) => Promise<R>): SpareScheduler<T, R> {
  /** Jobs handed to `run` and not answered yet. */
  let inFlight = 0;
  let streams = 0;
  /** Jobs asked for and not started, per stream in arrival order. */
  const queues = new Map<number, Waiting[]>();
  /** Streams with jobs waiting, in the order they take their turns. */
  const turns: number[] = [];
  /** Spare jobs waiting for a free worker, oldest first. */
  const spare: Waiting[] = [];

  const dispatch = () => {
    // Jobs asked for go to `run` while fewer than two per worker are in flight there (one running, one
    // queued behind it, so a worker that finishes starts its next job without waiting for this thread);
    // spare jobs only while a worker would otherwise idle (never while jobs asked for wait: then 2 × workers
    // are in flight).
    for (;;) {
      if (turns.length > 0 && inFlight < 2 * workers) {
        const stream = turns.shift()!;
        const queue = queues.get(stream)!;
        const next = queue.shift()!;
        if (queue.length > 0) turns.push(stream);
        else queues.delete(stream);
        next.start();
      } else if (spare.length > 0 && inFlight < workers) spare.shift()!.start();
      else return;
    }
  };
  const handOn = (task: T): Promise<R> => {
    inFlight++;
    const answer = run(task);
    const done = () => {
      inFlight--;
      dispatch();
    };
    answer.then(done, done);
    return answer;
  };
  const enqueue = (task: T, stream: number): Promise<R> =>
    new Promise<R>((resolve, reject) => {
      const queue = queues.get(stream);
      const entry = { start: () => handOn(task).then(resolve, reject) };
      if (queue === undefined) {
        queues.set(stream, [entry]);
        turns.push(stream);
      } else queue.push(entry);
      dispatch();
    });

  return {
    run: (task, stream = 0) => enqueue(task, stream),
    runIfIdle(task, stream = 0) {
      let answer: Promise<R> | null = null;
      const entry = {
        start: () => {
          answer = handOn(task);
          // Never left unhandled: a failure surfaces when (and if) the job is taken.
          answer.catch(() => {});
        },
      };
      spare.push(entry);
      dispatch();
      const leave = () => {
        const i = spare.indexOf(entry);
        if (i >= 0) spare.splice(i, 1);
      };
      return {
        take: () => {
          leave();
          return answer ?? enqueue(task, stream);
        },
        drop: leave,
      };
    },
    newStream: () => ++streams,
    spareWaiting: () => spare.length,
  };
}
