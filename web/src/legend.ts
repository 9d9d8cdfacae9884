/**
 * The legend under the topology: only what this topology has — the device kinds, the
 * link families (and which are lossless), the virtual interfaces, the workloads'
 * dot colours — plus the live marks (utilization, failed, paused, blast radius, a
 * selected host's paths). HTML text next to small SVG swatches drawn with the very
 * styles of the drawing.
 */
import type { LinkFamily } from "../../src/link/protocol.js";
import type { NodeKind, ResolvedTopology } from "../../src/topology/types.js";
import { el } from "./dom.js";
import {
  BORDER,
  CLASSES_CASING,
  FAILED,
  FAILED_MARK,
  FAMILY_STYLES,
  INTERFACE_COLOURS,
  KIND_COLOURS,
  KIND_NAMES,
  LOSSLESS_CASING,
  PAUSED,
  SELECTED,
  UTIL_STOPS,
  utilColour,
  workloadColour,
} from "./palette.js";
import { glyphPath, linkRails, type Rails } from "./topology-draw.js";

const NS = "http://www.w3.org/2000/svg";

function swatch(w: number, h: number, build: (svg: SVGSVGElement) => void): SVGSVGElement {
  const svg = document.createElementNS(NS, "svg");
  svg.setAttribute("width", String(w));
  svg.setAttribute("height", String(h));
  svg.setAttribute("viewBox", `0 0 ${w} ${h}`);
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("class", "swatch");
  build(svg);
  return svg;
}

function add(svg: SVGSVGElement, tag: string, attrs: Record<string, string | number>): void {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  svg.append(e);
}

function lineSwatch(colour: string, dash: string, casing: string | null, width = 2.5): SVGSVGElement {
  return swatch(34, 14, (s) => {
    if (casing !== null) {
      add(s, "line", { x1: 2, y1: 7, x2: 32, y2: 7, stroke: casing, "stroke-width": width + 5 });
      add(s, "line", { x1: 2, y1: 7, x2: 32, y2: 7, stroke: "#ffffff", "stroke-width": width + 2 });
    }
    add(s, "line", { x1: 2, y1: 7, x2: 32, y2: 7, stroke: colour, "stroke-width": width, "stroke-dasharray": dash });
  });
}

function item(list: HTMLElement, sw: SVGSVGElement, text: string, attrs: Record<string, string> = {}): void {
  const li = el("li", null, attrs);
  li.append(sw, el("span", text));
  list.append(li);
}

function group(box: HTMLElement, title: string): HTMLUListElement {
  const div = el("div", null, { class: "legend-group" });
  const h = el("h3", title);
  const ul = el("ul");
  div.append(h, ul);
  box.append(div);
  return ul;
}

