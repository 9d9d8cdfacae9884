/**
 * The static part of the topology drawing (d3, SVG), made once per topology:
 * chassis behind their blades; one group per link (two rails around the wire when the
 * link is lossless, the wire dashed by protocol family, and a wide invisible line that
 * is easier to hit); one group per
 * device. A server shows its adapters as segments along its top edge and, hanging
 * from each adapter port, its virtual interfaces (vNIC ●, vHBA ■, SR-IOV VF ▲); a
 * shared adapter is drawn as an adapter card — the edge connector on its PCIe side
 * and one mark per host whose virtual hierarchy it serves. Everything shown comes from
 * the resolved topology (kinds, link families, lossless flags, vifs, VFs, hosts), never
 * from names. Names from the user's file are set as text nodes, never as HTML.
 */
import { type Selection, select } from "d3";
import { linkProtocol } from "../../src/link/catalog.js";
import type {
  ResolvedLink,
  ResolvedQos,
  ResolvedTopology,
  ServerNode,
  SharedAdapterNode,
} from "../../src/topology/types.js";
import { ADAPTER_STRIP, type InterfaceGlyph, serverParts } from "./interfaces.js";
import type { Layout, NodeBox } from "./layout.js";
import { FAMILY_STYLES, INTERFACE_COLOURS, KIND_COLOURS, KIND_NAMES } from "./palette.js";

export type Root = Selection<SVGGElement, unknown, null, undefined>;

/** What one drawn link is, in words (tooltips, the legend, screen readers). */
export function linkKind(l: ResolvedLink, qos: ResolvedQos): string {
  const family = FAMILY_STYLES[l.family].label;
  if (l.family === "infiniband" && qos.infiniband !== null)
    return `InfiniBand, lossless: credits per virtual lane (${qos.infiniband.vls} data VLs; storage on SL ${qos.infiniband.storageSl})`;
  if (l.family !== "ethernet") return `${family}, lossless (credits)`;
  if (qos.system !== null)
    return `Ethernet with traffic classes (${qos.system === "ucs" ? "UCS system classes" : "DCB"}): ${qos.classes
      .map((c) => `${c.name} (CoS ${c.priorities.join(",")}, ${c.noDrop ? "no drop: PFC" : "drop"})`)
      .join(", ")}`;
  return l.lossless ? "Ethernet, lossless: PFC on the whole link" : "Ethernet, lossy";
}

/**
 * How a link's flow control is drawn: "lossless" (two rails: credits, or PFC on the
 * whole link), "classes" (an Ethernet link whose traffic classes mix no-drop and drop
 * classes: two rails of another colour) or "none" (lossy). With classes, the classes
 * decide and the link's own `lossless` adds nothing (docs/qos.md).
 */
export type Rails = "none" | "lossless" | "classes";

export function linkRails(l: ResolvedLink, qos: ResolvedQos): Rails {
  if (l.family !== "ethernet") return "lossless";
  if (qos.system === null) return l.lossless ? "lossless" : "none";
  const noDrop = qos.classes.filter((c) => c.noDrop).length;
  return noDrop === 0 ? "none" : noDrop === qos.classes.length ? "lossless" : "classes";
}

/** The class attribute of a link's group (its family and rails), without the live state. */
export function linkClass(l: ResolvedLink, qos: ResolvedQos): string {
  const rails = linkRails(l, qos);
  return `link family-${l.family}${rails === "none" ? "" : ` ${rails === "lossless" ? "lossless" : "lossless classes"}`}`;
}

/** Data rate of a link after line encoding, for labels. */
export function linkRate(l: ResolvedLink): number | null {
  try {
    return linkProtocol(l.protocol).dataRateBps;
  } catch {
    return null;
  }
}

export function nodeLabel(topo: ResolvedTopology, name: string): string {
  const n = topo.nodes.find((x) => x.name === name);
  if (n === undefined) return name;
  const kind = KIND_NAMES[n.kind].replace(/ \(.*\)$/, "");
  if (n.kind === "server") {
    const ifs = n.adapters.reduce((a, x) => a + x.vifs.length + x.vfs * x.ports.length, 0);
    return `${name}, server, ${n.adapters.length} adapter${n.adapters.length === 1 ? "" : "s"}${ifs > 0 ? `, ${ifs} virtual interfaces` : ""}`;
  }
  // The visible text ("name", "shared by N") is part of the name, as screen-reader users hear it.
  if (n.kind === "shared-adapter")
    return `${name} shared by ${n.hosts.length}: a shared adapter, one virtual hierarchy per host`;
  return `${name}, ${kind}`;
}

export function drawChassis(root: Root, topo: ResolvedTopology, layout: Layout): void {
  const chassis = new Map<string, NodeBox[]>();
  for (const n of topo.nodes)
    if (n.kind === "server" && n.chassis !== null) {
      const list = chassis.get(n.chassis) ?? [];
      list.push(layout.byName.get(n.name)!);
      chassis.set(n.chassis, list);
    }
  const cg = root.append("g").attr("class", "chassis");
  for (const name of chassis.keys()) {
    const g = cg.append("g").attr("data-chassis", name);
    g.append("rect").attr("rx", 4);
    g.append("text").attr("text-anchor", "middle").text(name);
  }
}

