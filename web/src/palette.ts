/**
 * Every colour and line style of the page in one place, chosen for contrast
 * (WCAG 2.2: text ≥ 4.5:1, graphics ≥ 3:1 against the white page; test/web checks
 * each one with `contrastRatio`), and the visual encoding of the model:
 * - link dash by protocol family, a casing (a halo on both sides) for lossless links
 *   (credits on FC, InfiniBand and PCIe; PFC on Ethernet's no-drop class);
 * - link colour and width by utilization (a bin of simulated time);
 * - box fill by device kind (pastel, with a dark border that carries the contrast);
 * - dots and chart lines by workload.
 */
import { interpolateRgb, scaleLinear } from "d3";
import type { LinkFamily } from "../../src/link/protocol.js";
import type { NodeKind } from "../../src/topology/types.js";

export const PAGE_BACKGROUND = "#ffffff";
export const TEXT = "#1d232a";
export const TEXT_MUTED = "#5a6270";
export const BORDER = "#6b7785";
export const SELECTED = "#0b63ce";
export const FAILED = "#1d232a";
export const FAILED_MARK = "#d62828";
export const PAUSED = "#e6550d";
export const LOSSLESS_CASING = "#9467bd";
/** Rails of an Ethernet link whose traffic classes mix a no-drop class with drop classes. */
export const CLASSES_CASING = "#00838f";

export const KIND_COLOURS: Readonly<Record<NodeKind, string>> = {
  server: "#dbe9f6",
  "ethernet-switch": "#e3d7f3",
  "fc-switch": "#f6e0c8",
  "ib-switch": "#d5efe6",
  "pcie-switch": "#f3d7e6",
  "io-director": "#cde8cf",
  "fabric-interconnect": "#cde8cf",
  "fabric-extender": "#eef0c9",
  "shared-adapter": "#f9d6d2",
  "storage-array": "#f2ddb0",
  lan: "#d9dde3",
};

export const KIND_NAMES: Readonly<Record<NodeKind, string>> = {
  server: "server (its adapters on top)",
  "ethernet-switch": "Ethernet switch",
  "fc-switch": "Fibre Channel switch",
  "ib-switch": "InfiniBand switch",
  "pcie-switch": "PCIe switch (MR-aware: one virtual hierarchy per host)",
  "io-director": "I/O director",
  "fabric-interconnect": "fabric interconnect",
  "fabric-extender": "fabric extender (IOM)",
  "shared-adapter": "shared adapter (MR-IOV: serves N hosts)",
  "storage-array": "storage array",
  lan: "LAN (the rest of the network)",
};

/** Idle links are grey, busy ones green, orange, red: every stop ≥ 3:1 on white. */
export const UTIL_STOPS: readonly (readonly [number, string])[] = [
  [0, "#7b8794"],
  [0.3, "#2a8a3e"],
  [0.7, "#b86e00"],
  [1, "#d62828"],
];

export const utilColour = scaleLinear<string>()
  .domain(UTIL_STOPS.map((s) => s[0]))
  .range(UTIL_STOPS.map((s) => s[1]))
  .interpolate(interpolateRgb)
  .clamp(true);

/** Link stroke width in view units for a utilization. */
export function utilWidth(u: number): number {
  return 1.6 + 5 * Math.min(1, Math.max(0, u));
}

export interface LinkStyle {
  readonly label: string;
  /** SVG stroke-dasharray ("" for solid). */
  readonly dash: string;
}

export const FAMILY_STYLES: Readonly<Record<LinkFamily, LinkStyle>> = {
  ethernet: { label: "Ethernet", dash: "" },
  "fibre-channel": { label: "Fibre Channel", dash: "7 3" },
  infiniband: { label: "InfiniBand", dash: "12 3 2 3" },
  pcie: { label: "PCIe", dash: "2 2.5" },
};

/** Workload colours (dots, chart lines, legend): distinct hues, each ≥ 3:1 on white. */
export const WORKLOAD_COLOURS: readonly string[] = [
  "#1f77b4",
  "#c2185b",
  "#2a8a3e",
  "#9467bd",
  "#a05d00",
  "#00838f",
  "#6d6d00",
  "#8c564b",
  "#d62728",
  "#5c6672",
];

export function workloadColour(i: number): string {
  return WORKLOAD_COLOURS[i % WORKLOAD_COLOURS.length]!;
}

/** Virtual interfaces drawn on their host: a circle, a square, a triangle. */
export const INTERFACE_COLOURS = { vnic: "#1f77b4", vhba: "#a05d00", vf: "#2a8a3e" } as const;

/** WCAG relative luminance of a #rrggbb or rgb(r, g, b) colour. */
export function luminance(colour: string): number {
  const rgb = parseColour(colour);
  const [r, g, b] = rgb.map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio of two colours (1 … 21). */
export function contrastRatio(a: string, b: string): number {
  const x = luminance(a);
  const y = luminance(b);
  return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
}

export function parseColour(colour: string): [number, number, number] {
  const c = colour.trim();
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(c);
  if (hex !== null) {
    const h = hex[1]!.length === 3 ? [...hex[1]!].map((x) => x + x).join("") : hex[1]!;
    const n = Number.parseInt(h, 16);
    return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  }
  const rgb = /^rgba?\((\d+(?:\.\d+)?)[ ,]+(\d+(?:\.\d+)?)[ ,]+(\d+(?:\.\d+)?)/i.exec(c);
  if (rgb !== null) return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])];
  throw new Error(`not a colour: ${colour}`);
}
