/**
 * The details panel for what is selected: a device (kind, model, ports; a server's
 * adapters and virtual interfaces with the physical port each rides on and the routes
 * its traffic took; a shared adapter's hosts), an interface, or a link (both
 * directions: utilization, queue, drops, pause time), with a button to fail or restore
 * it while the run is loaded. Every interface and link of a device is a button too, so
 * the whole topology can be walked from the keyboard.
 */
import { faultLabel } from "../../src/run/faults.js";
import type { FaultTarget, ResolvedTopology, ServerNode } from "../../src/topology/types.js";
import { el } from "./dom.js";
import type { Picked, RouteBook } from "./paths.js";
import { linkKind } from "./topology-draw.js";
import { interfaceText } from "./view-text.js";

export function targetOf(topo: ResolvedTopology, p: Picked): FaultTarget | null {
  switch (p.type) {
    case "node":
      return { kind: "node", node: p.name };
    case "adapter":
      return { kind: "adapter", node: p.node, adapter: p.adapter };
    case "iface":
      return null; // a virtual interface has no hardware of its own to fail
    case "link": {
      const l = topo.links[p.index]!;
      // A port target fails its link, both directions.
      return { kind: "port", node: l.a.node, port: l.a.port };
    }
  }
}

export interface DetailsContext {
  readonly topo: ResolvedTopology;
  readonly linkText: (index: number) => string;
  /** Its ports' figures now (empty before the first snapshot). */
  readonly portsText: (node: string) => string;
  readonly book: RouteBook | null;
  /** Labels of the targets failed now. */
  readonly failed: ReadonlySet<string>;
  readonly canFault: boolean;
  readonly onFault: (action: "fail" | "restore", target: FaultTarget) => void;
  readonly onPick: (p: Picked) => void;
}

/** The text of a link as a button or option: `host1:vic0/1 ↔ iom1a:host1 (eth-10g)`. */
export function linkName(topo: ResolvedTopology, i: number): string {
  const l = topo.links[i]!;
  return `${l.a.node}:${l.a.port} ↔ ${l.b.node}:${l.b.port} (${l.protocol})`;
}

/**
 * Updates only the figures of the panel (not its buttons, which a click may be landing
 * on); returns false when the panel has no figures yet and needs a full render.
 */
export function refreshDetails(box: HTMLElement, p: Picked, ctx: DetailsContext): boolean {
  const text = p.type === "link" ? ctx.linkText(p.index) : ctx.portsText(p.type === "node" ? p.name : p.node);
  const pre = box.querySelector("pre.figures");
  if (pre === null) return text === "";
  if (pre.textContent !== text) pre.textContent = text;
  return true;
}

function pickButton(label: string, p: Picked, ctx: DetailsContext, cls = "pick"): HTMLButtonElement {
  const b = el("button", label, { type: "button", class: cls });
  b.addEventListener("click", () => ctx.onPick(p));
  return b;
}

