/**
 * The plan report's charts as static SVG text, laid out with d3's scales,
 * shapes and formats (the parts that need no DOM), so the report shows them
 * without JavaScript, prints, and is byte-identical for the same plan. Each
 * chart returns the data it drew; the page embeds it next to the SVG, and each
 * mark carries `data-*` attributes, so a test (or a reader) can check one
 * against the other. Pure and browser-safe.
 */

import { max, scaleBand, scaleLinear } from "d3";
import type { PlanResult } from "../planner/plan.js";
import { usd } from "./format.js";
import { atLeast } from "./plan-shared.js";
import { axis, type Chart, count, designColour, el, px, svg, text, tooltip, usdTick } from "./plan-svg.js";

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

export interface CostBar {
  design: string;
  /** Known part of the list cost; null when nothing is priced. */
  value: number | null;
  unpricedItems: number;
  range: readonly [number, number] | null;
}

/** Horizontal bars of the known list cost; "≥" and an open end where items are unpriced; the price range as a whisker. */
export function costChart(plan: PlanResult): Chart<CostBar> {
  const id = "chart-cost";
  const data: CostBar[] = plan.designs.flatMap((d) => {
    const t = d.chosen?.bomDetail;
    return t === undefined
      ? []
      : [{ design: d.design, value: t.costUsd, unpricedItems: t.unpricedItems, range: t.costRangeUsd }];
  });
  const W = 720;
  const m = { top: 10, right: 230, bottom: 30, left: 100 };
  const y = scaleBand<string>(
    data.map((b) => b.design),
    [m.top, m.top + 26 * Math.max(data.length, 1)],
  ).padding(0.25);
  const H = m.top + 26 * Math.max(data.length, 1) + m.bottom;
  const x = scaleLinear(
    [0, max(data, (b) => Math.max(b.value ?? 0, b.range?.[1] ?? 0)) || 1],
    [m.left, W - m.right],
  ).nice();
  const body = [axis("bottom", x, H - m.bottom, usdTick, 5)];
  data.forEach((b, i) => {
    const top = y(b.design) ?? 0;
    const mid = top + y.bandwidth() / 2;
    const partial = b.unpricedItems > 0;
    const label =
      b.value === null
        ? `unpriced (${b.unpricedItems} items)`
        : `${atLeast(partial)}${usd(b.value)}${partial ? ` · ${b.unpricedItems} items unpriced` : ""}`;
    body.push(text({ class: "label", x: m.left - 6, y: mid + 4, "text-anchor": "end" }, b.design));
    if (b.value !== null) {
      const end = x(b.value);
      body.push(
        el(
          "rect",
          {
            class: "cost-bar",
            x: m.left,
            y: top,
            width: end - m.left,
            height: y.bandwidth(),
            fill: designColour(b.design, i),
            "data-design": b.design,
            "data-value": b.value,
            "data-unpriced": b.unpricedItems,
          },
          tooltip(`${b.design}: list cost ${label}`),
        ),
      );
      // An open chevron past the bar's end: the true cost is more.
      if (partial)
        body.push(
          el("path", {
            class: "lower-bound",
            d: `M${px(end + 3)},${px(top)}l6,${px(y.bandwidth() / 2)}l-6,${px(y.bandwidth() / 2)}`,
          }),
        );
    }
    if (b.range !== null && b.range[0] !== b.range[1]) {
      const [lo, hi] = [x(b.range[0]), x(b.range[1])];
      body.push(
        el(
          "path",
          {
            class: "range",
            d: `M${px(lo)},${px(mid - 4)}v8M${px(lo)},${px(mid)}H${px(hi)}M${px(hi)},${px(mid - 4)}v8`,
          },
          tooltip(`${b.design}: list prices range ${usd(b.range[0])}–${usd(b.range[1])} (priced items only)`),
        ),
      );
    }
    body.push(text({ class: "value", x: W - m.right + 14, y: mid + 4 }, label));
  });
  return { id, svg: svg(id, W, H, "List cost per design (known part)", body), data };
}
