/**
 * A memory budget for the planner's thread: the site-size curve holds every search's candidates and
 * evaluations in this thread, and at 512–1,000 servers a V8 heap that reaches its limit aborts the
 * process (exit 134, nothing said). Checked before every evaluation is handed out; past the budget the
 * command stops cleanly with the budget's exit code and nothing written.
 *
 * Heap in use includes garbage not yet collected, so a reading over the budget is taken again after a
 * full collection (`gc`, exposed at run time) before the budget counts as passed: only live data stops a run.
 */
import { getHeapStatistics, setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/** Default budget: this share of the thread's heap limit (V8 slows to a crawl of full collections near it). */
export const HEAP_BUDGET_SHARE = 0.8;

export class HeapBudgetError extends Error {
  constructor(
    readonly usedBytes: number,
    readonly limitBytes: number,
  ) {
    super(`heap budget: ${mib(usedBytes)} MiB in use, budget ${mib(limitBytes)} MiB`);
  }
}

export function mib(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(0);
}

/** The default budget in bytes: HEAP_BUDGET_SHARE of this thread's heap limit. */
export function defaultHeapBudget(): number {
  return Math.floor(getHeapStatistics().heap_size_limit * HEAP_BUDGET_SHARE);
}

let collect: (() => void) | null = null;
/** A full garbage collection (V8's `gc`, exposed once for this process). */
function fullGc(): void {
  if (collect === null) {
    setFlagsFromString("--expose-gc");
    collect = runInNewContext("gc") as () => void;
  }
  collect();
}

/** A check that throws HeapBudgetError when live heap passes `limitBytes`. */
export function heapBudget(limitBytes: number = defaultHeapBudget()): () => void {
  return () => {
    if (process.memoryUsage().heapUsed <= limitBytes) return;
    fullGc();
    const used = process.memoryUsage().heapUsed;
    if (used > limitBytes) throw new HeapBudgetError(used, limitBytes);
  };
}
