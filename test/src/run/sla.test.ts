import { describe, expect, it } from "vitest";
import type { WorkloadResult } from "../../../src/metrics/result.js";
import { evaluateSla, type SlaTarget } from "../../../src/metrics/sla.js";
import { aggregate } from "../../../src/run/aggregate.js";
import { Replication } from "../../../src/run/replication.js";
import { parseTopology } from "../../../src/topology/load.js";

/** A workload result with the given figures; `ci` null = one replication (no confidence interval). */
function workload(
  figures: {
    p99?: number | null;
    mean?: number | null;
    deliveredBps?: number;
    delivered?: number;
    dropped?: number;
    /** Unfinished at the end of the window, and the latency with them at their age. */
    unfinished?: number;
    censored?: { mean: number | null; p99: number | null };
  },
  ci: { p99?: number; mean?: number; deliveredBps?: number } | null = null,
): WorkloadResult {
  return {
    name: "w",
    unit: "message",
    offeredBps: 0,
    deliveredBps: figures.deliveredBps ?? 0,
    latency: {
      mean: figures.mean === undefined ? 0.001 : figures.mean,
      p50: null,
      p99: figures.p99 === undefined ? 0.001 : figures.p99,
      p999: null,
      max: null,
      samples: 100,
    },
    ci95: {
      "latency.mean": ci?.mean ?? null,
      "latency.p99": ci?.p99 ?? null,
      deliveredBps: ci?.deliveredBps ?? null,
    },
    sent: (figures.delivered ?? 100) + (figures.dropped ?? 0),
    delivered: figures.delivered ?? 100,
    dropped: figures.dropped ?? 0,
    inFlight: figures.unfinished ?? 0,
    unfinished: figures.unfinished ?? 0,
    latencyWithUnfinished: figures.censored ?? { mean: null, p99: null },
    dropReasons: {},
  };
}

function status(metric: SlaTarget["metric"], target: number, w: WorkloadResult) {
  const [row] = evaluateSla([{ workload: "w", metric, target }], [w]);
  return row!.status;
}

describe("an SLA row with one replication (no CI): the point estimate decides", () => {
  it("meets a latency ceiling at or below the target and misses it above", () => {
    // p99 = 0.9 ms ≤ 1 ms → met; 1 ms ≤ 1 ms → met (at most); 1.1 ms > 1 ms → missed.
    expect(status("latency.p99", 0.001, workload({ p99: 0.0009 }))).toBe("met");
    expect(status("latency.p99", 0.001, workload({ p99: 0.001 }))).toBe("met");
    expect(status("latency.p99", 0.001, workload({ p99: 0.0011 }))).toBe("missed");
    expect(status("latency.mean", 0.001, workload({ mean: 0.0005 }))).toBe("met");
    expect(status("latency.mean", 0.001, workload({ mean: 0.002 }))).toBe("missed");
  });

  it("meets a delivered-rate floor at or above the target and misses it below", () => {
    // 2 Gb/s ≥ 1 Gb/s → met; 1 Gb/s ≥ 1 Gb/s → met (at least); 0.5 Gb/s < 1 Gb/s → missed.
    expect(status("deliveredBps", 1e9, workload({ deliveredBps: 2e9 }))).toBe("met");
    expect(status("deliveredBps", 1e9, workload({ deliveredBps: 1e9 }))).toBe("met");
    expect(status("deliveredBps", 1e9, workload({ deliveredBps: 5e8 }))).toBe("missed");
  });

  it("judges loss as dropped / (delivered + dropped), never with a CI", () => {
    // 1 / 1000 = 0.001 ≤ 0.001 → met; 2 / 1000 > 0.001 → missed; the CI fields play no part.
    const met = evaluateSla(
      [{ workload: "w", metric: "lossRatio", target: 0.001 }],
      [workload({ delivered: 999, dropped: 1 }, { p99: 1, mean: 1, deliveredBps: 1 })],
    );
    expect(met[0]).toEqual({ workload: "w", metric: "lossRatio", target: 0.001, actual: 0.001, status: "met" });
    expect(status("lossRatio", 0.001, workload({ delivered: 998, dropped: 2 }))).toBe("missed");
  });

  it("leaves a row undecided when nothing was measured", () => {
    // No latency sample (p99 null), nothing finished (0 / 0), or no such workload: actual null, undecided.
    expect(status("latency.p99", 0.001, workload({ p99: null }))).toBe("undecided");
    expect(status("lossRatio", 0.001, workload({ delivered: 0, dropped: 0 }))).toBe("undecided");
    const [missing] = evaluateSla([{ workload: "nobody", metric: "deliveredBps", target: 1 }], [workload({})]);
    expect(missing).toEqual({
      workload: "nobody",
      metric: "deliveredBps",
      target: 1,
      actual: null,
      status: "undecided",
    });
  });
});

