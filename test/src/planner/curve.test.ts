import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type Amount, ZERO } from "../../../src/bom/amount.js";
import { loadCatalog } from "../../../src/catalog/read-files.js";
import {
  type CurveRow,
  type CurveTotals,
  curveFabric,
  curveRow,
  physicalBaseline,
  physicalShare,
  summarizeCurve,
  traditionalFabric,
} from "../../../src/planner/curve.js";
import type { DesignPlan } from "../../../src/planner/plan.js";
import { parseStudy } from "../../../src/study/index.js";

const usd = (typical: number, unknown = 0): Amount => ({ ...ZERO, min: typical, typical, max: typical, unknown });

const totals = (score: number, costUsd: number | null = 100 * score): CurveTotals => ({
  adapters: score,
  cables: 0,
  optics: 0,
  switchPorts: 0,
  hardwareScore: score,
  hardwareScoreUnknown: 0,
  capex: usd(costUsd ?? 0),
  tco: usd(2 * (costUsd ?? 0)),
  power: usd(0),
  costUsd,
  unpricedItems: 0,
  watts: null,
});

function row(share: number, hosts: number, fabric: number | null): CurveRow {
  return {
    share,
    design: "ucs",
    virtualizedHosts: hosts,
    physicalHosts: 32 - hosts,
    status: fabric === null ? "none" : "met",
    fidelity: "packet",
    confirmed: fabric !== null,
    parameters: null,
    fabric: fabric === null ? null : totals(fabric),
    physical: totals(0),
    site: fabric === null ? null : totals(fabric),
  };
}

describe("the physical servers' share", () => {
  it("is n / servers of the traditional site, each count rounded, amounts scaled, unknown units rounded up", () => {
    const site: CurveTotals = {
      adapters: 96,
      cables: 350,
      optics: 18,
      switchPorts: 410,
      hardwareScore: 1270,
      hardwareScoreUnknown: 1,
      capex: { ...usd(250_000, 5), min: 200_000, max: 300_000 },
      tco: usd(400_000, 5),
      power: usd(3200),
      costUsd: 250_000,
      unpricedItems: 5,
      watts: null,
    };
    expect(physicalShare(site, 8, 32)).toMatchObject({
      adapters: 24,
      cables: 88, // 87.5 rounds up
      optics: 5, // 4.5 rounds up
      switchPorts: 103, // 102.5
      hardwareScore: 318, // 317.5
      hardwareScoreUnknown: 1, // 0.25 → 1: "≥" never disappears
      capex: { min: 50_000, typical: 62_500, max: 75_000, unknown: 2 },
      tco: { typical: 100_000, unknown: 2 },
      power: { typical: 800 },
      costUsd: 62_500,
      unpricedItems: 2, // 1.25 → 2: "≥ cost" never hides one
      watts: null,
    });
    expect(physicalShare(site, 0, 32).hardwareScore).toBe(0);
  });
});

describe("summarizeCurve", () => {
  const shares = [0.6, 0.7, 0.8, 0.9, 1];

  it("finds no knee on a straight line", () => {
    const rows = [row(0.6, 19, 190), row(0.7, 22, 220), row(0.8, 26, 260), row(0.9, 29, 290), row(1, 32, 320)];
    const [k] = summarizeCurve(shares, rows).knees;
    expect(k).toEqual({ design: "ucs", knee: null, steepestPerHost: 10, averagePerHost: 10, growth: 130 });
  });

  it("puts the knee at the start of a segment at least 1.25 × steeper than the average", () => {
    // +10 per host, then +60 per host from 26 to 29 hosts (the backup servers join), then +10.
    const rows = [row(0.6, 19, 190), row(0.7, 22, 220), row(0.8, 26, 260), row(0.9, 29, 440), row(1, 32, 470)];
    const [k] = summarizeCurve(shares, rows).knees;
    expect(k!.knee).toBe(0.8);
    expect(k!.steepestPerHost).toBe(60);
    expect(k!.averagePerHost).toBeCloseTo(280 / 13, 12);
  });

  it("leaves points that are not met out, and names the design whose steepest segment is least steep", () => {
    const a = [row(0.6, 19, 190), row(0.7, 22, 220), row(0.8, 26, 260), row(0.9, 29, null), row(1, 32, null)];
    const b = [row(0.6, 19, 100), row(0.7, 22, 112), row(0.8, 26, 128), row(0.9, 29, 140), row(1, 32, 152)].map(
      (r) => ({ ...r, design: "mriov" as const }),
    );
    const s = summarizeCurve(shares, [...a, ...b]);
    expect(s.knees.map((k) => k.design)).toEqual(["mriov", "ucs"]);
    expect(s.knees[1]!.growth).toBeNull();
    expect(s.flattest).toBe("mriov");
  });
});

