/**
 * Runs fuzz cases on worker threads (test/fuzz/worker.mjs: the compiled CLI code),
 * with a watchdog per case (a hang guard, not a speed assertion: a case past it is
 * a hang) and a heap limit per worker (a worker that runs out of memory is
 * replaced and its case counted). Samples the process's resident set while it runs.
 */

import { Worker } from "node:worker_threads";
import type { FuzzCase } from "./cases.js";
import type { Outcome } from "./verdict.js";

export interface PoolOptions {
  readonly workers: number;
  /** Seconds a case may take before it counts as a hang. */
  readonly hangSeconds: number;
  /** Heap limit per worker, MB. */
  readonly heapMb: number;
}

export type Result =
  | { readonly kind: "done"; readonly outcome: Outcome }
  | { readonly kind: "hang" | "out of memory"; readonly id: number; readonly ms: number };

const WORKER = new URL("./worker.mjs", import.meta.url);

export class FuzzPool {
  peakRss = process.memoryUsage().rss;
  private readonly sampler: NodeJS.Timeout;

  constructor(private readonly options: PoolOptions) {
    this.sampler = setInterval(() => {
      this.peakRss = Math.max(this.peakRss, process.memoryUsage().rss);
    }, 100);
  }

  private start(index: number): Promise<Worker> {
    const worker = new Worker(WORKER, {
      workerData: { index },
      resourceLimits: { maxOldGenerationSizeMb: this.options.heapMb },
    });
    return new Promise((resolve, reject) => {
      worker.once("message", () => resolve(worker));
      worker.once("error", reject);
    });
  }

  /** Runs every case; `onResult` is told each result as it comes (in completion order). */
  async run(cases: Iterable<FuzzCase>, onResult: (c: FuzzCase, r: Result) => void): Promise<void> {
    const queue = cases[Symbol.iterator]();
    const lane = async (index: number): Promise<void> => {
      let worker = await this.start(index);
      for (let next = queue.next(); !next.done; next = queue.next()) {
        const c = next.value;
        const started = performance.now();
        const result = await new Promise<Result>((resolve) => {
          const timer = setTimeout(() => {
            cleanup();
            resolve({ kind: "hang", id: c.id, ms: performance.now() - started });
          }, this.options.hangSeconds * 1000);
          const onMessage = (o: Outcome) => {
            cleanup();
            resolve({ kind: "done", outcome: o });
          };
          const onError = (e: Error) => {
            cleanup();
            const oom = (e as { code?: string }).code === "ERR_WORKER_OUT_OF_MEMORY";
            resolve(
              oom
                ? { kind: "out of memory", id: c.id, ms: performance.now() - started }
                : {
                    kind: "done",
                    outcome: {
                      id: c.id,
                      code: null,
                      threw: `worker: ${e.message}`,
                      stdout: "",
                      stderr: "",
                      ms: 0,
                      written: [],
                    },
                  },
            );
          };
          const cleanup = () => {
            clearTimeout(timer);
            worker.off("message", onMessage);
            worker.off("error", onError);
          };
          worker.on("message", onMessage);
          worker.on("error", onError);
          worker.postMessage(c);
        });
        onResult(c, result);
        if (result.kind !== "done" || result.outcome.threw?.startsWith("worker:")) {
          await worker.terminate();
          worker = await this.start(index);
        }
      }
      worker.postMessage("stop");
      await new Promise((resolve) => worker.once("exit", resolve));
    };
    try {
      await Promise.all(Array.from({ length: this.options.workers }, (_, i) => lane(i)));
    } finally {
      clearInterval(this.sampler);
      this.peakRss = Math.max(this.peakRss, process.memoryUsage().rss);
    }
  }
}
