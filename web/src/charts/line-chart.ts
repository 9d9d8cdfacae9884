/**
 * A time-series line chart (d3, SVG) over bins of simulated time: named series
 * sharing an x axis. The frame (title, axes, labels, legend, one path per series) is
 * built once per reset; new bins only update the scales, the two axes and each path's
 * `d`, at most once per animation frame, so the cost per snapshot does not grow with
 * the page's other work. With no data yet the axes show no numbers, just "no data
 * yet". Past MAX_POINTS, neighbouring bins are merged in pairs (mean for rates, max
 * for levels), so the whole run stays visible at a coarser but still fixed bin.
 * Series names come from user files: set as text.
 */
import { axisBottom, axisLeft, line, type ScaleLinear, type Selection, scaleLinear, select } from "d3";

export interface LineChartOptions {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  /** Formats a y value for the axis and the legend. */
  readonly yFormat: (v: number) => string;
  /** How two neighbouring bins merge: a rate averages, a level keeps the larger. */
  readonly merge: "mean" | "max";
  readonly width?: number;
  readonly height?: number;
}

const MAX_POINTS = 1000;

export class LineChart {
  private names: string[] = [];
  private colours: string[] = [];
  private xs: number[] = [];
  private ys: number[][] = [];
  private peaks: number[] = [];
  private readonly w: number;
  private readonly h: number;
  private readonly m = { top: 24, right: 150, bottom: 34, left: 64 };
  private readonly root: Selection<SVGSVGElement, unknown, null, undefined>;
  private readonly x: ScaleLinear<number, number>;
  private readonly y: ScaleLinear<number, number>;
  private shade: [number, number] | null = null;
  private pending = false;

  constructor(
    svg: SVGSVGElement,
    private readonly options: LineChartOptions,
  ) {
    this.w = options.width ?? 480;
    this.h = options.height ?? 210;
    svg.setAttribute("viewBox", `0 0 ${this.w} ${this.h}`);
    this.root = select(svg);
    this.x = scaleLinear().range([this.m.left, this.w - this.m.right]);
    this.y = scaleLinear().range([this.h - this.m.bottom, this.m.top]);
    this.reset([], []);
  }

  /** Starts over with these series; `shade` marks a span of x (the warm-up). */
  reset(names: readonly string[], colours: readonly string[], shade: [number, number] | null = null): void {
    this.names = [...names];
    this.colours = [...colours];
    this.xs = [];
    this.ys = names.map(() => []);
    this.peaks = names.map(() => 0);
    this.shade = shade;
    const { w, h, m, options } = this;
    const root = this.root;
    root.selectAll("*").remove();
    root.append("text").attr("class", "chart-title").attr("x", m.left).attr("y", 15).text(options.title);
    root
      .append("rect")
      .attr("class", "shade")
      .attr("y", m.top)
      .attr("height", h - m.top - m.bottom);
    root
      .append("text")
      .attr("class", "shade-label")
      .attr("y", m.top + 11)
      .text("warm-up");
    root
      .append("g")
      .attr("class", "x-axis")
      .attr("transform", `translate(0,${h - m.bottom})`);
    root.append("g").attr("class", "y-axis").attr("transform", `translate(${m.left},0)`);
    root
      .append("text")
      .attr("class", "axis-label")
      .attr("x", (m.left + w - m.right) / 2)
      .attr("y", h - 4)
      .attr("text-anchor", "middle")
      .text(options.xLabel);
    root
      .append("text")
      .attr("class", "axis-label")
      .attr("transform", `translate(12,${(m.top + h - m.bottom) / 2}) rotate(-90)`)
      .attr("text-anchor", "middle")
      .text(options.yLabel);
    root
      .append("text")
      .attr("class", "empty")
      .attr("x", (m.left + w - m.right) / 2)
      .attr("y", (m.top + h - m.bottom) / 2)
      .attr("text-anchor", "middle")
      .text("no data yet");
    const series = root.append("g").attr("class", "series-group");
    const legend = root.append("g").attr("class", "legend-group");
    this.names.forEach((name, i) => {
      series.append("path").attr("class", "series").attr("stroke", this.colours[i]!);
      const item = legend
        .append("g")
        .attr("class", "legend-item")
        .attr("data-series", name)
        .attr("transform", `translate(${w - m.right + 8},${m.top + 14 * i})`);
      item
        .append("line")
        .attr("x1", 0)
        .attr("x2", 12)
        .attr("y1", 0)
        .attr("y2", 0)
        .attr("stroke", this.colours[i]!)
        .attr("stroke-width", 2.5);
      item.append("text").attr("class", "legend").attr("x", 16).attr("y", 4).text(name);
      item.append("title").text(name);
    });
    this.draw();
  }

