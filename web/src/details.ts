/**
 * The details panel for what was clicked: a device (kind, model, ports, adapters with
 * their VFs and vNICs/vHBAs) or a link (both directions: utilization, queue, drops,
 * pause time), with a button to fail or restore it while the simulation runs.
 */
import { faultLabel } from "../../src/run/faults.js";
import type { FaultTarget, ResolvedTopology } from "../../src/topology/types.js";
import { el } from "./dom.js";
import type { Picked } from "./topology-view.js";

export function targetOf(topo: ResolvedTopology, p: Picked): FaultTarget {
  switch (p.type) {
    case "node":
      return { kind: "node", node: p.name };
    case "adapter":
      return { kind: "adapter", node: p.node, adapter: p.adapter };
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
  /** Labels of the targets failed now. */
  readonly failed: ReadonlySet<string>;
  readonly canFault: boolean;
  readonly onFault: (action: "fail" | "restore", target: FaultTarget) => void;
}

/**
 * Updates only the figures of the panel (not its button, which a click may be landing
 * on); returns false when the panel has no figures yet and needs a full render.
 */
export function refreshDetails(box: HTMLElement, p: Picked, ctx: DetailsContext): boolean {
  const text = p.type === "link" ? ctx.linkText(p.index) : ctx.portsText(p.type === "node" ? p.name : p.node);
  const pre = box.querySelector("pre.figures");
  if (pre === null) return text === "";
  pre.textContent = text;
  return true;
}

export function renderDetails(box: HTMLElement, p: Picked | null, ctx: DetailsContext): void {
  box.replaceChildren();
  if (p === null) {
    box.append(el("p", "Click a device, adapter or link for details; hover for a summary.", { class: "hint" }));
    return;
  }
  const { topo } = ctx;
  const target = targetOf(topo, p);
  const label = faultLabel(target);
  if (p.type === "link") {
    box.append(el("h3", "Link"), el("pre", ctx.linkText(p.index), { class: "figures" }));
  } else {
    const name = p.type === "node" ? p.name : p.node;
    const node = topo.nodes.find((n) => n.name === name);
    if (node === undefined) return;
    box.append(el("h3", p.type === "adapter" ? `${name}:${p.adapter}` : name));
    const facts: string[] = [`kind: ${node.kind}`, `model: ${node.model ?? "default"}`, `ports: ${node.ports.length}`];
    if (node.kind === "server") {
      facts.push(`VMs: ${node.vms.length}`, `chassis: ${node.chassis ?? "none"}`);
      for (const a of node.adapters) {
        if (p.type === "adapter" && a.name !== p.adapter) continue;
        facts.push(
          `adapter ${a.name}: ${a.type}, ${a.link} × ${a.ports.length}, bus ${a.bus}` +
            `${a.vfs > 0 ? `, ${a.vfs} VFs per port` : ""}${a.vfLimitBps !== null ? ` (limit ${a.vfLimitBps} b/s)` : ""}`,
        );
        for (const v of a.vifs)
          facts.push(
            `  ${v.type} ${v.name} on ${v.port}${v.fabric === null ? "" : ` fabric ${v.fabric}`}` +
              `${v.committedBps === null ? "" : `, committed ${v.committedBps / 1e9} Gb/s`}` +
              `${v.peakBps === null ? "" : `, peak ${v.peakBps / 1e9} Gb/s`}`,
          );
      }
    }
    if (node.kind === "io-director" || node.kind === "fabric-interconnect")
      for (const m of node.modules) facts.push(`module ${m.name}: ${m.link} × ${m.ports.length}`);
    if (node.kind === "shared-adapter")
      facts.push(`hosts: ${node.hosts.join(", ")}`, `arbitration: ${node.arbitration}`);
    box.append(el("pre", facts.join("\n")));
    const ports = ctx.portsText(name);
    if (ports !== "")
      box.append(
        el("h4", "Ports (transmit side, since the last snapshot)"),
        el("pre", ports, { class: "figures ports" }),
      );
  }
  const isFailed = ctx.failed.has(label);
  const button = el("button", `${isFailed ? "Restore" : "Fail"} ${label}`, { id: isFailed ? "restore" : "fail" });
  button.disabled = !ctx.canFault;
  button.title = ctx.canFault ? "At the current simulated time" : "Load a run first (Run or Step)";
  button.addEventListener("click", () => ctx.onFault(isFailed ? "restore" : "fail", target));
  box.append(button);
}
