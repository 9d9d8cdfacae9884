/**
 * The topology view: the drawing (topology-draw.ts) plus its live state. A link's
 * colour and width show the utilization of its busier direction in the latest bin of
 * simulated time; failed links turn black with a red cross, a lossless port paused by
 * flow control gets a dot at its transmitter, the blast radius of active faults is
 * yellow. Selecting a host, one of its interfaces, a shared adapter or a link
 * highlights every link, device and interface its traffic uses (paths.ts) and fades
 * the rest. Keyboard: the devices form one tab stop; arrow keys move between them
 * (left/right in a row, up/down to the nearest in the next row), Enter or Space
 * selects, Escape clears. Mouse: click, hover for a summary, drag to move a box
 * (touch scrolls the page instead).
 */
import { drag, type Selection, select } from "d3";
import type { ResolvedTopology, ServerNode } from "../../src/topology/types.js";
import type { Layout, NodeBox } from "./layout.js";
import { VIEW_WIDTH } from "./layout.js";
import { FAILED, SELECTED, utilColour, utilWidth } from "./palette.js";
import { type Highlight, highlightFor, type Picked, type RouteBook } from "./paths.js";
import { type Point, portPositions } from "./ports.js";
import type { LinkState, RunMeta } from "./protocol.js";
import {
  drawChassis,
  drawLinks,
  drawNodes,
  fitLabel,
  linkClass,
  placeChassis,
  placeServerParts,
  placeSharedAdapter,
  type Root,
} from "./topology-draw.js";
import { nextDevice } from "./view-keys.js";
import { interfaceText, type LiveView, linkText, nodeText, portsText } from "./view-text.js";

export type { Picked };

/** The narrowest view (view units): a lesson with three boxes is drawn at most about twice as large. */
const MIN_VIEW = 560;

/** Per link: the two directions' indices into the port arrays ([a→b, b→a]; -1 when absent). */
type Directions = [number, number];

interface LinkEls {
  readonly g: SVGGElement;
  readonly wire: SVGLineElement;
  readonly casing: SVGLineElement | null;
  readonly gap: SVGLineElement | null;
  readonly hit: SVGLineElement;
  stroke: string;
  width: number;
  cls: string;
}

export class TopologyView {
  private topo: ResolvedTopology | null = null;
  private layout: Layout | null = null;
  private ends: Array<[Point, Point]> = [];
  private dirs: Directions[] = [];
  private meta: RunMeta | null = null;
  private util: Float32Array | null = null;
  private state: LinkState | null = null;
  private blastPorts = new Set<string>();
  private blastNodes = new Set<string>();
  private failedNodes = new Set<string>();
  private picked: Picked | null = null;
  private book: RouteBook | null = null;
  private lit: Highlight | null = null;
  private links: LinkEls[] = [];
  private focusIndex = 0;
  private readonly root: Root;
  private nodeSel: Selection<SVGGElement, NodeBox, SVGGElement, unknown> | null = null;

  constructor(
    private readonly svg: SVGSVGElement,
    private readonly tooltip: HTMLElement,
    private readonly onPick: (p: Picked | null) => void,
  ) {
    this.root = select(svg).append("g").attr("class", "root");
    select(svg).on("click", (e: MouseEvent) => {
      if (e.target === svg) this.pick(null);
    });
    svg.addEventListener("keydown", (e) => this.key(e));
  }

  get currentLayout(): Layout | null {
    return this.layout;
  }

  get currentPick(): Picked | null {
    return this.picked;
  }

  load(topo: ResolvedTopology, layout: Layout): void {
    this.topo = topo;
    this.layout = layout;
    this.dirs = topo.links.map(() => [-1, -1]);
    this.util = null;
    this.state = null;
    this.meta = null;
    this.book = null;
    this.lit = null;
    this.blastPorts.clear();
    this.blastNodes.clear();
    this.failedNodes.clear();
    this.picked = null;
    this.focusIndex = 0;
    // Crop the view to the drawing (small lessons are drawn larger), never narrower than MIN_VIEW.
    const x0 = Math.min(...layout.nodes.map((n) => n.x - n.w / 2)) - 16;
    const x1 = Math.max(...layout.nodes.map((n) => n.x + n.w / 2)) + 16;
    const width = Math.min(VIEW_WIDTH, Math.max(MIN_VIEW, x1 - x0));
    const left = Math.max(0, Math.min(VIEW_WIDTH - width, (x0 + x1) / 2 - width / 2));
    this.svg.setAttribute("viewBox", `${left} 0 ${width} ${layout.height}`);
    // Phones size the drawing by its view width (style.css), so labels keep their size.
    this.svg.style.setProperty("--view-width", String(width));
    this.svg.setAttribute(
      "aria-label",
      `Topology of ${topo.name}: ${topo.nodes.length} devices, ${topo.links.length} links. ` +
        "Arrow keys move between devices, Enter selects, Escape clears.",
    );
    this.draw();
  }

