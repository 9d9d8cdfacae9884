/**
 * What a fault's target names: its label, and the egress ports failing it takes down
 * (both directions of each link). Browser-safe.
 */

import type { FaultTarget, ResolvedTopology } from "../topology/types.js";

/** What a fault reads of a port: the packet fabric's `EgressPort`, or the flow-only build's. */
interface FaultPort<P> {
  readonly id: string;
  readonly node: { readonly name: string };
  readonly reverse: P | null;
}

/** `fi-a`, `host3:nic0/1`, `host3:nic0`, `dir-a:eth1`. */
export function faultLabel(t: FaultTarget): string {
  switch (t.kind) {
    case "node":
      return t.node;
    case "port":
      return `${t.node}:${t.port}`;
    case "adapter":
      return `${t.node}:${t.adapter}`;
    case "module":
      return `${t.node}:${t.module}`;
  }
}

/** Every egress port (both directions of each link) that failing `target` takes down. */
export function faultPorts<P extends FaultPort<P>>(
  topo: ResolvedTopology,
  fabric: { readonly ports: readonly P[] },
  target: FaultTarget,
): P[] {
  const byId = new Map(fabric.ports.map((p) => [p.id, p]));
  const out = new Set<P>();
  const add = (id: string): void => {
    const p = byId.get(id);
    if (p === undefined) return; // an unconnected port
    out.add(p);
    if (p.reverse !== null) out.add(p.reverse);
  };
  const node = topo.nodes.find((n) => n.name === target.node);
  switch (target.kind) {
    case "node":
      for (const p of fabric.ports) {
        const owner = p.node.name;
        if (owner === target.node || owner === `${target.node}/host`) add(p.id);
      }
      break;
    case "port":
      add(`${target.node}:${target.port}`);
      break;
    case "adapter": {
      const a = node?.kind === "server" ? node.adapters.find((x) => x.name === target.adapter) : undefined;
      add(`${target.node}/host:${target.adapter}`);
      for (const port of a?.ports ?? []) add(`${target.node}:${port}`);
      break;
    }
    case "module": {
      const m =
        node?.kind === "io-director" || node?.kind === "fabric-interconnect"
          ? node.modules.find((x) => x.name === target.module)
          : undefined;
      for (const port of m?.ports ?? []) add(`${target.node}:${port}`);
      break;
    }
  }
  return [...out];
}
