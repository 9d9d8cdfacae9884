/**
 * Routes: the egress ports a flow leaves through, computed once per flow.
 *
 * Assumptions:
 * - Shortest paths in hops (a rack fabric is a tree or a pair of trees; latency
 *   differences between equal-hop paths are ignored).
 * - Servers and their adapters never forward: a path may leave its source server
 *   and enter its destination server, never cross another one.
 * - Equal-cost choices are spread by the flow's hash (ECMP, port channels); a
 *   fabric extender with static pinning instead pins by the host port the flow
 *   came in on (UCS IOM: host port i → uplink (i − 1) mod uplinks).
 * - A shared adapter (MR-IOV) carries only the hosts whose virtual hierarchies it serves.
 * - A pinned virtual interface (`pin: node:port`) leaves through that port.
 * - All transfers of a flow follow one route, so they stay in order.
 */
import type { EgressPort } from "../fabric/egress-port.js";
import type { Node } from "../fabric/node.js";
import { hashSelect } from "../fabric/switch-node.js";

export interface RouteRules {
  /** May `node` carry a flow from `sourceHost` to `dst`? */
  transit(node: Node, sourceHost: string, dst: Node): boolean;
  /** Static pinning at a fabric extender: the uplink for a flow that came in on `ingress`, or null for hashing. */
  pinnedUplink(node: Node, ingress: EgressPort | null, candidates: readonly EgressPort[]): EgressPort | null;
}

/** Hop distances to `dst` over ports that end at nodes allowed by `ok` (reverse BFS). */
function distancesTo(dst: Node, ok: (n: Node) => boolean, incoming: Map<Node, EgressPort[]>): Map<Node, number> {
  const dist = new Map<Node, number>([[dst, 0]]);
  let frontier = [dst];
  while (frontier.length > 0) {
    const next: Node[] = [];
    for (const n of frontier) {
      const d = dist.get(n)!;
      for (const p of incoming.get(n) ?? []) {
        const from = p.node;
        if (dist.has(from) || !ok(from)) continue;
        dist.set(from, d + 1);
        next.push(from);
      }
    }
    frontier = next;
  }
  return dist;
}

export class Router {
  private readonly incoming = new Map<Node, EgressPort[]>();
  private readonly cache = new Map<string, Map<Node, number>>();

  constructor(
    ports: readonly EgressPort[],
    private readonly rules: RouteRules,
  ) {
    for (const p of ports) {
      const list = this.incoming.get(p.peerNode);
      if (list === undefined) this.incoming.set(p.peerNode, [p]);
      else list.push(p);
    }
  }

  /**
   * The ports from `start` (the first port, already chosen) to `dst`, or null when
   * `dst` cannot be reached. `sourceHost` decides which nodes may carry the flow.
   */
  path(start: EgressPort, dst: Node, sourceHost: string, flowHash: number): EgressPort[] | null {
    const ok = (n: Node): boolean => n === dst || this.rules.transit(n, sourceHost, dst);
    const key = `${dst.name}\u0000${sourceHost}`;
    let dist = this.cache.get(key);
    if (dist === undefined) {
      dist = distancesTo(dst, ok, this.incoming);
      this.cache.set(key, dist);
    }
    const ports = [start];
    let at = start.peerNode;
    let ingress: EgressPort = start;
    if (at !== dst && !ok(at)) return null;
    while (at !== dst) {
      const d = dist.get(at);
      if (d === undefined) return null;
      const candidates = at.ports
        .filter((p) => dist.get(p.peerNode) === d - 1 && ok(p.peerNode))
        .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      if (candidates.length === 0) return null;
      const next = this.rules.pinnedUplink(at, ingress, candidates) ?? hashSelect(candidates, flowHash ^ d);
      ports.push(next);
      ingress = next;
      at = next.peerNode;
    }
    return ports;
  }
}

/** A stable 32-bit hash of a flow's name (FNV-1a), independent of random streams. */
export function flowHash(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