  /** Port order of the snapshots (the worker's `Fabric.ports`). */
  setMeta(meta: RunMeta, book: RouteBook): void {
    this.meta = meta;
    this.book = book;
    const topo = this.topo;
    if (topo === null) return;
    const index = new Map(meta.ports.map((p, i) => [p.id, i]));
    this.dirs = topo.links.map((l) => [
      index.get(`${l.a.node}:${l.a.port}`) ?? -1,
      index.get(`${l.b.node}:${l.b.port}`) ?? -1,
    ]);
  }

  /** The failed ports (`node:port`), the servers of the flows that crossed them, and the failed devices. */
  setBlast(ports: Iterable<string>, nodes: Iterable<string>, failedNodes: Iterable<string> = []): void {
    this.blastPorts = new Set(ports);
    this.blastNodes = new Set(nodes);
    this.failedNodes = new Set(failedNodes);
    this.paint();
  }

  /** The latest bin's utilization per port (null: none yet) and the ports' state now. */
  update(util: Float32Array | null, state: LinkState): void {
    if (util !== null) this.util = util;
    this.state = state;
    this.paint();
  }

  /** New routes arrived: the highlight of the current selection may grow. */
  routesChanged(): void {
    if (this.picked !== null) {
      this.lit = this.highlightOf(this.picked);
      this.paint();
    }
  }

  /** Snapshot index of each direction of link `i`. */
  directions(i: number): Directions {
    return this.dirs[i] ?? [-1, -1];
  }

  /** For the animation: where a port's direction of its link runs (view units; null: not drawn, e.g. a PCIe bus). */
  segment(port: number): { from: Point; to: Point } | null {
    for (let i = 0; i < this.dirs.length; i++) {
      const [ab, ba] = this.dirs[i]!;
      const ends = this.ends[i];
      if (ends === undefined) continue;
      if (ab === port) return { from: ends[0], to: ends[1] };
      if (ba === port) return { from: ends[1], to: ends[0] };
    }
    return null;
  }

  pick(p: Picked | null): void {
    this.picked = p;
    this.lit = p === null ? null : this.highlightOf(p);
    this.paint();
    this.onPick(p);
  }

  private highlightOf(p: Picked): Highlight | null {
    return this.topo === null ? null : highlightFor(this.topo, this.book, p);
  }

  private draw(): void {
    const topo = this.topo!;
    const layout = this.layout!;
    this.root.selectAll("*").remove();
    drawChassis(this.root, topo, layout);
    const groups = drawLinks(this.root, topo);
    this.links = [];
    groups.each((_, i, els) => {
      const g = els[i]!;
      this.links.push({
        g,
        wire: g.querySelector("line.wire")!,
        casing: g.querySelector("line.casing"),
        gap: g.querySelector("line.gap"),
        hit: g.querySelector("line.hit")!,
        stroke: "",
        width: -1,
        cls: "",
      });
    });
    groups
      .on("click", (e: MouseEvent, i) => {
        e.stopPropagation();
        this.pick({ type: "link", index: i });
      })
      .on("mousemove", (e: MouseEvent, i) => this.tip(e, this.linkTip(i)))
      .on("mouseleave", () => this.tip(null, ""));
    this.root.append("g").attr("class", "marks").attr("aria-hidden", "true");
    const ng = drawNodes(this.root, topo, layout);
    this.nodeSel = ng;
    ng.on("click", (e: MouseEvent, d) => {
      e.stopPropagation();
      this.focusIndex = layout.nodes.indexOf(d);
      this.rove();
      const t = e.target as Element;
      const adapter = t.getAttribute("data-adapter");
      const iface = t.getAttribute("data-iface");
      if (adapter !== null) this.pick({ type: "adapter", node: d.name, adapter });
      else if (iface !== null) this.pick({ type: "iface", node: d.name, iface });
      else this.pick({ type: "node", name: d.name });
    })
      .on("mousemove", (e: MouseEvent, d) => this.tip(e, this.nodeTip(d, e.target as Element)))
      .on("mouseleave", () => this.tip(null, ""));
    // Mouse drags move boxes; touch is left to the browser, so a finger scrolls the page.
    ng.call(
      drag<SVGGElement, NodeBox>()
        .touchable(false)
        .clickDistance(3)
        .on("drag", (e: { dx: number; dy: number }, d) => {
          d.x += e.dx;
          d.y += e.dy;
          this.place();
        }),
    );
    this.rove();
    this.place();
  }