  /** Appends one point per series at `x`. */
  push(x: number, values: ArrayLike<number>): void {
    this.xs.push(x);
    for (let i = 0; i < this.ys.length; i++) {
      const v = values[i] ?? 0;
      this.ys[i]!.push(v);
      if (v > this.peaks[i]!) this.peaks[i] = v;
    }
    if (this.xs.length > MAX_POINTS) this.halve();
  }

  /** The largest value each series has had (before any merging), by series name. */
  peak(name: string): number {
    return this.peaks[this.names.indexOf(name)] ?? 0;
  }

  get points(): number {
    return this.xs.length;
  }

  /** Redraws at the next animation frame (coalesces several calls into one). */
  render(): void {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.draw();
    });
  }

  private halve(): void {
    const merge = this.options.merge === "mean" ? (a: number, b: number) => (a + b) / 2 : Math.max;
    const pairs = Math.floor(this.xs.length / 2);
    const xs: number[] = [];
    for (let i = 0; i < pairs; i++) xs.push((this.xs[2 * i]! + this.xs[2 * i + 1]!) / 2);
    const ys = this.ys.map((s) => {
      const out: number[] = [];
      for (let i = 0; i < pairs; i++) out.push(merge(s[2 * i]!, s[2 * i + 1]!));
      return out;
    });
    if (this.xs.length % 2 === 1) {
      xs.push(this.xs.at(-1)!);
      ys.forEach((s, k) => {
        s.push(this.ys[k]!.at(-1)!);
      });
    }
    this.xs = xs;
    this.ys = ys;
  }

  private draw(): void {
    const { options, x, y, root } = this;
    const empty = this.xs.length === 0;
    const x0 = this.shade?.[0] ?? this.xs[0] ?? 0;
    const x1 = Math.max(this.xs.at(-1) ?? 1, x0 + 1e-9, this.shade?.[1] ?? 0);
    x.domain([Math.min(x0, this.xs[0] ?? x0), x1]);
    let top = 0;
    for (const s of this.ys) for (const v of s) if (v > top) top = v;
    y.domain([0, top > 0 ? top * 1.05 : 1]);
    root.select<SVGTextElement>("text.empty").attr("display", empty ? null : "none");
    // With no data an axis has no numbers to show (no "1.00 b/s" or "2.00e-10").
    root.select<SVGGElement>("g.x-axis").call(
      axisBottom(x)
        .ticks(empty ? 0 : 5)
        .tickFormat((v) => `${+(+v).toPrecision(3)}`),
    );
    root.select<SVGGElement>("g.y-axis").call(
      axisLeft(y)
        .ticks(empty || top === 0 ? 0 : 4)
        .tickFormat((v) => options.yFormat(+v)),
    );
    const shade = this.shade;
    root
      .select("rect.shade")
      .attr("display", shade === null || empty ? "none" : null)
      .attr("x", shade === null ? 0 : x(shade[0]))
      .attr("width", shade === null ? 0 : Math.max(0, x(Math.min(shade[1], x1)) - x(shade[0])));
    root
      .select("text.shade-label")
      .attr("display", shade === null || empty ? "none" : null)
      .attr("x", shade === null ? 0 : x(shade[0]) + 3);
    const xs = this.xs;
    const path = line<number>()
      .x((_, i) => x(xs[i]!))
      .y((v) => y(v));
    root.selectAll<SVGPathElement, unknown>("path.series").each((_, i, els) => {
      els[i]!.setAttribute("d", path(this.ys[i] ?? []) ?? "");
    });
    root.selectAll<SVGGElement, unknown>("g.legend-item").each((_, i, els) => {
      const peak = this.peaks[i] ?? 0;
      els[i]!.setAttribute("data-peak", String(peak));
      const last = this.ys[i]?.at(-1);
      const title = els[i]!.querySelector("title");
      if (title !== null)
        title.textContent = `${this.names[i]}: ${last === undefined ? "no data" : `now ${options.yFormat(last)}`}, peak ${options.yFormat(peak)}`;
    });
    root.attr("data-points", String(xs.length));
  }
}
