/**
 * The plan report's charts as static SVG text, laid out with d3's scales,
 * shapes and formats (the parts that need no DOM), so the report shows them
 * without JavaScript, prints, and is byte-identical for the same plan. Each
 * chart returns the data it drew; the page embeds it next to the SVG, and each
 * mark carries `data-*` attributes, so a test (or a reader) can check one
 * against the other. Pure and browser-safe.
 */

import { max, scaleBand, scaleLinear } from "d3";
import { TCO_TERMS } from "../bom/tco.js";
import type { PlanResult } from "../planner/plan.js";
import { usd } from "./format.js";
import { atLeast } from "./plan-shared.js";
import { axis, type Chart, count, el, px, svg, text, tooltip, usdTick } from "./plan-svg.js";

export { type CurvePoint, curveChart } from "./plan-curve-chart.js";
export { type LatencyPoint, latencyChart } from "./plan-latency-chart.js";
export { type Chart, escapeHtml } from "./plan-svg.js";

// ---- 1. Hardware per design -------------------------------------------------

export interface BomBar {
  design: string;
  metric: "adapters" | "cables" | "optics" | "switchPortsInstalled";
  value: number;
  /** Switch ports in use (the darker inner bar); null for the other metrics. */
  used: number | null;
  /** Boxes or modules whose port count is unknown (the installed figure leaves them out: "≥"). */
  unknown: number;
}

const BOM_METRICS = [
  ["adapters", "adapters", "#4e79a7"],
  ["cables", "cables", "#59a14f"],
  ["optics", "optics", "#edc949"],
  ["switchPortsInstalled", "switch ports installed (darker: used)", "#bab0ab"],
] as const;

/** Grouped bars: per design its adapters, cables, optics and switch ports installed (used inside). */
export function bomChart(plan: PlanResult): Chart<BomBar> {
  const id = "chart-bom";
  const W = 720;
  const H = 300;
  const m = { top: 34, right: 10, bottom: 34, left: 50 };
  const data: BomBar[] = [];
  for (const d of plan.designs) {
    const t = d.chosen?.bomDetail;
    if (t === undefined) continue;
    for (const [metric] of BOM_METRICS)
      data.push({
        design: d.design,
        metric,
        value: t[metric],
        used: metric === "switchPortsInstalled" ? t.switchPorts : null,
        unknown: metric === "switchPortsInstalled" ? t.switchPortsInstalledUnknown : 0,
      });
  }
  const x0 = scaleBand<string>(
    plan.designs.map((d) => d.design),
    [m.left, W - m.right],
  ).paddingInner(0.2);
  const x1 = scaleBand<string>(
    BOM_METRICS.map(([k]) => k),
    [0, x0.bandwidth()],
  ).padding(0.08);
  const y = scaleLinear([0, max(data, (b) => Math.max(b.value, b.used ?? 0)) || 1], [H - m.bottom, m.top]).nice();
  const body = [axis("left", y, m.left, count)];
  for (const b of data) {
    const x = (x0(b.design) ?? 0) + (x1(b.metric) ?? 0);
    const [, label, fill] = BOM_METRICS.find(([k]) => k === b.metric)!;
    const installed = `${atLeast(b.unknown > 0)}${b.value}`;
    const tip =
      b.used === null
        ? `${b.design}: ${b.value} ${label}`
        : `${b.design}: ${b.used} switch ports used of ${installed} installed${b.unknown > 0 ? ` (${b.unknown} boxes or modules with unknown port counts)` : ""}`;
    const common = { x, width: x1.bandwidth(), "data-design": b.design, "data-metric": b.metric };
    body.push(
      el(
        "rect",
        { class: "bar", ...common, y: y(b.value), height: y(0) - y(b.value), fill, "data-value": b.value },
        tooltip(tip),
      ),
    );
    if (b.used !== null)
      body.push(
        el(
          "rect",
          {
            class: "bar-used",
            ...common,
            y: y(b.used),
            height: y(0) - y(b.used),
            fill: "#79706e",
            "data-value": b.used,
          },
          tooltip(tip),
        ),
      );
    body.push(
      text(
        {
          class: "value",
          x: x + x1.bandwidth() / 2,
          y: y(Math.max(b.value, b.used ?? 0)) - 3,
          "text-anchor": "middle",
        },
        b.used === null ? String(b.value) : `${b.used}/${installed}`,
      ),
    );
  }
  for (const d of plan.designs) {
    const cx = (x0(d.design) ?? 0) + x0.bandwidth() / 2;
    body.push(
      text(
        { class: "label", x: cx, y: H - m.bottom + 18, "text-anchor": "middle" },
        d.chosen === null ? `${d.design} (none meets)` : d.design,
      ),
    );
  }
  BOM_METRICS.forEach(([, label, fill], i) => {
    const lx = m.left + i * 150;
    body.push(
      el("rect", { x: lx, y: 8, width: 10, height: 10, fill }),
      text({ class: "legend", x: lx + 14, y: 17 }, label),
    );
  });
  return { id, svg: svg(id, W, H, "Hardware per design: adapters, cables, optics, switch ports", body), data };
}

