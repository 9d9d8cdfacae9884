/**
 * FC port channels at the flow level. ISLs between two FC switches run as a port channel
 * balanced per exchange (Cisco MDS: `src-dst-ox-id`, the default; docs/domain.md §11.3): each
 * I/O takes a member by hash, so a flow's I/Os spread over every member that is up. The flow
 * level therefore splits a flow's use of any member evenly over its channel's members that
 * are up. The packet level keeps one member per storage lane (the lane's hash): a coarser
 * spread, the same in the mean.
 *
 * A channel: the egress ports of one FC switch whose links go to the same other FC switch,
 * two or more of them. Fabric interconnect and director FC uplinks (pinned per vHBA in NPV
 * mode) and array ports (chosen by multipathing, a lane each) are not channels.
 */
import type { AnyPort } from "../network/port-view.js";
import type { ResolvedTopology } from "../topology/types.js";

export class PortChannels {
  /** Each port's channel (−1: none), by port number. */
  readonly of: Int32Array;
  /** Each channel's member port numbers. */
  readonly members: Int32Array[] = [];

  constructor(ports: readonly AnyPort[], topo: ResolvedTopology) {
    this.of = new Int32Array(ports.length).fill(-1);
    const fcSwitches = new Set(topo.nodes.filter((n) => n.kind === "fc-switch").map((n) => n.name));
    if (fcSwitches.size < 2) return;
    const byPair = new Map<string, number[]>();
    ports.forEach((p, i) => {
      if (!fcSwitches.has(p.node.name) || !fcSwitches.has(p.peerNode.name)) return;
      const key = `${p.node.name}\u0000${p.peerNode.name}`;
      const list = byPair.get(key);
      if (list === undefined) byPair.set(key, [i]);
      else list.push(i);
    });
    for (const list of byPair.values()) {
      if (list.length < 2) continue;
      const c = this.members.length;
      this.members.push(Int32Array.from(list));
      for (const i of list) this.of[i] = c;
    }
  }

  /** Members of channel `c` that are up (routing may use them). */
  upCount(c: number, ports: readonly AnyPort[]): number {
    const ms = this.members[c]!;
    let up = 0;
    for (let j = 0; j < ms.length; j++) if (!ports[ms[j]!]!.routingDown) up++;
    return up;
  }
}
