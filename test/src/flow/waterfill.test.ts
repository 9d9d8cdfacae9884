import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { quantile99 } from "../../../src/flow/evaluate.js";
import { type FluidFlow, solveFluid, waterfill } from "../../../src/flow/waterfill.js";
import { referenceWaterfill } from "../../helpers/waterfill-reference.js";

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

describe("the event-driven solver against the textbook form", () => {
  const problem = fc.tuple(
    fc.array(fc.double({ min: 0.5, max: 100, noNaN: true }), { minLength: 1, maxLength: 8 }),
    fc.array(
      fc.record({
        demand: fc.oneof(
          fc.constant(Infinity),
          fc.constant(0),
          fc.constantFrom(1, 2, 5),
          fc.double({ min: 0, max: 50, noNaN: true }),
        ),
        weight: fc.oneof(fc.constant(1), fc.double({ min: 0.1, max: 10, noNaN: true })),
        mask: fc.integer({ min: 0, max: 255 }),
        coeff: fc.oneof(fc.constant(1), fc.constant(1538 / 1500), fc.double({ min: 0.5, max: 2, noNaN: true })),
      }),
      { minLength: 1, maxLength: 12, size: "max" },
    ),
  );
  const build = (caps: number[], specs: Array<{ demand: number; weight: number; mask: number; coeff: number }>) =>
    specs.map((s) => ({
      demand: s.demand,
      weight: s.weight,
      uses: caps
        .map((_, r) => r)
        .filter((r) => s.mask & (1 << r))
        .map((resource) => ({ resource, coeff: s.coeff })),
    }));
  const close = (a: number, b: number): boolean =>
    a === b || Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));

  /** Both solvers on one problem, their rates (within rounding) and bottlenecks checked equal. */
  const bothOf = (caps: number[], specs: Parameters<typeof build>[1]) => {
    const flows = build(caps, specs);
    const ours = waterfill(caps, flows);
    const ref = referenceWaterfill(caps, flows);
    ours.rates.forEach((x, i) => {
      expect(close(x, ref.rates[i]!), `flow ${i}: ${x} vs ${ref.rates[i]}`).toBe(true);
    });
    expect(ours.bottleneck).toEqual(ref.bottleneck);
    return { ours, ref };
  };

  test.prop([problem], { numRuns: 1000 })(
    "gives the same rates (within rounding), bottlenecks and loads",
    ([caps, specs]) => {
      const { ours, ref } = bothOf(caps, specs);
      ours.load.forEach((l, r) => {
        expect(close(l, ref.load[r]!), `resource ${r}`).toBe(true);
      });
    },
  );

  // More than 16 flows freezing in one round: the solver sorts its per-round lists in place
  // (a typed array's sort, not insertion) — the same answer as the textbook form.
  test.prop(
    [
      fc.tuple(
        fc.array(fc.double({ min: 0.5, max: 100, noNaN: true }), { minLength: 1, maxLength: 3 }),
        fc.array(
          fc.record({
            demand: fc.oneof(fc.constant(Infinity), fc.constantFrom(0.5, 1, 2)),
            weight: fc.constant(1),
            mask: fc.integer({ min: 1, max: 7 }),
            coeff: fc.constant(1),
          }),
          { minLength: 17, maxLength: 80, size: "max" },
        ),
      ),
    ],
    { numRuns: 200 },
  )("gives the same answer when dozens of flows freeze in one round", ([caps, specs]) => {
    bothOf(caps, specs);
  });

  it("freezes 40 flows at one full link in one round, each at its fair share", () => {
    const flows: FluidFlow[] = Array.from({ length: 40 }, () => ({ demand: Infinity, uses: on(0) }));
    const a = waterfill([80], flows);
    expect(a.rates).toEqual(new Array(40).fill(2));
    expect(a.bottleneck).toEqual(new Array(40).fill(0));
    expect(a.rounds).toBe(1);
  });

  it("solves independent parts apart: a flow's rate does not depend on flows it shares nothing with", () => {
    const caps = [10, 4, 6];
    const left: FluidFlow[] = [
      { demand: Infinity, uses: on(0) },
      { demand: 3, uses: on(0, 1) },
      { demand: Infinity, uses: on(1) },
    ];
    const right: FluidFlow[] = [
      { demand: Infinity, uses: on(2) },
      { demand: 1, uses: on(2) },
    ];
    const both = waterfill(caps, [...left, ...right]);
    const alone = waterfill(caps, left);
    expect(both.rates.slice(0, 3)).toEqual(alone.rates);
    expect(both.rates.slice(3)).toEqual([5, 1]);
    expect(both.rates).toEqual([8, 2, 2, 5, 1]);
  });

  it("fills a line of many links with one round per distinct bottleneck, not per flow", () => {
    // 1,000 links of capacities 1 … 1,000, each with its own 3 elastic flows plus one demand-limited flow.
    const n = 1000;
    const caps = Array.from({ length: n }, (_, r) => r + 1);
    const flows: FluidFlow[] = [];
    for (let r = 0; r < n; r++) {
      for (let k = 0; k < 3; k++) flows.push({ demand: Infinity, uses: on(r) });
      flows.push({ demand: 0.1, uses: on(r) });
    }
    const packed = waterfill(caps, flows);
    for (let r = 0; r < n; r++) expect(packed.rates[4 * r]).toBeCloseTo((r + 1 - 0.1) / 3, 12);
    // 2 rounds per link (the small demand, then the fill): the links are independent.
    expect(packed.rounds).toBe(2 * n);
  });
});

describe("solveFluid (packed form)", () => {
  it("reports the independent components and −1 for a flow that got its demand", () => {
    const a = solveFluid({
      capacities: [10, 10],
      demand: [Infinity, 2, Infinity],
      weight: null,
      useStart: Int32Array.from([0, 1, 2, 3]),
      useResource: Int32Array.from([0, 0, 1]),
      useCoeff: Float64Array.from([1, 1, 1]),
    });
    expect(Array.from(a.rates)).toEqual([8, 2, 10]);
    expect(Array.from(a.bottleneck)).toEqual([0, -1, 1]);
    expect(a.components).toBe(2);
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
