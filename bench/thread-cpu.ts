/**
 * CPU time of the main thread alone, apart from the threads V8 runs beside it (its optimizing
 * compiler and its garbage collector's helpers): what the simulator's own code costs, steadier
 * than the process's total on a machine where those helpers compete for the cores.
 *
 * Linux only: `/proc/self/task/<pid>/schedstat`'s first field is the thread's time on a CPU in
 * nanoseconds (its `stat` counts whole clock ticks of 10 ms). Elsewhere, or when /proc cannot be
 * read, null: a figure that is not there, not a zero.
 */
import { readFileSync } from "node:fs";

/** Seconds the main thread has run on a CPU since it started, or null where that cannot be read. */
export function mainThreadCpuSeconds(): number | null {
  try {
    const fields = readFileSync(`/proc/self/task/${process.pid}/schedstat`, "utf8").split(" ");
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
