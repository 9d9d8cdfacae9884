import { describe, expect, it } from "vitest";
import type { BomBar, CurvePoint, LatencyPoint } from "../../../src/report/plan-charts.js";
import { planReportFiles } from "../../../src/report/plan-files.js";
import { escapeHtml, jsonForScript, planHtml } from "../../../src/report/plan-html.js";
import { embeddedJson, figureOf, fixturePlan, marks, withWorkloadName } from "./helpers.js";

const SVG_NS = "http://www.w3.org/2000/svg";

describe("report.html", () => {
  const plan = fixturePlan();
  const html = planHtml(plan);

  it("is one HTML document with its CSS inline", () => {
    expect(html.startsWith("<!doctype html>\n")).toBe(true);
    expect(html).toContain("<style>");
    expect(html.trimEnd().endsWith("</html>")).toBe(true);
  });

  it("opens offline: no URL but the SVG namespace, no src or href, no script to run", () => {
    expect(new Set(html.match(/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>)]*/gi))).toEqual(new Set([SVG_NS]));
    expect(html).not.toMatch(/\s(src|href)=/i);
    expect(html).not.toMatch(/@import|url\(/i);
    for (const tag of html.match(/<script[^>]*>/g) ?? [])
      expect(tag).toMatch(/^<script type="application\/json" id="[\w-]+">$/);
  });

  it("embeds the whole plan, which parses back to the input", () => {
    expect(embeddedJson(html, "iovsim-plan")).toEqual(plan);
  });

  it("draws a bar per design × metric (adapters, cables, optics, switch ports), each matching the BOM", () => {
    const bars = marks(figureOf(html, "chart-bom"), "rect", "bar");
    expect(bars).toHaveLength(plan.designs.length * 4);
    for (const d of plan.designs) {
      const t = d.chosen!.bomDetail;
      const of = (metric: string) =>
        Number(bars.find((b) => b["data-design"] === d.design && b["data-metric"] === metric)!["data-value"]);
      expect([of("adapters"), of("cables"), of("optics"), of("switchPortsInstalled")]).toEqual([
        t.adapters,
        t.cables,
        t.optics,
        t.switchPortsInstalled,
      ]);
    }
    const data = embeddedJson(html, "chart-bom-data") as BomBar[];
    expect(data.map((b) => [b.design, b.metric, b.value])).toEqual(
      bars.map((b) => [b["data-design"], b["data-metric"], Number(b["data-value"])]),
    );
    expect(figureOf(html, "chart-bom")).toContain('data-marks="16"');
  });

  it("stacks each design's cost of ownership by term, marks it ≥ where a figure is unknown, its range as a whisker", () => {
    const tco = figureOf(html, "chart-tco");
    const bars = marks(tco, "rect", "tco-bar");
    for (const d of plan.designs) {
      const mine = bars.filter((b) => b["data-design"] === d.design);
      // Each drawn segment is the term's typical value; together they make the total.
      for (const b of mine)
        expect(Number(b["data-value"])).toBe(d.chosen!.tco.terms[b["data-term"] as "capital"].typical);
      const sum = mine.reduce((s, b) => s + Number(b["data-value"]), 0);
      expect(sum).toBeCloseTo(d.chosen!.tco.total.typical, 6);
    }
    expect(bars.some((b) => b["data-term"] === "energy")).toBe(true);
    expect(tco).toContain("units unknown");
    expect(marks(tco, "path", "lower-bound")).toHaveLength(
      plan.designs.filter((d) => d.chosen!.tco.total.unknown > 0).length,
    );
    expect(marks(tco, "path", "range").length).toBeGreaterThan(0);
    expect(html).toContain(plan.robustness!.summary.replaceAll("'", "&#39;"));
  });

  it("draws a point per latency SLA row and design, at its actual, with its CI half-width and target", () => {
    const points = marks(figureOf(html, "chart-latency"), "circle", "lat-point");
    const rows = plan.designs.flatMap((d) =>
      d.chosen!.sla.filter((r) => r.metric.startsWith("latency")).map((r) => ({ design: d.design, ...r })),
    );
    expect(points).toHaveLength(rows.length);
    for (const r of rows) {
      const p = points.find((x) => x["data-design"] === r.design && x["data-workload"] === r.workload)!;
      expect(Number(p["data-value"])).toBe(r.actual);
      expect(Number(p["data-half-width"])).toBe(r.halfWidth);
      expect(Number(p["data-target"])).toBe(r.target);
      expect(p["data-status"]).toBe(r.status);
    }
    expect((embeddedJson(html, "chart-latency-data") as LatencyPoint[]).length).toBe(rows.length);
    expect(marks(figureOf(html, "chart-latency"), "path", "ci").length).toBeGreaterThan(0);
  });

  it("shows the fidelity: filled marks for packet level, hollow ones for flow level only", () => {
    expect(marks(html, "circle", "lat-point").every((p) => p.fill !== "#fff")).toBe(true);
    const p = fixturePlan();
    p.designs[1]!.chosen!.evidence.fidelity = "flow";
    const flow = marks(planHtml(p), "circle", "lat-point").filter((x) => x["data-design"] === p.designs[1]!.design);
    expect(flow.length).toBeGreaterThan(0);
    expect(flow.every((x) => x.fill === "#fff" && x["data-fidelity"] === "flow")).toBe(true);
    expect(figureOf(html, "chart-latency")).toContain("ucs (unconfirmed)");
  });

  it("draws the last-mile curve: a point per row that meets, a gap and a mark where none does, the knee ringed", () => {
    const fig = figureOf(html, "chart-curve");
    const curve = plan.lastMileCurve!;
    const points = marks(fig, "circle", "point");
    expect(points).toHaveLength(curve.rows.filter((r) => r.status === "met").length);
    for (const p of points) {
      const r = curve.rows.find((x) => x.design === p["data-design"] && x.share === Number(p["data-share"]))!;
      expect(Number(p["data-value"])).toBe(r.fabric!.hardwareScore);
    }
    expect(marks(fig, "text", "none-mark").map((m) => [m["data-design"], m["data-share"]])).toEqual([
      ["ucs", "0.9"],
      ["ucs", "1"],
    ]);
    expect(marks(fig, "path", "curve-line")).toHaveLength(4);
    const subpaths = (h: string, design: string): number =>
      marks(figureOf(h, "chart-curve"), "path", "curve-line")
        .find((l) => l["data-design"] === design)!
        .d!.split("M").length - 1;
    expect(subpaths(html, "ucs")).toBe(1);
    // A share in the middle with no candidate breaks the line in two.
    const gap = fixturePlan();
    const mid = gap.lastMileCurve!.rows.find((r) => r.design === "director" && r.share === 0.8)!;
    Object.assign(mid, { status: "none", site: null, fabric: null, parameters: null });
    expect(subpaths(planHtml(gap), "director")).toBe(2);
    expect(marks(fig, "circle", "knee").map((k) => [k["data-design"], Number(k["data-share"])])).toEqual([
      ["ucs", 0.7],
    ]);
    expect(fig).toContain("mriov (flattest)");
    const data = embeddedJson(html, "chart-curve-data") as CurvePoint[];
    expect(data).toHaveLength(curve.rows.length);
  });

  it("says so when the plan has no curve", () => {
    const p = fixturePlan();
    p.lastMileCurve = null;
    const out = planHtml(p);
    expect(out).toContain("Not computed: the plan has no last-mile curve.");
    expect(out).not.toContain('id="chart-curve"');
  });

  it("labels axis ticks from the scales", () => {
    expect(figureOf(html, "chart-curve")).toContain(">60%</text>");
    expect(figureOf(html, "chart-latency")).toContain(">500µs</text>");
  });

  it("gives every mark a <title> tooltip", () => {
    const fig = figureOf(html, "chart-bom");
    expect(fig.match(/<rect class="bar"[^>]*><title>/g)).toHaveLength(16);
  });

  it("escapes names from user files as HTML text, and the embedded JSON keeps them intact", () => {
    const name = "<script>alert(1)</script>";
    const out = planHtml(withWorkloadName(name));
    expect(out).not.toContain(name);
    expect(out).not.toContain("<script>alert");
    expect(out).toContain("&#60;script&#62;alert(1)&#60;/script&#62;");
    const back = embeddedJson(out, "iovsim-plan") as ReturnType<typeof fixturePlan>;
    expect(back.designs[0]!.chosen!.sla[0]!.workload).toBe(name);
  });

  it("keeps a note that holds </script> or U+2028 inside the embedded JSON", () => {
    const p = fixturePlan();
    p.designs[0]!.notes.push("</script><!-- \u2028 & >");
    const out = planHtml(p);
    expect(embeddedJson(out, "iovsim-plan")).toEqual(p);
    expect(jsonForScript("</script>\u2028")).toBe('"\\u003c/script\\u003e\\u2028"');
  });

  it("renders a design with no choice as none, without marks", () => {
    const p = fixturePlan();
    p.designs[0]!.chosen = null;
    p.designs[0]!.verdict = "none";
    const out = planHtml(p);
    expect(marks(figureOf(out, "chart-bom"), "rect", "bar")).toHaveLength(12);
    expect(out).toContain("director (none meets)");
    expect(out).toContain("No candidate meets every SLA row at flow level.");
  });

  it("never writes NaN or Infinity into the SVG, even when nothing is priced and every figure is 0", () => {
    const p = fixturePlan();
    for (const d of p.designs)
      Object.assign(d.chosen!.bomDetail, {
        costUsd: null,
        costRangeUsd: null,
        adapters: 0,
        cables: 0,
        optics: 0,
        switchPorts: 0,
        switchPortsInstalled: 0,
      });
    const zero = {
      min: 0,
      typical: 0,
      max: 0,
      unknown: 5,
      basis: { solid: 0, derived: 0, vendorClaim: 0, rough: 0, estimate: 0 },
    };
    for (const d of p.designs) {
      const tco = d.chosen!.tco;
      for (const k of Object.keys(tco.terms)) (tco.terms as Record<string, typeof zero>)[k] = zero;
      Object.assign(tco, { total: zero, capex: zero, opex: zero });
    }
    for (const r of p.lastMileCurve!.rows)
      if (r.site !== null) Object.assign(r.site, { costUsd: null, hardwareScore: 0, tco: zero });
    const out = planHtml(p);
    expect(out).not.toMatch(/NaN|Infinity/);
    expect(figureOf(out, "chart-tco")).toContain("≥ $0 · 5 units unknown");
  });

  it("is deterministic: the same plan gives the same text, with a generation time only when the caller gives one", () => {
    expect(planHtml(fixturePlan())).toBe(html);
    expect(html).not.toContain("generated");
    expect(planHtml(plan, { generatedAt: "2026-11-25T20:00:00Z" })).toContain("generated 2026-11-25T20:00:00Z.");
  });
});

describe("escapeHtml", () => {
  it("escapes the five characters that can open or end markup", () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      "&#60;a href=&#34;x&#34; title=&#39;y&#39;&#62;&#38;&#60;/a&#62;",
    );
  });
});

describe("planReportFiles", () => {
  it("returns the five report files, in order, each non-empty", () => {
    const files = planReportFiles(fixturePlan());
    expect(files.map((f) => f.name)).toEqual([
      "plan.csv",
      "plan-sla.csv",
      "last-mile-curve.csv",
      "plan.md",
      "report.html",
    ]);
    for (const f of files) expect(f.content.length).toBeGreaterThan(0);
  });
});
