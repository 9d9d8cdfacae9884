/**
 * The topology view's words: a device's ports, a link's two directions, a hover's
 * summary, a virtual interface's rates and pinning. Figures are the latest bin's
 * utilization and the ports' state now.
 */
import type { ResolvedTopology, ServerNode } from "../../src/topology/types.js";
import type { NodeBox } from "./layout.js";
import type { RouteBook } from "./paths.js";
import type { LinkState, RunMeta } from "./protocol.js";
import { linkKind } from "./topology-draw.js";

/** What the words are made from (the view's state now). */
export interface LiveView {
  readonly topo: ResolvedTopology;
  readonly meta: RunMeta | null;
  readonly util: Float32Array | null;
  readonly state: LinkState | null;
  /** Per link: its two directions' port indices ([a→b, b→a]; -1 when absent). */
  readonly dirs: readonly (readonly [number, number])[];
  readonly book: RouteBook | null;
}

function dirText(v: LiveView, k: number, lossless: boolean): string {
  const s = v.state!;
  const classes = v.meta?.ports[k]?.classes ?? null;
  const held = s.classPaused[k] ?? 0;
  const heldNames = classes === null ? [] : classes.filter((_, c) => (held & (1 << c)) !== 0).map((c) => c.name);
  const anyNoDrop = classes?.some((c) => c.noDrop) ?? false;
  return (
    `${((v.util?.[k] ?? 0) * 100).toFixed(1)} % busy, queue ${s.queueBytes[k] ?? 0} B` +
    `${s.paused[k] === 1 ? ", PAUSED" : heldNames.length > 0 ? `, class ${heldNames.join(", ")} PAUSED` : ""}` +
    `${s.failed[k] === 1 ? ", FAILED" : ""}, drops ${s.dropped[k] ?? 0}` +
    `${lossless || anyNoDrop ? `, paused ${((s.pausedSeconds[k] ?? 0) * 1e3).toFixed(3)} ms` : ""}`
  );
}

/** One line per transmitting port of node `name` (its own and its adapters'), busiest first. */
export function portsText(v: LiveView, name: string): string {
  const meta = v.meta;
  if (v.state === null || meta === null) return "";
  const u = v.util;
  const rows = meta.ports
    .map((p, k) => ({ p, k }))
    .filter(({ p }) => p.id.startsWith(`${name}:`) || p.id.startsWith(`${name}/`))
    .sort((a, b) => (u?.[b.k] ?? 0) - (u?.[a.k] ?? 0) || (a.p.id < b.p.id ? -1 : 1));
  return rows.map(({ p, k }) => `${p.id} → ${p.to}: ${dirText(v, k, p.lossless)}`).join("\n");
}

/** The link in words and one line per direction. */
export function linkText(v: LiveView, i: number): string {
  const l = v.topo.links[i]!;
  const lines = [`${l.a.node}:${l.a.port} ↔ ${l.b.node}:${l.b.port}`, `${l.protocol}: ${linkKind(l, v.topo.qos)}`];
  if (v.state !== null) {
    const [ab, ba] = v.dirs[i] ?? [-1, -1];
    if (ab >= 0) lines.push(`→ ${l.b.node}: ${dirText(v, ab, l.lossless)}`);
    if (ba >= 0) lines.push(`← ${l.a.node}: ${dirText(v, ba, l.lossless)}`);
  }
  const hosts = v.book?.hostsOn(i);
  if (hosts !== undefined && hosts.size > 0)
    lines.push(`carries traffic of ${hosts.size} server${hosts.size === 1 ? "" : "s"}`);
  return lines.join("\n");
}

/** A hover's summary of a device, or of the adapter or interface under the pointer. */
export function nodeText(topo: ResolvedTopology, d: NodeBox, target: Element): string {
  const node = topo.nodes.find((n) => n.name === d.name);
  const adapter = target.getAttribute("data-adapter");
  const iface = target.getAttribute("data-iface");
  if (node?.kind === "server" && adapter !== null) {
    const a = node.adapters.find((x) => x.name === adapter)!;
    return (
      `${d.name}:${a.name} (${a.type}, ${a.link}, ${a.ports.length} ports` +
      `${a.vfs > 0 ? `, ${a.vfs} VFs/port` : ""}${a.vifs.length > 0 ? `, ${a.vifs.length} vNICs/vHBAs` : ""})`
    );
  }
  if (node?.kind === "server" && iface !== null) return `${d.name}: ${interfaceText(node, iface)}`;
  if (node?.kind === "shared-adapter")
    return `${d.name} (shared adapter, ${node.link}): serves ${node.hosts.join(", ")}`;
  return `${d.name} (${d.kind})`;
}

/** `vnic-a: vNIC on vic0/1, fabric A, committed 1 Gb/s, peak 10 Gb/s` or `vf2@nic0/1: SR-IOV VF 2 of nic0/1, limit 2 Gb/s`. */
export function interfaceText(server: ServerNode, iface: string): string {
  const vf = /^vf(\d+)@(.+)$/.exec(iface);
  if (vf !== null) {
    const a = server.adapters.find((x) => x.ports.includes(vf[2]!));
    return `SR-IOV VF ${vf[1]} of ${vf[2]}${a?.vfLimitBps == null ? "" : `, rate limit ${a.vfLimitBps / 1e9} Gb/s`}`;
  }
  for (const a of server.adapters)
    for (const v of a.vifs)
      if (v.name === iface)
        return (
          `${v.name}: ${v.type === "vnic" ? "vNIC" : "vHBA"} on ${v.port}` +
          `${v.fabric === null ? "" : `, fabric ${v.fabric}`}` +
          `${v.committedBps === null ? "" : `, committed ${v.committedBps / 1e9} Gb/s`}` +
          `${v.peakBps === null ? "" : `, peak ${v.peakBps / 1e9} Gb/s`}` +
          `${v.pin === null ? "" : `, pinned to ${v.pin.node}:${v.pin.port}`}`
        );
  return iface;
}
