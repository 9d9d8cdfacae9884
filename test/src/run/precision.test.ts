import { describe, expect, it } from "vitest";
import type { RunResult } from "../../../src/metrics/result.js";
import {
  isPrecise,
  PrecisionRun,
  precisionStatus,
  type ReplicationRequest,
  runToPrecision,
} from "../../../src/run/precision.js";
import { Replication, type ReplicationResult } from "../../../src/run/replication.js";
import { parseTopology } from "../../../src/topology/load.js";
import type { Precision, ResolvedTopology } from "../../../src/topology/types.js";

// One 10GbE link at 40 % (4 Gb/s of 1500-B messages): latency of a few µs with a spread across 1-ms runs.
const TEXT = `name: precision
design: traditional
experiment: { duration: 1ms, warmup: 100us, seed: 5 }
topology:
  nodes:
    host1:
      kind: server
      pcie: { slots: 1 }
      adapters: [{ name: nic0, type: nic, link: eth-10g, ports: 1, bus: pcie-gen3-x8 }]
    lan: { kind: lan, ports: { p: 1 } }
  links:
    - { endpoints: ["host1:nic0/1", "lan:p1"], type: eth-10g }
workloads:
  - { name: web, on: host1, via: nic0/1, to: lan, pattern: poisson, rate: 4Gbps, size: { exponential: 1500B } }
sla:
  - { workload: web, metric: latency.mean, target: 50us }
  - { workload: web, metric: latency.p99, target: 100us }
`;
const parsed = parseTopology(TEXT, "precision.yaml");
if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
const topo = parsed.topology;

const settings = (p: Partial<Precision>): Precision => ({
  relative: 0.1,
  minReplications: 3,
  maxReplications: 10,
  maxSeconds: 1,
  ...p,
});

/** Runs a round one replication after another (what `iovsim run` does). */
function sequential(t: ResolvedTopology) {
  return (requests: readonly ReplicationRequest[]): Promise<ReplicationResult[]> =>
    Promise.resolve(requests.map((r) => new Replication(t, r.replication, t.experiment.seed, r).result()));
}

const withoutWall = (r: RunResult): unknown => ({ ...r, wallSeconds: 0 });