describe("curveRow", () => {
  const study = parseStudy(
    readFileSync(new URL("../../../topologies/studies/last-mile.yaml", import.meta.url), "utf8"),
    "study.yaml",
  );
  if (!study.ok) throw new Error("study");

  it("adds the fabric and the physical share for a met verdict, and has no figure otherwise", () => {
    const baseline = totals(1280, 320_000);
    const bomDetail = {
      adapters: 30,
      cables: 40,
      optics: 8,
      switchPortsInstalled: 60,
      switchPorts: 50,
      hardwareScore: 30 + 40 + 8 + 60 + 4,
      hardwareScoreUnknown: 0,
      power: usd(500),
      costUsd: 9000,
      unpricedItems: 1,
      watts: 500,
    };
    const tco = { capex: usd(9000, 1), total: usd(12_000, 1) };
    const d = {
      design: "mriov",
      verdict: "met",
      confirmed: true,
      chosen: { parameters: { hostsPerBox: 16 }, evidence: { fidelity: "packet" }, bomDetail, tco },
    } as unknown as DesignPlan;
    const r = curveRow(study.study, curveFabric(study.study, 0.8, d), baseline);
    expect(r.virtualizedHosts).toBe(32); // 80 % of 40 servers
    expect(r.physical.hardwareScore).toBe(256); // 1280 × 8 / 40
    expect(r.fabric!.hardwareScore).toBe(142);
    expect(r.site!.hardwareScore).toBe(142 + 256);
    expect(r.site!.costUsd).toBe(9000 + 64_000);
    expect(r.site!.capex).toMatchObject({ typical: 9000 + 64_000, unknown: 1 });
    expect(r.site!.tco.typical).toBe(12_000 + 128_000);
    expect(r.site!.unpricedItems).toBe(1);
    const missed = curveRow(
      study.study,
      curveFabric(study.study, 0.8, { ...d, verdict: "missed", confirmed: false } as DesignPlan),
      baseline,
    );
    expect(missed.status).toBe("missed");
    expect(missed.fabric).toBeNull();
    expect(missed.site).toBeNull();
  });
});

describe("the physical servers' baseline", () => {
  const study = parseStudy(
    readFileSync(new URL("../../../topologies/studies/last-mile.yaml", import.meta.url), "utf8"),
    "study.yaml",
  );
  if (!study.ok) throw new Error("study");

  it("is the plan's chosen traditional configuration when it met, so the traditional site stays flat", async () => {
    const c = await loadCatalog([]);
    if (!c.ok) throw new Error("catalog");
    const chosenTotals = totals(796, 100_000);
    const traditional = {
      design: "traditional",
      verdict: "met",
      chosen: {
        parameters: { accessUplinks: 1 },
        evidence: { fidelity: "packet" },
        bomDetail: { ...chosenTotals, power: usd(0) },
        tco: { capex: chosenTotals.capex, total: chosenTotals.tco },
      },
    } as unknown as DesignPlan;
    const b = physicalBaseline(study.study, c.catalog, traditional);
    expect(b.basis).toEqual({ source: "chosen", parameters: { accessUplinks: 1 } });
    expect(b.totals.hardwareScore).toBe(796);
    // The traditional design's own curve is flat: at every share its site is the chosen site (no search below 100 %).
    for (const share of [0.6, 0.7, 0.8, 0.9, 1]) {
      const row = curveRow(study.study, traditionalFabric(study.study, share, traditional, b), b.totals);
      expect(row.site!.tco.typical, String(share)).toBeCloseTo(200_000, 6);
      expect(row.site!.capex.typical, String(share)).toBeCloseTo(100_000, 6);
      expect(Math.abs(row.site!.hardwareScore - 796), String(share)).toBeLessThanOrEqual(1); // counts are rounded
    }
    // No traditional design in the plan (or none met): the study's current values, said so.
    const current = physicalBaseline(study.study, c.catalog);
    expect(current.basis.source).toBe("current");
    expect(current.basis.parameters).toMatchObject({ access: "switch", accessUplinks: 2 });
  });

  it("builds the traditional whole site at any size (128 servers: several access pairs, no 48-port limit)", async () => {
    const text = readFileSync(new URL("../../../topologies/studies/last-mile.yaml", import.meta.url), "utf8")
      .replace("servers: 40", "servers: 128")
      .replace("hosts: 35", "hosts: 123");
    const s = parseStudy(text, "study.yaml");
    if (!s.ok) throw new Error("study");
    const c = await loadCatalog([]);
    if (!c.ok) throw new Error("catalog");
    const b = physicalBaseline(s.study, c.catalog);
    // At least the 8 Ethernet and 2 FC cables of each of 123 VM hosts.
    expect(b.totals.cables).toBeGreaterThan(123 * 10);
  });
});