describe("an SLA row with replications: the 95 % CI decides", () => {
  it("meets a latency ceiling only when the whole CI is at or below it", () => {
    // 0.8 ± 0.1 ms: [0.7, 0.9] ≤ 1 ms → met; 0.95 ± 0.1 ms: [0.85, 1.05] straddles → undecided;
    // 1.2 ± 0.1 ms: [1.1, 1.3] > 1 ms → missed.
    expect(status("latency.p99", 0.001, workload({ p99: 0.0008 }, { p99: 0.0001 }))).toBe("met");
    expect(status("latency.p99", 0.001, workload({ p99: 0.00095 }, { p99: 0.0001 }))).toBe("undecided");
    expect(status("latency.p99", 0.001, workload({ p99: 0.0012 }, { p99: 0.0001 }))).toBe("missed");
  });

  it("uses each metric's own half-width", () => {
    // mean 0.95 ms with a mean CI of ±0.01 ms → [0.94, 0.96] → met, though the p99 CI (±1 ms) would straddle.
    expect(status("latency.mean", 0.001, workload({ mean: 0.00095 }, { mean: 0.00001, p99: 0.001 }))).toBe("met");
  });

  it("meets a delivered-rate floor only when the whole CI is at or above it", () => {
    // 1.5 ± 0.2 Gb/s: [1.3, 1.7] ≥ 1 → met; 1.1 ± 0.2: [0.9, 1.3] straddles → undecided; 0.7 ± 0.2: [0.5, 0.9] → missed.
    expect(status("deliveredBps", 1e9, workload({ deliveredBps: 1.5e9 }, { deliveredBps: 2e8 }))).toBe("met");
    expect(status("deliveredBps", 1e9, workload({ deliveredBps: 1.1e9 }, { deliveredBps: 2e8 }))).toBe("undecided");
    expect(status("deliveredBps", 1e9, workload({ deliveredBps: 7e8 }, { deliveredBps: 2e8 }))).toBe("missed");
  });

  it("reports the point estimate as the actual value, whatever the verdict", () => {
    const [row] = evaluateSla(
      [{ workload: "w", metric: "latency.p99", target: 0.001 }],
      [workload({ p99: 0.00095 }, { p99: 0.0001 })],
    );
    expect(row).toEqual({ workload: "w", metric: "latency.p99", target: 0.001, actual: 0.00095, status: "undecided" });
  });

  it("keeps the file's order of rows", () => {
    const rows = evaluateSla(
      [
        { workload: "w", metric: "deliveredBps", target: 1 },
        { workload: "w", metric: "latency.p99", target: 1 },
        { workload: "w", metric: "lossRatio", target: 1 },
      ],
      [workload({ deliveredBps: 2 })],
    );
    expect(rows.map((r) => r.metric)).toEqual(["deliveredBps", "latency.p99", "lossRatio"]);
  });
});

