import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { loadCatalog } from "../../../src/catalog/read-files.js";
import type { Catalog } from "../../../src/catalog/types.js";
import type { Candidate } from "../../../src/planner/candidates.js";
import { inProcessEvaluator, runFlowJob } from "../../../src/planner/evaluator.js";
import { FlowLookahead } from "../../../src/planner/lookahead.js";
import { plan } from "../../../src/planner/plan.js";
import { siteSizeCurve } from "../../../src/planner/sizes.js";
import type { Evaluator, FlowJob, SpareJob } from "../../../src/planner/types.js";
import { parseStudy, type Study } from "../../../src/study/index.js";
import { formatIssues } from "../../../src/topology/index.js";
import { timeless } from "../../helpers/timeless.js";

const SMALL = new URL("../../fixtures/study/small.yaml", import.meta.url).pathname;

/** An evaluator with spare capacity that records what was looked ahead, taken and dropped. */
function spareEvaluator(concurrency = 2, real = true) {
  const log = { asked: [] as FlowJob[], ahead: [] as FlowJob[], taken: 0, dropped: 0 };
  const evaluator: Evaluator = {
    ...inProcessEvaluator,
    concurrency,
    flow: (job) => {
      log.asked.push(job);
      return inProcessEvaluator.flow(job);
    },
    flowIfIdle: (job): SpareJob<ReturnType<typeof runFlowJob>> => {
      log.ahead.push(job);
      // Answered when taken (as if a worker ran it meanwhile): the answer is the job's, whenever it runs.
      return {
        take: () => {
          log.taken++;
          return Promise.resolve(real ? runFlowJob(job) : ({ job } as unknown as ReturnType<typeof runFlowJob>));
        },
        drop: () => {
          log.dropped++;
        },
      };
    },
  };
  return { evaluator, log };
}

const candidate = (n: number) => ({ yaml: `y${n}`, label: `c${n}` }) as unknown as Candidate;
const inOrder = (last: number) => (n: number) => Promise.resolve(n <= last ? candidate(n) : undefined);
const jobOf = (firstKinds: string[]) => (c: Candidate) => ({ yaml: c.yaml, file: c.label, survive: true, firstKinds });

describe("FlowLookahead", () => {
  it("asks for the next ranks' flow jobs, up to the last candidate, and only those not known", async () => {
    const { evaluator, log } = spareEvaluator(3, false);
    const ahead = new FlowLookahead(evaluator);
    // Ranks 0…2 exist; rank 1's hardware is known already.
    await ahead.ahead(0, inOrder(2), (_, r) => r === 1, jobOf([]));
    expect(log.ahead.map((j) => j.file)).toEqual(["c2"]);
  });

  it("hands over an answer only for the very same job, and drops one asked with other kinds failed first", async () => {
    const { evaluator, log } = spareEvaluator(2, false);
    const ahead = new FlowLookahead(evaluator);
    await ahead.ahead(0, inOrder(99), () => false, jobOf([]));
    expect(log.ahead.map((j) => j.file)).toEqual(["c1", "c2"]);
    expect(ahead.take(1, jobOf([])(candidate(1)))).not.toBeNull();
    // The search's previous answer changed the kinds it fails first: the look-ahead is not that job.
    expect(ahead.take(2, jobOf(["fabric-interconnect"])(candidate(2)))).toBeNull();
    expect(log.dropped).toBe(1);
    // Taken or dropped, a look-ahead is handed over once.
    expect(ahead.take(1, jobOf([])(candidate(1)))).toBeNull();
  });

  it("asks for nothing more once the search has moved on", async () => {
    const { evaluator, log } = spareEvaluator(2, false);
    const ahead = new FlowLookahead(evaluator);
    const walking = ahead.ahead(0, inOrder(99), () => false, jobOf([]));
    ahead.settle();
    await walking;
    expect(log.ahead).toEqual([]);
  });

  it("looks nowhere ahead when told not to guess", () => {
    expect(new FlowLookahead(spareEvaluator(2).evaluator).depth).toBe(2);
    expect(new FlowLookahead(spareEvaluator(2).evaluator, false).depth).toBe(0);
  });

  it("looks nowhere ahead without spare capacity", async () => {
    for (const evaluator of [inProcessEvaluator, spareEvaluator(1).evaluator]) {
      const ahead = new FlowLookahead(evaluator);
      expect(ahead.depth).toBe(0);
      await ahead.ahead(0, inOrder(99), () => false, jobOf([]));
      expect(ahead.take(1, jobOf([])(candidate(1)))).toBeNull();
    }
  });
});

