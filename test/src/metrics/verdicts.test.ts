import { describe, expect, it } from "vitest";
import { wilsonInterval } from "../../../sim/stats/binomial.js";
import type { SteadyEstimate } from "../../../src/metrics/steady-state.js";
import { slaVerdicts, type VerdictTarget } from "../../../src/metrics/verdicts.js";

function est(estimate: number | null, extra: Partial<SteadyEstimate> = {}): SteadyEstimate {
  return {
    warmup: 0.001,
    window: 0.02,
    method: "mser-5",
    settled: true,
    estimate,
    samples: 1000,
    dropped: 0,
    finished: 0,
    halves: null,
    ...extra,
  };
}

const p99 = (target: number): VerdictTarget => ({ workload: "w", metric: "latency.p99", target });
const loss = (target: number): VerdictTarget => ({ workload: "w", metric: "lossRatio", target });
const one = (t: VerdictTarget, reps: SteadyEstimate[]) =>
  slaVerdicts(
    [t],
    reps.map((r) => [r]),
  )[0]!;

describe("SLA verdicts from steady-state estimates", () => {
  it("decide a latency row by the Student-t interval across replications", () => {
    // 1, 2, 3 ms: mean 2 ms, s = 1 ms, t(0.975, 2) = 4.3027 → ± 2.484 ms.
    const reps = [1e-3, 2e-3, 3e-3].map((x) => est(x));
    const row = one(p99(5e-3), reps);
    expect(row.actual).toBeCloseTo(2e-3, 12);
    expect(row.halfWidth!).toBeCloseTo((4.302653 * 1e-3) / Math.sqrt(3), 8);
    expect(row.low!).toBeCloseTo(2e-3 - row.halfWidth!, 12);
    expect(row.status).toBe("met");
    expect(one(p99(3e-3), reps).status).toBe("undecided");
    expect(one(p99(-1), reps).status).toBe("missed");
  });

  it("let one replication's point estimate decide a latency row (no interval)", () => {
    const row = one(p99(1e-3), [est(0.5e-3)]);
    expect(row).toMatchObject({ status: "met", halfWidth: null, low: null, high: null, replications: 1 });
  });

  it("give loss a Wilson interval on the pooled counts, also with one replication and no loss", () => {
    const row = one(loss(1e-3), [est(0, { dropped: 0, finished: 5000 })]);
    expect(row.low).toBe(0);
    expect(row.high!).toBeCloseTo(wilsonInterval(0, 5000).high, 15);
    expect(row.status).toBe("met");
    // 1,000 messages are too few to show loss ≤ 0.1 %: the upper bound is 0.38 %.
    expect(one(loss(1e-3), [est(0, { dropped: 0, finished: 1000 })]).status).toBe("undecided");
  });

  it("widen the loss interval to the replications' spread when losses come in bursts", () => {
    // 30 of 3,000 pooled (1 %), but all in one replication: Wilson alone would give [0.70 %, 1.42 %].
    const reps = [
      est(0.03, { dropped: 30, finished: 1000 }),
      est(0, { dropped: 0, finished: 1000 }),
      est(0, { dropped: 0, finished: 1000 }),
    ];
    const row = one(loss(0.005), reps);
    const w = wilsonInterval(30, 3000);
    expect(row.actual).toBeCloseTo(0.01, 15);
    expect(row.low).toBe(0);
    expect(row.high!).toBeGreaterThan(w.high + 0.02);
    expect(row.status).toBe("undecided");
  });

  it("judge delivered rate as a floor", () => {
    const t: VerdictTarget = { workload: "w", metric: "deliveredBps", target: 1e9 };
    expect(one(t, [est(2e9), est(2.1e9), est(1.9e9)]).status).toBe("met");
    expect(one(t, [est(0.5e9), est(0.6e9), est(0.4e9)]).status).toBe("missed");
  });

  it("call a row settled when most replications settled, and report mean warm-up and window", () => {
    const reps = [
      est(1e-3, { settled: true, warmup: 0.001, window: 0.021 }),
      est(1e-3, { settled: false, warmup: 0.003, window: 0.019 }),
      est(1e-3, { settled: true, warmup: 0.002, window: 0.02 }),
    ];
    const row = one(p99(2e-3), reps);
    expect(row).toMatchObject({ settled: true, warmupMethod: "mser-5", samples: 3000, replications: 3 });
    expect(row.warmup!).toBeCloseTo(0.002, 15);
    expect(row.window!).toBeCloseTo(0.02, 15);
    expect(one(p99(2e-3), [reps[1]!, reps[1]!, reps[0]!]).settled).toBe(false);
  });

  it("call a row unsettled when every replication drifts the same way, though each settled on its own", () => {
    // Second halves 1.0, 1.2, 0.9, 1.1 µs above the first: a paired t-test at 1 % sees the common rise.
    const rising = [1.0, 1.2, 0.9, 1.1].map((d) =>
      est(1e-5, { halves: [1e-5 - d * 1e-6, 1e-5 + (d * 1e-6) / 2] as const }),
    );
    expect(one(p99(1e-4), rising).settled).toBe(false);
    // The same differences with mixed signs are noise.
    const mixed = [1.0, -1.2, 0.9, -1.1].map((d) => est(1e-5, { halves: [1e-5, 1e-5 + d * 1e-6] as const }));
    expect(one(p99(1e-4), mixed).settled).toBe(true);
  });

  it("leave a row with nothing measured undecided", () => {
    expect(one(p99(1), [est(null), est(null)])).toMatchObject({ actual: null, status: "undecided" });
    expect(one(loss(1), [est(null, { finished: 0 })])).toMatchObject({ actual: null, status: "undecided" });
  });
});
