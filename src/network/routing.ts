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
 * - Devices that do not switch locally refuse some turns (`RouteRules.turn`).
 * - All transfers of a flow follow one route, so they stay in order.
 * - Ports marked `routingDown` (a failure the control plane has detected) are never
 *   used; `invalidate()` drops the cached distances when that changes.
 */
import type { EgressPort } from "../fabric/egress-port.js";
import type { Node } from "../fabric/node.js";
import { hashSelect } from "../fabric/switch-node.js";

export interface RouteRules {
  /** May `node` carry a flow from `sourceHost` to `dst`? */
  transit(node: Node, sourceHost: string, dst: Node): boolean;
  /** May a flow that entered `node` through `ingress` leave through `egress`? (Devices that do not switch locally.) */
  turn(node: Node, ingress: EgressPort, egress: EgressPort, dst: Node): boolean;
  /**
   * Pinning instead of hashing: the uplink for a flow that came in on `ingress` (a fabric
   * extender's static pinning) or of vNIC turn `pin` (a fabric interconnect; −1 without a
   * vNIC), or null for hashing over `candidates` (sorted by id).
   */
  pinnedUplink(
    node: Node,
    ingress: EgressPort | null,
    candidates: readonly EgressPort[],
    pin: number,
    flowHash: number,
  ): EgressPort | null;
}

function byId(a: EgressPort, b: EgressPort): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Shortest paths over ports rather than nodes, so that a device's forwarding
 * rules can depend on where a flow came in (a fabric extender sends what comes
 * from a host up, never across to another host).
 */
export class Router {
  private readonly incoming = new Map<Node, EgressPort[]>();
  private readonly cache = new Map<string, Map<EgressPort, number>>();

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

  /** Hops from leaving through each port to reaching `dst` (reverse BFS over allowed turns). */
  private distances(dst: Node, sourceHost: string): Map<EgressPort, number> {
    const key = `${dst.name}\u0000${sourceHost}`;
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit;
    const dist = new Map<EgressPort, number>();
    let frontier: EgressPort[] = [];
    for (const p of this.incoming.get(dst) ?? []) {
      if (p.routingDown) continue;
      dist.set(p, 1);
      frontier.push(p);
    }
    while (frontier.length > 0) {
      const next: EgressPort[] = [];
      for (const q of frontier) {
        const n = q.node;
        if (n === dst || !this.rules.transit(n, sourceHost, dst)) continue;
        const d = dist.get(q)!;
        for (const p of this.incoming.get(n) ?? []) {
          if (p.routingDown || dist.has(p) || !this.rules.turn(n, p, q, dst)) continue;
          dist.set(p, d + 1);
          next.push(p);
        }
      }
      frontier = next;
    }
    this.cache.set(key, dist);
    return dist;
  }

  /** Forgets cached distances (after ports went down or came back). */
  invalidate(): void {
    this.cache.clear();
  }

  /**
   * The ports from `start` (the first port, already chosen) to `dst`, or null when
   * `dst` cannot be reached. `sourceHost` decides which nodes may carry the flow.
   */
  path(start: EgressPort, dst: Node, sourceHost: string, flowHash: number, pin = -1): EgressPort[] | null {
    const dist = this.distances(dst, sourceHost);
    const first = dist.get(start);
    if (first === undefined) return null;
    let d: number = first;
    const ports = [start];
    let ingress = start;
    while (d > 1) {
      const at = ingress.peerNode;
      const want: number = d - 1;
      const ing = ingress;
      const candidates = at.ports.filter((q) => dist.get(q) === want && this.rules.turn(at, ing, q, dst)).sort(byId);
      if (candidates.length === 0) return null;
      const next =
        this.rules.pinnedUplink(at, ingress, candidates, pin, flowHash ^ d) ?? hashSelect(candidates, flowHash ^ d);
      ports.push(next);
      ingress = next;
      d = want;
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
