/**
 * Deterministic layered layout (no randomness, so screenshots are stable):
 * - layer = hops from the nearest server (servers at the bottom, one row; the LAN and
 *   storage arrays end up on top because they sit behind the switching tiers);
 * - servers in natural name order (host2 before host10), every other layer ordered by
 *   the mean x of its neighbours below (one barycentre pass per layer, ties by name);
 * - widths from the number of connected ports, then overlaps removed left to right.
 * Positions can be overridden (dragged, or loaded from `<name>.layout.json`).
 */
import type { ResolvedNode, ResolvedTopology, ServerNode } from "../../src/topology/types.js";
import { interfaceHeight, interfaceRows } from "./interfaces.js";

export const VIEW_WIDTH = 1000;
const MARGIN = 20;
const ROW_HEIGHT = 120;
const GAP = 4;
/** A server box is never wider than this (a lesson with 2 servers should not fill the view with them). */
const MAX_SERVER_WIDTH = 150;
const SERVER_HEIGHT = 56;

export interface NodeBox {
  readonly name: string;
  readonly kind: ResolvedNode["kind"];
  readonly layer: number;
  /** Centre. */
  x: number;
  y: number;
  readonly w: number;
  readonly h: number;
}

export interface Layout {
  readonly nodes: NodeBox[];
  readonly byName: Map<string, NodeBox>;
  readonly height: number;
}

/** The saved form (`<name>.layout.json`). */
export interface LayoutFile {
  readonly topology: string;
  readonly positions: Record<string, { x: number; y: number }>;
}

export function naturalCompare(a: string, b: string): number {
  const x = a.replace(/\d+/g, (d) => d.padStart(8, "0"));
  const y = b.replace(/\d+/g, (d) => d.padStart(8, "0"));
  return x < y ? -1 : x > y ? 1 : 0;
}

