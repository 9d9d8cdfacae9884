/**
 * How a built network's devices forward (see build.ts's header and routing.ts): which nodes
 * may carry a flow, the turns a device refuses (a fabric extender's host ports, a PCIe
 * switch between hosts, the director design's IB fabric, a shared adapter's ports), and the
 * uplinks pinned instead of hashed (a fabric extender's static pinning, a fabric
 * interconnect's end-host mode pinning each vNIC to an uplink in turn).
 */
import { hashSelect } from "../fabric/switch-node.js";
import type { DirectorNode, ResolvedNode, ResolvedTopology } from "../topology/types.js";
import { hostName } from "./port-plan.js";
import type { PortView } from "./port-view.js";
import type { RoutedNode, RouteRules } from "./routing.js";

/** The forwarding rules of `topo`'s devices (`byName`: its nodes by name). */
export function routeRules<P extends PortView<P>>(
  topo: ResolvedTopology,
  byName: ReadonlyMap<string, ResolvedNode>,
): RouteRules<P> {
  const isServer = (n: RoutedNode<P>): boolean => byName.get(n.name)?.kind === "server";
  // Transit depends on the source host only through the shared adapters serving it: hosts served by
  // the same adapters route alike (one distance table per destination for a whole PCIe box).
  const servedBy = new Map<string, string[]>();
  for (const n of topo.nodes)
    if (n.kind === "shared-adapter") for (const h of n.hosts) servedBy.set(h, [...(servedBy.get(h) ?? []), n.name]);
  const sourceKeys = new Map([...servedBy].map(([h, list]) => [h, list.sort().join(",")]));
  /** Each shared adapter's hosts' host nodes (where traffic coming in through it may end). */
  const servesHost = new Map<string, Set<string>>();
  for (const n of topo.nodes) if (n.kind === "shared-adapter") servesHost.set(n.name, new Set(n.hosts.map(hostName)));
  const channels: UplinkChannels = new Map();
  const rules: RouteRules<P> = {
    sourceKey(sourceHost: string): string {
      return sourceKeys.get(sourceHost) ?? "";
    },
    transit(node: RoutedNode<P>, sourceHost: string, dst: RoutedNode<P>): boolean {
      const r = byName.get(node.name);
      if (r === undefined) return false; // a server's host node
      // A server's adapters carry only traffic ending at that server.
      if (r.kind === "server") return dst.name === hostName(r.name);
      if (r.kind === "storage-array") return false;
      // A SAN switch carries Fibre Channel, and FC goes to the arrays: without this a message
      // between two directors, FI domains or PCIe boxes could cross the SAN through their FC
      // ports (as short a path as the LAN's).
      if (r.kind === "fc-switch") return byName.get(dst.name)?.kind === "storage-array";
      // The LAN (the site's aggregation and core) carries traffic between the fabric's own
      // elements only: east-west between two access pairs, UCS fabrics A and B, two directors.
      if (r.kind === "lan") return dst.name.endsWith("/host");
      // A shared adapter carries its hosts' traffic out, and traffic from anywhere in to the hosts it
      // serves (east-west from another PCIe box arrives through the LAN and one of these adapters).
      if (r.kind === "shared-adapter") return r.hosts.includes(sourceHost) || servesHost.get(r.name)!.has(dst.name);
      return true;
    },
    forwardsOnlyTo(node: RoutedNode<P>): string | null | undefined {
      const r = byName.get(node.name);
      if (r === undefined || r.kind === "storage-array") return null; // as transit says
      return r.kind === "server" ? hostName(r.name) : undefined;
    },
    bySource(node: RoutedNode<P>): boolean {
      return byName.get(node.name)?.kind === "shared-adapter";
    },
    turn(node: RoutedNode<P>, ingress: P, egress: P, dst: RoutedNode<P>): boolean {
      const r = byName.get(node.name);
      const fromServer = isServer(ingress.node);
      const toServer = isServer(egress.peerNode);
      switch (r?.kind) {
        // An IOM does no local switching: host ports go up, fabric ports come down.
        case "fabric-extender":
          return fromServer !== toServer;
        // No host-to-host paths through a PCIe switch (non-transparent bridging is not modelled).
        case "pcie-switch":
          return !(fromServer && toServer);
        // Director design: vNIC/vHBA traffic is tunnelled to the I/O director, never turned in the IB fabric.
        case "ib-switch":
          return topo.design !== "director" || !(fromServer && toServer);
        // A shared adapter is not a switch: between its network ports nothing passes; host to host
        // only through its embedded VF switch (VEB), and only to a host it serves.
        case "shared-adapter": {
          const busIn = ingress.peerNode === node && ingress.to.endsWith(":bus");
          const busOut = egress.id.endsWith(":bus");
          if (!busIn && !busOut) return false;
          // Only an Ethernet adapter has a VF switch; an FC HBA never turns traffic between hosts.
          if (busIn && busOut)
            return r.link.startsWith("eth-") && r.hosts.includes(dst.name.slice(0, dst.name.length - "/host".length));
          return true;
        }
        default:
          return true;
      }
    },
    pinnedUplink(
      node: RoutedNode<P>,
      ingress: P | null,
      candidates: readonly P[],
      pin: number,
      hash: number,
    ): P | null {
      const r = byName.get(node.name);
      if (r?.kind === "fabric-interconnect")
        return r.uplinkPinning === "per-vnic" ? vnicUplink(r, channels, candidates, pin, hash) : null;
      if (r?.kind !== "fabric-extender" || r.pinning !== "static" || ingress === null) return null;
      // Static pinning: host port i uses uplink (i − 1) mod uplinks.
      const port = ingress.to.slice(ingress.to.indexOf(":") + 1);
      const rp = r.ports.find((p) => p.name === port);
      if (rp === undefined || rp.group === "fabric" || candidates.length === 0) return null;
      return candidates[(rp.index - 1) % candidates.length]!;
    },
  };
  return rules;
}