describe("stuck work counts against the SLA", () => {
  it("misses a latency row when the unfinished work, counted at its age, is above the target", () => {
    // 705 delivered at p99 0.6 ms; 600 stuck at the end, up to 20 ms old: p99 with them ≥ 15 ms → missed.
    const stuck = workload({ p99: 0.0006, delivered: 705, unfinished: 600, censored: { mean: 0.008, p99: 0.015 } });
    const [row] = evaluateSla([{ workload: "w", metric: "latency.p99", target: 0.002 }], [stuck]);
    expect(row).toEqual({ workload: "w", metric: "latency.p99", target: 0.002, actual: 0.015, status: "missed" });
    expect(status("latency.mean", 0.002, stuck)).toBe("missed");
  });

  it("leaves the verdict to the delivered messages when the unfinished ones are a young tail", () => {
    // A normal run ends with some messages in flight, younger than the p99: the row stays met, the actual unchanged.
    const tail = workload({ p99: 0.0006, unfinished: 40, censored: { mean: 0.0002, p99: 0.00058 } });
    const [row] = evaluateSla([{ workload: "w", metric: "latency.p99", target: 0.002 }], [tail]);
    expect(row).toEqual({ workload: "w", metric: "latency.p99", target: 0.002, actual: 0.0006, status: "met" });
  });

  it("in a run: storage I/O stuck behind a SAN switch with no failover misses its p99, and is conserved", () => {
    const text = `name: stuck
design: traditional
experiment: { duration: 10ms, warmup: 1ms, seed: 3 }
topology:
  nodes:
    host1:
      kind: server
      vms: 16
      pcie: { slots: 1 }
      adapters: [{ name: hba0, type: hba, link: fc-8g, ports: 2, bus: pcie-gen2-x8 }]
    san-a: { kind: fc-switch, ports: { fc: 2 } }
    san-b: { kind: fc-switch, ports: { fc: 2 } }
    array1: { kind: storage-array, ports: { fc: 2 }, media: flash }
  links:
    - { endpoints: ["host1:hba0/1", "san-a:fc1"], type: fc-8g }
    - { endpoints: ["host1:hba0/2", "san-b:fc1"], type: fc-8g }
    - { endpoints: ["san-a:fc2", "array1:fc1"], type: fc-8g }
    - { endpoints: ["san-b:fc2", "array1:fc2"], type: fc-8g }
workloads:
  - { name: io, on: "host1/vm[1..16]", via: [hba0/1, hba0/2], to: array1, pattern: iops, iops: 2000, read: 0.7, size: 8KiB }
sla:
  - { workload: io, metric: latency.p99, target: 2ms }
faults:
  - { at: 1ms, action: fail, target: san-a }
`;
    const loaded = parseTopology(text, "stuck.yaml");
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
    const topo = loaded.topology;
    // 16 VMs' flows hashed over the two paths. Multipathing off: the I/O of the failed path waits to the end;
    // the rest completes fast.
    const off = aggregate(topo, [new Replication(topo, 0, 3, { failoverTicks: null }).result()], 0);
    const w = off.workloads[0]!;
    expect(w.latency.p99!).toBeLessThan(0.002);
    expect(w.unfinished).toBeGreaterThan(0.3 * (w.delivered + w.unfinished));
    expect(w.sent).toBe(w.delivered + w.dropped + w.inFlight);
    expect(off.sla[0]!.status).toBe("missed");
    // Stuck behind the fault: nearly all of the unfinished (the rest is the other path's normal tail).
    expect(off.faults[0]!.stuck.io).toBeGreaterThan(0.9 * w.unfinished);
    expect(off.faults[0]!.stuck.io).toBeLessThanOrEqual(w.inFlight);
    // With failover at once, nothing is stuck and the row is met.
    const at0 = aggregate(topo, [new Replication(topo, 0, 3, { failoverTicks: 0 }).result()], 0);
    expect(at0.sla[0]!.status).toBe("met");
  });
});