/** One term of one design's cost of ownership (a segment of its stacked bar). */
export interface TcoSegment {
  design: string;
  term: (typeof TCO_TERMS)[number];
  /** Typical USD of the term (its known part). */
  value: number;
  /** Where the segment starts (the terms before it, stacked). */
  start: number;
  /** Units the term leaves out (an unknown figure): the bar is then a lower bound. */
  unknown: number;
}

const TERM_COLOURS: Readonly<Record<(typeof TCO_TERMS)[number], string>> = {
  capital: "#4e79a7",
  licences: "#76b7b2",
  upstream: "#b07aa1",
  labour: "#9c755f",
  support: "#f28e2b",
  energy: "#e15759",
};

/**
 * The cost of ownership by term: per design a horizontal bar stacked from its
 * terms (typical), an open chevron past its end when a figure is unknown (≥),
 * and the total's range (every figure at its low end … at its high end) as a whisker.
 */
export function tcoChart(plan: PlanResult): Chart<TcoSegment> {
  const id = "chart-tco";
  const chosen = plan.designs.flatMap((d) => (d.chosen === null ? [] : [{ design: d.design, tco: d.chosen.tco }]));
  const data: TcoSegment[] = [];
  for (const c of chosen) {
    let start = 0;
    for (const term of TCO_TERMS) {
      const a = c.tco.terms[term];
      data.push({ design: c.design, term, value: a.typical, start, unknown: a.unknown });
      start += a.typical;
    }
  }
  const W = 720;
  const m = { top: 30, right: 200, bottom: 30, left: 100 };
  const rows = Math.max(chosen.length, 1);
  const y = scaleBand<string>(
    chosen.map((c) => c.design),
    [m.top, m.top + 28 * rows],
  ).padding(0.25);
  const H = m.top + 28 * rows + m.bottom;
  const x = scaleLinear([0, max(chosen, (c) => c.tco.total.max) || 1], [m.left, W - m.right]).nice();
  const body = [axis("bottom", x, H - m.bottom, usdTick, 5)];
  TCO_TERMS.forEach((term, i) => {
    const lx = m.left + i * 100;
    body.push(
      el("rect", { x: lx, y: 6, width: 10, height: 10, fill: TERM_COLOURS[term] }),
      text({ class: "legend", x: lx + 14, y: 15 }, term),
    );
  });
  for (const c of chosen) {
    const top = y(c.design) ?? 0;
    const mid = top + y.bandwidth() / 2;
    body.push(text({ class: "label", x: m.left - 6, y: mid + 4, "text-anchor": "end" }, c.design));
    for (const s of data.filter((d) => d.design === c.design && d.value > 0)) {
      body.push(
        el(
          "rect",
          {
            class: "tco-bar",
            x: x(s.start),
            y: top,
            width: x(s.start + s.value) - x(s.start),
            height: y.bandwidth(),
            fill: TERM_COLOURS[s.term],
            "data-design": s.design,
            "data-term": s.term,
            "data-value": s.value,
            "data-unknown": s.unknown,
          },
          tooltip(`${s.design}: ${s.term} ${atLeast(s.unknown > 0)}${usd(s.value)}`),
        ),
      );
    }
    const total = c.tco.total;
    const end = x(total.typical);
    if (total.unknown > 0)
      body.push(
        el("path", {
          class: "lower-bound",
          d: `M${px(end + 3)},${px(top)}l6,${px(y.bandwidth() / 2)}l-6,${px(y.bandwidth() / 2)}`,
        }),
      );
    if (Math.round(total.min) !== Math.round(total.max)) {
      const [lo, hi] = [x(total.min), x(total.max)];
      body.push(
        el(
          "path",
          {
            class: "range",
            d: `M${px(lo)},${px(mid - 4)}v8M${px(lo)},${px(mid)}H${px(hi)}M${px(hi)},${px(mid - 4)}v8`,
          },
          tooltip(`${c.design}: ${usd(total.min)}–${usd(total.max)} with every figure at its low / high end`),
        ),
      );
    }
    body.push(
      text(
        { class: "value", x: W - m.right + 14, y: mid + 4 },
        `${atLeast(total.unknown > 0)}${usd(total.typical)}${total.unknown > 0 ? ` · ${total.unknown} units unknown` : ""}`,
      ),
    );
  }
  return { id, svg: svg(id, W, H, "Cost of ownership per design, by term", body), data };
}