  /** Moves everything to the current positions (after a drag or a loaded layout). */
  place(): void {
    const topo = this.topo;
    const layout = this.layout;
    if (topo === null || layout === null) return;
    this.ends = portPositions(topo, layout);
    placeChassis(this.root, topo, layout);
    this.links.forEach((l, i) => {
      const [a, b] = this.ends[i]!;
      for (const line of [l.wire, l.casing, l.gap, l.hit]) {
        if (line === null) continue;
        line.setAttribute("x1", String(a.x));
        line.setAttribute("y1", String(a.y));
        line.setAttribute("x2", String(b.x));
        line.setAttribute("y2", String(b.y));
      }
    });
    const byName = new Map(topo.nodes.map((n) => [n.name, n]));
    const nodes = this.root.selectAll<SVGGElement, NodeBox>("g.node");
    nodes.attr("transform", (d) => `translate(${d.x},${d.y})`);
    nodes
      .select("rect.box")
      .attr("x", (d) => -d.w / 2)
      .attr("y", (d) => -d.h / 2)
      .attr("width", (d) => d.w)
      .attr("height", (d) => d.h);
    nodes
      .select("text.label")
      .attr("transform", (d) => (d.kind === "server" ? `translate(3,${d.h / 2 - 4}) rotate(-90)` : "translate(0,4)"));
    nodes.each(function (d) {
      const n = byName.get(d.name);
      if (d.kind !== "server") fitLabel(this.querySelector("text.label")!, d.name, d.w - 4);
      if (n?.kind === "server") placeServerParts(this, n as ServerNode, d);
      if (n?.kind === "shared-adapter") {
        // The edge connector faces the PCIe switch its slot sits in.
        const slot = topo.links.find((l) => (l.a.node === d.name || l.b.node === d.name) && l.family === "pcie");
        const peer =
          slot === undefined ? undefined : layout.byName.get(slot.a.node === d.name ? slot.b.node : slot.a.node);
        placeSharedAdapter(this, d, peer === undefined || peer.y > d.y);
      }
    });
    for (const l of this.links) l.stroke = "";
    this.paint();
  }

  private utilOf(i: number): number {
    const u = this.util;
    if (u === null) return 0;
    const [ab, ba] = this.dirs[i] ?? [-1, -1];
    return Math.max(ab >= 0 ? (u[ab] ?? 0) : 0, ba >= 0 ? (u[ba] ?? 0) : 0);
  }

  private failedLink(i: number): boolean {
    const s = this.state;
    const [ab, ba] = this.dirs[i] ?? [-1, -1];
    return s !== null && ((ab >= 0 && s.failed[ab] === 1) || (ba >= 0 && s.failed[ba] === 1));
  }

  private paint(): void {
    const topo = this.topo;
    if (topo === null) return;
    const picked = this.picked;
    const lit = this.lit;
    this.root.classed("focusing", lit !== null);
    const marks: Array<{ kind: "failed" | "paused" | "class-paused"; p: Point }> = [];
    this.links.forEach((l, i) => {
      const u = this.utilOf(i);
      const failed = this.failedLink(i);
      const isPicked = picked?.type === "link" && picked.index === i;
      const link = topo.links[i]!;
      const blast =
        this.blastPorts.has(`${link.a.node}:${link.a.port}`) || this.blastPorts.has(`${link.b.node}:${link.b.port}`);
      const stroke = isPicked ? SELECTED : failed ? FAILED : utilColour(u);
      const width = failed ? 2.6 : utilWidth(u) + (isPicked ? 1 : 0);
      if (stroke !== l.stroke) {
        l.wire.setAttribute("stroke", stroke);
        l.stroke = stroke;
      }
      if (width !== l.width) {
        l.wire.setAttribute("stroke-width", String(width));
        l.casing?.setAttribute("stroke-width", String(width + 5));
        l.gap?.setAttribute("stroke-width", String(width + 2));
        l.width = width;
      }
      const cls = `${failed ? " failed" : ""}${blast ? " blast" : ""}${isPicked ? " picked" : ""}${lit?.links.has(i) ? " on-path" : ""}`;
      if (cls !== l.cls) {
        l.g.setAttribute("class", `${linkClass(link, topo.qos)}${cls}`);
        l.cls = cls;
      }
      if (failed) {
        const [a, b] = this.ends[i]!;
        marks.push({ kind: "failed", p: { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 } });
      }
    });
    const s = this.state;
    if (s !== null)
      this.dirs.forEach(([ab, ba], i) => {
        const [a, b] = this.ends[i]!;
        if (ab >= 0 && s.paused[ab] === 1) marks.push({ kind: "paused", p: a });
        else if (ab >= 0 && (s.classPaused[ab] ?? 0) !== 0) marks.push({ kind: "class-paused", p: a });
        if (ba >= 0 && s.paused[ba] === 1) marks.push({ kind: "paused", p: b });
        else if (ba >= 0 && (s.classPaused[ba] ?? 0) !== 0) marks.push({ kind: "class-paused", p: b });
      });
    this.root
      .select("g.marks")
      .selectAll<SVGPathElement, (typeof marks)[number]>("path")
      .data(marks)
      .join("path")
      .attr("class", (m) => `mark ${m.kind}`)
      .attr("d", (m) =>
        m.kind === "failed"
          ? `M${m.p.x - 4},${m.p.y - 4}L${m.p.x + 4},${m.p.y + 4}M${m.p.x - 4},${m.p.y + 4}L${m.p.x + 4},${m.p.y - 4}`
          : `M${m.p.x - 4},${m.p.y}a4,4 0 1,0 8,0a4,4 0 1,0 -8,0`,
      );
    const pickedNode =
      picked === null || picked.type === "link" ? null : picked.type === "node" ? picked.name : picked.node;
    this.nodeSel
      ?.classed("blast", (d) => this.blastNodes.has(d.name))
      .classed("failed", (d) => this.failedNodes.has(d.name))
      .classed("picked", (d) => d.name === pickedNode)
      .classed("on-path", (d) => lit?.nodes.has(d.name) ?? false)
      .attr("aria-pressed", (d) => String(d.name === pickedNode));
    const root = this.root;
    root.selectAll<SVGPathElement, unknown>("path.iface").each(function () {
      const host = (this.closest("g.node") as SVGGElement | null)?.getAttribute("data-name") ?? "";
      const name = this.getAttribute("data-iface") ?? "";
      const key = `${host}|${name}`;
      this.classList.toggle("on-path", lit?.interfaces.has(key) ?? false);
      this.classList.toggle("picked", picked?.type === "iface" && picked.node === host && picked.iface === name);
    });
    root.selectAll<SVGRectElement, string>("rect.adapter").each(function (name) {
      const host = (this.closest("g.node") as SVGGElement | null)?.getAttribute("data-name") ?? "";
      this.classList.toggle("on-path", lit?.adapters.has(`${host}|${name}`) ?? false);
      this.classList.toggle("picked", picked?.type === "adapter" && picked.node === host && picked.adapter === name);
    });
    root
      .selectAll<SVGRectElement, string>("rect.vh")
      .classed("on", (h) => lit?.nodes.has(h) === true && pickedNode === h);
  }

