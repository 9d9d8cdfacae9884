import { describe, expect, it } from "vitest";
import { erlangC, queueingCases, simulateQueue } from "../../examples/queueing.js";

// Each case runs with a fixed seed, so these are deterministic checks of the
// kernel (clock, queue order, processes, resources, random streams, statistics)
// against closed forms. Tolerances: the mean time in system within 3 % of the
// closed form, the 95 % batch-means half-width within 5 % of it (long enough to
// be a real test, short enough for a unit test), utilization within 0.01 of ρ.
const CUSTOMERS: Record<string, number> = { "M/M/1 rho=0.9": 1_500_000 };

describe("queueing systems against their closed forms", () => {
  it("computes Erlang C for a known case (c = 2, a = 1 → 1/3)", () => {
    expect(erlangC(2, 1)).toBeCloseTo(1 / 3, 12);
    expect(erlangC(1, 0.5)).toBeCloseTo(0.5, 12); // M/M/1: P(wait) = ρ
  });

  for (const qc of queueingCases()) {
    it(`${qc.name}: ${qc.formula}`, () => {
      const customers = CUSTOMERS[qc.name] ?? 400_000;
      const run = simulateQueue(qc, { seed: 2026, customers, warmup: 20_000 });
      const relError = Math.abs(run.meanSojourn - qc.analyticSojourn) / qc.analyticSojourn;
      expect(relError).toBeLessThan(0.03);
      expect(run.ci.halfWidth).not.toBeNull();
      expect(run.ci.halfWidth! / qc.analyticSojourn).toBeLessThan(0.05);
      run.utilization.forEach((u, i) => {
        expect(Math.abs(u - qc.analyticUtilization[i]!)).toBeLessThan(0.01);
      });
    });
  }

  it("gives the same result and fingerprint for the same seed, and different ones for another seed", () => {
    const qc = queueingCases()[0]!;
    const a = simulateQueue(qc, { seed: 5, customers: 20_000, warmup: 100 });
    const b = simulateQueue(qc, { seed: 5, customers: 20_000, warmup: 100 });
    const c = simulateQueue(qc, { seed: 6, customers: 20_000, warmup: 100 });
    expect(b.meanSojourn).toBe(a.meanSojourn);
    expect(b.fingerprint).toBe(a.fingerprint);
    expect(c.fingerprint).not.toBe(a.fingerprint);
  });
});