describe("a plan whose flow jobs run ahead on spare capacity", () => {
  let catalog: Catalog;
  let study: Study;
  beforeAll(async () => {
    const c = await loadCatalog([]);
    if (!c.ok) throw new Error("catalog");
    catalog = c.catalog;
    const raw = parse(readFileSync(SMALL, "utf8")) as {
      survive?: string;
      groups: Array<{ workloads: Array<{ name: string; iops?: number }> }>;
    };
    // Single failures too: the kinds failed first change as answers arrive, so some look-aheads must be dropped.
    raw.survive = "single-failure";
    // 64 times the VMs' disk I/O: the searches walk past candidates that miss (one design finds none).
    for (const g of raw.groups) for (const w of g.workloads) if (w.name === "vm-disk") w.iops = 9600;
    const r = parseStudy(stringify(raw), "small.yaml");
    if (!r.ok) throw new Error(formatIssues(r.issues));
    study = r.study;
  });

  it("is the plan without them, from fewer flow jobs asked one at a time", async () => {
    const options = { curve: false, confirm: false };
    const reference = await plan(study, catalog, { ...options, evaluator: inProcessEvaluator });
    const { evaluator, log } = spareEvaluator(2);
    const ahead = await plan(study, catalog, { ...options, evaluator });
    expect(timeless(ahead)).toEqual(timeless(reference));
    // The look-ahead did the work: some answers came from it, and the search asked that many fewer itself.
    expect(log.taken).toBeGreaterThan(0);
    expect(log.asked.length + log.taken).toBe(reference.size.flow.evaluations);
  });
});

describe("a plan on an evaluator that queues each search's jobs apart", () => {
  it("asks it for one evaluator per design's search and answers as without it", async () => {
    const c = await loadCatalog([]);
    if (!c.ok) throw new Error("catalog");
    const r = parseStudy(readFileSync(SMALL, "utf8"), "small.yaml");
    if (!r.ok) throw new Error(formatIssues(r.issues));
    const options = { curve: false, confirm: false };
    const reference = await plan(r.study, c.catalog, { ...options, evaluator: inProcessEvaluator });
    let searches = 0;
    const evaluator: Evaluator = {
      ...inProcessEvaluator,
      forSearch: () => {
        searches++;
        return inProcessEvaluator;
      },
    };
    const apart = await plan(r.study, c.catalog, { ...options, evaluator });
    expect(searches).toBe(r.study.designs.length);
    expect(timeless(apart)).toEqual(timeless(reference));
  });
});

describe("a site-size search on an evaluator with spare capacity", () => {
  it("looks nowhere ahead (its misses prune the order) and answers as without spare capacity", async () => {
    const c = await loadCatalog([]);
    if (!c.ok) throw new Error("catalog");
    const text = readFileSync(new URL("../../../topologies/studies/last-mile.yaml", import.meta.url), "utf8");
    const r = parseStudy(text, "last-mile.yaml");
    if (!r.ok) throw new Error(formatIssues(r.issues));
    // UCS at 32 servers walks past misses: each answers for candidates after it, which a look-ahead would
    // have run for nothing (on the curve at 32–256 servers, 177 of 178 that started).
    const options = { designs: ["ucs" as const], searchesAtOnce: 1 };
    const reference = await siteSizeCurve(r.study, c.catalog, [32], { ...options, evaluator: inProcessEvaluator });
    const { evaluator, log } = spareEvaluator(2);
    const spare = await siteSizeCurve(r.study, c.catalog, [32], { ...options, evaluator });
    expect(log.asked.length).toBeGreaterThan(1);
    expect(log.ahead).toEqual([]);
    expect(timeless(spare)).toEqual(timeless(reference));
  });
});
