/**
 * What routing reads of a network (its nodes and egress ports, the packet fabric's or the
 * flow level's) and the forwarding rules it follows (route-rules.ts gives a topology's);
 * routing.ts finds the routes.
 */

/** What routing reads of a node: its name and egress ports (the packet fabric's, or the flow level's). */
export interface RoutedNode<P> {
  readonly name: string;
  readonly ports: readonly P[];
}

/** What routing reads of an egress port. */
export interface RoutedPort<P> {
  readonly id: string;
  /**
   * Its place in its network's port list, when the build numbers its ports (the flow-only
   * build does): then no Map from port to number is built or asked.
   */
  readonly index?: number;
  readonly node: RoutedNode<P>;
  readonly peerNode: RoutedNode<P>;
  /** Control plane: routes avoid this port. */
  routingDown: boolean;
}

export interface RouteRules<P extends RoutedPort<P>> {
  /**
   * May `node` carry a flow from `sourceHost` to `dst`? The answer may depend on
   * `sourceHost` only at nodes for which `bySource` says so.
   */
  transit(node: RoutedNode<P>, sourceHost: string, dst: RoutedNode<P>): boolean;
  /** Does `transit` at `node` depend on the source host (a shared adapter serves some hosts)? Default: no node. */
  bySource?(node: RoutedNode<P>): boolean;
  /** May a flow that entered `node` through `ingress` leave through `egress`? (Devices that do not switch locally.) */
  turn(node: RoutedNode<P>, ingress: P, egress: P, dst: RoutedNode<P>): boolean;
  /**
   * Pinning instead of hashing: the uplink for a flow that came in on `ingress` (a fabric
   * extender's static pinning) or of vNIC turn `pin` (a fabric interconnect; −1 without a
   * vNIC), or null for hashing over `candidates` (sorted by id).
   */
  pinnedUplink(
    node: RoutedNode<P>,
    ingress: P | null,
    candidates: readonly P[],
    pin: number,
    flowHash: number,
  ): P | null;
  /**
   * Sources whose flows `transit` treats alike share this key (distances are cached per
   * destination and key): without it, per source host.
   */
  sourceKey?(sourceHost: string): string;
  /**
   * A node that forwards nothing (null) or only traffic to one node (its name: a server's
   * adapters carry only what ends at its host); undefined: ask `transit`. Must agree with
   * `transit`. The ports such a node sends from are where flows start: the router leaves
   * them out of its distance tables and works out a start port's distance when asked.
   */
  forwardsOnlyTo?(node: RoutedNode<P>): string | null | undefined;
}

/** The ports whose `routingDown` a route depended on (see routing.ts's header). */
export interface RouteReads<P> {
  readonly ports: P[];
  /** The exhaustive per-source search ran: the route depends on every port. */
  everything: boolean;
}

export interface RouterOptions {
  /**
   * false: no distance tables, every route from the exhaustive per-(destination, source)
   * search (the plain computation the tables must agree with; for tests). Default true.
   */
  readonly tables?: boolean;
  /** Estimated bytes of distance tables kept beyond the least `TABLES_KEPT` (default `TABLE_BUDGET`; for tests). */
  readonly tableBudget?: number;
}