describe("a run's SLA rows (aggregate)", () => {
  // A lightly loaded 10GbE link: 2 × 100 Mb/s of 1500-B messages (ρ = 0.02); latency ≈ one frame's
  // serialization (1.23 µs) + the adapter (0.5 µs) + the PCIe bus, far below 1 ms and far above 1 ns.
  const text = `name: sla
design: traditional
experiment: { duration: 5ms, warmup: 200us, seed: 9 }
topology:
  nodes:
    host1:
      kind: server
      pcie: { slots: 1 }
      adapters: [{ name: nic0, type: nic, link: eth-10g, ports: 1, bus: pcie-gen2-x8 }]
    lan: { kind: lan, ports: { p: 1 } }
  links:
    - { endpoints: ["host1:nic0/1", "lan:p1"], type: eth-10g }
workloads:
  - { name: web, on: host1, via: nic0/1, to: lan, pattern: poisson, rate: 100Mbps, size: 1500B }
  - { name: web2, on: host1, via: nic0/1, to: lan, pattern: poisson, rate: 100Mbps, size: 1500B }
sla:
  - { workload: web, metric: latency.p99, target: 1ms }
  - { workload: web, metric: latency.mean, target: 1ns }
  - { workload: web, metric: deliveredBps, target: 10Mbps }
  - { workload: web2, metric: deliveredBps, target: 1Gbps }
  - { workload: web, metric: lossRatio, target: 0 }
`;
  const loaded = parseTopology(text, "sla.yaml");
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  const topo = loaded.topology;

  it("turns latency targets from ticks into seconds and judges each row", () => {
    // 1 ms = 1e9 ticks → 0.001 s; 100 Mb/s offered: ≥ 10 Mb/s met, ≥ 1 Gb/s missed. No loss, but a loss
    // target of 0 stays undecided: the Wilson interval of 0 of n messages reaches z²/(n + z²) > 0.
    const one = aggregate(topo, [new Replication(topo, 0).result()], 0);
    expect(one.sla.map((r) => [r.metric, r.target, r.status])).toEqual([
      ["latency.p99", 0.001, "met"],
      ["latency.mean", 1e-9, "missed"],
      ["deliveredBps", 1e7, "met"],
      ["deliveredBps", 1e9, "missed"],
      ["lossRatio", 0, "undecided"],
    ]);
    // 43 messages finish (100 Mb/s of 1500 B over 5.2 ms): too few for MSER-5 (10 batches of 5), the file's warm-up.
    expect(one.sla[4]).toMatchObject({ actual: 0, low: 0, warmupMethod: "fixed", warmup: 2e-4, replications: 1 });
    expect(one.workloads[0]!.ci95).toEqual({ "latency.mean": null, "latency.p99": null, deliveredBps: null });
  });

  it("decides with the CI across 3 replications, and leaves a target inside the CI undecided", () => {
    // The CI of deliveredBps across 3 replications straddles its own mean: a floor at the mean is undecided.
    const reps = [0, 1, 2].map((i) => new Replication(topo, i).result());
    const first = aggregate(topo, reps, 0);
    const w = first.workloads[0]!;
    expect(w.ci95.deliveredBps).toBeGreaterThan(0);
    expect(first.sla.map((r) => r.status)).toEqual(["met", "missed", "met", "missed", "undecided"]);
    // SLA rows are measured as the replication runs: the new row needs runs of its own (same seeds, same events).
    const atMean = {
      ...topo,
      sla: [{ workload: "web", metric: "deliveredBps", target: first.sla[2]!.actual!, bound: "at-least" }],
    } as const;
    const again = [0, 1, 2].map((i) => new Replication(atMean, i).result());
    expect(again.map((r) => r.fingerprint)).toEqual(reps.map((r) => r.fingerprint));
    expect(aggregate(atMean, again, 0).sla[0]!.status).toBe("undecided");
  });
});