export function renderDetails(box: HTMLElement, p: Picked | null, ctx: DetailsContext): void {
  // Keep keyboard focus on the fail/restore button when the panel is redrawn after a fault.
  const refocus = box.contains(document.activeElement) ? (document.activeElement?.id ?? "") : "";
  box.replaceChildren();
  if (p === null) {
    box.append(
      el("h2", "Details"),
      el("p", "Select a device, interface or link (click it, or use “Select a part”); hover for a summary.", {
        class: "hint",
      }),
    );
    return;
  }
  const { topo } = ctx;
  if (p.type === "link") {
    box.append(el("h2", `Link ${linkName(topo, p.index)}`), el("p", linkKind(topo.links[p.index]!, topo.qos)));
    box.append(el("pre", ctx.linkText(p.index), { class: "figures" }));
    const hosts = ctx.book === null ? [] : [...ctx.book.hostsOn(p.index)].sort();
    if (hosts.length > 0) box.append(el("p", `Carries traffic of: ${hosts.join(", ")}`));
    const l = topo.links[p.index]!;
    const ends = el("p", "Ends: ");
    ends.append(
      pickButton(l.a.node, { type: "node", name: l.a.node }, ctx),
      " ",
      pickButton(l.b.node, { type: "node", name: l.b.node }, ctx),
    );
    box.append(ends);
  } else {
    const name = p.type === "node" ? p.name : p.node;
    const node = topo.nodes.find((n) => n.name === name);
    if (node === undefined) return;
    const title = p.type === "adapter" ? `${name}:${p.adapter}` : p.type === "iface" ? `${name}: ${p.iface}` : name;
    box.append(el("h2", title));
    const facts: string[] = [`kind: ${node.kind}`, `model: ${node.model ?? "default"}`, `ports: ${node.ports.length}`];
    if (node.kind === "server") facts.push(`VMs: ${node.vms.length}`, `chassis: ${node.chassis ?? "none"}`);
    if (node.kind === "io-director" || node.kind === "fabric-interconnect")
      for (const m of node.modules) facts.push(`module ${m.name}: ${m.link} × ${m.ports.length}`);
    if (node.kind === "shared-adapter")
      facts.push(
        `serves ${node.hosts.length} hosts, one virtual hierarchy each: ${node.hosts.join(", ")}`,
        `arbitration: ${node.arbitration}`,
        ...Object.entries(node.limitBps).map(([h, v]) => `rate limit of ${h}: ${v / 1e9} Gb/s`),
      );
    box.append(el("pre", facts.join("\n")));
    if (node.kind === "server") renderServer(box, node, p, ctx);
    const ports = ctx.portsText(name);
    if (ports !== "")
      box.append(
        el("h3", "Ports (transmit side, latest bin of simulated time)"),
        el("pre", ports, { class: "figures ports", tabindex: "0", "aria-label": "ports of the device" }),
      );
    const links = topo.links.map((l, i) => ({ l, i })).filter(({ l }) => l.a.node === name || l.b.node === name);
    if (links.length > 0) {
      const details = el("details", null, { class: "link-list" });
      details.append(el("summary", `Links (${links.length})`));
      const ul = el("ul", null, { tabindex: "-1" });
      for (const { i } of links) {
        const li = el("li");
        li.append(pickButton(linkName(topo, i), { type: "link", index: i }, ctx));
        ul.append(li);
      }
      details.append(ul);
      box.append(details);
    }
  }
  const target = targetOf(topo, p);
  if (target !== null) {
    const label = faultLabel(target);
    const isFailed = ctx.failed.has(label);
    const button = el("button", `${isFailed ? "Restore" : "Fail"} ${label}`, {
      id: isFailed ? "restore" : "fail",
      type: "button",
    });
    button.disabled = !ctx.canFault;
    button.title = ctx.canFault ? "At the current simulated time" : "Load a run first (Run or Step)";
    button.addEventListener("click", () => ctx.onFault(isFailed ? "restore" : "fail", target));
    box.append(button);
    if (refocus === "fail" || refocus === "restore") button.focus();
  }
}

function renderServer(box: HTMLElement, node: ServerNode, p: Picked, ctx: DetailsContext): void {
  const ifaces: Array<{ key: string; text: string }> = [];
  for (const a of node.adapters) {
    for (const v of a.vifs) ifaces.push({ key: v.name, text: interfaceText(node, v.name) });
    if (a.vfs > 0)
      for (const port of a.ports)
        for (let n = 1; n <= a.vfs; n++)
          ifaces.push({ key: `vf${n}@${port}`, text: interfaceText(node, `vf${n}@${port}`) });
  }
  const adapters = el("ul", null, { class: "adapters" });
  for (const a of node.adapters) {
    const li = el("li");
    li.append(
      pickButton(`adapter ${a.name}`, { type: "adapter", node: node.name, adapter: a.name }, ctx),
      ` ${a.type}, ${a.link} × ${a.ports.length}, bus ${a.bus}` +
        `${a.vfs > 0 ? `, SR-IOV: ${a.vfs} VFs per port` : ""}${a.vfLimitBps !== null ? ` (limit ${a.vfLimitBps / 1e9} Gb/s each)` : ""}`,
    );
    adapters.append(li);
  }
  box.append(el("h3", "Adapters"), adapters);
  if (ifaces.length > 0) {
    const ul = el("ul", null, { class: "ifaces" });
    for (const f of ifaces) {
      if (p.type === "iface" && p.iface !== f.key) continue;
      const li = el("li");
      li.append(
        pickButton(f.key, { type: "iface", node: node.name, iface: f.key }, ctx),
        ` ${f.text.replace(/^[^:]+: /, "")}`,
      );
      ul.append(li);
    }
    box.append(el("h3", p.type === "iface" ? "Interface" : "Virtual interfaces (each on its physical port)"), ul);
  }
  const lines = ctx.book?.routeLines(node.name) ?? [];
  const shown = p.type === "iface" ? lines.filter((l) => `${l.via}` === p.iface.replace(/@.*$/, "")) : lines;
  if (shown.length > 0) {
    const ul = el("ul", null, { class: "routes", tabindex: "0", "aria-label": "paths its traffic took" });
    for (const l of shown.slice(0, 40)) ul.append(el("li", `${l.via}: ${l.text} (${l.workloads.join(", ")})`));
    box.append(el("h3", "Paths its traffic took (as routed by the model)"), ul);
    if (shown.length > 40) box.append(el("p", `… and ${shown.length - 40} more`, { class: "hint" }));
  } else box.append(el("p", "Paths appear once traffic has flowed (Run or Step).", { class: "hint" }));
}
