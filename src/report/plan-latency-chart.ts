/** Latency against the SLA as static SVG (see plan-charts.ts for the approach). */

import { scaleLinear } from "d3";
import type { Fidelity, PlanResult, PlanSlaRow } from "../planner/plan.js";
import { NO_STEADY_STATE } from "../planner/sla.js";
import { isLatency, slaActual, slaValue } from "./plan-shared.js";
import { axis, type Chart, el, px, STATUS_COLOURS, secondsTick, svg, text, tooltip } from "./plan-svg.js";

export interface LatencyPoint {
  design: string;
  workload: string;
  metric: PlanSlaRow["metric"];
  target: number;
  /** null: no estimate (drawn as text, not a mark). */
  value: number | null;
  halfWidth: number | null;
  status: PlanSlaRow["status"];
  fidelity: Fidelity;
  confirmed: boolean;
}

/** One panel per latency SLA row: each design's actual with its 95 % CI against the target; hollow marks: flow level only. */
export function latencyChart(plan: PlanResult): Chart<LatencyPoint> {
  const id = "chart-latency";
  const data: LatencyPoint[] = [];
  for (const d of plan.designs) {
    const c = d.chosen;
    if (c === null) continue;
    for (const r of c.sla.filter((s) => isLatency(s.metric)))
      data.push({
        design: d.design,
        workload: r.workload,
        metric: r.metric,
        target: r.target,
        value: r.actual,
        halfWidth: r.halfWidth,
        status: r.status,
        fidelity: c.evidence.fidelity,
        confirmed: d.confirmed,
      });
  }
  const panels = [...new Set(data.map((p) => `${p.workload}\u0000${p.metric}`))];
  const designs = plan.designs.filter((d) => d.chosen !== null);
  const W = 720;
  const m = { left: 190, right: 190 };
  const rowH = 22;
  const body: string[] = [];
  let top = 8;
  for (const key of panels) {
    const points = data.filter((p) => `${p.workload}\u0000${p.metric}` === key);
    const first = points[0]!;
    const hi = Math.max(first.target, ...points.map((p) => (p.value ?? 0) + (p.halfWidth ?? 0)));
    const x = scaleLinear([0, hi * 1.05 || 1], [m.left, W - m.right]).nice();
    const y0 = top + 22;
    const bottom = y0 + rowH * designs.length;
    body.push(
      text(
        { class: "panel-title", x: m.left, y: top + 12 },
        `${first.workload} ${first.metric} ≤ ${slaValue(first.metric, first.target)}`,
      ),
      el(
        "line",
        {
          class: "target",
          x1: x(first.target),
          x2: x(first.target),
          y1: y0 - 4,
          y2: bottom,
          "data-target": first.target,
        },
        tooltip(`SLA target: ${first.workload} ${first.metric} ≤ ${slaValue(first.metric, first.target)}`),
      ),
    );
    designs.forEach((d, i) => {
      const p = points.find((q) => q.design === d.design);
      const cy = y0 + rowH * i + rowH / 2;
      const label = `${d.design}${p?.confirmed === false ? " (unconfirmed)" : ""}`;
      body.push(text({ class: "label", x: m.left - 8, y: cy + 4, "text-anchor": "end" }, label));
      if (p === undefined) return;
      const row: PlanSlaRow = {
        ...NO_STEADY_STATE,
        workload: p.workload,
        metric: p.metric,
        target: p.target,
        actual: p.value,
        status: p.status,
        halfWidth: p.halfWidth,
      };
      const how = p.fidelity === "packet" ? "packet level" : "flow level only";
      const flowOnly = p.fidelity === "flow" ? " · flow only" : "";
      body.push(text({ class: "value", x: W - m.right + 8, y: cy + 4 }, `${slaActual(row)} · ${p.status}${flowOnly}`));
      if (p.value === null) return;
      const colour = STATUS_COLOURS[p.status];
      if (p.halfWidth !== null && p.halfWidth > 0) {
        const [lo, hi2] = [x(Math.max(0, p.value - p.halfWidth)), x(p.value + p.halfWidth)];
        body.push(
          el("path", {
            class: "ci",
            stroke: colour,
            d: `M${px(lo)},${px(cy - 4)}v8M${px(lo)},${px(cy)}H${px(hi2)}M${px(hi2)},${px(cy - 4)}v8`,
          }),
        );
      }
      body.push(
        el(
          "circle",
          {
            class: "lat-point",
            cx: x(p.value),
            cy,
            r: 5,
            fill: p.fidelity === "packet" ? colour : "#fff",
            stroke: colour,
            "data-design": p.design,
            "data-workload": p.workload,
            "data-metric": p.metric,
            "data-value": p.value,
            "data-half-width": p.halfWidth,
            "data-target": p.target,
            "data-status": p.status,
            "data-fidelity": p.fidelity,
          },
          tooltip(
            `${p.design} ${p.workload} ${p.metric}: ${slaActual(row)} (95 % CI) vs ≤ ${slaValue(p.metric, p.target)}: ${p.status}, ${how}${p.confirmed ? ", confirmed" : ", not confirmed"}`,
          ),
        ),
      );
    });
    body.push(axis("bottom", x, bottom + 2, secondsTick, 5));
    top = bottom + 34;
  }
  const H = Math.max(top, 40);
  return { id, svg: svg(id, W, H, "Latency against the SLA, 95 % CI", body), data };
}
