/**
 * The Evaluator (docs/architecture.md §6): where the planner's expensive evaluations run.
 * Jobs are plain data (topology text, not parsed objects) so that an
 * implementation can ship them to worker threads (`src/node/pool-evaluator.ts`,
 * piscina), to a browser Web Worker or to other machines; results are plain
 * data too.
 *
 * Every job is a pure function of its fields: the planner's answer is the
 * same whichever implementation runs it and however many workers it has.
 */

import { FlowModel } from "../flow/index.js";
import { Replication, type ReplicationResult } from "../run/replication.js";
import { formatIssues } from "../topology/issues.js";
import { parseTopologyQuick } from "../topology/load.js";
import type { ResolvedTopology } from "../topology/types.js";
import { type FlowEntry, flowBrief } from "./evaluations.js";
import { flowSla, overall } from "./sla.js";
import { flowSurvive, type SurviveSample } from "./survive.js";
import { overloadedTiers, type TierSpec, tierCuts, tierLoads } from "./tiers.js";
import type { Evaluator, FlowJob, ReplicationJob } from "./types.js";

export type { Evaluator, FlowJob, ReplicationJob } from "./types.js";

/** Generated text from a checked study: the quick parse (no semantic pass; same topology). */
function topologyOf(yaml: string, file: string): ResolvedTopology {
  const parsed = parseTopologyQuick(yaml, file);
  if (!parsed.ok) throw new Error(`${file} is not a valid topology:\n${formatIssues(parsed.issues)}`);
  return parsed.topology;
}

/** Runs a replication job in this thread. Throws when the topology text is invalid (generated text: a bug). */
export function runReplicationJob(job: ReplicationJob): ReplicationResult {
  const topology = topologyOf(job.yaml, job.file);
  const options = {
    ...(job.faults === undefined ? {} : { faults: job.faults }),
    ...(job.failoverTicks === undefined ? {} : { failoverTicks: job.failoverTicks }),
    // Precision-driven confirmations lengthen the run (src/run/precision.ts).
    ...(job.durationTicks === undefined ? {} : { durationTicks: job.durationTicks }),
  };
  return new Replication(topology, job.replication, topology.experiment.seed, options).result();
}

/**
 * A candidate at flow level: its SLA rows, and the single-failure check only when they are met
 * (one solve per component on the candidate's flow model; a miss ends it, `firstKinds` failed first).
 */
export function flowEntry(
  topo: ResolvedTopology,
  survive: boolean,
  sample: SurviveSample = "all",
  firstKinds: readonly string[] = [],
  tiers?: readonly TierSpec[],
): FlowEntry & { failedKinds: string[] } {
  const model = new FlowModel(topo);
  const result = model.result();
  const summary = flowSla(topo, result);
  const flow = flowBrief(result);
  const cuts = tiers === undefined ? undefined : tierCuts(model, tiers);
  if (!survive || overall(summary.sla) !== "met") {
    const missed = new Set(summary.sla.filter((r) => r.status !== "met").map((r) => r.workload));
    const overloaded =
      cuts === undefined || missed.size === 0
        ? {}
        : { overloaded: overloadedTiers(topo, tierLoads(model, cuts), missed) };
    return { flow, summary, survive: null, margins: [], surviveMissed: [], failedKinds: [], ...overloaded };
  }
  const { margins, failedKinds, missedWorkloads, overloaded, ...check } = flowSurvive(topo, sample, {
    stopAtFirstMiss: true,
    firstKinds,
    model,
    ...(cuts === undefined ? {} : { tierCuts: cuts }),
  });
  return {
    flow,
    summary,
    survive: check,
    margins,
    surviveMissed: missedWorkloads,
    failedKinds,
    ...(cuts === undefined ? {} : { overloaded }),
  };
}

/** Runs a flow-level job in this thread. */
export function runFlowJob(job: FlowJob): FlowEntry & { failedKinds: string[] } {
  return flowEntry(topologyOf(job.yaml, job.file), job.survive, job.sample ?? "all", job.firstKinds ?? [], job.tiers);
}

/** Runs jobs one after another in this thread (the reference the worker pool must agree with). */
export const inProcessEvaluator: Evaluator = {
  concurrency: 1,
  replicate: (job) => Promise.resolve(runReplicationJob(job)),
  flow: (job) => Promise.resolve(runFlowJob(job)),
  close: () => Promise.resolve(),
};

/**
 * `inner` with `before` called as each job is handed out (a budget check that throws stops the search
 * there: the job is not started) and `after` as each answer arrives (progress counts).
 */
export function guardedEvaluator(
  inner: Evaluator,
  before: () => void,
  after: (kind: "replicate" | "flow" | "build") => void = () => {},
): Evaluator {
  const guard = async <T>(kind: "replicate" | "flow" | "build", job: () => Promise<T>): Promise<T> => {
    before();
    const answer = await job();
    after(kind);
    return answer;
  };
  const { build, flowIfIdle, busySeconds, cpuSeconds, forSearch } = inner;
  return {
    get concurrency() {
      return inner.concurrency;
    },
    close: () => inner.close(),
    ...(busySeconds === undefined ? {} : { busySeconds: () => busySeconds.call(inner) }),
    ...(cpuSeconds === undefined ? {} : { cpuSeconds: () => cpuSeconds.call(inner) }),
    replicate: (job) => guard("replicate", () => inner.replicate(job)),
    flow: (job) => guard("flow", () => inner.flow(job)),
    ...(build === undefined
      ? {}
      : { build: (...args: Parameters<typeof build>) => guard("build", () => build.apply(inner, args)) }),
    ...(forSearch === undefined ? {} : { forSearch: () => guardedEvaluator(forSearch.call(inner), before, after) }),
    ...(flowIfIdle === undefined
      ? {}
      : {
          // A spare job only runs on an idle worker; it is checked when the search takes its answer.
          flowIfIdle: (job: FlowJob) => {
            const spare = flowIfIdle.call(inner, job);
            return { take: () => guard("flow", () => spare.take()), drop: () => spare.drop() };
          },
        }),
  };
}