/** Moves the chassis outlines around their (possibly dragged) blades. */
export function placeChassis(root: Root, topo: ResolvedTopology, layout: Layout): void {
  root.selectAll<SVGGElement, unknown>("g.chassis > g").each(function () {
    const name = this.getAttribute("data-chassis");
    const boxes = topo.nodes
      .filter((n) => n.kind === "server" && n.chassis === name)
      .map((n) => layout.byName.get(n.name)!);
    if (boxes.length === 0) return;
    const x0 = Math.min(...boxes.map((b) => b.x - b.w / 2)) - 2;
    const x1 = Math.max(...boxes.map((b) => b.x + b.w / 2)) + 2;
    const y1 = Math.max(...boxes.map((b) => b.y + b.h / 2)) + 16;
    const y0 = Math.min(...boxes.map((b) => b.y - b.h / 2)) - 4;
    const g = select(this);
    g.select("rect")
      .attr("x", x0)
      .attr("y", y0)
      .attr("width", x1 - x0)
      .attr("height", y1 - y0);
    g.select("text")
      .attr("x", (x0 + x1) / 2)
      .attr("y", y1 - 4);
  });
}

export function drawLinks(root: Root, topo: ResolvedTopology): Selection<SVGGElement, number, SVGGElement, unknown> {
  const lg = root.append("g").attr("class", "links");
  const groups = lg
    .selectAll<SVGGElement, number>("g.link")
    .data(topo.links.map((_, i) => i))
    .join("g")
    .attr("class", (i) => linkClass(topo.links[i]!, topo.qos))
    .attr("data-link", (i) => `${topo.links[i]!.a.node}:${topo.links[i]!.a.port}`)
    .attr("data-index", (i) => String(i));
  // Lossless: two rails (a wide casing with a white gap line on it) around the wire.
  const lossless = groups.filter((i) => linkRails(topo.links[i]!, topo.qos) !== "none");
  lossless.append("line").attr("class", "casing");
  lossless.append("line").attr("class", "gap");
  groups
    .append("line")
    .attr("class", "wire")
    .attr("stroke-dasharray", (i) => FAMILY_STYLES[topo.links[i]!.family].dash || null);
  groups.append("line").attr("class", "hit");
  return groups;
}

export function drawNodes(
  root: Root,
  topo: ResolvedTopology,
  layout: Layout,
): Selection<SVGGElement, NodeBox, SVGGElement, unknown> {
  const byName = new Map(topo.nodes.map((n) => [n.name, n]));
  const ng = root
    .append("g")
    .attr("class", "nodes")
    .selectAll<SVGGElement, NodeBox>("g.node")
    .data(layout.nodes)
    .join("g")
    .attr("class", (d) => `node kind-${d.kind}`)
    .attr("data-name", (d) => d.name)
    .attr("role", "button")
    .attr("tabindex", "-1")
    .attr("aria-pressed", "false")
    .attr("aria-label", (d) => nodeLabel(topo, d.name));
  ng.append("rect")
    .attr("class", "box")
    .attr("rx", 3)
    .attr("fill", (d) => KIND_COLOURS[d.kind] ?? "#eeeeee");
  ng.append("text")
    .attr("class", (d) => (d.kind === "server" ? "label vertical" : "label"))
    .attr("aria-hidden", "true")
    .text((d) => d.name);
  ng.filter((d) => d.kind === "server").each((d, i, groups) => {
    drawServerParts(select(groups[i]!), byName.get(d.name) as ServerNode);
  });
  ng.filter((d) => d.kind === "shared-adapter").each((d, i, groups) => {
    drawSharedAdapter(select(groups[i]!), byName.get(d.name) as SharedAdapterNode);
  });
  return ng;
}

function drawServerParts(g: Selection<SVGGElement, NodeBox, null, undefined>, server: ServerNode): void {
  g.selectAll("rect.adapter")
    .data(server.adapters.map((a) => a.name))
    .join("rect")
    .attr("class", "adapter")
    .attr("data-adapter", (a) => a);
  g.append("g").attr("class", "ifaces").attr("aria-hidden", "true");
}

