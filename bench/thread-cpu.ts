/**
 * The bench's CPU clocks: the whole process's, and the main thread's alone, apart from the
 * threads V8 runs beside it (its optimizing compiler and its garbage collector's helpers): what
 * the simulator's own code costs, steadier than the process's total on a machine where those
 * helpers compete for the cores.
 *
 * A thread's is Linux only: `/proc/thread-self/schedstat`'s first field is the thread's time on a CPU in
 * nanoseconds (its `stat` counts whole clock ticks of 10 ms). Elsewhere, or when /proc cannot be
 * read, null: a figure that is not there, not a zero.
 */
import { readFileSync } from "node:fs";

/** CPU seconds of the whole process (every thread, user and system) since it started. */
export function processCpuSeconds(): number {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1e6;
}

/**
 * Seconds the calling thread has run on a CPU since it started, or null where that cannot be
 * read. The bench calls it on the main thread, where the simulation runs; read from a worker
 * thread (as vitest's thread pool runs tests) it is that worker's, not the process's main thread's.
 */
export function threadCpuSeconds(): number | null {
  try {
    const fields = readFileSync("/proc/thread-self/schedstat", "utf8").split(" ");
    const ns = Number(fields[0]);
    return Number.isFinite(ns) ? ns / 1e9 : null;
  } catch {
    return null;
  }
}

/** `after − before`, or null when either reading is missing. */
export function elapsed(before: number | null, after: number | null): number | null {
  return before === null || after === null ? null : after - before;
}
