/**
 * The page's side of the batch worker (batch-worker.ts): runs to the end and plans,
 * one request at a time, each answered by its id.
 */
import type { RunResult } from "../../src/metrics/result.js";
import type { PlanResult } from "../../src/planner/plan.js";
import type { ResolvedTopology } from "../../src/topology/types.js";

export type BatchRequest =
  | {
      readonly type: "run";
      readonly id: number;
      readonly topo: ResolvedTopology;
      readonly seed: number;
      readonly failoverTicks: number | null | undefined;
    }
  | { readonly type: "plan"; readonly id: number; readonly text: string; readonly file: string };

export type BatchResponse =
  | { readonly type: "run"; readonly id: number; readonly result: RunResult; readonly wallSeconds: number }
  | { readonly type: "plan"; readonly id: number; readonly plan: PlanResult; readonly wallSeconds: number }
  | { readonly type: "error"; readonly id: number; readonly message: string };

type Pending = { resolve: (r: BatchResponse) => void };

export class Batch {
  private worker: Worker | null = null;
  private next = 1;
  private readonly pending = new Map<number, Pending>();

  private get w(): Worker {
    if (this.worker === null) {
      this.worker = new Worker(new URL("./batch-worker.ts", import.meta.url), { type: "module" });
      this.worker.onmessage = (e: MessageEvent<BatchResponse>) => {
        const p = this.pending.get(e.data.id);
        this.pending.delete(e.data.id);
        p?.resolve(e.data);
      };
    }
    return this.worker;
  }

  private ask(req: BatchRequest): Promise<BatchResponse> {
    return new Promise((resolve, reject) => {
      this.pending.set(req.id, {
        resolve: (r) => {
          if (r.type === "error") reject(new Error(r.message));
          else resolve(r);
        },
      });
      this.w.postMessage(req);
    });
  }

  async run(
    topo: ResolvedTopology,
    seed: number,
    failoverTicks: number | null | undefined,
  ): Promise<Extract<BatchResponse, { type: "run" }>> {
    const r = await this.ask({ type: "run", id: this.next++, topo, seed, failoverTicks });
    if (r.type !== "run") throw new Error("batch worker: unexpected answer");
    return r;
  }

  async plan(text: string, file: string): Promise<Extract<BatchResponse, { type: "plan" }>> {
    const r = await this.ask({ type: "plan", id: this.next++, text, file });
    if (r.type !== "plan") throw new Error("batch worker: unexpected answer");
    return r;
  }
}
