/**
 * A lesson's key numbers ("golden" values): where each comes from in the CLI's result
 * JSON (or in a plan), the unit it is shown in, and the value the lesson states at the
 * precision it states it. The same check runs in Node (test/web/lessons.test.ts) and in
 * the page after a lesson's run, so a lesson cannot drift from the model unnoticed: when
 * the model changes, the test says which number moved and to what.
 * Browser-safe and free of DOM code.
 */
import type { RunResult } from "../../../src/metrics/result.js";
import type { PlanResult } from "../../../src/planner/plan.js";

/** Where a number is read. */
export type GoldenSource =
  | {
      readonly from: "workload";
      readonly name: string;
      readonly field: "deliveredBps" | "p99" | "lossRatio" | "dropped";
    }
  | { readonly from: "link"; readonly id: string; readonly field: "utilization" | "pausedSeconds" | "dropped" }
  | { readonly from: "links"; readonly field: "dropped" }
  | { readonly from: "fault"; readonly index: number; readonly field: "affectedServers" | "lost" | "outageSeconds" }
  | { readonly from: "plan-score"; readonly design: string; readonly share: number }
  | { readonly from: "plan-knee"; readonly design: string }
  | { readonly from: "plan-flattest" };

export type GoldenUnit = "Gb/s" | "µs" | "ms" | "%" | "count" | "share" | "design";

export interface Golden {
  readonly label: string;
  readonly source: GoldenSource;
  readonly unit: GoldenUnit;
  /** The value as the lesson states it, in `unit` (a design name for "design"). */
  readonly value: number | string;
  /** Significant digits it is stated to (numbers; counts are exact). */
  readonly digits?: number;
}

/** The raw value (SI units) a source names in a result, or null when the result has none. */
export function readRun(r: RunResult, s: GoldenSource): number | null {
  switch (s.from) {
    case "workload": {
      const w = r.workloads.find((x) => x.name === s.name);
      if (w === undefined) return null;
      if (s.field === "deliveredBps") return w.deliveredBps;
      if (s.field === "p99") return w.latency.p99;
      if (s.field === "dropped") return w.dropped;
      return w.sent === 0 ? null : w.dropped / w.sent;
    }
    case "link": {
      const l = r.links.find((x) => x.id === s.id);
      if (l === undefined) return null;
      return s.field === "utilization" ? l.utilization : s.field === "pausedSeconds" ? l.pausedSeconds : l.dropped;
    }
    case "links":
      return r.links.reduce((a, l) => a + l.dropped, 0);
    case "fault": {
      const f = (r.faults ?? [])[s.index];
      if (f === undefined) return null;
      return s.field === "affectedServers" ? f.affectedServers.length : s.field === "lost" ? f.lost : f.outageSeconds;
    }
    default:
      return null;
  }
}

/** The value a plan source names (a number, or a design name for the flattest), or null. */
export function readPlan(p: PlanResult, s: GoldenSource): number | string | null {
  const curve = p.lastMileCurve;
  if (curve === null) return null;
  switch (s.from) {
    case "plan-score":
      return curve.rows.find((r) => r.design === s.design && r.share === s.share)?.fabric?.hardwareScore ?? null;
    case "plan-knee":
      return curve.knees.find((k) => k.design === s.design)?.knee ?? null;
    case "plan-flattest":
      return curve.flattest;
    default:
      return null;
  }
}

/** A raw (SI) value in the golden's unit. */
export function inUnit(raw: number, unit: GoldenUnit): number {
  switch (unit) {
    case "Gb/s":
      return raw / 1e9;
    case "µs":
      return raw * 1e6;
    case "ms":
      return raw * 1e3;
    case "%":
    case "share":
      return raw * 100;
    default:
      return raw;
  }
}

/** `1.94 Gb/s`, `10.7 µs`, `52.1 %`, `913`, `mriov`, `80 %` (as the lesson texts write them). */
export function formatGolden(value: number | string, unit: GoldenUnit, digits?: number): string {
  if (typeof value === "string") return value;
  const n = digits === undefined ? String(value) : trimmed(value, digits);
  switch (unit) {
    case "count":
      return n;
    case "design":
      return String(value);
    case "share":
      return `${n} %`;
    default:
      return `${n} ${unit}`;
  }
}

/** `value` to `digits` significant digits, as a plain decimal (no exponent). */
function trimmed(value: number, digits: number): string {
  if (value === 0) return "0";
  const magnitude = Math.floor(Math.log10(Math.abs(value)));
  const decimals = Math.max(0, digits - 1 - magnitude);
  return value.toFixed(decimals);
}

export interface GoldenCheck {
  readonly golden: Golden;
  /** The measured value in the golden's unit (null: not in the result). */
  readonly actual: number | string | null;
  /** The measured value as the lesson would state it. */
  readonly shown: string;
  readonly ok: boolean;
}

/** Compares a measured raw value with a golden one at the golden's stated precision. */
export function check(golden: Golden, raw: number | string | null): GoldenCheck {
  if (raw === null) return { golden, actual: null, shown: "–", ok: false };
  if (typeof raw === "string" || typeof golden.value === "string") {
    const shown = String(raw);
    return { golden, actual: raw, shown, ok: shown === String(golden.value) };
  }
  const actual = inUnit(raw, golden.unit);
  const shown = formatGolden(actual, golden.unit, golden.digits);
  return { golden, actual, shown, ok: shown === formatGolden(golden.value, golden.unit, golden.digits) };
}

export function checkRun(goldens: readonly Golden[], r: RunResult): GoldenCheck[] {
  return goldens.map((g) => check(g, readRun(r, g.source)));
}

export function checkPlan(goldens: readonly Golden[], p: PlanResult): GoldenCheck[] {
  return goldens.map((g) => {
    const v = readPlan(p, g.source);
    // A knee is a share (0 … 1); the lesson states it in %.
    return check(g, v);
  });
}
