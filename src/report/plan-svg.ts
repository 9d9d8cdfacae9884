/**
 * SVG text primitives for the plan report's charts: escaped elements and
 * attributes, `<title>` tooltips, axes with ticks from `scale.ticks()`, and the
 * colours and tick formats the charts share. Pure and browser-safe.
 */

import { format, type ScaleLinear } from "d3";

/** Text or attribute value as HTML/SVG text: the five characters that can end or open markup. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export interface Chart<T> {
  /** Element id of the figure (the embedded data is `${id}-data`). */
  id: string;
  svg: string;
  data: T[];
}

export type Attrs = Readonly<Record<string, string | number | boolean | null | undefined>>;

/** Coordinates to 0.01 px: short, stable SVG text. */
export const px = (x: number): string => String(Math.round(x * 100) / 100);

export function el(tag: string, attrs: Attrs, children = ""): string {
  const a = Object.entries(attrs)
    .filter((e): e is [string, string | number | boolean] => e[1] !== null && e[1] !== undefined)
    .map(([k, v]) => ` ${k}="${escapeHtml(typeof v === "number" && !k.startsWith("data-") ? px(v) : String(v))}"`)
    .join("");
  return `<${tag}${a}>${children}</${tag}>`;
}

export const tooltip = (text: string): string => `<title>${escapeHtml(text)}</title>`;
export const text = (attrs: Attrs, content: string): string => el("text", attrs, escapeHtml(content));

export function svg(id: string, width: number, height: number, label: string, body: string[]): string {
  return el(
    "svg",
    {
      xmlns: "http://www.w3.org/2000/svg",
      id: `${id}-svg`,
      viewBox: `0 0 ${width} ${height}`,
      width,
      height,
      role: "img",
      "aria-label": label,
    },
    tooltip(label) + body.join(""),
  );
}

/** Tick marks and labels from `scale.ticks()`, along the bottom (x) or the left (y). */
export function axis(
  orient: "bottom" | "left",
  scale: ScaleLinear<number, number>,
  at: number,
  fmt: (x: number) => string,
  count = 6,
): string {
  const [r0, r1] = scale.range() as [number, number];
  const parts =
    orient === "bottom"
      ? [el("line", { class: "axis", x1: r0, x2: r1, y1: at, y2: at })]
      : [el("line", { class: "axis", x1: at, x2: at, y1: r0, y2: r1 })];
  for (const t of scale.ticks(count)) {
    const p = scale(t);
    parts.push(
      orient === "bottom"
        ? el("line", { class: "tick", x1: p, x2: p, y1: at, y2: at + 4 }) +
            text({ class: "tick-label", x: p, y: at + 15, "text-anchor": "middle" }, fmt(t))
        : el("line", { class: "tick", x1: at - 4, x2: at, y1: p, y2: p }) +
            text({ class: "tick-label", x: at - 6, y: p + 3, "text-anchor": "end" }, fmt(t)),
    );
  }
  return `<g class="axis-${orient}">${parts.join("")}</g>`;
}

const DESIGN_COLOURS: Readonly<Record<string, string>> = {
  traditional: "#79706e",
  director: "#4e79a7",
  ucs: "#f28e2c",
  mriov: "#af7aa1",
};
const FALLBACK_COLOURS = ["#76b7b2", "#9c755f", "#ff9da7", "#bab0ab"];

/** A fixed colour per design name, so the same design looks the same in every chart. */
export function designColour(design: string, index: number): string {
  return DESIGN_COLOURS[design] ?? FALLBACK_COLOURS[index % FALLBACK_COLOURS.length]!;
}

export const STATUS_COLOURS = { met: "#3b8a3a", missed: "#d62728", undecided: "#b8860b" } as const;

export const count = format(",~r");
export const usdTick = format("$~s");
export const secondsTick = (x: number): string => (x === 0 ? "0" : `${format("~s")(x)}s`);
