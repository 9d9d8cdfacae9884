import { describe, expect, it } from "vitest";
import { deterministic } from "../../../sim/distributions.js";
import { RandomStreams } from "../../../sim/random.js";
import { Simulation } from "../../../sim/simulation.js";
import { WorkloadStats } from "../../../src/metrics/workload-stats.js";
import type { Message } from "../../../src/workload/message.js";
import { type Pattern, Source, SourceGroup, type SourceStreams } from "../../../src/workload/source.js";

/** Messages (id, bytes, time, read, target) a source makes in 1 ms with these streams. */
function run(pattern: Pattern, targets: number, streams: (s: RandomStreams) => SourceStreams): unknown[] {
  const sim = new Simulation();
  const sent: Message[] = [];
  const arrive = sim.handler((s: Source) => s.arrive(), "workload.arrive");
  const group = new SourceGroup(sim, arrive, pattern, new WorkloadStats("w", "message", null), {
    send: (m) => sent.push(m),
  });
  new Source(group, 3, targets, streams(new RandomStreams(7, 0))).start();
  sim.run({ until: 1e9 });
  return sent.map((m) => [m.id, m.bytes, m.createdAt, m.isRead, m.target]);
}

const all = (s: RandomStreams): SourceStreams => ({
  arrivals: s.detached("x:arrivals"),
  sizes: s.detached("x:sizes"),
  choices: s.detached("x:choices"),
});

describe("Source", () => {
  it("draws the same messages without a sizes stream when its size is constant", () => {
    const pattern: Pattern = { kind: "poisson", rateBps: 1e9, size: deterministic(4096) };
    const without = run(pattern, 1, (s) => ({ arrivals: s.detached("x:arrivals"), sizes: null, choices: null }));
    expect(without.length).toBeGreaterThan(10);
    expect(without).toEqual(run(pattern, 1, all));
  });

  it("fails at its first I/O without a choices stream instead of drawing reads from elsewhere", () => {
    const pattern: Pattern = { kind: "iops", iops: 50_000, readShare: 0.7, size: deterministic(8192) };
    expect(run(pattern, 1, all).length).toBeGreaterThan(10);
    expect(() => run(pattern, 1, (s) => ({ ...all(s), choices: null }))).toThrow(TypeError);
  });

  it("numbers its messages index · 2^32 + n", () => {
    const pattern: Pattern = { kind: "poisson", rateBps: 1e9, size: deterministic(4096) };
    const ids = run(pattern, 1, all).map((m) => (m as number[])[0]);
    expect(ids.slice(0, 3)).toEqual([3 * 2 ** 32, 3 * 2 ** 32 + 1, 3 * 2 ** 32 + 2]);
  });

  it("keeps what its workload's instances share in one group, not in each source", () => {
    const sim = new Simulation();
    const pattern: Pattern = { kind: "bulk", outstanding: 1, size: deterministic(1) };
    const group = new SourceGroup(sim, 0, pattern, new WorkloadStats("w", "message", null), { send: () => {} });
    const s = new Source(group, 0, 1, all(new RandomStreams(1, 0)));
    expect(s.pattern).toBe(pattern);
    for (const shared of ["sim", "pattern", "stats", "transport", "handlerId", "peakGap"])
      expect(Object.keys(s)).not.toContain(shared);
  });
});