  // ---------------------------------------------------------------- keyboard

  /** Only one device is in the tab order (roving tabindex); it is the one last focused or clicked. */
  private rove(): void {
    const els = this.nodeSel?.nodes() ?? [];
    els.forEach((el, i) => {
      el.setAttribute("tabindex", i === this.focusIndex ? "0" : "-1");
    });
  }

  private focusNode(i: number): void {
    const els = this.nodeSel?.nodes() ?? [];
    if (els.length === 0) return;
    this.focusIndex = Math.max(0, Math.min(els.length - 1, i));
    this.rove();
    els[this.focusIndex]!.focus();
  }

  /** Focuses device `name` (for the parts list and tests). */
  focusDevice(name: string): void {
    const i = this.layout?.nodes.findIndex((n) => n.name === name) ?? -1;
    if (i >= 0) this.focusNode(i);
  }

  private key(e: KeyboardEvent): void {
    const layout = this.layout;
    const target = e.target as Element;
    if (layout === null || !target.classList.contains("node")) return;
    const cur = layout.nodes[this.focusIndex];
    if (cur === undefined) return;
    if (e.key === "Enter" || e.key === " ") this.pick({ type: "node", name: cur.name });
    else if (e.key === "Escape") this.pick(null);
    else {
      const next = nextDevice(layout.nodes, cur, e.key);
      if (next === null) return;
      if (next !== undefined) this.focusNode(layout.nodes.indexOf(next));
    }
    e.preventDefault();
  }

  // ---------------------------------------------------------------- text (view-text.ts)

  private live(): LiveView {
    return { topo: this.topo!, meta: this.meta, util: this.util, state: this.state, dirs: this.dirs, book: this.book };
  }

  /** One line per transmitting port of node `name` (its own and its adapters'), busiest first. */
  nodePortsText(name: string): string {
    return portsText(this.live(), name);
  }

  /** The link in words and one line per direction: the figures a hover needs. */
  linkTip(i: number): string {
    return linkText(this.live(), i);
  }

  private nodeTip(d: NodeBox, target: Element): string {
    return nodeText(this.topo!, d, target);
  }

  private tip(e: MouseEvent | null, text: string): void {
    const t = this.tooltip;
    if (e === null) {
      t.hidden = true;
      return;
    }
    t.textContent = text;
    t.hidden = false;
    t.style.left = `${Math.min(e.clientX + 12, window.innerWidth - t.offsetWidth - 4)}px`;
    t.style.top = `${e.clientY + 12}px`;
  }
}

export { interfaceText };
