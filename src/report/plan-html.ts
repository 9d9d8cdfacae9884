/**
 * report.html: one self-contained page (inline CSS, inline SVG charts, no
 * script to run, no external URL) that opens offline and prints. The whole
 * PlanResult is embedded as `<script type="application/json" id="iovsim-plan">`
 * and each chart's drawn data as `<script type="application/json"
 * id="<chart>-data">`. Everything from user files goes through `escapeHtml`.
 * Deterministic: no clock or random ids (a generation time comes from the caller).
 */

import type { DesignPlan, LastMileCurve, PlanResult } from "../planner/plan.js";
import { bomChart, type Chart, curveChart, escapeHtml, latencyChart, tcoChart } from "./plan-charts.js";
import * as money from "./plan-money.js";
import * as text from "./plan-shared.js";

export { escapeHtml };

export interface PlanHtmlOptions {
  /** Shown under the title when given (e.g. an ISO time); the report has no clock of its own. */
  readonly generatedAt?: string;
}

/**
 * JSON safe inside a `<script>` element: `<`, `>` and `&` as `\u003c` … (so
 * neither `</script>` nor `<!--` can end or change the element) and U+2028/2029
 * escaped; `JSON.parse` of the text gives the value back unchanged.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

const STATUS = new Set(["met", "missed", "undecided", "none"]);

/** A table; cells escaped here, numbers right-aligned, status words coloured. */
export function htmlTable(t: text.TextTable): string {
  const cls = (i: number, cell: string): string => {
    const c = [(t.align[i] ?? "r") === "r" ? "num" : "", STATUS.has(cell) ? `s-${cell}` : ""].filter((x) => x !== "");
    return c.length === 0 ? "" : ` class="${c.join(" ")}"`;
  };
  const head = t.header.map((h, i) => `<th${cls(i, "")}>${escapeHtml(h)}</th>`).join("");
  const body = t.rows.map((r) => `<tr>${r.map((c, i) => `<td${cls(i, c)}>${escapeHtml(c)}</td>`).join("")}</tr>`);
  return `<table><thead><tr>${head}</tr></thead><tbody>${body.join("\n")}</tbody></table>`;
}

const p = (s: string, cls?: string): string => `<p${cls === undefined ? "" : ` class="${cls}"`}>${escapeHtml(s)}</p>`;

function figure<T>(chart: Chart<T>, caption: string): string {
  return (
    `<figure id="${chart.id}" class="chart" data-marks="${chart.data.length}">${chart.svg}` +
    `<figcaption>${escapeHtml(caption)}</figcaption></figure>\n` +
    `<script type="application/json" id="${chart.id}-data">${jsonForScript(chart.data)}</script>`
  );
}

function designDetail(d: DesignPlan): string {
  const [first, ...rest] = text.designLines(d);
  const notes =
    d.notes.length === 0 ? "" : `<ul class="notes">${d.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join("")}</ul>`;
  return [
    `<section class="design"><h3>${escapeHtml(d.design)}</h3>`,
    p(first ?? ""),
    d.chosen === null ? "" : htmlTable(text.slaTable(d.chosen)),
    ...rest.map((line) => p(line)),
    notes,
    "</section>",
  ].join("\n");
}