/**
 * End-host mode: the uplink of vNIC turn `pin` among `candidates` when they are all uplinks
 * (module ports): uplink groups (a port-channel, or a port alone) in the candidates' order,
 * group `pin` mod groups, a member by hash.
 */
function vnicUplink<P extends PortView<P>>(
  fi: DirectorNode,
  channels: UplinkChannels,
  candidates: readonly P[],
  pin: number,
  hash: number,
): P | null {
  if (pin < 0 || candidates.length < 2) return null;
  const groups = uplinkGroups(fi, channels, candidates);
  if (groups === null) return null;
  const group = groups[pin % groups.length]!;
  return group.length === 1 ? group[0]! : hashSelect(group, hash);
}

/**
 * The uplink groups of `candidates` (null: not all uplinks), kept per candidate list: the
 * router hands every flow through a node the same cached list, and this runs per flow.
 */
const groupsOf = new WeakMap<readonly unknown[], readonly (readonly unknown[])[] | null>();

function uplinkGroups<P extends PortView<P>>(
  fi: DirectorNode,
  channels: UplinkChannels,
  candidates: readonly P[],
): readonly (readonly P[])[] | null {
  const hit = groupsOf.get(candidates) as readonly (readonly P[])[] | null | undefined;
  if (hit !== undefined) return hit;
  const channelOf = uplinkChannels(fi, channels);
  const portOf = (p: P): string => p.id.slice(p.id.indexOf(":") + 1);
  if (!candidates.every((p) => channelOf.has(portOf(p)))) {
    groupsOf.set(candidates, null);
    return null;
  }
  const groups: P[][] = [];
  const byChannel = new Map<number, P[]>();
  for (const p of candidates) {
    const c = channelOf.get(portOf(p))!;
    if (c < 0) groups.push([p]);
    else {
      let g = byChannel.get(c);
      if (g === undefined) {
        g = [];
        byChannel.set(c, g);
        groups.push(g);
      }
      g.push(p);
    }
  }
  groupsOf.set(candidates, groups);
  return groups;
}

/** Per fabric interconnect of one network: each module port's port-channel (index; −1: none). */
type UplinkChannels = Map<DirectorNode, ReadonlyMap<string, number>>;

/** `fi`'s module ports and their port-channels, worked out once per network (asked per flow). */
function uplinkChannels(fi: DirectorNode, channelsOf: UplinkChannels): ReadonlyMap<string, number> {
  let m = channelsOf.get(fi);
  if (m === undefined) {
    const map = new Map<string, number>();
    for (const port of fi.modules.flatMap((mod) => mod.ports))
      map.set(
        port,
        fi.portChannels.findIndex((members) => members.includes(port)),
      );
    m = map;
    channelsOf.set(fi, m);
  }
  return m;
}

/**
 * Each vNIC's turn among the vNICs of its fabric (its `fabric`, else its port), in topology
 * order: server → vNIC → turn (no "server|vnic" string built per lookup).
 */
export function vnicTurns(topo: ResolvedTopology): Map<string, Map<string, number>> {
  const vnicTurn = new Map<string, Map<string, number>>();
  const next = new Map<string, number>();
  for (const n of topo.nodes) {
    if (n.kind !== "server") continue;
    for (const a of n.adapters)
      for (const v of a.vifs) {
        if (v.type !== "vnic") continue;
        const fabricKey = v.fabric ?? v.port;
        const turn = next.get(fabricKey) ?? 0;
        let turns = vnicTurn.get(n.name);
        if (turns === undefined) {
          turns = new Map();
          vnicTurn.set(n.name, turns);
        }
        turns.set(v.name, turn);
        next.set(fabricKey, turn + 1);
      }
  }
  return vnicTurn;
}
