import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { Rng, streamSeed } from "../../../sim/random.js";
import { amountOf, type CostLine, factorOf } from "../../../src/bom/amount.js";
import type { Bom, BomItem } from "../../../src/bom/types.js";
import { EMPTY_COST_MODEL } from "../../../src/catalog/cost-model.js";
import type { Catalog, Figure } from "../../../src/catalog/types.js";
import type { FullCandidate } from "../../../src/planner/candidates.js";
import type { DesignPlan } from "../../../src/planner/plan.js";
import { drawValues, rankRobustness, triangular } from "../../../src/planner/robust.js";
import { parseStudy, type Study } from "../../../src/study/index.js";
import type { Design } from "../../../src/topology/types.js";

const fig = (value: number, range: [number, number] | null): Figure => ({
  value,
  range,
  confidence: "rough",
  source: "test",
  note: null,
});

const line = (key: string, count: number, f: Figure): CostLine => ({
  term: "capital",
  what: key,
  count,
  factors: [factorOf(`price:${key}`, f)],
});

describe("triangular draws", () => {
  it("stay inside [min, max] and average the mode on a symmetric range", () => {
    const rng = new Rng(streamSeed(7, 0, "t"));
    let sum = 0;
    const n = 20_000;
    for (let i = 0; i < n; i++) {
      const x = triangular(rng, 100, 200, 300);
      expect(x).toBeGreaterThanOrEqual(100);
      expect(x).toBeLessThanOrEqual(300);
      sum += x;
    }
    // Mean (a + b + c) / 3 = 200; the sample mean's s.d. is 40.8 / √20,000 ≈ 0.29.
    expect(Math.abs(sum / n - 200)).toBeLessThan(2);
  });

  it("are mostly near the mode: P(|x − c| < (b − a) / 4) = 3/4 for a symmetric triangle", () => {
    const rng = new Rng(streamSeed(7, 0, "u"));
    let near = 0;
    const n = 20_000;
    for (let i = 0; i < n; i++) if (Math.abs(triangular(rng, 0, 1, 2) - 1) < 0.5) near++;
    expect(Math.abs(near / n - 0.75)).toBeLessThan(0.02);
  });

  it("collapse to the value for an exact figure", () => {
    expect(triangular(new Rng(streamSeed(1, 0, "x")), 5, 5, 5)).toBe(5);
  });
});

describe("drawValues", () => {
  const a = [line("box-a", 1, fig(1000, [800, 1200])), line("shared", 2, fig(100, [50, 150]))];
  const b = [line("box-b", 1, fig(1000, [600, 1400])), line("shared", 2, fig(100, [50, 150]))];

  it("is reproducible by seed and differs across seeds", () => {
    const x = drawValues([a, b], 1000, 1);
    expect(drawValues([a, b], 1000, 1)).toEqual(x);
    expect(drawValues([a, b], 1000, 2)).not.toEqual(x);
    expect(x[0]).toHaveLength(1000);
  });

  it("draws a figure once per draw for every design (common random numbers)", () => {
    // The same lines twice: every draw prices them alike.
    const [x, y] = drawValues([a, a], 200, 3);
    expect(x).toEqual(y);
  });

  it("keeps each figure's own stream: adding a design does not move another design's draws", () => {
    const [alone] = drawValues([a], 500, 4);
    const [withB] = drawValues([a, b], 500, 4);
    expect(withB).toEqual(alone);
  });

  it("spans the amount's range and centres on its typical value", () => {
    const [x] = drawValues([a], 2000, 5);
    const amount = amountOf(a);
    const mean = x!.reduce((s, v) => s + v, 0) / x!.length;
    expect(Math.min(...x!)).toBeGreaterThanOrEqual(amount.min);
    expect(Math.max(...x!)).toBeLessThanOrEqual(amount.max);
    expect(Math.abs(mean - amount.typical)).toBeLessThan(10);
  });
});

/** A study whose objective is capex, with `draws` draws. */
function study(draws: number): Study {
  const raw = parse(
    readFileSync(new URL("../../../topologies/studies/last-mile.yaml", import.meta.url), "utf8"),
  ) as Record<string, unknown>;
  raw.objective = "capex";
  raw.draws = draws;
  raw.cost = { cablingLabour: false };
  const s = parseStudy(stringify(raw), "s.yaml");
  if (!s.ok) throw new Error("study");
  return s.study;
}

const CATALOG: Catalog = { entries: new Map(), costModel: EMPTY_COST_MODEL, files: [] };

/** A design whose choice is one item of price `f`. */
function chosen(design: Design, f: Figure): { plan: DesignPlan; candidate: FullCandidate } {
  const item = {
    kind: `box-${design}`,
    count: 1,
    category: "switching",
    unitCostUsd: f.value,
    unitCostRangeUsd: f.range,
    watts: 0,
    unitWattsRange: null,
    confidence: { entry: "rough", price: "rough", watts: "rough" },
  } as unknown as BomItem;
  const bom = { items: [item], upstream: [] } as unknown as Bom;
  const objective = amountOf([line(item.kind, 1, f)]);
  return {
    plan: { design, verdict: "met", chosen: {} } as unknown as DesignPlan,
    candidate: { bom, objective } as unknown as FullCandidate,
  };
}

describe("rankRobustness", () => {
  it("calls a winner robust when it is the cheapest in at least 95 % of ≥ 1,000 draws", () => {
    const r = rankRobustness(study(1000), CATALOG, [
      chosen("director", fig(1000, [900, 1100])),
      chosen("ucs", fig(2000, [1800, 2200])),
    ])!;
    expect(r.draws).toBe(1000);
    expect(r.winner).toBe("director");
    expect(r.winnerShare).toBe(1);
    expect(r.robust).toBe(true);
    expect(r.summary).toBe("director lowest capex in 100 % of 1000 draws: robust");
  });

  it("says plainly when the winner is not robust: two designs whose ranges overlap", () => {
    const r = rankRobustness(study(2000), CATALOG, [
      chosen("director", fig(1000, [500, 1500])),
      chosen("ucs", fig(1050, [900, 1200])),
    ])!;
    expect(r.winner).toBe("director");
    expect(r.winnerShare!).toBeGreaterThan(0.5);
    expect(r.winnerShare!).toBeLessThan(0.95);
    expect(r.robust).toBe(false);
    expect(r.summary).toMatch(/^director lowest capex in \d\d % of 2000 draws: not robust$/);
    const [d, u] = r.designs;
    expect(d!.cheapest + u!.cheapest).toBeCloseTo(1, 12);
    expect(d!.draws.p5).toBeLessThan(d!.draws.p50);
    expect(d!.draws.p50).toBeLessThan(d!.draws.p95);
    // Reproducible by seed: the same study, the same shares.
    const again = rankRobustness(study(2000), CATALOG, [
      chosen("director", fig(1000, [500, 1500])),
      chosen("ucs", fig(1050, [900, 1200])),
    ])!;
    expect(again).toEqual(r);
  });

  it("is null when no design met, and leaves designs that did not meet out", () => {
    const none = { plan: { design: "ucs", verdict: "none", chosen: null } as unknown as DesignPlan, candidate: null };
    expect(rankRobustness(study(1000), CATALOG, [none])).toBeNull();
    const r = rankRobustness(study(1000), CATALOG, [none, chosen("mriov", fig(10, null))])!;
    expect(r.designs.map((d) => d.design)).toEqual(["mriov"]);
    expect(r.summary).toBe("mriov: the only design that meets every SLA row");
  });
});