/** Places a server's adapter segments, port trunks and interface glyphs for its box size. */
export function placeServerParts(g: SVGGElement, server: ServerNode, box: NodeBox): readonly InterfaceGlyph[] {
  const parts = serverParts(server, box.w, box.h);
  const sel = select(g);
  sel
    .selectAll<SVGRectElement, string>("rect.adapter")
    .each(function (name) {
      const seg = parts.adapters.find((a) => a.name === name)!;
      this.setAttribute("x", String(seg.x0 + 1));
      this.setAttribute("width", String(Math.max(1, seg.x1 - seg.x0 - 2)));
    })
    .attr("y", -box.h / 2)
    .attr("height", ADAPTER_STRIP);
  const ifaces = sel.select<SVGGElement>("g.ifaces");
  ifaces
    .selectAll("line.trunk")
    .data([...parts.trunkBottom.entries()])
    .join("line")
    .attr("class", "trunk")
    .attr("x1", ([p]) => parts.portX.get(p)!)
    .attr("x2", ([p]) => parts.portX.get(p)!)
    .attr("y1", -box.h / 2)
    .attr("y2", ([, y]) => y);
  ifaces
    .selectAll<SVGPathElement, InterfaceGlyph>("path.iface")
    .data(parts.glyphs, (d) => `${d.port}|${d.name}`)
    .join("path")
    .attr("class", (d) => `iface ${d.kind}`)
    .attr("data-iface", (d) => (d.kind === "vf" ? `${d.name}@${d.port}` : d.name))
    .attr("fill", (d) => INTERFACE_COLOURS[d.kind])
    .attr("d", (d) => glyphPath(d.kind, d.x, d.y));
  return parts.glyphs;
}

/** vNIC a circle, vHBA a square, VF a triangle; about 6 view units across. */
export function glyphPath(kind: InterfaceGlyph["kind"], x: number, y: number): string {
  switch (kind) {
    case "vnic":
      return `M${x - 3},${y}a3,3 0 1,0 6,0a3,3 0 1,0 -6,0`;
    case "vhba":
      return `M${x - 2.7},${y - 2.7}h5.4v5.4h-5.4z`;
    case "vf":
      return `M${x},${y - 3.2}l3.2,5.8h-6.4z`;
  }
}

function drawSharedAdapter(g: Selection<SVGGElement, NodeBox, null, undefined>, node: SharedAdapterNode): void {
  g.append("g").attr("class", "fingers").attr("aria-hidden", "true");
  g.append("g")
    .attr("class", "hierarchies")
    .attr("aria-hidden", "true")
    .selectAll("rect")
    .data(node.hosts)
    .join("rect")
    .attr("class", "vh")
    .attr("data-host", (h) => h);
  // A second line of the label itself (a tspan, with its leading space), so the visible text
  // reads "sa-eth-a1 shared by 16", the start of the device's accessible name.
  g.select("text.label")
    .append("tspan")
    .attr("class", "sublabel")
    .attr("x", 0)
    .attr("dy", 13)
    .text(` shared by ${node.hosts.length}`);
}

/** The label's CSS sizes (style.css: `.node .label`, `.node .sublabel`), view units. */
const LABEL_SIZE = 11;
const SUBLABEL_SIZE = 10;

/**
 * Fits a box's label inside its width, for dense rows (16 shared adapters side by side):
 * both lines are drawn smaller by the same factor. The text itself is never shortened, so
 * what is seen stays part of the box's accessible name (WCAG 2.5.3, label in name).
 * Starts from the CSS sizes each time (boxes are resized and re-laid out); needs a
 * laid-out SVG (getSubStringLength), elsewhere it does nothing.
 */
export function fitLabel(text: SVGTextElement, name: string, maxWidth: number): void {
  const sub = text.querySelector<SVGTSpanElement>("tspan.sublabel");
  text.style.removeProperty("font-size");
  sub?.style.removeProperty("font-size");
  if (typeof text.getSubStringLength !== "function" || name.length === 0 || maxWidth <= 0) return;
  const widest = Math.max(text.getSubStringLength(0, name.length), sub?.getComputedTextLength() ?? 0);
  if (widest <= maxWidth) return;
  const k = maxWidth / widest;
  text.style.fontSize = `${(LABEL_SIZE * k).toFixed(2)}px`;
  sub?.style.setProperty("font-size", `${(SUBLABEL_SIZE * k).toFixed(2)}px`);
}

/** Lays out a shared adapter card: the label up, one mark per virtual hierarchy, the edge connector on the PCIe side. */
export function placeSharedAdapter(g: SVGGElement, box: NodeBox, pcieBelow: boolean): void {
  const sel = select(g);
  const n = sel.selectAll("rect.vh").size();
  const inner = box.w - 8;
  const step = n > 0 ? inner / n : 0;
  sel
    .selectAll<SVGRectElement, string>("rect.vh")
    .attr("x", (_, i) => -inner / 2 + i * step + 0.5)
    .attr("y", box.h / 2 - 11)
    .attr("width", Math.max(1, step - 1))
    .attr("height", 6);
  sel.select("text.label").attr("transform", `translate(0,${-box.h / 2 + 13})`);
  const fingers = sel.select<SVGGElement>("g.fingers");
  const count = Math.max(3, Math.floor((box.w * 0.6) / 5));
  const y = pcieBelow ? box.h / 2 : -box.h / 2 - 4;
  fingers
    .selectAll("rect")
    .data(Array.from({ length: count }, (_, i) => i))
    .join("rect")
    .attr("x", (i) => -count * 2.5 + i * 5 + 1)
    .attr("y", y)
    .attr("width", 3)
    .attr("height", 4);
}
