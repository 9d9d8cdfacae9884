/**
 * `bom(topology, catalog, options)`: the bill of materials of a topology.
 *
 * Counting rules (also returned in `Bom.rules`, printed under the table):
 * - Equipment is bought whole: a switch, director, fabric interconnect, IOM,
 *   PCIe box, chassis or module is one item however few of its ports are used;
 *   ports installed are the model's, ports used are the connected ones.
 * - Every server adapter and shared adapter is one adapter. Storage arrays, the
 *   LAN and the servers themselves are the same in every design: not bought here.
 * - A link between a blade and an IOM of its own chassis is a midplane trace, and
 *   a shared adapter's slot link in its PCIe box is an in-box slot: not cables.
 *   Every other link is one cable, chosen by `CableChooser` (two optics per fibre link).
 * - Management network: one 1GbE port per box with a management port (switches,
 *   directors, fabric interconnects, PCIe appliances; not IOMs, FEXes or chips)
 *   and per server with its own BMC (rack servers; blades are managed through the
 *   chassis), each one Cat6 cable to a management switch; switches bought whole.
 * - Prices and power come from the catalog; unknown ones are counted, never added as 0.
 */

import type { Catalog } from "../catalog/types.js";
import type { ResolvedTopology } from "../topology/types.js";
import { chassis } from "./chassis.js";
import { link, upstream } from "./links.js";
import { management } from "./management.js";
import { resolveModels } from "./models.js";
import { server, sharedAdapter } from "./servers.js";
import { BomState, SWITCHING } from "./state.js";
import { switching } from "./switching.js";
import { assemble } from "./totals.js";
import type { Bom, BomOptions, ResultBom } from "./types.js";
import { vifNamespaces } from "./vif-namespace.js";

export { DEFAULT_YEARS } from "./energy.js";
export { HARDWARE_SCORE_DEFINITION } from "./totals.js";

/** The bill of materials of `topo`, priced from `catalog`. */
export function bom(topo: ResolvedTopology, catalog: Catalog, options: BomOptions = {}): Bom {
  const st = new BomState(topo, catalog, options);
  resolveModels(st);
  for (const n of topo.nodes) {
    if (n.kind === "server") server(st, n);
    else if (n.kind === "shared-adapter") sharedAdapter(st, n);
    else if (SWITCHING.has(n.kind)) switching(st, n);
    else if (n.kind === "lan" || n.kind === "storage-array") upstream(st, n);
  }
  chassis(st);
  for (const [i, l] of topo.links.entries()) link(st, l, i);
  vifNamespaces(st);
  if (options.management !== false) management(st);
  return assemble(st);
}

/** docs/architecture.md §5's `bom` object: the four item fields and eight totals only. */
export function resultBom(b: Pick<Bom, "items" | "totals">): ResultBom {
  const t = b.totals;
  return {
    items: b.items.map((i) => ({ kind: i.kind, count: i.count, unitCostUsd: i.unitCostUsd, watts: i.watts })),
    totals: {
      adapters: t.adapters,
      cables: t.cables,
      optics: t.optics,
      switchPorts: t.switchPorts,
      rackUnits: t.rackUnits,
      costUsd: t.costUsd,
      unpricedItems: t.unpricedItems,
      watts: t.watts,
    },
  };
}
