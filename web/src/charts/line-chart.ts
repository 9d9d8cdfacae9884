/**
 * A small time-series line chart (d3, SVG): named series sharing an x axis. Points
 * are appended as snapshots arrive and the chart is redrawn at the snapshot rate,
 * not every animation frame. Series names come from user files: set with `.text()`.
 */
import { axisBottom, axisLeft, line, max, scaleLinear, scaleOrdinal, schemeTableau10, select } from "d3";

export interface LineChartOptions {
  readonly title: string;
  readonly xLabel: string;
  /** Formats a y value for the axis. */
  readonly yFormat: (v: number) => string;
  readonly width?: number;
  readonly height?: number;
}

const MAX_POINTS = 2000;

export class LineChart {
  private names: string[] = [];
  private readonly xs: number[] = [];
  private ys: number[][] = [];
  private readonly w: number;
  private readonly h: number;
  private readonly m = { top: 22, right: 130, bottom: 28, left: 62 };

  constructor(
    private readonly svg: SVGSVGElement,
    private readonly options: LineChartOptions,
  ) {
    this.w = options.width ?? 480;
    this.h = options.height ?? 200;
    svg.setAttribute("viewBox", `0 0 ${this.w} ${this.h}`);
    this.render();
  }

  reset(names: readonly string[]): void {
    this.names = [...names];
    this.xs.length = 0;
    this.ys = names.map(() => []);
    this.render();
  }

  push(x: number, values: readonly number[]): void {
    if (this.xs.length >= MAX_POINTS) {
      // Keep every other point: the whole run stays visible at half the resolution.
      const keep = (_: unknown, i: number): boolean => i % 2 === 0;
      const xs = this.xs.filter(keep);
      this.xs.length = 0;
      this.xs.push(...xs);
      this.ys = this.ys.map((s) => s.filter(keep));
    }
    this.xs.push(x);
    for (const [i, v] of values.entries()) this.ys[i]?.push(v);
  }

  render(): void {
    const { w, h, m, options } = this;
    const root = select(this.svg);
    root.selectAll("*").remove();
    root.append("text").attr("class", "chart-title").attr("x", m.left).attr("y", 14).text(options.title);
    const x = scaleLinear()
      .domain([this.xs[0] ?? 0, Math.max(this.xs[this.xs.length - 1] ?? 1, (this.xs[0] ?? 0) + 1e-9)])
      .range([m.left, w - m.right]);
    const top = max(this.ys.flat()) ?? 0;
    const y = scaleLinear()
      .domain([0, top > 0 ? top * 1.05 : 1])
      .range([h - m.bottom, m.top]);
    root
      .append("g")
      .attr("transform", `translate(0,${h - m.bottom})`)
      .call(
        axisBottom(x)
          .ticks(5)
          .tickFormat((v) => `${(+v).toPrecision(3)}`),
      );
    root
      .append("g")
      .attr("transform", `translate(${m.left},0)`)
      .call(
        axisLeft(y)
          .ticks(4)
          .tickFormat((v) => options.yFormat(+v)),
      );
    root
      .append("text")
      .attr("class", "axis-label")
      .attr("x", w - m.right)
      .attr("y", h - 2)
      .attr("text-anchor", "end")
      .text(options.xLabel);
    const colour = scaleOrdinal<string>(schemeTableau10).domain(this.names);
    const path = line<number>()
      .x((_, i) => x(this.xs[i]!))
      .y((v) => y(v));
    this.ys.forEach((s, i) => {
      const name = this.names[i]!;
      root
        .append("path")
        .attr("class", "series")
        .attr("stroke", colour(name))
        .attr("d", path(s) ?? "");
      root
        .append("text")
        .attr("class", "legend")
        .attr("x", w - m.right + 8)
        .attr("y", m.top + 12 * i + 4)
        .attr("fill", colour(name))
        .text(name);
    });
  }
}
