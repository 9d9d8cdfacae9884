/**
 * The router's exhaustive search (routing.ts): per (destination, source), a breadth-first
 * search from the destination over the ports that are up and the turns the nodes allow, and
 * the route it gives (at each hop the candidates one hop nearer, sorted by id, one picked by
 * the flow's hash or the node's pinning). The router falls back to it when a distance
 * table's answer does not hold for a flow (its shortest path is longer than the table's),
 * and a test compares every route of the tables with it (`RouterOptions.tables: false`).
 */
import { hashSelect } from "../fabric/switch-node.js";
import { byId } from "./distance-table.js";
import type { RoutedNode, RoutedPort, RouteRules } from "./routed.js";

export class ExactRoutes<P extends RoutedPort<P>> {
  /** Distances per (destination, source key), valid until `clear`. */
  private readonly bySource = new Map<string, Map<P, number>>();

  constructor(
    private readonly ports: readonly P[],
    private readonly rules: RouteRules<P>,
    /** Each node's incoming ports (numbers in `ports`). */
    private readonly incomingIndex: ReadonlyMap<RoutedNode<P>, Int32Array>,
  ) {}

  /** Forgets the distances (ports went down or came back). */
  clear(): void {
    this.bySource.clear();
  }

  /** Hops from leaving through each port to reaching `dst` for this source (reverse BFS over allowed turns). */
  private distances(dst: RoutedNode<P>, sourceHost: string): Map<P, number> {
    const key = `${dst.name}\u0000${this.rules.sourceKey?.(sourceHost) ?? sourceHost}`;
    const hit = this.bySource.get(key);
    if (hit !== undefined) return hit;
    const dist = new Map<P, number>();
    let frontier: P[] = [];
    for (const pi of this.incomingIndex.get(dst) ?? []) {
      const p = this.ports[pi]!;
      if (p.routingDown) continue;
      dist.set(p, 1);
      frontier.push(p);
    }
    while (frontier.length > 0) {
      const next: P[] = [];
      for (const q of frontier) {
        const n = q.node;
        if (n === dst || !this.rules.transit(n, sourceHost, dst)) continue;
        const d = dist.get(q)!;
        for (const pi of this.incomingIndex.get(n) ?? []) {
          const p = this.ports[pi]!;
          if (p.routingDown || dist.has(p) || !this.rules.turn(n, p, q, dst)) continue;
          dist.set(p, d + 1);
          next.push(p);
        }
      }
      frontier = next;
    }
    this.bySource.set(key, dist);
    return dist;
  }

  /** The route from `start` to `dst` for this source with the ports down left out (null: none). */
  path(start: P, dst: RoutedNode<P>, sourceHost: string, flowHash: number, pin: number): P[] | null {
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
