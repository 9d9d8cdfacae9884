/** UCS fabric interconnects' VIF namespace (15n − 2 on the 6100 series): vNICs/vHBAs per blade per IOM. */

import type { BomState } from "./state.js";

/** Each blade's vNICs/vHBAs through an IOM against the fabric interconnect's namespace for that IOM's uplinks. */
export function vifNamespaces(st: BomState): void {
  for (const n of st.topo.nodes) {
    if (n.kind !== "server" || n.chassis === null) continue;
    for (const a of n.adapters) {
      if (a.vifs.length === 0) continue;
      // Group the adapter's VIFs by the IOM their port is traced to.
      const byIom = new Map<string, number>();
      for (const v of a.vifs) {
        const peer = st.ports.get(n.name)?.get(v.port)?.peer;
        if (peer == null || st.node(peer.node).kind !== "fabric-extender") continue;
        byIom.set(peer.node, (byIom.get(peer.node) ?? 0) + 1);
      }
      for (const [iom, vifs] of byIom) {
        const uplinks = st
          .node(iom)
          .ports.filter((p) => p.peer !== null && st.node(p.peer.node).kind === "fabric-interconnect");
        const fi = uplinks[0]?.peer?.node;
        if (fi === undefined) continue;
        const model = st.nodeModels.get(fi);
        const ns = model?.entry != null && "vifNamespace" in model.entry ? model.entry.vifNamespace : null;
        if (ns === null) {
          st.flag(
            "info",
            "vif-namespace-unknown",
            fi,
            `VIF namespace of ${model?.id ?? fi} not in the catalog (15n − 2 is the 6100 series' rule): vNICs/vHBAs per blade not checked against it`,
            `ns|${model?.id}`,
          );
          continue;
        }
        const limit = ns.perUplinkPerBlade * uplinks.length - ns.reservedPerAdapter;
        if (vifs > limit) {
          st.flag(
            "error",
            "vif-namespace",
            `${n.name}/${a.name}`,
            `${vifs} vNICs/vHBAs through ${iom}; ${model!.id} gives a blade ${ns.perUplinkPerBlade} × ${uplinks.length} uplinks − ${ns.reservedPerAdapter} = ${limit}`,
          );
        }
      }
    }
  }
}
