/**
 * The report files of `iovsim plan` as name + text, for the caller to write
 * atomically into `--out` (plan.json is the caller's). Pure and browser-safe:
 * the web app can offer the same files as downloads.
 */

import type { PlanResult } from "../planner/plan.js";
import { lastMileCurveCsv, planCsv, planSlaCsv } from "./plan-csv.js";
import { type PlanHtmlOptions, planHtml } from "./plan-html.js";
import { planMarkdown } from "./plan-markdown.js";

export interface ReportFile {
  name: string;
  content: string;
}

/** plan.csv, plan-sla.csv, last-mile-curve.csv, plan.md, report.html, in that order. */
export function planReportFiles(plan: PlanResult, options: PlanHtmlOptions = {}): ReportFile[] {
  return [
    { name: "plan.csv", content: planCsv(plan) },
    { name: "plan-sla.csv", content: planSlaCsv(plan) },
    { name: "last-mile-curve.csv", content: lastMileCurveCsv(plan.lastMileCurve) },
    { name: "plan.md", content: planMarkdown(plan) },
    { name: "report.html", content: planHtml(plan, options) },
  ];
}