export function renderLegend(box: HTMLElement, topo: ResolvedTopology): void {
  box.replaceChildren();
  const kinds = [...new Set(topo.nodes.map((n) => n.kind))] as NodeKind[];
  const devices = group(box, "Devices");
  for (const k of kinds)
    item(
      devices,
      swatch(22, 14, (s) =>
        add(s, "rect", { x: 1, y: 1, width: 20, height: 12, rx: 2, fill: KIND_COLOURS[k], stroke: BORDER }),
      ),
      KIND_NAMES[k],
      { "data-kind": k },
    );

  const links = group(box, "Links (dash = protocol)");
  const families = new Map<LinkFamily, Set<Rails>>();
  for (const l of topo.links) {
    const f = families.get(l.family) ?? new Set<Rails>();
    f.add(linkRails(l, topo.qos));
    families.set(l.family, f);
  }
  for (const [family, rails] of families) {
    const style = FAMILY_STYLES[family];
    if (rails.has("none"))
      item(links, lineSwatch(utilColour(0), style.dash, null), `${style.label}, lossy (drops when full)`, {
        "data-family": family,
      });
    if (rails.has("lossless"))
      item(
        links,
        lineSwatch(utilColour(0), style.dash, LOSSLESS_CASING),
        family === "ethernet"
          ? "Ethernet, lossless: PFC pauses the whole link"
          : family === "infiniband" && topo.qos.infiniband !== null
            ? `InfiniBand: lossless, credits per virtual lane (${topo.qos.infiniband.vls} data VLs)`
            : `${style.label}: lossless, credit-based flow control`,
        { "data-family": family, "data-lossless": "true" },
      );
    if (rails.has("classes"))
      item(
        links,
        lineSwatch(utilColour(0), style.dash, CLASSES_CASING),
        "Ethernet with traffic classes: PFC pauses only the no-drop class, the others drop when full",
        { "data-family": family, "data-classes": "true" },
      );
  }
  if (topo.qos.system !== null) {
    const classes = group(
      box,
      `Traffic classes on every Ethernet link (${topo.qos.system === "ucs" ? "UCS system classes" : "802.1Qaz"})`,
    );
    for (const c of topo.qos.classes)
      item(
        classes,
        swatch(14, 14, (s) =>
          add(s, "rect", {
            x: 2,
            y: 2,
            width: 10,
            height: 10,
            fill: c.noDrop ? CLASSES_CASING : "#ffffff",
            stroke: BORDER,
          }),
        ),
        `${c.name}: CoS ${c.priorities.join(", ")}, ${c.noDrop ? "no drop (PFC)" : "drop"}, ${c.tier === 0 && topo.qos.classes.every((x) => x.tier === 0) ? `weight ${c.weight}` : `tier ${c.tier}, weight ${c.weight}`}`,
        { "data-class": c.name },
      );
  }
  item(
    links,
    swatch(70, 14, (s) => {
      UTIL_STOPS.forEach(([u], i) => {
        add(s, "line", {
          x1: 2 + i * 17,
          y1: 7,
          x2: 17 + i * 17,
          y2: 7,
          stroke: utilColour(u),
          "stroke-width": 1.6 + 5 * u,
        });
      });
    }),
    "colour and width: utilization of the busier direction, per bin of simulated time (0 → 100 %)",
  );

  const servers = topo.nodes.filter((n) => n.kind === "server");
  const ifaces = group(box, "Interfaces on a server");
  item(
    ifaces,
    swatch(22, 14, (s) => add(s, "rect", { x: 1, y: 3, width: 20, height: 7, fill: "#5c7fa3" })),
    "adapter (segment along the server's top edge)",
  );
  const has = (pred: (a: (typeof servers)[number]["adapters"][number]) => boolean): boolean =>
    servers.some((s) => s.kind === "server" && s.adapters.some(pred));
  if (has((a) => a.vifs.some((v) => v.type === "vnic")))
    item(
      ifaces,
      swatch(14, 14, (s) => add(s, "path", { d: glyphPath("vnic", 7, 7), fill: INTERFACE_COLOURS.vnic })),
      "vNIC, hanging from the physical port it rides on",
    );
  if (has((a) => a.vifs.some((v) => v.type === "vhba")))
    item(
      ifaces,
      swatch(14, 14, (s) => add(s, "path", { d: glyphPath("vhba", 7, 7), fill: INTERFACE_COLOURS.vhba })),
      "vHBA (storage over the same port)",
    );
  if (has((a) => a.vfs > 0))
    item(
      ifaces,
      swatch(14, 14, (s) => add(s, "path", { d: glyphPath("vf", 7, 8), fill: INTERFACE_COLOURS.vf })),
      "SR-IOV virtual function (VF) of the port",
    );
  if (topo.nodes.some((n) => n.kind === "shared-adapter"))
    item(
      ifaces,
      swatch(30, 16, (s) => {
        add(s, "rect", { x: 1, y: 1, width: 28, height: 10, fill: KIND_COLOURS["shared-adapter"], stroke: BORDER });
        for (let i = 0; i < 4; i++) add(s, "rect", { x: 4 + i * 6, y: 3, width: 4, height: 3, fill: "#8c564b" });
        for (let i = 0; i < 5; i++) add(s, "rect", { x: 3 + i * 5, y: 11, width: 3, height: 4, fill: "#a05d00" });
      }),
      "shared adapter: one mark per host it serves (a virtual hierarchy each), edge connector on its PCIe side",
    );

  const work = group(box, "Moving dots: sampled transfers, by workload");
  topo.workloads.forEach((w, i) => {
    item(
      work,
      swatch(14, 14, (s) => add(s, "circle", { cx: 7, cy: 7, r: 4.5, fill: workloadColour(i), stroke: "#fff" })),
      w.name,
      { "data-workload": w.name },
    );
  });

  const marks = group(box, "Marks");
  item(
    marks,
    swatch(34, 14, (s) => {
      add(s, "line", { x1: 2, y1: 7, x2: 32, y2: 7, stroke: FAILED, "stroke-width": 2.6 });
      add(s, "path", { d: "M13,3L21,11M13,11L21,3", stroke: FAILED_MARK, "stroke-width": 2 });
    }),
    "failed link (and failed device: dashed border)",
  );
  item(
    marks,
    swatch(14, 14, (s) => add(s, "circle", { cx: 7, cy: 7, r: 4, fill: PAUSED, stroke: FAILED })),
    "port paused by flow control (at its transmitter)",
  );
  item(
    marks,
    swatch(22, 14, (s) =>
      add(s, "rect", { x: 1, y: 1, width: 20, height: 12, fill: "#ffd166", stroke: FAILED_MARK, "stroke-width": 2 }),
    ),
    "blast radius: servers whose traffic crossed a failed part",
  );
  if (topo.qos.system !== null)
    item(
      marks,
      swatch(14, 14, (s) =>
        add(s, "circle", { cx: 7, cy: 7, r: 4, fill: "#ffffff", stroke: PAUSED, "stroke-width": 2 }),
      ),
      "a traffic class paused (PFC) at this transmitter while the others flow",
    );
  item(marks, lineSwatch(SELECTED, "", null, 3), "selected; its paths stay bright, the rest fades");
}
