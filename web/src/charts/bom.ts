/**
 * The per-design BOM comparison from a plan (`iovsim plan … --out DIR` writes
 * plan.json; shape `PlanResult` in src/planner/plan.ts): grouped bars of each design's
 * chosen bill of materials (adapters, cables, optics, switch ports, rack units). The
 * selected design is drawn solid and the others faded, and its totals are listed.
 */
import { axisBottom, axisLeft, max, scaleBand, scaleLinear } from "d3";
import type { PlanResult } from "../../../src/planner/plan.js";
import { workloadColour } from "../palette.js";
import { chartFrame } from "./frame.js";

const colour = (i: number): string => workloadColour(i);

const W = 480;
const H = 240;
const M = { top: 40, right: 10, bottom: 40, left: 56 };
const FIELDS = ["adapters", "cables", "optics", "switchPorts", "rackUnits"] as const;
const FIELD_LABELS: Record<(typeof FIELDS)[number], string> = {
  adapters: "adapters",
  cables: "cables",
  optics: "optics",
  switchPorts: "switch ports",
  rackUnits: "rack units",
};

/** Checks the little of PlanResult the chart reads; throws with a readable message otherwise. */
export function checkPlan(json: unknown): PlanResult {
  const p = json as Partial<PlanResult> | null;
  if (typeof p !== "object" || p === null || !Array.isArray(p.designs))
    throw new Error("not a plan.json (no designs[]): write one with `iovsim plan STUDY --out DIR`");
  return p as PlanResult;
}

export function renderBom(svg: SVGSVGElement, totals: HTMLElement, plan: PlanResult, selected: string): void {
  svg.dataset.design = selected;
  const designs = plan.designs.map((d) => d.design as string);
  const value = (d: string, f: (typeof FIELDS)[number]): number => {
    const t = plan.designs.find((x) => x.design === d)?.chosen?.bom.totals;
    return t === undefined ? 0 : t[f];
  };
  const root = chartFrame(svg, W, H, M.left, `BOM per design (plan: ${plan.study})`);
  const x0 = scaleBand<string>()
    .domain([...FIELDS])
    .range([M.left, W - M.right])
    .padding(0.15);
  const x1 = scaleBand<string>().domain(designs).range([0, x0.bandwidth()]).padding(0.05);
  const top = max(designs.flatMap((d) => FIELDS.map((f) => value(d, f)))) ?? 1;
  const y = scaleLinear()
    .domain([0, top * 1.08 || 1])
    .range([H - M.bottom, M.top]);
  root
    .append("g")
    .attr("transform", `translate(0,${H - M.bottom})`)
    .call(axisBottom(x0).tickFormat((f) => FIELD_LABELS[f as (typeof FIELDS)[number]]));
  root.append("g").attr("transform", `translate(${M.left},0)`).call(axisLeft(y).ticks(5));
  root
    .append("text")
    .attr("class", "axis-label")
    .attr("transform", `translate(14,${(M.top + H - M.bottom) / 2}) rotate(-90)`)
    .attr("text-anchor", "middle")
    .text("count per design");
  root
    .append("text")
    .attr("class", "axis-label")
    .attr("x", (M.left + W - M.right) / 2)
    .attr("y", H - 4)
    .attr("text-anchor", "middle")
    .text("bill of materials item");
  for (const f of FIELDS)
    designs.forEach((d, i) => {
      const v = value(d, f);
      root
        .append("rect")
        .attr("class", d === selected ? "bom-bar selected" : "bom-bar")
        .attr("data-design", d)
        .attr("data-field", f)
        .attr("x", x0(f)! + x1(d)!)
        .attr("width", x1.bandwidth())
        .attr("y", y(v))
        .attr("height", H - M.bottom - y(v))
        .attr("fill", colour(i))
        .attr("fill-opacity", d === selected ? 1 : 0.35)
        .attr("stroke", colour(i))
        .append("title")
        .text(`${d} ${f}: ${v}`);
    });
  const legend = root.append("g").attr("transform", `translate(${M.left},${M.top - 16})`);
  designs.forEach((d, i) => {
    legend
      .append("rect")
      .attr("x", i * 80)
      .attr("width", 9)
      .attr("height", 9)
      .attr("fill", colour(i));
    legend
      .append("text")
      .attr("class", "legend")
      .attr("x", i * 80 + 12)
      .attr("y", 8)
      .text(d);
  });
  const plan1 = plan.designs.find((d) => d.design === selected);
  const t = plan1?.chosen?.bom.totals;
  totals.textContent =
    plan1 === undefined
      ? ""
      : t === undefined
        ? `${selected}: no candidate meets the SLA (verdict ${plan1.verdict})`
        : `${selected} (verdict ${plan1.verdict}${plan1.confirmed ? ", confirmed" : ""}): ` +
          `adapters ${t.adapters}, cables ${t.cables}, optics ${t.optics}, switch ports ${t.switchPorts}, ` +
          `rack units ${t.rackUnits}, cost ${t.costUsd === null ? "unknown" : `≥ $${t.costUsd.toLocaleString("en")}`}` +
          `${t.unpricedItems > 0 ? ` (${t.unpricedItems} unpriced)` : ""}, power ${t.watts === null ? "unknown" : `≥ ${t.watts} W`}; ` +
          `parameters: ${parametersText(plan1.chosen?.parameters ?? {})}`;
}

/** `iomUplinks = 4, fiLanUplinks = 8` (not JSON). */
export function parametersText(p: Readonly<Record<string, unknown>>): string {
  const entries = Object.entries(p);
  return entries.length === 0 ? "none" : entries.map(([k, v]) => `${k} = ${String(v)}`).join(", ");
}
