/**
 * The plan as Markdown (plan.md, GitHub-flavoured tables): the design table,
 * each design's parameters, SLA rows with their 95 % CI, evidence and notes,
 * the last-mile curve with its knees, and the study's size. Every cell and
 * every name from a user file goes through `escapeMarkdown`, so it cannot open
 * a link, emphasis, inline HTML, math or a new table cell.
 */

import type { DesignPlan, LastMileCurve, PlanResult } from "../planner/plan.js";
import * as money from "./plan-money.js";
import * as text from "./plan-shared.js";

/** Backslash-escapes the punctuation Markdown acts on inside a line (CommonMark allows `\` before any ASCII punctuation; `$` for GitHub's math); line breaks become spaces. */
export function escapeInline(s: string): string {
  return s.replace(/[\r\n]+/g, " ").replace(/[\\`*_[\]<>|~&$]/g, "\\$&");
}

/** `escapeInline`, and what would open a block (heading, list, quote, setext rule) at the start of a line. Hyphens and dots inside names stay readable. */
export function escapeMarkdown(s: string): string {
  return escapeInline(s)
    .replace(/^([#+=-])/, "\\$1")
    .replace(/^(\d+)([.)])/, "$1\\$2");
}

/** A GFM table: header, delimiter row (`---:` for right-aligned columns), body; cells escaped here. */
export function markdownTable(t: text.TextTable): string[] {
  const line = (cells: readonly string[]): string => `| ${cells.map(escapeInline).join(" | ")} |`;
  const rule = `| ${t.header.map((_, i) => ((t.align[i] ?? "r") === "l" ? "---" : "---:")).join(" | ")} |`;
  return [line(t.header), rule, ...t.rows.map(line), ""];
}

const paragraph = (s: string): string[] => [escapeMarkdown(s), ""];

function designSection(d: DesignPlan): string[] {
  const [first, ...rest] = text.designLines(d);
  return [
    `### ${escapeMarkdown(d.design)}`,
    "",
    ...paragraph(first ?? ""),
    ...(d.chosen === null ? [] : markdownTable(text.slaTable(d.chosen))),
    ...rest.flatMap(paragraph),
    ...(d.notes.length === 0 ? [] : [...d.notes.map((n) => `- ${escapeMarkdown(n)}`), ""]),
  ];
}

function curveSection(curve: LastMileCurve | null): string[] {
  const out = ["## Last-mile curve", ""];
  if (curve === null) return [...out, ...paragraph("Not computed (the plan has no last-mile curve).")];
  const [byShare, knees] = text.curveTables(curve);
  return [
    ...out,
    ...paragraph(
      "Fabric / site hardware count and the site's cost of ownership as the virtualized share rises; " +
        `none: no candidate meets every SLA row. Physical servers: their share of the traditional site ${curve.physicalBasis.source === "chosen" ? "the plan chose" : "at the study's current values"} (${text.parameterPairs(curve.physicalBasis.parameters).join(", ")}). ${curve.rule}`,
    ),
    ...markdownTable(byShare),
    ...markdownTable(knees),
    ...paragraph(text.flattestLine(curve)),
  ];
}

/** plan.md (ends with a newline). */
export function planMarkdown(plan: PlanResult): string {
  const lines = [
    `# iovsim plan: ${escapeMarkdown(plan.study)}`,
    "",
    ...paragraph(`${text.subtitle(plan)}.`),
    ...paragraph(money.objectiveLine(plan)),
    "## Cost of ownership",
    "",
    ...markdownTable(money.costTable(plan)),
    ...paragraph(money.COST_LEGEND),
    ...paragraph(money.robustnessLine(plan)),
    ...(plan.robustness === null ? [] : markdownTable(money.robustnessTable(plan.robustness))),
    ...(plan.robustness === null
      ? []
      : paragraph(`Draws: ${plan.robustness.distribution}; seed ${plan.robustness.seed}.`)),
    "By term (typical):",
    "",
    ...markdownTable(money.tcoTermsTable(plan.designs)),
    "What it rests on (typical dollars by the confidence of their figures):",
    "",
    ...markdownTable(money.basisTable(plan.designs)),
    "## Hardware",
    "",
    ...markdownTable(text.summaryTable(plan.designs)),
    ...paragraph(`${plan.rules.hardwareScore}.`),
    ...paragraph(text.SUMMARY_LEGEND),
    "## Designs",
    "",
    ...plan.designs.flatMap(designSection),
    ...curveSection(plan.lastMileCurve),
    "## Study size",
    "",
    ...markdownTable(text.sizeTable(plan)),
    ...paragraph(text.totalsLine(plan)),
    "## Rules",
    "",
    `- Objective: ${escapeMarkdown(plan.rules.objective)}; order: ${escapeMarkdown(plan.rules.order)}`,
    `- Cost of ownership: ${escapeMarkdown(plan.rules.tco)}`,
    `- Hardware count: ${escapeMarkdown(plan.rules.hardwareScore)}`,
    `- Search: ${escapeMarkdown(plan.rules.search)}`,
  ];
  return `${lines.join("\n")}\n`;
}
