/** Blade chassis: one per chassis name, its blades and IOMs checked against its slots. */

import type { ChassisEntry } from "../catalog/types.js";
import type { PathSegment } from "../topology/expand.js";
import type { FabricExtenderNode, ServerNode } from "../topology/types.js";
import { DEFAULT_CHASSIS } from "./defaults.js";
import { type BomState, plural } from "./state.js";

/** One chassis item per chassis name (its model named by a member or the default); blades and IOMs checked against its slots. */
export function chassis(st: BomState): void {
  const members = new Map<string, { blades: string[]; ioms: string[]; model: string | null; from: string | null }>();
  for (const n of st.topo.nodes) {
    if ((n.kind !== "server" && n.kind !== "fabric-extender") || n.chassis === null) continue;
    const c = members.get(n.chassis) ?? { blades: [], ioms: [], model: null, from: null };
    (n.kind === "server" ? c.blades : c.ioms).push(n.name);
    const named = (n as ServerNode | FabricExtenderNode).chassisModel;
    if (named !== null) {
      if (c.model !== null && c.model !== named) {
        st.flag("error", "chassis-model", n.chassis, `${c.from} says ${c.model}, ${n.name} says ${named}`);
      } else if (c.model === null) {
        c.model = named;
        c.from = n.name;
      }
    }
    members.set(n.chassis, c);
  }
  for (const [name, c] of members) {
    const from = c.from === null ? null : st.nodes.get(c.from);
    const path: PathSegment[] =
      from === undefined || from === null ? [] : ["topology", "nodes", from.name, "chassisModel"];
    const r = st.resolve<ChassisEntry>(
      c.model,
      () => DEFAULT_CHASSIS,
      ["chassis"],
      path,
      "chassis",
      name,
      "unknown-chassis",
    );
    st.add(r, "chassis", name);
    if (r.entry === null) continue;
    const blades = r.entry.bladeSlots.value;
    const ioms = r.entry.iomSlots.value;
    if (blades !== null && c.blades.length > blades) {
      st.flag("error", "chassis-slots", name, `${plural(c.blades.length, "blade")}; ${r.id} holds ${blades}`);
    }
    if (ioms !== null && c.ioms.length > ioms) {
      st.flag("error", "chassis-slots", name, `${plural(c.ioms.length, "IOM")}; ${r.id} holds ${ioms}`);
    }
  }
}