describe("run length chosen by precision", () => {
  it("stops after the first round when every row is already within the target", async () => {
    const run = await runToPrecision(topo, settings({ relative: 2 }), sequential(topo));
    expect(run.replications).toBe(3);
    expect(run.precision).toMatchObject({ rounds: 1, stop: "precise", replicationSeconds: 1.1e-3 });
    expect(run.sla.every((r) => r.precise === true)).toBe(true);
  });

  it("adds replications until every half-width is within 10 % of max(|target|, |estimate|)", async () => {
    // Targets near the estimates (mean ≈ 2.7 µs, p99 ≈ 10 µs), so 10 % of them is 300 ns and 2 µs.
    const near = {
      ...topo,
      sla: [
        { ...topo.sla[0]!, target: 3e6 },
        { ...topo.sla[1]!, target: 20e6 },
      ],
    };
    const run = await runToPrecision(near, settings({ relative: 0.1 }), sequential(near));
    expect(run.precision!.stop).toBe("precise");
    expect(run.replications).toBeGreaterThan(3);
    for (const r of run.sla) {
      expect(r.halfWidth!).toBeLessThanOrEqual(0.1 * Math.max(r.target, r.actual!));
      expect(r).toMatchObject({ precise: true, replications: run.replications, settled: true });
    }
    // The first round alone was not precise: the rule added replications for a reason.
    const first = await runToPrecision(near, settings({ relative: 0.1, maxReplications: 3 }), sequential(near));
    expect(first.sla.some((r) => !isPrecise(r, 0.1))).toBe(true);
    expect(first.precision!.stop).toBe("max-replications");
  });

  it("stops at the replication cap and says which rows are not precise", async () => {
    const run = await runToPrecision(topo, settings({ relative: 0.001, maxReplications: 4 }), sequential(topo));
    expect(run.replications).toBe(4);
    expect(run.precision!.stop).toBe("max-replications");
    expect(run.sla.every((r) => r.precise === false)).toBe(true);
    // Far from their targets, the rows are decided all the same: the target lies outside twice the interval.
    expect(run.sla.map((r) => r.status)).toEqual(["met", "met"]);
  });

  it("stops at the time cap", async () => {
    // 3.3 ms for the first round; 4.4 ms allow one more 1.1-ms replication.
    const run = await runToPrecision(topo, settings({ relative: 0.001, maxSeconds: 4.4e-3 }), sequential(topo));
    expect(run.replications).toBe(4);
    expect(run.precision).toMatchObject({ stop: "max-seconds" });
    expect(run.precision!.simulatedSeconds).toBeCloseTo(4.4e-3, 12);
  });

  it("doubles the run length while a row has not settled, the same replications run longer", async () => {
    // A stand-in for a transient longer than the run: rows count as unsettled below 4 ms of measurement.
    const unsettledBelow4ms = async (requests: readonly ReplicationRequest[]) =>
      (await sequential(topo)(requests)).map((r, i) => ({
        ...r,
        steady: r.steady.map((s) => ({ ...s, settled: requests[i]!.durationTicks >= 4e9 })),
      }));
    const lengths: number[] = [];
    const run = await runToPrecision(topo, settings({ relative: 2 }), async (requests) => {
      lengths.push(...requests.map((r) => r.durationTicks));
      return unsettledBelow4ms(requests);
    });
    // 1 ms, then (0.1 + 1) · 2 − 0.1 = 2.1 ms, then 4.3 ms of measurement after the 100-µs warm-up.
    expect([...new Set(lengths)]).toEqual([1e9, 2.1e9, 4.3e9]);
    expect(run.precision).toMatchObject({ rounds: 3, replicationSeconds: 4.4e-3, stop: "precise" });
    expect(run.precision!.simulatedSeconds).toBeCloseTo(3 * (1.1e-3 + 2.2e-3 + 4.4e-3), 12);
    expect(run.window.end).toBeCloseTo(4.4e-3, 12);
    expect(run.sla.every((r) => r.settled)).toBe(true);
  });

  it("leaves a row that never settles within the time cap undecided", async () => {
    const never = async (requests: readonly ReplicationRequest[]) =>
      (await sequential(topo)(requests)).map((r) => ({
        ...r,
        steady: r.steady.map((s) => ({ ...s, settled: false })),
      }));
    const run = await runToPrecision(topo, settings({ relative: 2, maxSeconds: 0.01 }), never);
    expect(run.precision!.stop).toBe("max-seconds");
    expect(run.sla.map((r) => [r.settled, r.status])).toEqual([
      [false, "undecided"],
      [false, "undecided"],
    ]);
  });

  it("stops a confirmation at a clear miss, or when every row is decided, when asked (the planner)", async () => {
    const strict = { ...topo, sla: [{ ...topo.sla[0]!, target: 1e6 }] }; // latency.mean ≤ 1 µs: clearly missed
    const missed = await runToPrecision(strict, settings({ relative: 0.001 }), sequential(strict), {
      stopWhenDecided: true,
    });
    expect(missed.precision!.stop).toBe("missed");
    expect(missed.replications).toBe(3);
    expect(missed.sla[0]!.status).toBe("missed");
    // Both rows far below their targets: decided after the first round though far from 0.1 % precise.
    const decided = await runToPrecision(topo, settings({ relative: 0.001 }), sequential(topo), {
      stopWhenDecided: true,
    });
    expect(decided.precision!.stop).toBe("decided");
    expect(decided.replications).toBe(3);
    expect(decided.sla.map((r) => [r.status, r.precise])).toEqual([
      ["met", false],
      ["met", false],
    ]);
  });

  it("gives the same answer whether a round runs in parallel or one replication after another", async () => {
    const parallel = (requests: readonly ReplicationRequest[]) =>
      Promise.all(
        requests.map((r) => Promise.resolve(new Replication(topo, r.replication, topo.experiment.seed, r).result())),
      );
    const a = await runToPrecision(topo, settings({}), sequential(topo));
    const b = await runToPrecision(topo, settings({}), parallel);
    expect(withoutWall(b)).toEqual(withoutWall(a));
  });

  it("is a state machine the CLI can drive: next() gives a round, add() takes its results", () => {
    const run = new PrecisionRun(topo, settings({ relative: 2 }));
    const round = run.next();
    expect(round.map((r) => r.replication)).toEqual([0, 1, 2]);
    expect(run.next()).toBe(round);
    expect(() => run.add([])).toThrow("precision: expected 3 results, got 0");
    expect(() => run.result(0)).toThrow("has not finished");
  });

  it("rejects settings that cannot work", () => {
    expect(() => new PrecisionRun(topo, settings({ minReplications: 1 }))).toThrow("minReplications");
    expect(() => new PrecisionRun(topo, settings({ maxReplications: 2 }))).toThrow("maxReplications");
    expect(() => new PrecisionRun(topo, settings({ relative: 0 }))).toThrow("relative");
  });
});

describe("an SLA row's status under a precision target", () => {
  const row = (actual: number, halfWidth: number, status: "met" | "missed" | "undecided") =>
    ({
      workload: "w",
      metric: "latency.p99",
      target: 10,
      actual,
      status,
      halfWidth,
      low: actual - halfWidth,
      high: actual + halfWidth,
      warmup: 0,
      window: 1,
      warmupMethod: "mser-5",
      settled: true,
      samples: 100,
      replications: 3,
      precise: null,
    }) as const;

  it("keeps a precise row's verdict", () => {
    expect(precisionStatus(row(8, 0.5, "met"), 0.1)).toBe("met");
  });

  it("decides an imprecise row only when the target lies outside twice its interval", () => {
    // 15.3 ± 4.1 against 20 (the case of a queue near saturation): 4.7 < 8.2 → undecided.
    expect(precisionStatus({ ...row(15.3, 4.1, "met"), target: 20 }, 0.1)).toBe("undecided");
    expect(precisionStatus(row(4, 2.5, "met"), 0.1)).toBe("met");
    expect(precisionStatus(row(20, 4, "missed"), 0.1)).toBe("missed");
  });

  it("leaves an unsettled row undecided whatever its interval", () => {
    expect(precisionStatus({ ...row(1, 0.01, "met"), settled: false }, 0.1)).toBe("undecided");
  });
});
