/** The last-mile curve as static SVG (see plan-charts.ts for the approach). */

import { format, line, max, scaleLinear } from "d3";
import type { CurveRow, Fidelity, LastMileCurve } from "../planner/plan.js";
import { percent, usd } from "./format.js";
import { atLeast } from "./plan-shared.js";
import { axis, type Chart, count, designColour, el, svg, text, tooltip, usdTick } from "./plan-svg.js";

export interface CurvePoint {
  share: number;
  design: string;
  status: CurveRow["status"];
  fidelity: Fidelity;
  /** The fabric's hardware count, or the site's cost of ownership (typical, known part; null: not met). */
  value: number | null;
  partial: boolean;
  knee: boolean;
}

/** Fabric hardware count (or the site's cost of ownership) against the virtualized share: a line per design, gaps where not met, the knee ringed. */
export function curveChart(curve: LastMileCurve, metric: "hardwareScore" | "tco"): Chart<CurvePoint> {
  const id = metric === "hardwareScore" ? "chart-curve" : "chart-curve-cost";
  const W = 720;
  const H = 320;
  const m = { top: 42, right: 20, bottom: 62, left: 60 };
  const designs = curve.knees.map((k) => k.design);
  const data: CurvePoint[] = curve.rows.map((r) => ({
    share: r.share,
    design: r.design,
    status: r.status,
    fidelity: r.fidelity,
    value: (metric === "hardwareScore" ? r.fabric?.hardwareScore : r.site?.tco.typical) ?? null,
    partial: metric === "hardwareScore" ? (r.fabric?.hardwareScoreUnknown ?? 0) > 0 : (r.site?.tco.unknown ?? 0) > 0,
    knee: metric === "hardwareScore" && curve.knees.some((k) => k.design === r.design && k.knee === r.share),
  }));
  const shares = curve.shares.length > 0 ? curve.shares : [0, 1];
  const x = scaleLinear([Math.min(...shares), Math.max(...shares)], [m.left, W - m.right]);
  const y = scaleLinear([0, max(data, (p) => p.value) || 1], [H - m.bottom, m.top]).nice();
  const fmt = metric === "hardwareScore" ? count : usdTick;
  const what = metric === "hardwareScore" ? "fabric hardware count" : "site cost of ownership (typical)";
  const body = [
    axis("bottom", x, H - m.bottom, format(".0%"), shares.length),
    axis("left", y, m.left, fmt),
    text(
      { class: "axis-title", x: (m.left + W - m.right) / 2, y: H - 30, "text-anchor": "middle" },
      "virtualized share of the site's servers",
    ),
    text({ class: "axis-title", x: 8, y: 14 }, what),
  ];
  const show = (p: CurvePoint): string =>
    metric === "hardwareScore" ? `${atLeast(p.partial)}${p.value}` : `${atLeast(p.partial)}${usd(p.value)}`;
  designs.forEach((design, i) => {
    const colour = designColour(design, i);
    const points = data.filter((p) => p.design === design).sort((a, b) => a.share - b.share);
    const path = line<CurvePoint>()
      .defined((p) => p.value !== null)
      .x((p) => x(p.share))
      .y((p) => y(p.value ?? 0))(points);
    body.push(el("path", { class: "curve-line", d: path ?? "", stroke: colour, "data-design": design }));
    for (const p of points) {
      const cx = x(p.share);
      const where = `${design} at ${percent(p.share, 0)}`;
      if (p.status !== "met") {
        body.push(
          el(
            "text",
            {
              class: "none-mark",
              x: cx,
              y: H - m.bottom - 4,
              "text-anchor": "middle",
              fill: colour,
              "data-design": design,
              "data-share": p.share,
            },
            `×${tooltip(`${where}: ${p.status} (no configuration found that meets every SLA row)`)}`,
          ),
        );
        continue;
      }
      if (p.value === null) continue;
      const cy = y(p.value);
      const tip = `${where}: ${what} ${show(p)} (${p.fidelity === "packet" ? "packet level" : "flow level"})`;
      body.push(
        el(
          "circle",
          {
            class: "point",
            cx,
            cy,
            r: 4,
            fill: p.fidelity === "packet" ? colour : "#fff",
            stroke: colour,
            "data-design": design,
            "data-share": p.share,
            "data-value": p.value,
            "data-fidelity": p.fidelity,
          },
          tooltip(tip),
        ),
      );
      if (p.knee)
        body.push(
          el(
            "circle",
            { class: "knee", cx, cy, r: 9, stroke: colour, "data-design": design, "data-share": p.share },
            tooltip(`${where}: knee (steepest rise starts here)`),
          ),
          text({ class: "knee-label", x: cx, y: cy - 12, "text-anchor": "middle", fill: colour }, "knee"),
        );
    }
    const lx = m.left + i * 150;
    const flattest = metric === "hardwareScore" && curve.flattest === design ? " (flattest)" : "";
    body.push(
      el("line", { x1: lx, x2: lx + 16, y1: H - 12, y2: H - 12, stroke: colour, class: "legend-line" }),
      text({ class: "legend", x: lx + 20, y: H - 8 }, `${design}${flattest}`),
    );
  });
  return { id, svg: svg(id, W, H, `Last-mile curve: ${what} against the virtualized share`, body), data };
}
