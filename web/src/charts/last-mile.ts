/**
 * The last-mile curve of a plan (`lastMileCurve`, when the plan has one): the
 * hardware count of each design's fabric as the virtualized share of the servers
 * rises (what the knee is judged on; the HTML report draws the same). Shares
 * where no configuration meets every SLA row are gaps.
 */
import { axisBottom, axisLeft, line, max, scaleLinear } from "d3";
import type { LastMileCurve } from "../../../src/planner/plan.js";
import { workloadColour } from "../palette.js";
import { chartFrame } from "./frame.js";

const W = 480;
const H = 240;
const M = { top: 24, right: 110, bottom: 40, left: 56 };

export function renderLastMile(svg: SVGSVGElement, curve: LastMileCurve): void {
  const root = chartFrame(svg, W, H, M.left, "Last-mile curve: fabric hardware count");
  const designs = [...new Set(curve.rows.map((r) => r.design as string))].sort();
  const shares = curve.shares.length > 0 ? curve.shares : [0, 1];
  const x = scaleLinear()
    .domain([Math.min(...shares), Math.max(...shares)])
    .range([M.left, W - M.right]);
  const top = max(curve.rows.map((r) => r.fabric?.hardwareScore ?? 0)) ?? 1;
  const y = scaleLinear()
    .domain([0, top * 1.08 || 1])
    .range([H - M.bottom, M.top]);
  root
    .append("g")
    .attr("transform", `translate(0,${H - M.bottom})`)
    .call(
      axisBottom(x)
        .ticks(5)
        .tickFormat((v) => `${Math.round(+v * 100)} %`),
    );
  root.append("g").attr("transform", `translate(${M.left},0)`).call(axisLeft(y).ticks(5));
  root
    .append("text")
    .attr("class", "axis-label")
    .attr("x", (M.left + W - M.right) / 2)
    .attr("y", H - 4)
    .attr("text-anchor", "middle")
    .text("servers on the virtualized fabric (share of the site)");
  root
    .append("text")
    .attr("class", "axis-label")
    .attr("transform", `translate(14,${(M.top + H - M.bottom) / 2}) rotate(-90)`)
    .attr("text-anchor", "middle")
    .text("fabric hardware count");
  const colour = (d: string): string => workloadColour(designs.indexOf(d));
  designs.forEach((d, i) => {
    const rows = curve.rows.filter((r) => r.design === d).sort((a, b) => a.share - b.share);
    const pts = rows
      .filter((r) => r.fabric !== null)
      .map((r) => [r.share, r.fabric!.hardwareScore] as [number, number]);
    const path = line<(typeof rows)[number]>()
      .defined((r) => r.fabric !== null)
      .x((r) => x(r.share))
      .y((r) => y(r.fabric?.hardwareScore ?? 0));
    root
      .append("path")
      .attr("class", "series")
      .attr("stroke", colour(d))
      .attr("d", path(rows) ?? "");
    for (const p of pts)
      root.append("circle").attr("cx", x(p[0])).attr("cy", y(p[1])).attr("r", 2.5).attr("fill", colour(d));
    root
      .append("text")
      .attr("class", "legend")
      .attr("x", W - M.right + 8)
      .attr("y", M.top + 14 * i + 4)
      .text(`${d}${curve.flattest === d ? " (flattest)" : ""}`);
    root
      .append("line")
      .attr("x1", W - M.right - 6)
      .attr("x2", W - M.right + 5)
      .attr("y1", M.top + 14 * i)
      .attr("y2", M.top + 14 * i)
      .attr("stroke", colour(d))
      .attr("stroke-width", 2.5);
  });
}
