/**
 * Latency percentiles per workload (p50, p99, p99.9; log scale) against the SLA:
 * each latency row of the topology's `sla:` is a horizontal mark on its workload,
 * green when the measured value meets it, red when it misses. Built once per run
 * (`reset`); `update` moves the bars and marks in place (a keyed data join).
 */
import { axisBottom, axisLeft, type ScaleBand, scaleBand, scaleLog, select } from "d3";
import { seconds } from "./format.js";

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
const H = 230;
const M = { top: 40, right: 10, bottom: 62, left: 64 };
const KEYS = ["p50", "p99", "p999"] as const;
const KEY_LABELS = { p50: "p50", p99: "p99", p999: "p99.9" };
/** Three blues, light to dark; the lightest is still ≥ 3:1 on white. */
const COLOURS = { p50: "#4e8fc7", p99: "#2166ac", p999: "#053061" };

export class LatencyChart {
  private readonly root;
  private x: ScaleBand<string> = scaleBand();
  private sla: readonly SlaMark[] = [];

  constructor(svg: SVGSVGElement) {
    svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
    this.root = select(svg);
    this.reset([], []);
  }

  reset(names: readonly string[], sla: readonly SlaMark[]): void {
    this.sla = sla;
    const root = this.root;
    root.selectAll("*").remove();
    root
      .append("text")
      .attr("class", "chart-title")
      .attr("x", M.left)
      .attr("y", 15)
      .text("Latency p50 / p99 / p99.9 vs SLA");
    root
      .append("g")
      .attr("class", "x-axis")
      .attr("transform", `translate(0,${H - M.bottom})`);
    root.append("g").attr("class", "y-axis").attr("transform", `translate(${M.left},0)`);
    root
      .append("text")
      .attr("class", "axis-label")
      .attr("transform", `translate(12,${(M.top + H - M.bottom) / 2}) rotate(-90)`)
      .attr("text-anchor", "middle")
      .text("latency (log scale)");
    root
      .append("text")
      .attr("class", "empty")
      .attr("x", (M.left + W - M.right) / 2)
      .attr("y", (M.top + H - M.bottom) / 2)
      .attr("text-anchor", "middle")
      .text("no data yet");
    root.append("g").attr("class", "bars");
    root.append("g").attr("class", "slas");
    const legend = root.append("g").attr("transform", `translate(${M.left},${M.top - 16})`);
    KEYS.forEach((k, i) => {
      legend
        .append("rect")
        .attr("x", i * 56)
        .attr("width", 10)
        .attr("height", 10)
        .attr("fill", COLOURS[k]);
      legend
        .append("text")
        .attr("class", "legend")
        .attr("x", i * 56 + 13)
        .attr("y", 9)
        .text(KEY_LABELS[k]);
    });
    legend.append("line").attr("class", "sla met").attr("x1", 170).attr("x2", 186).attr("y1", 5).attr("y2", 5);
    legend.append("text").attr("class", "legend").attr("x", 190).attr("y", 9).text("SLA");
    this.x = scaleBand()
      .domain([...names])
      .range([M.left, W - M.right])
      .padding(0.2);
    root
      .select<SVGGElement>("g.x-axis")
      .call(axisBottom(this.x))
      .selectAll("text")
      .attr("transform", "rotate(-25)")
      .attr("text-anchor", "end");
    this.update([]);
  }

  update(rows: readonly LatencyRow[]): void {
    const { root, x, sla } = this;
    const values = rows.flatMap((r) => KEYS.map((k) => r[k])).filter((v): v is number => v !== null && v > 0);
    const targets = sla.map((s) => s.target).filter((v) => v > 0);
    const all = [...values, ...targets];
    const empty = values.length === 0;
    const lo = all.length === 0 ? 1e-6 : Math.min(...all) / 2;
    const hi = all.length === 0 ? 1e-2 : Math.max(...all) * 2;
    const y = scaleLog()
      .domain([lo, hi])
      .range([H - M.bottom, M.top]);
    root.select("text.empty").attr("display", empty ? null : "none");
    root.select<SVGGElement>("g.y-axis").call(axisLeft(y).ticks(empty ? 0 : 4, (v: number) => seconds(v)));
    const band = x.bandwidth() / KEYS.length;
    const bars = rows.flatMap((r) =>
      KEYS.flatMap((k, i) => {
        const v = r[k];
        return v === null || v <= 0 || x(r.name) === undefined ? [] : [{ id: `${r.name}|${k}`, name: r.name, k, i, v }];
      }),
    );
    root
      .select("g.bars")
      .selectAll<SVGRectElement, (typeof bars)[number]>("rect")
      .data(bars, (d) => d.id)
      .join((enter) => {
        const rect = enter.append("rect");
        rect.append("title");
        return rect;
      })
      .attr("class", (d) => `bar ${d.k}`)
      .attr("fill", (d) => COLOURS[d.k])
      .attr("x", (d) => x(d.name)! + d.i * band)
      .attr("width", Math.max(1, band - 1))
      .attr("y", (d) => y(d.v))
      .attr("height", (d) => Math.max(0, H - M.bottom - y(d.v)))
      .select("title")
      .text((d) => `${d.name} ${KEY_LABELS[d.k]}: ${seconds(d.v)}`);
    const marks = sla.flatMap((s) => {
      const x0 = x(s.workload);
      if (x0 === undefined) return [];
      const r = rows.find((row) => row.name === s.workload);
      const actual = r === undefined ? null : s.metric === "latency.p99" ? r.p99 : r.mean;
      const status = actual === null ? "undecided" : actual <= s.target ? "met" : "missed";
      return [{ id: `${s.workload}|${s.metric}`, s, x0, status, actual }];
    });
    root
      .select("g.slas")
      .selectAll<SVGLineElement, (typeof marks)[number]>("line")
      .data(marks, (d) => d.id)
      .join((enter) => {
        const l = enter.append("line");
        l.append("title");
        return l;
      })
      .attr("class", (d) => `sla ${d.status}`)
      .attr("x1", (d) => d.x0 - 2)
      .attr("x2", (d) => d.x0 + x.bandwidth() + 2)
      .attr("y1", (d) => y(d.s.target))
      .attr("y2", (d) => y(d.s.target))
      .select("title")
      .text(
        (d) =>
          `SLA ${d.s.workload} ${d.s.metric} ≤ ${seconds(d.s.target)}: ${d.actual === null ? "no samples" : d.status}`,
      );
  }
}
