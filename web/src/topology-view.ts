/**
 * The topology drawing (d3, SVG): one box per device, servers in one row with their
 * adapters as segments on top and their chassis behind them, one line per link.
 * Links are coloured and widened by utilization (the busier direction), failed links
 * dashed black, lossless ports paused by flow control marked with an orange dot at the
 * paused transmitter. Every name comes from the user's file: it is set with `.text()`
 * (a text node), never parsed as HTML.
 */
import { drag, interpolateRgb, type Selection, scaleLinear, select } from "d3";
import type { ResolvedTopology, ServerNode } from "../../src/topology/types.js";
import { type Layout, type NodeBox, VIEW_WIDTH } from "./layout.js";
import { type Point, portPositions } from "./ports.js";
import type { RunMeta, Snapshot } from "./protocol.js";

export type Picked =
  | { readonly type: "node"; readonly name: string }
  | { readonly type: "adapter"; readonly node: string; readonly adapter: string }
  | { readonly type: "link"; readonly index: number };

export const KIND_COLOURS: Readonly<Record<string, string>> = {
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

const utilColour = scaleLinear<string>()
  .domain([0, 0.3, 0.7, 1])
  .range(["#a7b0ba", "#2e9e44", "#f0a202", "#d62828"])
  .interpolate(interpolateRgb)
  .clamp(true);

/** Per link: the two directions' indices into the snapshot arrays ([a→b, b→a]; -1 when absent). */
type Directions = [number, number];

export class TopologyView {
  private topo: ResolvedTopology | null = null;
  private layout: Layout | null = null;
  private ends: Array<[Point, Point]> = [];
  private dirs: Directions[] = [];
  private snap: Snapshot | null = null;
  private meta: RunMeta | null = null;
  private blastPorts = new Set<string>();
  private blastNodes = new Set<string>();
  private failedNodes = new Set<string>();
  private picked: Picked | null = null;
  private readonly root: Selection<SVGGElement, unknown, null, undefined>;

  constructor(
    private readonly svg: SVGSVGElement,
    private readonly tooltip: HTMLElement,
    private readonly onPick: (p: Picked | null) => void,
  ) {
    this.root = select(svg).append("g");
    select(svg).on("click", (e: MouseEvent) => {
      if (e.target === svg) this.pick(null);
    });
  }

  get currentLayout(): Layout | null {
    return this.layout;
  }

  load(topo: ResolvedTopology, layout: Layout): void {
    this.topo = topo;
    this.layout = layout;
    this.dirs = topo.links.map(() => [-1, -1]);
    this.snap = null;
    this.meta = null;
    this.blastPorts.clear();
    this.blastNodes.clear();
    this.picked = null;
    this.svg.setAttribute("viewBox", `0 0 ${VIEW_WIDTH} ${layout.height}`);
    this.draw();
  }

  /** Port order of the snapshots (the worker's `Fabric.ports`). */
  setMeta(meta: RunMeta): void {
    this.meta = meta;
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

  update(snap: Snapshot): void {
    this.snap = snap;
    this.paint();
  }

  /** Snapshot index of each direction of link `i`. */
  directions(i: number): Directions {
    return this.dirs[i] ?? [-1, -1];
  }

  /** For the animation: where a port's direction of its link runs on screen (null: not drawn, e.g. a PCIe bus). */
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
    this.paint();
    this.onPick(p);
  }

  private draw(): void {
    const topo = this.topo!;
    const layout = this.layout!;
    this.root.selectAll("*").remove();
    this.ends = portPositions(topo, layout);
    // Chassis (racks of blades) behind their servers.
    const chassis = new Map<string, NodeBox[]>();
    for (const n of topo.nodes)
      if (n.kind === "server" && n.chassis !== null) {
        const list = chassis.get(n.chassis) ?? [];
        list.push(layout.byName.get(n.name)!);
        chassis.set(n.chassis, list);
      }
    const cg = this.root.append("g").attr("class", "chassis");
    for (const [name, boxes] of chassis) {
      const x0 = Math.min(...boxes.map((b) => b.x - b.w / 2)) - 2;
      const x1 = Math.max(...boxes.map((b) => b.x + b.w / 2)) + 2;
      const y1 = Math.max(...boxes.map((b) => b.y + b.h / 2)) + 16;
      const y0 = Math.min(...boxes.map((b) => b.y - b.h / 2)) - 4;
      cg.append("rect")
        .attr("x", x0)
        .attr("y", y0)
        .attr("width", x1 - x0)
        .attr("height", y1 - y0)
        .attr("rx", 4);
      cg.append("text")
        .attr("x", (x0 + x1) / 2)
        .attr("y", y1 - 4)
        .attr("text-anchor", "middle")
        .text(name);
    }
    const lg = this.root.append("g").attr("class", "links");
    lg.selectAll("line")
      .data(topo.links.map((_, i) => i))
      .join("line")
      .attr("class", "link")
      .attr("data-link", (i) => `${topo.links[i]!.a.node}:${topo.links[i]!.a.port}`)
      .on("click", (e: MouseEvent, i) => {
        e.stopPropagation();
        this.pick({ type: "link", index: i });
      })
      .on("mousemove", (e: MouseEvent, i) => this.tip(e, this.linkTip(i)))
      .on("mouseleave", () => this.tip(null, ""));
    this.root.append("g").attr("class", "pauses");
    const ng = this.root
      .append("g")
      .attr("class", "nodes")
      .selectAll<SVGGElement, NodeBox>("g")
      .data(layout.nodes)
      .join("g")
      .attr("class", (d) => `node kind-${d.kind}`)
      .attr("data-name", (d) => d.name)
      .on("click", (e: MouseEvent, d) => {
        e.stopPropagation();
        this.pick({ type: "node", name: d.name });
      })
      .on("mousemove", (e: MouseEvent, d) => this.tip(e, `${d.name} (${d.kind})`))
      .on("mouseleave", () => this.tip(null, ""));
    ng.append("rect")
      .attr("class", "box")
      .attr("rx", 3)
      .attr("fill", (d) => KIND_COLOURS[d.kind] ?? "#eee");
    ng.append("text")
      .attr("class", (d) => (d.kind === "server" ? "label vertical" : "label"))
      .text((d) => d.name);
    // Adapters: segments along the top of each server box.
    ng.filter((d) => d.kind === "server").each((d, i, groups) => {
      const node = topo.nodes.find((n) => n.name === d.name) as ServerNode;
      select(groups[i]!)
        .selectAll("rect.adapter")
        .data(node.adapters.map((a, k) => ({ a, k, n: node.adapters.length })))
        .join("rect")
        .attr("class", "adapter")
        .attr("data-adapter", (x) => x.a.name)
        .on("click", (e: MouseEvent, x) => {
          e.stopPropagation();
          this.pick({ type: "adapter", node: d.name, adapter: x.a.name });
        })
        .on("mousemove", (e: MouseEvent, x) =>
          this.tip(
            e,
            `${d.name}:${x.a.name} (${x.a.type}, ${x.a.link}, ${x.a.ports.length} ports` +
              `${x.a.vfs > 0 ? `, ${x.a.vfs} VFs/port` : ""}${x.a.vifs.length > 0 ? `, ${x.a.vifs.length} vNICs/vHBAs` : ""})`,
          ),
        );
    });
    ng.call(
      drag<SVGGElement, NodeBox>()
        .clickDistance(3)
        .on("drag", (e: { dx: number; dy: number }, d) => {
          d.x += e.dx;
          d.y += e.dy;
          this.place();
        }),
    );
    this.place();
    this.paint();
  }

  /** Moves everything to the current positions (after a drag or a loaded layout). */
  place(): void {
    const topo = this.topo;
    const layout = this.layout;
    if (topo === null || layout === null) return;
    this.ends = portPositions(topo, layout);
    const ends = this.ends;
    this.root
      .selectAll<SVGLineElement, number>("line.link")
      .attr("x1", (i) => ends[i]![0].x)
      .attr("y1", (i) => ends[i]![0].y)
      .attr("x2", (i) => ends[i]![1].x)
      .attr("y2", (i) => ends[i]![1].y);
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
      .attr("transform", (d) => (d.kind === "server" ? `translate(0,${d.h / 2 - 4}) rotate(-90)` : "translate(0,4)"));
    nodes.each(function (d) {
      const rects = select(this).selectAll<SVGRectElement, { k: number; n: number }>("rect.adapter");
      rects
        .attr("x", (x) => -d.w / 2 + (x.k * d.w) / x.n + 1)
        .attr("y", -d.h / 2)
        .attr("width", (x) => Math.max(1, d.w / x.n - 2))
        .attr("height", 7);
    });
    this.paint();
  }

  private paint(): void {
    const snap = this.snap;
    const dirs = this.dirs;
    const topo = this.topo;
    if (topo === null) return;
    const util = (i: number): number => {
      if (snap === null) return 0;
      const [ab, ba] = dirs[i] ?? [-1, -1];
      return Math.max(ab >= 0 ? (snap.links.utilization[ab] ?? 0) : 0, ba >= 0 ? (snap.links.utilization[ba] ?? 0) : 0);
    };
    const failed = (i: number): boolean => {
      const [ab, ba] = dirs[i] ?? [-1, -1];
      if (snap !== null && ((ab >= 0 && snap.links.failed[ab] === 1) || (ba >= 0 && snap.links.failed[ba] === 1)))
        return true;
      const l = topo.links[i]!;
      return this.blastPorts.has(`${l.a.node}:${l.a.port}`) && snap === null;
    };
    const picked = this.picked;
    this.root
      .selectAll<SVGLineElement, number>("line.link")
      .attr("stroke", (i) =>
        picked?.type === "link" && picked.index === i ? "#0b63ce" : failed(i) ? "#222" : utilColour(util(i)),
      )
      .attr("stroke-width", (i) => 1.2 + 6 * util(i))
      .classed("failed", failed)
      .classed("blast", (i) => {
        const l = topo.links[i]!;
        return this.blastPorts.has(`${l.a.node}:${l.a.port}`) || this.blastPorts.has(`${l.b.node}:${l.b.port}`);
      })
      .classed("picked", (i) => picked?.type === "link" && picked.index === i);
    this.root
      .selectAll<SVGGElement, NodeBox>("g.node")
      .classed("blast", (d) => this.blastNodes.has(d.name))
      .classed("failed", (d) => this.failedNodes.has(d.name))
      .classed(
        "picked",
        (d) =>
          picked !== null && picked.type !== "link" && (picked.type === "node" ? picked.name : picked.node) === d.name,
      );
    // Paused lossless transmitters: a dot at the sending end.
    const pauses: Point[] = [];
    if (snap !== null)
      dirs.forEach(([ab, ba], i) => {
        const [a, b] = this.ends[i]!;
        if (ab >= 0 && snap.links.paused[ab] === 1) pauses.push(a);
        if (ba >= 0 && snap.links.paused[ba] === 1) pauses.push(b);
      });
    this.root
      .select("g.pauses")
      .selectAll("circle")
      .data(pauses)
      .join("circle")
      .attr("class", "paused")
      .attr("r", 4)
      .attr("cx", (p) => p.x)
      .attr("cy", (p) => p.y);
  }

  /** One line per transmitting port of node `name` (its own and its adapters'), busiest first. */
  nodePortsText(name: string): string {
    const snap = this.snap;
    const meta = this.meta;
    if (snap === null || meta === null) return "";
    const L = snap.links;
    const rows = meta.ports
      .map((p, k) => ({ p, k }))
      .filter(({ p }) => p.id.startsWith(`${name}:`) || p.id.startsWith(`${name}/`))
      .sort((a, b) => (L.utilization[b.k] ?? 0) - (L.utilization[a.k] ?? 0) || (a.p.id < b.p.id ? -1 : 1));
    return rows
      .map(
        ({ p, k }) =>
          `${p.id} → ${p.to}: ${((L.utilization[k] ?? 0) * 100).toFixed(1)} %, queue ${L.queueBytes[k] ?? 0} B` +
          `${L.paused[k] === 1 ? ", PAUSED" : ""}${L.failed[k] === 1 ? ", FAILED" : ""}, drops ${L.dropped[k] ?? 0}` +
          `${p.lossless ? `, paused ${((L.pausedSeconds[k] ?? 0) * 1e3).toFixed(3)} ms` : ""}`,
      )
      .join("\n");
  }

  /** One line per direction of link `i`: the figures a hover needs. */
  linkTip(i: number): string {
    const topo = this.topo!;
    const l = topo.links[i]!;
    const lines = [
      `${l.a.node}:${l.a.port} ↔ ${l.b.node}:${l.b.port} (${l.protocol}${l.lossless ? ", lossless" : ""})`,
    ];
    const snap = this.snap;
    if (snap !== null) {
      const [ab, ba] = this.dirs[i] ?? [-1, -1];
      const dir = (k: number, label: string): void => {
        if (k < 0) return;
        const L = snap.links;
        lines.push(
          `${label}: ${((L.utilization[k] ?? 0) * 100).toFixed(1)} % busy, queue ${L.queueBytes[k] ?? 0} B` +
            `${L.paused[k] === 1 ? ", PAUSED" : ""}${L.failed[k] === 1 ? ", FAILED" : ""}, drops ${L.dropped[k] ?? 0}` +
            `, paused ${((L.pausedSeconds[k] ?? 0) * 1e3).toFixed(3)} ms`,
        );
      };
      dir(ab, `→ ${l.b.node}`);
      dir(ba, `← ${l.a.node}`);
    }
    return lines.join("\n");
  }

  private tip(e: MouseEvent | null, text: string): void {
    const t = this.tooltip;
    if (e === null) {
      t.hidden = true;
      return;
    }
    t.textContent = text;
    t.hidden = false;
    t.style.left = `${e.clientX + 12}px`;
    t.style.top = `${e.clientY + 12}px`;
  }
}
