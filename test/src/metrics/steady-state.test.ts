import { describe, expect, it } from "vitest";
import { exponential } from "../../../sim/distributions.js";
import { Rng, streamSeed } from "../../../sim/random.js";
import { OutcomeSeries } from "../../../src/metrics/outcome-series.js";
import { steadyEstimate } from "../../../src/metrics/steady-state.js";

const US = 1e6; // ticks per microsecond
const DETECT = { detect: true, ticks: 100 * US };

/** 4,000 messages, one per µs: latency 50 µs for the first 400 (a start-up backlog), then ~10 µs ± noise. */
function transient(): OutcomeSeries {
  const s = new OutcomeSeries();
  const rng = new Rng(streamSeed(3, 0, "steady"));
  const noise = exponential(2e-6);
  for (let i = 0; i < 4000; i++) {
    const base = i < 400 ? 50e-6 : 10e-6;
    s.delivered((i + 1) * US, base + noise.sample(rng), 1000);
  }
  return s;
}

describe("the steady-state estimate of one replication", () => {
  it("cuts a start-up backlog from the latencies and measures what follows (MSER-5)", () => {
    const e = steadyEstimate(transient(), "latency.mean", 4000 * US, DETECT);
    expect(e.method).toBe("mser-5");
    expect(e.settled).toBe(true);
    // The cut ends where the backlog does (400 messages, one per µs), give or take a batch of 5.
    expect(e.warmup).toBeGreaterThanOrEqual(395e-6);
    expect(e.warmup).toBeLessThanOrEqual(405e-6);
    expect(e.window).toBeCloseTo(4000e-6 - e.warmup, 12);
    expect(e.samples).toBe(4000 - Math.round(e.warmup / 1e-6));
    // Mean after the cut: 10 µs + the noise's 2 µs; the plain mean would be 16 µs.
    expect(e.estimate!).toBeCloseTo(12e-6, 6);
  });

  it("takes the nearest-rank 99th percentile of the latencies after the cut", () => {
    const s = new OutcomeSeries();
    // 100 messages of 1 … 100 µs in a shuffled order, none cut: the 99th of 100 sorted values is 99 µs.
    const order = Array.from({ length: 100 }, (_, i) => (i * 37) % 100);
    order.forEach((k, i) => {
      s.delivered((i + 1) * US, (k + 1) * 1e-6, 100);
    });
    const e = steadyEstimate(s, "latency.p99", 100 * US, { detect: false, ticks: 0 });
    expect(e.samples).toBe(100);
    expect(e.estimate).toBeCloseTo(99e-6, 12);
  });

  it("counts loss after the cut: an early burst of drops is warm-up, the rest is loss-free", () => {
    const s = new OutcomeSeries();
    for (let i = 0; i < 2000; i++) {
      if (i < 100 && i % 2 === 0) s.dropped((i + 1) * US);
      else s.delivered((i + 1) * US, 1e-5, 1000);
    }
    const e = steadyEstimate(s, "lossRatio", 2000 * US, DETECT);
    expect(e.settled).toBe(true);
    expect(e.dropped).toBe(0);
    expect(e.estimate).toBe(0);
    expect(e.finished).toBe(e.samples);
    expect(e.finished).toBeGreaterThan(1850);
    // With the file's warm-up (100 µs) instead, the burst counts: 50 drops of 2,000.
    const fixed = steadyEstimate(s, "lossRatio", 2000 * US, { detect: false, ticks: 0 });
    expect(fixed).toMatchObject({ method: "fixed", settled: null, dropped: 50, finished: 2000, estimate: 0.025 });
  });

  it("measures the delivered rate over time bins after a slow start", () => {
    const s = new OutcomeSeries();
    // 1,000 deliveries of 1,250 B: one every 2 µs for the first 200 µs, then one per µs (10 Gb/s).
    let t = 0;
    for (let i = 0; i < 1000; i++) {
      t += i < 100 ? 2 * US : US;
      s.delivered(t, 1e-6, 1250);
    }
    const e = steadyEstimate(s, "deliveredBps", t, DETECT);
    expect(e.settled).toBe(true);
    expect(e.warmup).toBeGreaterThan(150e-6);
    expect(e.estimate! / 1e10).toBeCloseTo(1, 2);
  });

  it("falls back to the file's warm-up with fewer than 50 observations", () => {
    const s = new OutcomeSeries();
    for (let i = 0; i < 40; i++) s.delivered((i + 1) * 10 * US, 1e-5, 100);
    const e = steadyEstimate(s, "latency.mean", 400 * US, DETECT);
    expect(e).toMatchObject({ method: "fixed", settled: null, warmup: 100e-6, samples: 31 });
  });

  it("has no estimate when nothing was delivered", () => {
    const e = steadyEstimate(new OutcomeSeries(), "latency.p99", 1000 * US, DETECT);
    expect(e.estimate).toBeNull();
    expect(e.samples).toBe(0);
  });
});
