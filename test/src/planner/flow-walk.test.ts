import { describe, expect, it } from "vitest";
import type { Candidate } from "../../../src/planner/candidates.js";
import type { Dominance } from "../../../src/planner/dominance.js";
import { emptySize, type FlowEntry } from "../../../src/planner/evaluations.js";
import { FlowWalk, type SearchOrder } from "../../../src/planner/flow-walk.js";
import type { Evaluator, FlowJob, SearchSettings } from "../../../src/planner/types.js";
import type { Study } from "../../../src/study/load.js";

/** Candidates whose topology text is `texts[rank]` (equal texts: equal hardware). */
function orderOf(texts: readonly string[]): SearchOrder {
  const list = texts.map((yaml, rank) => ({ yaml, label: `#${rank}`, parameters: { rank } }) as unknown as Candidate);
  return {
    at: (r) => Promise.resolve(list[r]),
    peek: (r) => Promise.resolve(list[r]),
    counts: () => ({ enumerated: list.length, refused: 0, infeasible: 0, ordered: list.length }),
  };
}

/** A flow answer that meets, or misses one LAN row. */
const answer = (met: boolean): FlowEntry & { failedKinds: string[] } => ({
  flow: { topology: "t", design: "director", flows: 0, rounds: 0, wallSeconds: 0, phases: {} } as FlowEntry["flow"],
  summary: {
    sla: [{ workload: "vm-lan", metric: "throughput", status: met ? "met" : "missed" }],
    flagged: [],
    needsPacketConfirmation: false,
  } as unknown as FlowEntry["summary"],
  survive: null,
  margins: [],
  surviveMissed: [],
  failedKinds: [],
});

const STUDY = { parameters: {}, file: { survive: "none", groups: [] } } as unknown as Study;

function walk(texts: string[], meets: (text: string) => boolean, extra: Partial<SearchSettings> = {}) {
  const asked: string[] = [];
  const evaluator = {
    concurrency: 1,
    flow: (job: FlowJob) => {
      asked.push(job.yaml);
      return Promise.resolve(answer(meets(job.yaml)));
    },
  } as unknown as Evaluator;
  const settings = { evaluator, progress: () => {}, ...extra } as unknown as SearchSettings;
  const size = emptySize(1);
  const w = new FlowWalk(STUDY, "director", settings, size, orderOf(texts), null, () => false);
  return { w, asked, size };
}

describe("the flow-level walk", () => {
  it("finds the first candidate that meets, evaluating each rank once", async () => {
    const { w, asked, size } = walk(["a", "b", "c", "d"], (t) => t === "c" || t === "d");
    expect(await w.nextMet(0)).toBe(2);
    expect(await w.nextMet(0)).toBe(2);
    expect(asked).toEqual(["a", "b", "c"]);
    expect(size.flow.evaluations).toBe(3);
  });

  it("evaluates a topology once, whatever parameters produced it", async () => {
    const { w, asked } = walk(["a", "a", "b"], (t) => t === "b");
    expect(await w.nextMet(0)).toBe(2);
    expect(asked).toEqual(["a", "b"]);
    expect(w.answers.size).toBe(3);
  });

  it("stops when its budget of evaluations runs out, and says so", async () => {
    const { w, asked } = walk(["a", "b", "c"], (t) => t === "c", { flowBudget: 2 });
    expect(await w.nextMet(0)).toBe(-1);
    expect(w.budgetOut).toBe(true);
    expect(asked).toEqual(["a", "b"]);
  });

  it("passes by a candidate the dominance rule answers for, and notes each miss with its side", async () => {
    const notes: string[] = [];
    const dominance = {
      dominated: (p: { rank: number }) => p.rank === 1,
      miss: (p: { rank: number }, sides: Set<string>) => notes.push(`${p.rank}:${[...sides].join()}`),
      missTier: () => {},
      tierSpecs: () => [],
    } as unknown as Dominance;
    const evaluator = { concurrency: 1, flow: (job: FlowJob) => Promise.resolve(answer(job.yaml === "c")) };
    const settings = { evaluator, progress: () => {} } as unknown as SearchSettings;
    const w = new FlowWalk(STUDY, "director", settings, emptySize(1), orderOf(["a", "b", "c"]), dominance, () => false);
    expect(await w.nextMet(0)).toBe(2);
    expect(w.dominatedSkips).toBe(1);
    expect(w.skipped()).toBe(1);
    expect(notes).toEqual(["0:lan"]);
  });

  it("passes by a topology already run at packet level", async () => {
    const evaluator = { concurrency: 1, flow: () => Promise.resolve(answer(true)) };
    const settings = { evaluator, progress: () => {} } as unknown as SearchSettings;
    const w = new FlowWalk(STUDY, "director", settings, emptySize(1), orderOf(["a", "b"]), null, (c) => c.yaml === "a");
    expect(await w.nextMet(0)).toBe(1);
  });
});
