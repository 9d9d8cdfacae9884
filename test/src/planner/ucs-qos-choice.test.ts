import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { expandStudy } from "../../../src/design/index.js";
import type { RunResult } from "../../../src/metrics/result.js";
import { runReplicationJob } from "../../../src/planner/evaluator.js";
import { degradedJobs } from "../../../src/planner/survive.js";
import { aggregate } from "../../../src/run/aggregate.js";
import { DEFAULT_PRECISION, runToPrecision } from "../../../src/run/precision.js";
import { Replication } from "../../../src/run/replication.js";
import { parseStudy, type Study } from "../../../src/study/index.js";
import { formatIssues, parseTopology, type ResolvedTopology } from "../../../src/topology/index.js";

/**
 * The UCS configuration `npm start` chooses for the built-in study (one IOM uplink per IOM, 2 LAN and
 * 2 FC uplinks per fabric interconnect), confirmed as the planner confirms it (src/planner/confirm.ts:
 * replications to the study's precision, each row's warm-up read off its output, stopping once every
 * row is decided), with the study's QoS policy and without it (UCS's defaults: everything but FCoE in
 * Best Effort). No pin group in either. Chassis 5 holds the backup server, the messaging VMs' host and
 * the databases they talk to; its IOM uplink is where the backup's streams queue. With the policy they
 * queue in Bronze and the messaging (Platinum) and vm-lan (Best Effort) pass them; without it every
 * class waits in the one queue the backup fills.
 */
const CHOICE = { fiModel: "6248up", iomUplinks: 1, fiLanUplinks: 2, fiFcUplinks: 2, lanFailover: "teaming" };

const parsed = parseStudy(
  readFileSync(new URL("../../../topologies/studies/last-mile.yaml", import.meta.url), "utf8"),
  "last-mile.yaml",
);
if (!parsed.ok) throw new Error(formatIssues(parsed.issues));
const STUDY: Study = parsed.study;
const { qos: _qos, ...plainFile } = STUDY.file;
const WITHOUT_POLICY: Study = { ...STUDY, file: plainFile };
/** The study's policy with Bronze at UCS's default weight (7, above Best Effort's 5) instead of the study's 2. */
const ucsQos = STUDY.file.qos!.ucs!;
const DEFAULT_WEIGHT: Study = {
  ...STUDY,
  file: {
    ...STUDY.file,
    qos: { ...STUDY.file.qos, ucs: { ...ucsQos, classes: { ...ucsQos.classes, bronze: { enabled: true } } } },
  },
};

function topologyOf(study: Study): { text: string; topo: ResolvedTopology } {
  const text = expandStudy(study, "ucs", CHOICE);
  const r = parseTopology(text, "<ucs>");
  if (!r.ok) throw new Error(formatIssues(r.issues));
  return { text, topo: r.topology };
}

async function confirm(study: Study): Promise<RunResult> {
  const { topo } = topologyOf(study);
  return runToPrecision(
    topo,
    topo.precision ?? DEFAULT_PRECISION,
    (requests) =>
      Promise.resolve(requests.map((q) => new Replication(topo, q.replication, topo.experiment.seed, q).result())),
    { stopWhenDecided: true },
  );
}

/** As the planner's single-failure check runs it (src/planner/survive.ts): failed from t = 0, one replication. */
function degraded(study: Study, component: string): RunResult {
  const { text, topo } = topologyOf(study);
  const job = degradedJobs(topo, text, "<ucs>").find((j) => j.label === component);
  if (job === undefined) throw new Error(`no shared component ${component}`);
  return aggregate(topo, [runReplicationJob(job.job)], 0);
}

const row = (r: RunResult, workload: string) => r.sla.find((s) => s.workload === workload)!;

describe("the built-in study's UCS choice at the planner's fidelity", () => {
  it("uses no LAN pin group: the study no longer searches one", () => {
    expect(STUDY.parameters.ucs!.bulkPinGroup!.candidates).toEqual([0]);
    expect(expandStudy(STUDY, "ucs", CHOICE)).not.toMatch(/\bpin:/);
  });

  // Each confirmed once, when a test first asks (not while the file is collected).
  let a: Promise<RunResult> | undefined;
  let b: Promise<RunResult> | undefined;
  const withPolicy = (): Promise<RunResult> => (a ??= confirm(STUDY));
  const without = (): Promise<RunResult> => (b ??= confirm(WITHOUT_POLICY));

  it("meets every SLA row with the study's QoS policy", async () => {
    const r = await withPolicy();
    for (const s of r.sla) expect(`${s.workload} ${s.metric} ${s.status}`).toBe(`${s.workload} ${s.metric} met`);
  }, 300_000);

  it("misses the messaging's p99 without it: the messages wait behind the backup at chassis 5's IOM uplink", async () => {
    const r = await without();
    const messaging = row(r, "latency-sensitive");
    expect(messaging.status).toBe("missed");
    expect(messaging.actual!).toBeGreaterThan(2 * messaging.target);
  }, 300_000);

  it("queues the backup in Bronze at the IOM uplink it fills, and the messaging's Platinum queue stays short", async () => {
    const uplink = (await withPolicy()).links.find((l) => l.id === "iom5b:fabric1")!;
    const cls = (name: string) => uplink.classes!.find((c) => c.name === name)!;
    expect(uplink.utilization).toBeGreaterThan(0.95);
    expect(cls("bronze").utilization).toBeGreaterThan(0.5);
    expect(cls("bronze").maxQueueBytes).toBeGreaterThan(100 * 1024);
    expect(cls("platinum").maxQueueBytes).toBeLessThan(4 * 1500);
  }, 300_000);

  it("keeps vm-lan's loss target when FI A's LAN uplink module fails, which Bronze at UCS's default weight does not", () => {
    // The component the planner confirms at packet level for this choice (the least margin of its kind).
    // All LAN traffic then leaves through FI B's two uplinks, where Best Effort and Bronze contend.
    const low = degraded(STUDY, "fi-a:eth1");
    expect(row(low, "vm-lan").status).toBe("met");
    expect(row(low, "backup").status).toBe("met");
    const high = degraded(DEFAULT_WEIGHT, "fi-a:eth1");
    expect(row(high, "vm-lan").status).toBe("missed");
  }, 300_000);

  it("shortens vm-lan's p99 too: the backup's queue is no longer in front of it", async () => {
    const [x, y] = [await withPolicy(), await without()];
    const p99 = (r: RunResult, w: string) => r.workloads.find((q) => q.name === w)!.latency.p99!;
    expect(p99(x, "vm-lan")).toBeLessThan(p99(y, "vm-lan") / 2);
  }, 300_000);
});
