/** Which catalog entry each node, adapter and module is: named with `model:`, else the default rule. */

import type { AdapterEntry, IoModuleEntry } from "../catalog/types.js";
import type { PathSegment } from "../topology/expand.js";
import { defaultAdapter, defaultModule, defaultNode, defaultServer, linksOf } from "./defaults.js";
import { ADAPTER_TYPE_CLASSES, type BomState, NODE_CLASSES } from "./state.js";

/** Resolves every node, adapter and director / fabric-interconnect module to a catalog entry (or a placeholder, flagged). */
export function resolveModels(st: BomState): void {
  for (const n of st.topo.nodes) {
    const at: PathSegment[] = ["topology", "nodes", n.name];
    if (n.kind === "server") {
      st.nodeModels.set(
        n.name,
        st.resolve(
          n.model,
          () => defaultServer(n),
          NODE_CLASSES.server,
          [...at, "model"],
          "server",
          n.name,
          "unknown-server",
        ),
      );
      n.adapters.forEach((a, i) => {
        st.adapterModels.set(
          `${n.name}/${a.name}`,
          st.resolve<AdapterEntry>(
            a.model,
            () => defaultAdapter(a),
            ADAPTER_TYPE_CLASSES[a.type],
            [...at, "adapters", i, "model"],
            a.type,
            `${n.name}/${a.name}`,
            `unknown-${a.type}-${a.link}`,
          ),
        );
      });
      continue;
    }
    const links = linksOf(n, (i) => st.linkId(i));
    const device = st.resolve(
      n.model,
      () => defaultNode(n, links, st.catalog),
      NODE_CLASSES[n.kind],
      [...at, "model"],
      n.kind,
      n.name,
      `unknown-${n.kind}`,
    );
    st.nodeModels.set(n.name, device);
    if (n.kind === "io-director" || n.kind === "fabric-interconnect") {
      n.modules.forEach((m, i) => {
        st.moduleModels.set(
          `${n.name}/${m.name}`,
          st.resolve<IoModuleEntry>(
            m.model,
            () => defaultModule(m, device.entry, st.catalog),
            ["io-module"],
            [...at, "modules", i, "model"],
            "I/O module",
            `${n.name}/${m.name}`,
            `unknown-module-${m.link}`,
          ),
        );
      });
    }
  }
}
