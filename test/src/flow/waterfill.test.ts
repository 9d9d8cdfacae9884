import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { quantile99 } from "../../../src/flow/evaluate.js";
import { type FluidFlow, waterfill } from "../../../src/flow/waterfill.js";

const on = (...resources: number[]): FluidFlow["uses"] => resources.map((resource) => ({ resource, coeff: 1 }));

describe("water-filling (max-min fair sharing)", () => {
  it("two elastic flows on one link get half each", () => {
    const a = waterfill(
      [10],
      [
        { demand: Infinity, uses: on(0) },
        { demand: Infinity, uses: on(0) },
      ],
    );
    expect(a.rates).toEqual([5, 5]);
    expect(a.bottleneck).toEqual([0, 0]);
    expect(a.load).toEqual([10]);
  });

  it("a flow limited elsewhere leaves its share to the other", () => {
    // Flow 0 crosses links 0 (10) and 1 (2); flow 1 only link 0.
    const a = waterfill(
      [10, 2],
      [
        { demand: Infinity, uses: on(0, 1) },
        { demand: Infinity, uses: on(0) },
      ],
    );
    expect(a.rates[0]).toBeCloseTo(2, 12);
    expect(a.rates[1]).toBeCloseTo(8, 12);
    expect(a.bottleneck).toEqual([1, 0]);
  });

  it("a flow below its fair share keeps its demand; the rest goes to the elastic one", () => {
    const a = waterfill(
      [10],
      [
        { demand: 3, uses: on(0) },
        { demand: Infinity, uses: on(0) },
      ],
    );
    expect(a.rates).toEqual([3, 7]);
    expect(a.bottleneck).toEqual([null, 0]);
  });

  it("does not count a flow twice when it meets its demand in a round (regression, found by fast-check)", () => {
    const a = waterfill(
      [0.5],
      [
        { demand: Infinity, weight: 0.1, uses: on(0) },
        { demand: 1 / 6, weight: 0.1, uses: on(0) },
        { demand: 0, weight: 0.1, uses: on(0) },
      ],
    );
    expect(a.rates[0]).toBeCloseTo(1 / 3, 12);
    expect(a.rates[1]).toBe(1 / 6);
    expect(a.load[0]).toBeCloseTo(0.5, 12);
  });

  it("weights 1:3 split a link 1:3", () => {
    const a = waterfill(
      [8],
      [
        { demand: Infinity, weight: 1, uses: on(0) },
        { demand: Infinity, weight: 3, uses: on(0) },
      ],
    );
    expect(a.rates[0]).toBeCloseTo(2, 12);
    expect(a.rates[1]).toBeCloseTo(6, 12);
  });

  it("coefficients count wire overhead: 1500-B payload in 1538 wire bytes", () => {
    const k = 1538 / 1500;
    const a = waterfill([10e9], [{ demand: Infinity, uses: [{ resource: 0, coeff: k }] }]);
    expect(a.rates[0]).toBeCloseTo(10e9 / k, 0);
  });

  it("the classic three-link line: long flow and three short ones", () => {
    // Links 0, 1 capacity 1; long flow crosses both; one short flow per link.
    const a = waterfill(
      [1, 1],
      [
        { demand: Infinity, uses: on(0, 1) },
        { demand: Infinity, uses: on(0) },
        { demand: Infinity, uses: on(1) },
      ],
    );
    expect(a.rates.map((r) => +r.toFixed(12))).toEqual([0.5, 0.5, 0.5]);
  });

  test.prop(
    [
      fc.array(fc.double({ min: 0.5, max: 100, noNaN: true }), { minLength: 1, maxLength: 5 }),
      fc.array(
        fc.record({
          demand: fc.oneof(fc.constant(Infinity), fc.double({ min: 0, max: 50, noNaN: true })),
          weight: fc.double({ min: 0.1, max: 10, noNaN: true }),
          mask: fc.integer({ min: 1, max: 31 }),
        }),
        { minLength: 1, maxLength: 8 },
      ),
    ],
    { numRuns: 500 },
  )("feasible, demand-bounded and every limited flow has a full bottleneck", (caps, specs) => {
    const flows: FluidFlow[] = specs.map((s) => ({
      demand: s.demand,
      weight: s.weight,
      uses: caps
        .map((_, r) => r)
        .filter((r) => s.mask & (1 << r))
        .map((resource) => ({ resource, coeff: 1 })),
    }));
    const a = waterfill(caps, flows);
    a.load.forEach((l, r) => {
      expect(l).toBeLessThanOrEqual(caps[r]! * (1 + 1e-9));
    });
    flows.forEach((f, i) => {
      const x = a.rates[i]!;
      expect(x).toBeLessThanOrEqual(f.demand * (1 + 1e-9));
      if (f.uses.length === 0) return;
      if (x < f.demand * (1 - 1e-9)) {
        // Max-min: its bottleneck is full and no flow there has a larger weighted rate.
        const b = a.bottleneck[i]!;
        expect(b).not.toBeNull();
        expect(a.load[b]).toBeGreaterThanOrEqual(caps[b]! * (1 - 1e-9));
        flows.forEach((g, j) => {
          if (g.uses.some((u) => u.resource === b)) {
            expect(a.rates[j]! / (g.weight ?? 1)).toBeLessThanOrEqual((x / (f.weight ?? 1)) * (1 + 1e-9));
          }
        });
      }
    });
  });
});

describe("p99 from two moments", () => {
  it("is exact for one M/M/1 wait: P(W > t) = ρ·e^{−t/b}", () => {
    const rho = 0.6;
    const b = 2e-6 / (1 - rho);
    const p99 = quantile99({ mean: rho * b, variance: rho * (2 - rho) * b * b });
    expect(p99).toBeCloseTo(b * Math.log(100 * rho), 15);
  });

  it("is ln(100)·mean for an exponential, 0 for a rarely nonzero wait, the mean for a constant", () => {
    expect(quantile99({ mean: 1, variance: 1 })).toBeCloseTo(Math.log(100), 12);
    expect(quantile99({ mean: 0.001, variance: 0.2 })).toBe(0);
    expect(quantile99({ mean: 3, variance: 0 })).toBe(3);
  });

  it("matches a gamma(4) p99 (10.045) within 0.5 %", () => {
    expect(Math.abs(quantile99({ mean: 4, variance: 4 }) / 10.0451 - 1)).toBeLessThan(0.005);
  });
});
