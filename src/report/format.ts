/** Small formatters for terminal tables (SI units in, readable strings out). */

import { type Amount, partial } from "../bom/amount.js";

export function seconds(s: number | null): string {
  if (s === null) return "—";
  if (s === 0) return "0";
  if (s < 1e-6) return `${(s * 1e9).toFixed(0)} ns`;
  if (s < 1e-3) return `${(s * 1e6).toFixed(1)} us`;
  if (s < 1) return `${(s * 1e3).toFixed(2)} ms`;
  return `${s.toFixed(3)} s`;
}

export function rate(bps: number | null): string {
  if (bps === null) return "—";
  if (bps >= 1e9) return `${(bps / 1e9).toFixed(2)} Gb/s`;
  if (bps >= 1e6) return `${(bps / 1e6).toFixed(1)} Mb/s`;
  if (bps >= 1e3) return `${(bps / 1e3).toFixed(1)} kb/s`;
  return `${bps.toFixed(0)} b/s`;
}

export function percent(x: number | null, digits = 1): string {
  return x === null ? "—" : `${(100 * x).toFixed(digits)} %`;
}

export function count(n: number): string {
  return n.toLocaleString("en-US");
}

/** Left-aligns the first column, right-aligns the rest; a rule under the header. */
export function table(rows: readonly (readonly string[])[], leftColumns = 1): string[] {
  if (rows.length === 0) return [];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? "").length)));
  const line = (r: readonly string[]): string =>
    r
      .map((cell, c) => (c < leftColumns ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
      .join("  ")
      .trimEnd();
  return [line(rows[0]!), widths.map((w) => "-".repeat(w)).join("  "), ...rows.slice(1).map(line)];
}

/** `$19,600`; `?` for unknown. */
export function usd(x: number | null): string {
  if (x === null) return "?";
  const rounded = Math.round(x);
  return `${rounded < 0 ? "-" : ""}$${Math.abs(rounded).toLocaleString("en-US")}`;
}

const whole = (x: number): string => x.toLocaleString("en-US", { maximumFractionDigits: 0 });

/** "$9,343" typical, "≥ " when the amount leaves unknown figures out. */
export function usdAmount(a: Amount): string {
  return `${partial(a) ? "≥ " : ""}${usd(a.typical)}`;
}

/** "≥ $9,343 ($8,127–$10,563)": typical and range (no range when exact). */
export function usdRange(a: Amount): string {
  const lo = Math.round(a.min);
  const hi = Math.round(a.max);
  return lo === hi ? usdAmount(a) : `${usdAmount(a)} (${usd(a.min)}–${usd(a.max)})`;
}

/** "≥ 446 W (380–512)". */
export function wattsRange(a: Amount): string {
  const lo = Math.round(a.min);
  const hi = Math.round(a.max);
  const w = `${partial(a) ? "≥ " : ""}${whole(a.typical)} W`;
  return lo === hi ? w : `${w} (${whole(a.min)}–${whole(a.max)})`;
}
