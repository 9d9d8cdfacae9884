/**
 * Where each link meets its nodes in the drawing: a port sits on the edge that faces
 * its peer (top when the peer is above, bottom otherwise), spread along that edge in
 * the order of the peers' x so that parallel links fan out instead of overlapping. A
 * server's ports sit over their adapter's segment instead (interfaces.ts), where its
 * virtual interfaces hang from them.
 */
import type { ResolvedTopology, ServerNode } from "../../src/topology/types.js";
import { serverParts } from "./interfaces.js";
import type { Layout } from "./layout.js";

export interface Point {
  x: number;
  y: number;
}

/** Endpoint positions per link (index into `topo.links`): [a end, b end]. */
export function portPositions(topo: ResolvedTopology, layout: Layout): Array<[Point, Point]> {
  type End = { link: number; side: 0 | 1; peerX: number; order: number };
  const edges = new Map<string, End[]>();
  const adapterOrder = new Map<string, number>();
  /** x of each server adapter port, absolute. */
  const serverPortX = new Map<string, number>();
  for (const n of topo.nodes)
    if (n.kind === "server") {
      n.adapters.forEach((a, ai) => {
        for (const [pi, p] of a.ports.entries()) adapterOrder.set(`${n.name}:${p}`, ai * 1000 + pi);
      });
      const box = layout.byName.get(n.name);
      if (box !== undefined)
        for (const [p, x] of serverParts(n as ServerNode, box.w, box.h).portX)
          serverPortX.set(`${n.name}:${p}`, box.x + x);
    }
  topo.links.forEach((l, i) => {
    const a = layout.byName.get(l.a.node);
    const b = layout.byName.get(l.b.node);
    if (a === undefined || b === undefined) return;
    const add = (node: string, top: boolean, end: End): void => {
      const key = `${node}|${top ? "t" : "b"}`;
      const list = edges.get(key);
      if (list === undefined) edges.set(key, [end]);
      else list.push(end);
    };
    const aTop = b.y < a.y || (b.y === a.y && b.layer > a.layer);
    add(l.a.node, aTop, { link: i, side: 0, peerX: b.x, order: adapterOrder.get(`${l.a.node}:${l.a.port}`) ?? i });
    add(l.b.node, !aTop, { link: i, side: 1, peerX: a.x, order: adapterOrder.get(`${l.b.node}:${l.b.port}`) ?? i });
  });
  const out: Array<[Point, Point]> = topo.links.map(() => [
    { x: 0, y: 0 },
    { x: 0, y: 0 },
  ]);
  for (const [key, ends] of edges) {
    const [name, edge] = key.split("|") as [string, string];
    const box = layout.byName.get(name)!;
    const server = box.kind === "server";
    ends.sort((p, q) => (server ? p.order - q.order : p.peerX - q.peerX || p.order - q.order));
    const y = edge === "t" ? box.y - box.h / 2 : box.y + box.h / 2;
    ends.forEach((e, i) => {
      const l = topo.links[e.link]!;
      const end = e.side === 0 ? l.a : l.b;
      const x = server ? serverPortX.get(`${end.node}:${end.port}`) : undefined;
      out[e.link]![e.side] = { x: x ?? box.x - box.w / 2 + ((i + 0.5) * box.w) / ends.length, y };
    });
  }
  return out;
}
