/** The out-of-band management network: one 1GbE port and one Cat6 cable per managed box or rack server. */

import { blockFor } from "../catalog/catalog.js";
import type { BoxEntry, ServerEntry } from "../catalog/types.js";
import { DEFAULT_LENGTH_METRES } from "../topology/resolve-links.js";
import { DEFAULT_MANAGEMENT_SWITCH } from "./defaults.js";
import { addCabling } from "./links.js";
import { type BomState, type Resolved, SWITCHING } from "./state.js";

/** Counts management ports (boxes with a management port, rack servers with a BMC) and buys switches and Cat6 for them. */
export function management(st: BomState): void {
  let ports = 0;
  for (const n of st.topo.nodes) {
    const r = st.nodeModels.get(n.name);
    if (n.kind === "server") {
      const e = r?.entry as ServerEntry | null | undefined;
      const bmc = e == null ? n.chassis === null : e.managementPort;
      if (bmc) {
        ports++;
        st.servers.get(n.name)!.cables++;
      }
    } else if (SWITCHING.has(n.kind)) {
      const e = r?.entry as BoxEntry | null | undefined;
      if (e == null ? n.kind !== "fabric-extender" : e.managementPort) ports++;
    }
  }
  st.managementPorts = ports;
  if (ports === 0) return;
  const id = st.options.managementSwitch ?? DEFAULT_MANAGEMENT_SWITCH;
  const e = st.catalog.entries.get(id);
  const sw: Resolved =
    e === undefined
      ? { entry: null, id: "unknown-management-switch", defaulted: false }
      : { entry: e, id, defaulted: false };
  if (e === undefined) st.flag("warning", "no-model", "management", `management switch ${id} is not in the catalog`);
  const block = e === undefined ? null : blockFor(e, "eth-1g");
  const perSwitch = block?.count.value ?? null;
  const switches = perSwitch === null || perSwitch <= 0 ? 1 : Math.ceil(ports / perSwitch);
  if (perSwitch === null)
    st.flag("warning", "management", "management", `${id} has no known 1GbE ports: one switch assumed`);
  st.add(sw, "switching", null, { role: "management", count: switches, portsUsed: ports });
  const c = st.chooser.choose("eth-1g", DEFAULT_LENGTH_METRES, "rj45", block?.medium ?? null);
  addCabling(st, c, "management", "management network", ports);
}
