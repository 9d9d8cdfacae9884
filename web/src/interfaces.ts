/**
 * Where a server's parts are drawn inside its box: its adapters as segments along the
 * top edge, each adapter's ports spread over its segment (links meet the box there),
 * and under each port the virtual interfaces that ride on it — vNICs and vHBAs
 * (UCS VIC, director HCA, MR-IOV extender) and SR-IOV VFs — in a column hanging from
 * the port, so that which physical port each one uses is visible at a glance.
 * Positions are relative to the box centre, in view units. Pure and deterministic.
 */
import type { ServerNode } from "../../src/topology/types.js";

export type InterfaceKind = "vnic" | "vhba" | "vf";

export interface InterfaceGlyph {
  readonly kind: InterfaceKind;
  /** The vif's name, or `vf<n>` for SR-IOV virtual function n of the port. */
  readonly name: string;
  readonly adapter: string;
  /** The adapter port it rides on (`vic0/1`). */
  readonly port: string;
  readonly x: number;
  readonly y: number;
}

export interface ServerParts {
  readonly adapters: readonly { readonly name: string; readonly x0: number; readonly x1: number }[];
  /** x of every adapter port (`vic0/1`), relative to the box centre. */
  readonly portX: ReadonlyMap<string, number>;
  readonly glyphs: readonly InterfaceGlyph[];
  /** Where the interface column of each port starts and ends (y, relative to the centre). */
  readonly trunkTop: number;
  readonly trunkBottom: ReadonlyMap<string, number>;
}

/** Height of the adapter strip along the top of a server box. */
export const ADAPTER_STRIP = 7;
/** Glyphs per column under a port before a second column starts. */
const PER_COLUMN = 4;
const STEP = 8;

/** The interfaces of each port of a server: vifs first (file order), then VFs 1 … n. */
function interfacesByPort(
  server: ServerNode,
): Map<string, Array<{ kind: InterfaceKind; name: string; adapter: string }>> {
  const out = new Map<string, Array<{ kind: InterfaceKind; name: string; adapter: string }>>();
  for (const a of server.adapters) {
    for (const p of a.ports) out.set(p, []);
    for (const v of a.vifs) out.get(v.port)?.push({ kind: v.type, name: v.name, adapter: a.name });
    if (a.vfs > 0)
      for (const p of a.ports)
        for (let n = 1; n <= a.vfs; n++) out.get(p)?.push({ kind: "vf", name: `vf${n}`, adapter: a.name });
  }
  return out;
}

/** Rows of interface glyphs the server needs under its adapter strip (0 without vifs or VFs). */
export function interfaceRows(server: ServerNode): number {
  let rows = 0;
  for (const list of interfacesByPort(server).values()) rows = Math.max(rows, Math.min(PER_COLUMN, list.length));
  return rows;
}

/** Extra box height for `rows` rows of glyphs. */
export function interfaceHeight(rows: number): number {
  return rows === 0 ? 0 : rows * STEP + 6;
}

export function serverParts(server: ServerNode, w: number, h: number): ServerParts {
  const left = -w / 2;
  const top = -h / 2;
  const n = Math.max(1, server.adapters.length);
  const adapters = server.adapters.map((a, k) => ({
    name: a.name,
    x0: left + (k * w) / n,
    x1: left + ((k + 1) * w) / n,
  }));
  const portX = new Map<string, number>();
  server.adapters.forEach((a, k) => {
    const seg = adapters[k]!;
    const m = Math.max(1, a.ports.length);
    a.ports.forEach((p, j) => {
      portX.set(p, seg.x0 + ((j + 0.5) * (seg.x1 - seg.x0)) / m);
    });
  });
  const trunkTop = top + ADAPTER_STRIP;
  const glyphs: InterfaceGlyph[] = [];
  const trunkBottom = new Map<string, number>();
  for (const [port, list] of interfacesByPort(server)) {
    if (list.length === 0) continue;
    const x = portX.get(port)!;
    const cols = Math.ceil(list.length / PER_COLUMN);
    const rows = Math.min(PER_COLUMN, list.length);
    list.forEach((g, i) => {
      const c = Math.floor(i / rows);
      const r = i % rows;
      glyphs.push({ ...g, port, x: x + (c - (cols - 1) / 2) * 7, y: trunkTop + 6 + r * STEP });
    });
    trunkBottom.set(port, trunkTop + 6 + (rows - 1) * STEP);
  }
  return { adapters, portX, glyphs, trunkTop, trunkBottom };
}
