/**
 * "Select a part": every device and every link of the topology in one native select,
 * the keyboard's (and a screen reader's) way to any part; kept in step with what is
 * selected in the picture.
 */
import type { ResolvedTopology } from "../../src/topology/types.js";
import { linkName } from "./details.js";
import { el } from "./dom.js";
import type { Picked } from "./paths.js";

export class PartPicker {
  constructor(
    private readonly select: HTMLSelectElement,
    pick: (p: Picked | null) => void,
  ) {
    select.addEventListener("change", () => {
      const v = select.value;
      if (v === "") pick(null);
      else if (v.startsWith("node:")) pick({ type: "node", name: v.slice(5) });
      else pick({ type: "link", index: Number(v.slice(5)) });
    });
  }

  fill(t: ResolvedTopology): void {
    const none = el("option", "(nothing selected)", { value: "" });
    const devices = el("optgroup", null, { label: `Devices (${t.nodes.length})` });
    for (const n of t.nodes) devices.append(el("option", `${n.name} (${n.kind})`, { value: `node:${n.name}` }));
    const links = el("optgroup", null, { label: `Links (${t.links.length})` });
    t.links.forEach((_, i) => {
      links.append(el("option", linkName(t, i), { value: `link:${i}` }));
    });
    this.select.replaceChildren(none, devices, links);
  }

  sync(picked: Picked | null): void {
    const v =
      picked === null
        ? ""
        : picked.type === "link"
          ? `link:${picked.index}`
          : `node:${picked.type === "node" ? picked.name : picked.node}`;
    if (this.select.value !== v) this.select.value = v;
  }
}