function curveSection(curve: LastMileCurve | null): string {
  const head = `<section id="curve"><h2>Last-mile curve</h2>`;
  if (curve === null) return `${head}${p("Not computed: the plan has no last-mile curve.")}</section>`;
  const [byShare, knees] = text.curveTables(curve);
  const marks =
    "Filled marks: packet level; hollow: flow level only. ×: no configuration found that meets every SLA row at that share (missed, undecided or none: a gap in the line).";
  return [
    head,
    p(curve.rule, "note"),
    p(
      `Physical servers are priced at their share of the traditional site ${curve.physicalBasis.source === "chosen" ? "the plan chose" : "at the study's current values (the plan has no traditional choice)"}: ${text.parameterPairs(curve.physicalBasis.parameters).join(", ")}.`,
      "note",
    ),
    figure(
      curveChart(curve, "tco"),
      `The site's cost of ownership (the fabric's plus the physical servers' share), typical figures (≥ where a figure is unknown), against the virtualized share. ${marks}`,
    ),
    figure(
      curveChart(curve, "hardwareScore"),
      `Hardware count (adapters + cables + optics + front-panel switch ports installed + upstream ports) of the fabric that carries the virtualized servers, against the virtualized share; the ring marks each design's knee (start of a segment at least 1.25 × steeper than its average). ${marks}`,
    ),
    htmlTable(byShare),
    htmlTable(knees),
    p(text.flattestLine(curve)),
    "</section>",
  ].join("\n");
}

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#222;margin:2em auto;max-width:1000px;padding:0 1em}
h1{font-size:1.6em;margin-bottom:.2em}h2{margin-top:1.8em;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:.8em 0;font-variant-numeric:tabular-nums}
th,td{padding:.25em .6em;border-bottom:1px solid #e4e4e4;text-align:left;vertical-align:top}
th{background:#f5f5f5}.num{text-align:right}td.num{white-space:nowrap}
.s-met{color:#3b8a3a}.s-missed{color:#d62728;font-weight:600}.s-undecided{color:#b8860b;font-weight:600}.s-none{color:#888}
.note,figcaption{color:#555;font-size:.92em}
figure{margin:1em 0}svg{max-width:100%;height:auto;font:11px system-ui,sans-serif}
svg .axis,svg .tick{stroke:#888}svg .tick-label,svg .value{fill:#444}svg .label,svg .panel-title{fill:#222}
svg .panel-title,svg .axis-title{font-weight:600}svg .curve-line,svg .legend-line{fill:none;stroke-width:2}
svg .knee{fill:none;stroke-width:1.5}svg .target{stroke:#222;stroke-dasharray:4 3}svg .ci,svg .range{fill:none;stroke-width:1.5}
svg .range{stroke:#222}svg .lower-bound{fill:none;stroke:#222}svg .point,svg .lat-point{stroke-width:1.5}
@media print{body{margin:0;max-width:none}h2{break-after:avoid}figure,table{break-inside:avoid}}
`.trim();

/** report.html (ends with a newline). */
export function planHtml(plan: PlanResult, options: PlanHtmlOptions = {}): string {
  const title = `iovsim plan: ${plan.study}`;
  const sub = `${text.subtitle(plan)}${options.generatedAt === undefined ? "" : `; generated ${options.generatedAt}`}.`;
  const body = [
    `<header><h1>${escapeHtml(title)}</h1>${p(sub, "note")}</header>`,
    `<section id="cost"><h2>Cost of ownership per design</h2>`,
    p(money.objectiveLine(plan)),
    htmlTable(money.costTable(plan)),
    p(money.COST_LEGEND, "note"),
    p(money.robustnessLine(plan)),
    plan.robustness === null ? "" : htmlTable(money.robustnessTable(plan.robustness)),
    plan.robustness === null ? "" : p(`Draws: ${plan.robustness.distribution}; seed ${plan.robustness.seed}.`, "note"),
    figure(
      tcoChart(plan),
      "The cost of ownership of each design's choice by term (typical figures), with an open end and ≥ where a figure is unknown; the whisker is the total with every figure at its low end and at its high end.",
    ),
    htmlTable(money.tcoTermsTable(plan.designs)),
    p("What the cost of ownership rests on: typical dollars by the confidence of the figures behind them.", "note"),
    htmlTable(money.basisTable(plan.designs)),
    "</section>",
    `<section id="designs"><h2>Hardware per design</h2>`,
    htmlTable(text.summaryTable(plan.designs)),
    p(`${plan.rules.hardwareScore}.`, "note"),
    p(text.SUMMARY_LEGEND, "note"),
    figure(
      bomChart(plan),
      "Hardware of each design's choice, from the BOM; the switch-port bar is front-panel ports installed, its darker inner bar ports used.",
    ),
    "</section>",
    `<section id="latency"><h2>Latency against the SLA</h2>`,
    figure(
      latencyChart(plan),
      "Each latency SLA row: every design's actual with its 95 % CI (whiskers) against the target (dashed). Colour: met, missed, undecided. Filled: packet level; hollow: flow level only (no CI). Unconfirmed: the packet level did not confirm the design's verdict.",
    ),
    "</section>",
    curveSection(plan.lastMileCurve),
    `<section id="details"><h2>Designs in detail</h2>`,
    ...plan.designs.map(designDetail),
    "</section>",
    `<section id="size"><h2>Study size</h2>`,
    htmlTable(text.sizeTable(plan)),
    p(text.totalsLine(plan)),
    "</section>",
    `<section id="rules"><h2>Rules</h2><ul>`,
    `<li>Objective: ${escapeHtml(plan.rules.objective)}; order: ${escapeHtml(plan.rules.order)}</li>`,
    `<li>Cost of ownership: ${escapeHtml(plan.rules.tco)}</li>`,
    `<li>Hardware count: ${escapeHtml(plan.rules.hardwareScore)}</li>`,
    `<li>Search: ${escapeHtml(plan.rules.search)}</li>`,
    "</ul></section>",
    `<script type="application/json" id="iovsim-plan">${jsonForScript(plan)}</script>`,
  ];
  return [
    "<!doctype html>",
    `<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<title>${escapeHtml(title)}</title><style>${CSS}</style></head>`,
    "<body>",
    ...body.filter((x) => x !== ""),
    "</body></html>",
    "",
  ].join("\n");
}
