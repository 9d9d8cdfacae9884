/**
 * Latency percentiles per workload (p50, p99, p99.9; log scale) against the SLA:
 * each latency row of the topology's `sla:` is a horizontal mark on its workload,
 * green when the measured value meets it, red when it misses.
 */
import { axisBottom, axisLeft, scaleBand, scaleLog } from "d3";
import { seconds } from "./format.js";
import { chartFrame } from "./frame.js";

export interface LatencyRow {
  readonly name: string;
  readonly p50: number | null;
  readonly p99: number | null;
  readonly p999: number | null;
  readonly mean: number | null;
}

export interface SlaMark {
  readonly workload: string;
  readonly metric: "latency.p99" | "latency.mean";
  /** Seconds. */
  readonly target: number;
}

const W = 480;
const H = 220;
const M = { top: 22, right: 10, bottom: 60, left: 62 };
const KEYS = ["p50", "p99", "p999"] as const;
const COLOURS = { p50: "#9ecae1", p99: "#3182bd", p999: "#08519c" };

export function renderLatency(svg: SVGSVGElement, rows: readonly LatencyRow[], sla: readonly SlaMark[]): void {
  const root = chartFrame(svg, W, H, M.left, "Latency p50 / p99 / p99.9 vs SLA");
  const values = rows.flatMap((r) => KEYS.map((k) => r[k])).filter((v): v is number => v !== null && v > 0);
  const targets = sla.map((s) => s.target).filter((v) => v > 0);
  const all = [...values, ...targets];
  const lo = all.length === 0 ? 1e-6 : Math.min(...all) / 2;
  const hi = all.length === 0 ? 1e-2 : Math.max(...all) * 2;
  const x = scaleBand()
    .domain(rows.map((r) => r.name))
    .range([M.left, W - M.right])
    .padding(0.2);
  const y = scaleLog()
    .domain([lo, hi])
    .range([H - M.bottom, M.top]);
  const band = x.bandwidth() / KEYS.length;
  root
    .append("g")
    .attr("transform", `translate(0,${H - M.bottom})`)
    .call(axisBottom(x))
    .selectAll("text")
    .attr("transform", "rotate(-25)")
    .attr("text-anchor", "end");
  root
    .append("g")
    .attr("transform", `translate(${M.left},0)`)
    .call(axisLeft(y).ticks(4, (v: number) => seconds(v)));
  for (const r of rows) {
    KEYS.forEach((k, i) => {
      const v = r[k];
      if (v === null || v <= 0) return;
      root
        .append("rect")
        .attr("class", `bar ${k}`)
        .attr("x", x(r.name)! + i * band)
        .attr("width", Math.max(1, band - 1))
        .attr("y", y(v))
        .attr("height", Math.max(0, H - M.bottom - y(v)))
        .attr("fill", COLOURS[k])
        .append("title")
        .text(`${r.name} ${k}: ${seconds(v)}`);
    });
  }
  for (const s of sla) {
    const x0 = x(s.workload);
    if (x0 === undefined) continue;
    const r = rows.find((row) => row.name === s.workload);
    const actual = r === undefined ? null : s.metric === "latency.p99" ? r.p99 : r.mean;
    const met = actual !== null && actual <= s.target;
    root
      .append("line")
      .attr("class", `sla ${actual === null ? "undecided" : met ? "met" : "missed"}`)
      .attr("x1", x0 - 2)
      .attr("x2", x0 + x.bandwidth() + 2)
      .attr("y1", y(s.target))
      .attr("y2", y(s.target))
      .append("title")
      .text(
        `SLA ${s.workload} ${s.metric} ≤ ${seconds(s.target)}: ${actual === null ? "no samples" : met ? "met" : "missed"}`,
      );
  }
  const legend = root.append("g").attr("transform", `translate(${W - 190},${M.top - 14})`);
  KEYS.forEach((k, i) => {
    legend
      .append("rect")
      .attr("x", i * 50)
      .attr("width", 9)
      .attr("height", 9)
      .attr("fill", COLOURS[k]);
    legend
      .append("text")
      .attr("class", "legend")
      .attr("x", i * 50 + 12)
      .attr("y", 8)
      .text(k);
  });
  legend.append("line").attr("class", "sla met").attr("x1", 150).attr("x2", 165).attr("y1", 4).attr("y2", 4);
  legend.append("text").attr("class", "legend").attr("x", 168).attr("y", 8).text("SLA");
}
