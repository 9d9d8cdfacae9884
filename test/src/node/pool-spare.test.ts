import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCatalog } from "../../../src/catalog/read-files.js";
import type { Catalog } from "../../../src/catalog/types.js";
import { poolEvaluator, type TaskPool, taskPool } from "../../../src/node/pool-evaluator.js";
import { buildCandidate, combinations } from "../../../src/planner/candidates.js";
import { runFlowJob } from "../../../src/planner/evaluator.js";
import type { FlowJob } from "../../../src/planner/types.js";
import { parseStudy, type Study } from "../../../src/study/index.js";
import { formatIssues } from "../../../src/topology/index.js";

// The worker threads load the compiled worker (dist/; `npm test` builds first).
const TOPOLOGY = new URL("../../fixtures/topology/director.yaml", import.meta.url).pathname;
const SMALL = new URL("../../fixtures/study/small.yaml", import.meta.url).pathname;
/** What a search reads of a flow answer (its timing fields aside). */
const verdicts = (answer: unknown) => {
  const { summary, survive, margins, failedKinds } = answer as ReturnType<typeof runFlowJob>;
  return { summary, survive, margins, failedKinds };
};
const flowTask = (survive: boolean): { kind: "flow"; job: FlowJob } => ({
  kind: "flow",
  job: { yaml: readFileSync(TOPOLOGY, "utf8"), file: "director.yaml", survive },
});

describe("spare jobs on the worker pool", () => {
  let pool: TaskPool;
  beforeAll(() => {
    pool = taskPool(1);
  });
  afterAll(() => pool.destroy());

  // When each starts is the scheduler's (spare-jobs.test.ts, with hand-timed jobs); here the threads answer them.
  it("answer a spare job like any job, behind the jobs asked for", async () => {
    const first = pool.run(flowTask(false));
    const spare = pool.runIfIdle(flowTask(true));
    const second = pool.run(flowTask(false));
    expect(pool.spareWaiting()).toBe(1);
    await Promise.all([first, second]);
    expect(pool.spareWaiting()).toBe(0);
    expect(verdicts(await spare.take())).toEqual(verdicts(runFlowJob(flowTask(true).job)));
  });

  it("start at once when taken, and never when dropped", async () => {
    const busy = pool.run(flowTask(false));
    const taken = pool.runIfIdle(flowTask(false));
    const dropped = pool.runIfIdle(flowTask(true));
    expect(pool.spareWaiting()).toBe(2);
    const answer = taken.take();
    dropped.drop();
    expect(pool.spareWaiting()).toBe(0);
    await busy;
    expect(verdicts(await answer)).toEqual(verdicts(runFlowJob(flowTask(false).job)));
  });
});

describe("build jobs of two studies and two catalogs through one pool", () => {
  let catalog: Catalog;
  let study: Study;
  let longer: Study;
  beforeAll(async () => {
    const c = await loadCatalog([]);
    if (!c.ok) throw new Error("catalog");
    catalog = c.catalog;
    const parse = (text: string) => {
      const r = parseStudy(text, "small.yaml");
      if (!r.ok) throw new Error(formatIssues(r.issues));
      return r.study;
    };
    const text = readFileSync(SMALL, "utf8");
    study = parse(text);
    // Five years of ownership instead of the default: another TCO for the same hardware.
    longer = parse(`${text}\ncost: { years: 5 }\n`);
  });

  it("answers each with its own study and catalog (each worker keeps the contexts it has seen)", async () => {
    // Labour per cable run tripled: another catalog, the same study.
    const dearer: Catalog = {
      ...catalog,
      costModel: {
        ...catalog.costModel,
        labourPerCableUsd: { ...catalog.costModel.labourPerCableUsd, value: 75, range: [30, 120] },
      },
    };
    const evaluator = poolEvaluator(2);
    try {
      const parameters = combinations(study, "director")[0]!;
      // Interleaved, twice over: a worker that has seen one context must not answer another with it.
      const asked: Array<[Study, Catalog]> = [
        [study, catalog],
        [longer, catalog],
        [study, dearer],
        [longer, dearer],
      ];
      const answers = await Promise.all(
        [...asked, ...asked].map(([s, c]) => evaluator.build!(s, c, "director", 0, parameters)),
      );
      const objectives = answers.map((a) => a!.objective);
      for (const [i, [s, c]] of [...asked, ...asked].entries())
        expect(objectives[i]).toEqual(buildCandidate(s, "director", c, 0, parameters)!.objective);
      // The four contexts price the same hardware four ways: a mixed-up cache would show.
      expect(new Set(objectives.slice(0, 4).map((t) => JSON.stringify(t))).size).toBe(4);
    } finally {
      await evaluator.close();
    }
  });
});
