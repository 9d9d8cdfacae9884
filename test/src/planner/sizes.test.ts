import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type Amount, ZERO } from "../../../src/bom/amount.js";
import { loadCatalog } from "../../../src/catalog/read-files.js";
import type { CurveTotals } from "../../../src/planner/curve.js";
import { inProcessEvaluator } from "../../../src/planner/evaluator.js";
import { crossovers, type SizeRow, siteSizeCurve } from "../../../src/planner/sizes.js";
import type { Evaluator } from "../../../src/planner/types.js";
import { parseStudy, type Study } from "../../../src/study/index.js";
import { formatIssues } from "../../../src/topology/index.js";
import { timeless } from "../../helpers/timeless.js";

const STUDY = readFileSync(new URL("../../../topologies/studies/last-mile.yaml", import.meta.url), "utf8");

function study(text = STUDY): Study {
  const r = parseStudy(text, "study.yaml");
  if (!r.ok) throw new Error(formatIssues(r.issues));
  return r.study;
}

describe("crossovers", () => {
  const usd = (typical: number, unknown = 0): Amount => ({ ...ZERO, min: typical, typical, max: typical, unknown });
  const totals = (score: number, tco: number, unpriced = 0): CurveTotals => ({
    adapters: 0,
    cables: 0,
    optics: 0,
    switchPorts: 0,
    hardwareScore: score,
    hardwareScoreUnknown: 0,
    capex: usd(tco / 2, unpriced),
    tco: usd(tco, unpriced),
    power: usd(0),
    costUsd: tco / 2,
    unpricedItems: unpriced,
    watts: null,
  });
  const row = (servers: number, design: SizeRow["design"], t: CurveTotals): SizeRow => ({
    servers,
    design,
    status: "met",
    fidelity: "flow",
    confirmed: false,
    parameters: {},
    totals: t,
    costPerServer: t.tco.typical / servers,
    capexPerServer: t.capex.typical / servers,
    costIsLowerBound: t.tco.unknown > 0,
    hardwarePerServer: t.hardwareScore / servers,
    reason: null,
  });

  it("finds the first size where a design dearer per server becomes cheaper", () => {
    // A fixed-cost design (ucs: 4000 + 20 per server) against a per-server one (traditional: 60 per server).
    const rows = [32, 64, 128, 256].flatMap((n) => [
      row(n, "ucs", totals(4000 + 20 * n, (4000 + 20 * n) * 10)),
      row(n, "traditional", totals(60 * n, 600 * n)),
    ]);
    // ucs per server: 145, 82.5, 51.25, 35.6; traditional: 60 → ucs overtakes between 64 and 128.
    expect(crossovers(rows)).toEqual([
      { overtaker: "ucs", overtaken: "traditional", from: 64, to: 128, by: "TCO per server" },
    ]);
  });

  it("falls back to the hardware score while a price is missing, and says so", () => {
    const rows = [32, 64, 128].flatMap((n) => [
      row(n, "ucs", totals(4000 + 20 * n, 1000, 3)),
      row(n, "mriov", totals(60 * n, 1000)),
    ]);
    expect(crossovers(rows)).toEqual([
      { overtaker: "ucs", overtaken: "mriov", from: 64, to: 128, by: "hardware score per server" },
    ]);
  });
});

describe("siteSizeCurve", () => {
  it("plans each size at flow level and gives cost and hardware per server", async () => {
    const c = await loadCatalog([]);
    if (!c.ok) throw new Error("catalog");
    const r = await siteSizeCurve(study(), c.catalog, [40, 20], { designs: ["mriov"] });
    expect(r.sizes).toEqual([20, 40]);
    expect(r.rows.map((x) => [x.servers, x.design, x.status, x.fidelity])).toEqual([
      [20, "mriov", "met", "flow"],
      [40, "mriov", "met", "flow"],
    ]);
    for (const x of r.rows) {
      expect(x.hardwarePerServer).toBeCloseTo(x.totals!.hardwareScore / x.servers, 12);
      expect(x.costPerServer).toBeCloseTo(x.totals!.tco.typical / x.servers, 9);
      expect(x.costIsLowerBound).toBe(x.totals!.tco.unknown > 0);
    }
    expect(r.crossovers).toEqual([]);
  }, 300_000);
});

describe("siteSizeCurve's searches at once", () => {
  const SMALL = readFileSync(new URL("../../fixtures/study/small.yaml", import.meta.url), "utf8");

  /** An in-process evaluator that notes the most designs with a flow job in flight at once (a job yields once). */
  function counting(): { evaluator: Evaluator; most: () => number } {
    const inFlight = new Map<string, number>();
    let most = 0;
    return {
      most: () => most,
      evaluator: {
        ...inProcessEvaluator,
        flow: async (job) => {
          const design = job.file.split(" ")[0]!;
          inFlight.set(design, (inFlight.get(design) ?? 0) + 1);
          most = Math.max(most, [...inFlight.values()].filter((n) => n > 0).length);
          try {
            await new Promise((r) => setTimeout(r, 0));
            return await inProcessEvaluator.flow(job);
          } finally {
            inFlight.set(design, inFlight.get(design)! - 1);
          }
        },
      },
    };
  }

  it("runs no more searches side by side than asked, with the same curve whatever the number", async () => {
    const c = await loadCatalog([]);
    if (!c.ok) throw new Error("catalog");
    // Units run sizes ascending, then designs: the first searches side by side are of different designs.
    const one = counting();
    const three = counting();
    const a = await siteSizeCurve(study(SMALL), c.catalog, [8, 12], { searchesAtOnce: 1, evaluator: one.evaluator });
    const b = await siteSizeCurve(study(SMALL), c.catalog, [8, 12], { searchesAtOnce: 3, evaluator: three.evaluator });
    expect(one.most()).toBe(1);
    expect(three.most()).toBeGreaterThan(1);
    expect(three.most()).toBeLessThanOrEqual(3);
    expect(timeless(b)).toEqual(timeless(a));
  }, 300_000);
});

describe("siteSizeCurve's dominance rule", () => {
  const choice = (r: SizeRow) => [r.servers, r.design, r.status, r.parameters, r.costPerServer];
  const evaluations = (x: { size: Array<{ flow: { evaluations: number } }> }) =>
    x.size.reduce((n, s) => n + s.flow.evaluations, 0);

  it("chooses what the search without it chooses, with fewer evaluations (UCS at 64 servers: LAN uplinks miss first)", async () => {
    const c = await loadCatalog([]);
    if (!c.ok) throw new Error("catalog");
    const pruned = await siteSizeCurve(study(), c.catalog, [64], { designs: ["ucs"] });
    const plain = await siteSizeCurve(study(), c.catalog, [64], { designs: ["ucs"], skipDominated: false });
    expect(pruned.rows.map(choice)).toEqual(plain.rows.map(choice));
    expect(evaluations(pruned)).toBeLessThan(evaluations(plain));
  }, 300_000);

  it("chooses what the search without it chooses for every design of the small study", async () => {
    const c = await loadCatalog([]);
    if (!c.ok) throw new Error("catalog");
    const SMALL = readFileSync(new URL("../../fixtures/study/small.yaml", import.meta.url), "utf8");
    const pruned = await siteSizeCurve(study(SMALL), c.catalog, [8, 16]);
    const plain = await siteSizeCurve(study(SMALL), c.catalog, [8, 16], { skipDominated: false });
    expect(pruned.rows.map(choice)).toEqual(plain.rows.map(choice));
  }, 300_000);
});
