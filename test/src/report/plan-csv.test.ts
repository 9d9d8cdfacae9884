import { describe, expect, it } from "vitest";
import { CSV_LINE_END, csv, csvCell, lastMileCurveCsv, planCsv, planSlaCsv } from "../../../src/report/plan-csv.js";
import { csvObjects, fixturePlan, parseCsv, withWorkloadName } from "./helpers.js";

describe("a CSV cell", () => {
  it("is empty for null, never 0", () => {
    expect(csvCell(null)).toBe("");
  });

  it("writes numbers as numbers, keeping their sign and full precision", () => {
    expect(csvCell(-1.5)).toBe("-1.5");
    expect(csvCell(0.000525339478762328)).toBe("0.000525339478762328");
    expect(csvCell(0)).toBe("0");
  });

  it("writes booleans as true / false", () => {
    expect([csvCell(true), csvCell(false)]).toEqual(["true", "false"]);
  });

  it("quotes text holding a comma, a quote, CR or LF, doubling the quotes", () => {
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
    expect(csvCell("plain")).toBe("plain");
  });

  it("puts a ' before text a spreadsheet would run as a formula", () => {
    for (const start of ["=", "+", "-", "@", "\t", "\r"])
      expect(csvCell(`${start}cmd`).replace(/^"/, "")).toMatch(/^'/);
    expect(csvCell('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvCell("db-io")).toBe("db-io");
  });

  it("ends every record, the last too, in CRLF", () => {
    expect(csv(["a", "b"], [[1, null]])).toBe(`a,b${CSV_LINE_END}1,${CSV_LINE_END}`);
  });
});

describe("plan.csv", () => {
  const plan = fixturePlan();
  const rows = csvObjects(planCsv(plan));

  it("has one row per design, in the plan's order", () => {
    expect(rows.map((r) => r.design)).toEqual(plan.designs.map((d) => d.design));
  });

  it("carries the choice's BOM totals, verdict and evidence", () => {
    const director = rows.find((r) => r.design === "director")!;
    expect(director).toMatchObject({
      verdict: "met",
      confirmed: "true",
      fidelity: "packet",
      replications: "3",
      parameters: "ibUplinks=1;ethModules=1;fcModules=1",
      adapters: "32",
      cables: "114",
      optics: "24",
      switch_ports_used: "116",
      switch_ports_installed: "184",
      io_modules: "4",
      rack_units: "11",
      watts: "446.36",
      cost_usd: "9800",
      cost_low_usd: "8400",
      cost_high_usd: "11200",
      unpriced_items: "163",
    });
    expect(rows.find((r) => r.design === "ucs")).toMatchObject({
      verdict: "missed",
      confirmed: "false",
      budget_exhausted: "true",
    });
  });

  it("parses every number back to the plan's value", () => {
    for (const d of plan.designs) {
      const r = rows.find((x) => x.design === d.design)!;
      const t = d.chosen!.bomDetail;
      expect(Number(r.hardware_score)).toBe(d.chosen!.hardwareScore);
      expect(Number(r.switch_ports_installed_unknown)).toBe(t.switchPortsInstalledUnknown);
      expect(r.watts === "" ? null : Number(r.watts)).toBe(t.watts);
    }
  });

  it("carries the cost of ownership (typical, low and high ends, units left out), its terms and the share of draws", () => {
    for (const d of plan.designs) {
      const r = rows.find((x) => x.design === d.design)!;
      const t = d.chosen!.tco;
      expect(Number(r.tco_usd)).toBe(t.total.typical);
      expect(Number(r.tco_low_usd)).toBe(t.total.min);
      expect(Number(r.tco_high_usd)).toBe(t.total.max);
      expect(Number(r.tco_unknown_units)).toBe(t.total.unknown);
      expect(Number(r.capex_usd)).toBe(t.capex.typical);
      expect(Number(r.tco_energy_usd)).toBe(t.terms.energy.typical);
      expect(Number(r.tco_years)).toBe(3);
      expect(r.objective).toBe("tco");
      expect(Number(r.objective_typical)).toBe(d.chosen!.objective.typical);
      expect(Number(r.backplane_ports_used)).toBe(d.chosen!.bomDetail.backplanePorts);
      const share = plan.robustness!.designs.find((x) => x.design === d.design)?.cheapest;
      // Designs that did not meet every SLA row are not in the draws: empty, not 0.
      expect(r.cheapest_share_of_draws).toBe(share === undefined ? "" : String(share));
    }
    expect(rows.find((r) => r.design === "ucs")!.cheapest_share_of_draws).toBe("");
  });

  it("keeps the notes in one field, commas and all", () => {
    expect(rows[0]!.notes).toBe(plan.designs[0]!.notes.join("; "));
  });

  it("leaves the BOM fields empty, not 0, for a design with no choice", () => {
    const p = fixturePlan();
    p.designs[0]!.chosen = null;
    p.designs[0]!.verdict = "none";
    const r = csvObjects(planCsv(p))[0]!;
    expect(r.verdict).toBe("none");
    for (const k of ["fidelity", "adapters", "cables", "cost_usd", "unpriced_items", "parameters"])
      expect(r[k]).toBe("");
    expect(r.attempts).toBe(String(p.designs[0]!.attempts));
  });
});

describe("plan-sla.csv", () => {
  const plan = fixturePlan();
  const rows = csvObjects(planSlaCsv(plan));

  it("has one row per design × SLA row of the choice", () => {
    expect(rows).toHaveLength(plan.designs.reduce((n, d) => n + (d.chosen?.sla.length ?? 0), 0));
  });

  it("parses back to each SLA row's target, actual, half-width and status, with SI units named", () => {
    for (const d of plan.designs)
      for (const s of d.chosen!.sla) {
        const r = rows.find((x) => x.design === d.design && x.workload === s.workload && x.metric === s.metric)!;
        expect(Number(r.target)).toBe(s.target);
        expect(r.actual === "" ? null : Number(r.actual)).toBe(s.actual);
        expect(r.ci95_half_width === "" ? null : Number(r.ci95_half_width)).toBe(s.halfWidth);
        expect(r.status).toBe(s.status);
      }
    expect(rows.find((r) => r.metric === "latency.p99")!.unit).toBe("s");
    expect(rows.find((r) => r.metric === "deliveredBps")!.unit).toBe("bit/s");
  });

  it("writes a missing CI as an empty field (vm-lan's loss ratio has none)", () => {
    const r = rows.find((x) => x.design === "director" && x.workload === "vm-lan")!;
    expect(r.ci95_half_width).toBe("");
    expect(r.actual).toBe("0");
  });

  it("guards a workload name that looks like a formula and round-trips one with a comma and quotes", () => {
    const evil = csvObjects(planSlaCsv(withWorkloadName("=cmd|' /C calc'!A0")));
    expect(evil.filter((r) => r.workload === "'=cmd|' /C calc'!A0")).toHaveLength(4);
    const odd = csvObjects(planSlaCsv(withWorkloadName('db, "io"')));
    expect(odd.filter((r) => r.workload === 'db, "io"')).toHaveLength(4);
  });
});

describe("last-mile-curve.csv", () => {
  const plan = fixturePlan();
  const curve = plan.lastMileCurve!;
  const rows = csvObjects(lastMileCurveCsv(curve));

  it("has one row per curve row, site, fabric and physical totals side by side", () => {
    expect(rows).toHaveLength(curve.rows.length);
    expect(Object.keys(rows[0]!)).toEqual(
      expect.arrayContaining([
        "share",
        "site_hardware_score",
        "fabric_cost_usd",
        "physical_switch_ports",
        "site_watts",
      ]),
    );
    const r = rows.find((x) => x.design === "director" && x.share === "0.8")!;
    const src = curve.rows.find((x) => x.design === "director" && x.share === 0.8)!;
    expect(Number(r.site_hardware_score)).toBe(src.site!.hardwareScore);
    expect(Number(r.site_tco_usd)).toBe(src.site!.tco.typical);
    expect(Number(r.site_tco_unknown_units)).toBe(src.site!.tco.unknown);
    expect(Number(r.physical_capex_usd)).toBe(src.physical.capex.typical);
    expect(Number(r.fabric_adapters)).toBe(src.fabric!.adapters);
    expect(Number(r.physical_hosts)).toBe(src.physicalHosts);
  });

  it("leaves site and fabric empty where no configuration meets, but keeps the physical hosts' figures", () => {
    const notMet = rows.filter((r) => r.status !== "met");
    expect(notMet.map((r) => `${r.design}@${r.share} ${r.status}`)).toEqual(["ucs@0.9 missed", "ucs@1 missed"]);
    for (const r of notMet) expect(r).toMatchObject({ site_hardware_score: "", fabric_adapters: "" });
    expect(notMet[0]!.physical_hosts).toBe("3");
    expect(notMet[1]!.physical_adapters).toBe("0");
  });

  it("writes unknown cost and watts as empty fields", () => {
    const p = fixturePlan();
    const r = p.lastMileCurve!.rows.find((x) => x.design === "mriov" && x.share === 0.6)!;
    Object.assign(r.fabric!, { costUsd: null, watts: null });
    const mriov = csvObjects(lastMileCurveCsv(p.lastMileCurve)).find((x) => x.design === "mriov" && x.share === "0.6")!;
    expect(mriov.fabric_cost_usd).toBe("");
    expect(mriov.fabric_watts).toBe("");
  });

  it("marks each design's knee", () => {
    const knees = rows.filter((r) => r.knee === "true").map((r) => `${r.design}@${r.share}`);
    expect(knees).toEqual(["ucs@0.7"]);
    expect(knees.sort()).toEqual(curve.knees.filter((k) => k.knee !== null).map((k) => `${k.design}@${k.knee}`));
  });

  it("is a header alone when the plan has no curve", () => {
    expect(parseCsv(lastMileCurveCsv(null))).toHaveLength(1);
  });
});
