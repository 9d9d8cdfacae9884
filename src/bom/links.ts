/** Links: midplane traces and in-box slots are not cables; every other link is a cable with the optics it needs. Upstream ports on the core and the arrays. */

import { blockFor } from "../catalog/catalog.js";
import type { PortMedium } from "../catalog/types.js";
import { TICKS_PER_METRE } from "../topology/resolve-links.js";
import type { Endpoint, ResolvedLink, ResolvedNode } from "../topology/types.js";
import type { Cabling, LinkKind } from "./cabling.js";
import { type BomState, type Resolved, SWITCHING } from "./state.js";

/** A trace (blade to its own chassis IOM), an in-box slot (shared adapter in its PCIe box) or a cable. */
function classify(st: BomState, l: ResolvedLink, i: number): LinkKind {
  const a = st.node(l.a.node);
  const b = st.node(l.b.node);
  for (const [x, y] of [
    [a, b],
    [b, a],
  ] as const) {
    if (x.kind === "server" && x.chassis !== null && y.kind === "fabric-extender") {
      if (y.chassis === x.chassis) return { kind: "trace", why: "chassis midplane" };
      st.flag(
        "warning",
        "chassis",
        `link ${i}`,
        `blade ${x.name} (${x.chassis}) is linked to ${y.name} of ${y.chassis ?? "no chassis"}: counted as a cable`,
      );
    }
    if (x.kind === "pcie-switch" && y.kind === "shared-adapter") {
      const ep = x === a ? l.b : l.a;
      if (ep.port === "bus") return { kind: "in-box", why: "adapter in the box's slot" };
    }
  }
  return { kind: "cable" };
}

/** The physical medium of a port, from the model of what it belongs to; null when unknown. */
function medium(st: BomState, ep: Endpoint, link: string): PortMedium | null {
  const n = st.node(ep.node);
  const port = st.ports.get(ep.node)?.get(ep.port);
  if (port === undefined) return null;
  if (n.kind === "server") {
    const a = st.adapterModels.get(`${n.name}/${port.group}`)?.entry;
    return a == null ? null : (blockFor(a, link)?.medium ?? null);
  }
  if (n.kind === "shared-adapter" && port.group === "bus") return "pcie-slot";
  if ((n.kind === "io-director" || n.kind === "fabric-interconnect") && n.modules.some((m) => m.name === port.group)) {
    const m = st.moduleModels.get(`${n.name}/${port.group}`)?.entry;
    return m == null ? null : (blockFor(m, link)?.medium ?? null);
  }
  const e = st.nodeModels.get(n.name)?.entry;
  return e == null ? null : (blockFor(e, link, port.group)?.medium ?? null);
}

/** One link: a trace, an in-box slot, or a cable with its optics (counted per server too). */
export function link(st: BomState, l: ResolvedLink, i: number): void {
  const kind = classify(st, l, i);
  const ends = [l.a, l.b];
  if (kind.kind === "trace") {
    st.traces++;
    for (const ep of ends) {
      const s = st.servers.get(ep.node);
      if (s !== undefined) s.traces++;
    }
    return;
  }
  if (kind.kind === "in-box") {
    st.inBox++;
    return;
  }
  const metres = l.lengthMetres ?? l.propagationTicks / TICKS_PER_METRE;
  const ma = medium(st, l.a, l.protocol);
  const mb = medium(st, l.b, l.protocol);
  for (const [ep, m] of [
    [l.a, ma],
    [l.b, mb],
  ] as const) {
    if (m === "backplane") {
      st.flag(
        "warning",
        "backplane",
        `${ep.node}:${ep.port}`,
        `a backplane port cabled outside a chassis (link ${i})`,
        `bp|${ep.node}`,
      );
    }
  }
  for (const ep of ends) if (SWITCHING.has(st.node(ep.node).kind)) st.cabledSwitchPorts++;
  const c = st.chooser.choose(l.protocol, metres, ma, mb);
  addCabling(
    st,
    c,
    "data",
    `link ${i} (${l.a.node}:${l.a.port} – ${l.b.node}:${l.b.port}, ${l.protocol}, ${metres} m)`,
  );
  for (const ep of ends) {
    const s = st.servers.get(ep.node);
    if (s !== undefined) s.cables++;
  }
}

/** Adds a cable and its optics (`count` of each), flagging a doubtful choice once. */
export function addCabling(st: BomState, c: Cabling, role: "data" | "management", where: string, count = 1): void {
  if (c.warning !== null) st.flag("warning", "cable", where, c.warning, `cable|${c.warning}`);
  const cable: Resolved =
    c.cable === null
      ? { entry: null, id: "unknown-cable", defaulted: false }
      : { entry: c.cable, id: c.cable.id, defaulted: false };
  st.add(cable, "cable", null, { role, count });
  for (const o of c.optics) st.add({ entry: o, id: o.id, defaulted: false }, "optic", null, { role, count });
}

/** A core network's or a storage array's connected ports: the upstream ports a design takes, by link protocol. */
export function upstream(st: BomState, n: Extract<ResolvedNode, { kind: "lan" | "storage-array" }>): void {
  const entry = st.nodeModels.get(n.name)?.entry ?? null;
  for (const p of n.ports) {
    if (p.peer === null) continue;
    const link = p.link === null ? "unknown" : st.linkId(p.link);
    const key = `${n.name}|${link}`;
    const u = st.upstream.get(key) ?? { node: n.name, kind: n.kind, entry, link, count: 0 };
    u.count++;
    st.upstream.set(key, u);
    if (n.kind === "lan") st.lanPorts++;
  }
}