export function computeLayout(topo: ResolvedTopology): Layout {
  const names = topo.nodes.map((n) => n.name);
  const adj = new Map<string, Set<string>>(names.map((n) => [n, new Set()]));
  const degree = new Map<string, number>(names.map((n) => [n, 0]));
  for (const l of topo.links) {
    adj.get(l.a.node)?.add(l.b.node);
    adj.get(l.b.node)?.add(l.a.node);
    degree.set(l.a.node, (degree.get(l.a.node) ?? 0) + 1);
    degree.set(l.b.node, (degree.get(l.b.node) ?? 0) + 1);
  }
  // Breadth-first from every server at once.
  const layer = new Map<string, number>();
  let frontier = topo.nodes.filter((n) => n.kind === "server").map((n) => n.name);
  for (const s of frontier) layer.set(s, 0);
  for (let d = 1; frontier.length > 0; d++) {
    const next: string[] = [];
    for (const n of frontier)
      for (const m of [...(adj.get(n) ?? [])].sort(naturalCompare)) {
        if (layer.has(m)) continue;
        layer.set(m, d);
        next.push(m);
      }
    frontier = next;
  }
  const maxLayer = Math.max(0, ...layer.values());
  for (const n of names) if (!layer.has(n)) layer.set(n, maxLayer + 1);
  const layers = Math.max(...layer.values()) + 1;

  const kindOf = new Map(topo.nodes.map((n) => [n.name, n.kind]));
  // Servers are as tall as their interface columns need (all alike, so the row stays even).
  const rows = Math.max(
    0,
    ...topo.nodes.filter((n): n is ServerNode => n.kind === "server").map((n) => interfaceRows(n)),
  );
  const serverHeight = SERVER_HEIGHT + interfaceHeight(rows);
  const xOf = new Map<string, number>();
  const nodes: NodeBox[] = [];
  for (let L = 0; L < layers; L++) {
    const row = names.filter((n) => layer.get(n) === L);
    if (L === 0) row.sort(naturalCompare);
    else {
      const bary = (n: string): number => {
        const xs = [...(adj.get(n) ?? [])].map((m) => xOf.get(m)).filter((x): x is number => x !== undefined);
        return xs.length === 0 ? VIEW_WIDTH / 2 : xs.reduce((a, b) => a + b, 0) / xs.length;
      };
      const key = new Map(row.map((n) => [n, bary(n)]));
      row.sort((a, b) => key.get(a)! - key.get(b)! || naturalCompare(a, b));
    }
    const avail = VIEW_WIDTH - 2 * MARGIN;
    const servers = L === 0 && kindOf.get(row[0] ?? "") === "server";
    // Servers share one row evenly; other boxes get width by port count, scaled to fit.
    // A shared adapter is drawn as a card with one mark per host it serves: never narrower than 84.
    const minWidth = (n: string): number => (kindOf.get(n) === "shared-adapter" ? 84 : 60);
    let widths = row.map((n) => (servers ? 1 : Math.max(minWidth(n), Math.min(260, 14 * (degree.get(n) ?? 1)))));
    const total = widths.reduce((a, b) => a + b, 0) + GAP * Math.max(0, row.length - 1);
    if (servers || total > avail) {
      const scale = (avail - GAP * Math.max(0, row.length - 1)) / widths.reduce((a, b) => a + b, 0);
      widths = widths.map((w) => (servers ? Math.min(MAX_SERVER_WIDTH, w * scale) : w * scale));
    }
    const y = MARGIN + 30 + (layers - 1 - L) * ROW_HEIGHT;
    const h = servers ? serverHeight : 36;
    const heightOf = (n: string): number => (kindOf.get(n) === "shared-adapter" ? 46 : h);
    // A row of capped servers is centred.
    const used = widths.reduce((a, b) => a + b, 0) + GAP * Math.max(0, row.length - 1);
    const start = servers ? MARGIN + Math.max(0, (avail - used) / 2) : MARGIN;
    // Ideal x: evenly spread for servers, the barycentre otherwise; then push apart.
    const xs = row.map((n, i) => {
      if (servers || L === 0) return start + widths.slice(0, i).reduce((a, b) => a + b + GAP, 0) + widths[i]! / 2;
      const below = [...(adj.get(n) ?? [])].map((m) => xOf.get(m)).filter((x): x is number => x !== undefined);
      return below.length === 0 ? VIEW_WIDTH / 2 : below.reduce((a, b) => a + b, 0) / below.length;
    });
    for (let i = 1; i < row.length; i++) {
      const min = xs[i - 1]! + widths[i - 1]! / 2 + GAP + widths[i]! / 2;
      if (xs[i]! < min) xs[i] = min;
    }
    const last = row.length - 1;
    // Spread wider than the view (barycentres far apart): pack the row from the left edge instead.
    if (last >= 0 && xs[last]! + widths[last]! / 2 - (xs[0]! - widths[0]! / 2) > avail)
      for (let i = 0; i <= last; i++)
        xs[i] = MARGIN + widths.slice(0, i).reduce((a, b) => a + b + GAP, 0) + widths[i]! / 2;
    const overflow = last >= 0 ? xs[last]! + widths[last]! / 2 - (VIEW_WIDTH - MARGIN) : 0;
    if (overflow > 0) for (let i = 0; i <= last; i++) xs[i] = xs[i]! - overflow;
    for (let i = 0; i < row.length; i++) {
      if (xs[i]! - widths[i]! / 2 < MARGIN) {
        const shift = MARGIN - (xs[i]! - widths[i]! / 2);
        for (let j = i; j <= last; j++) xs[j] = xs[j]! + shift;
      }
    }
    row.forEach((n, i) => {
      xOf.set(n, xs[i]!);
      nodes.push({ name: n, kind: kindOf.get(n)!, layer: L, x: xs[i]!, y, w: widths[i]!, h: heightOf(n) });
    });
  }
  nodes.sort((a, b) => names.indexOf(a.name) - names.indexOf(b.name));
  const height = MARGIN * 2 + 30 + Math.max(30, serverHeight / 2) + (layers - 1) * ROW_HEIGHT;
  return { nodes, byName: new Map(nodes.map((n) => [n.name, n])), height };
}

export function toLayoutFile(topology: string, layout: Layout): LayoutFile {
  const positions: Record<string, { x: number; y: number }> = {};
  for (const n of layout.nodes) positions[n.name] = { x: n.x, y: n.y };
  return { topology, positions };
}

/** Applies saved positions; names the file does not know keep their computed place. Returns how many moved. */
export function applyLayoutFile(layout: Layout, file: unknown): number {
  if (typeof file !== "object" || file === null || !("positions" in file)) throw new Error("not a layout file");
  const positions = (file as { positions: unknown }).positions;
  if (typeof positions !== "object" || positions === null) throw new Error("not a layout file");
  let moved = 0;
  for (const [name, p] of Object.entries(positions as Record<string, unknown>)) {
    const box = layout.byName.get(name);
    if (box === undefined || typeof p !== "object" || p === null) continue;
    const { x, y } = p as { x?: unknown; y?: unknown };
    if (typeof x !== "number" || typeof y !== "number" || !Number.isFinite(x) || !Number.isFinite(y)) continue;
    box.x = x;
    box.y = y;
    moved++;
  }
  return moved;
}
