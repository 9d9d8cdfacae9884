/**
 * Turns a resolved topology into model objects on one Simulation: the fabric's
 * nodes and ports, storage arrays, and the routes of every workload instance.
 *
 * How the file's devices become fabric nodes (assumptions):
 * - A server is two nodes: `<server>/host` (CPU and memory: where messages start
 *   and end) and `<server>` (its adapters, so adapter ports keep their names,
 *   `host3:nic0/1`). Each adapter is joined to the host by its own PCIe bus link
 *   (`<server>/host:<adapter>` ↔ `<server>:<adapter>/bus`), credit-based.
 * - An adapter adds its `latency` (default 500 ns for NIC/HBA/CNA/VIC/HCA processing, a
 *   rough figure; 100 ns for a PCIe extender: src/topology/link-fields.ts) to what arrives
 *   at it, from the host or from the network; a shared adapter adds 500 ns. Switches,
 *   directors, fabric interconnects, fabric extenders and PCIe switches use the latency and
 *   forwarding mode from the file.
 * - Scheduler queues: an adapter port with SR-IOV VFs has one queue per VF (round
 *   robin; VF n is queue n − 1; `vfLimit` shapes each VF); a port carrying virtual interfaces has one queue per
 *   vif, weighted by committed rate and shaped to its peak rate (for a director's
 *   vNICs this is applied at the host's HCA rather than in the director: same
 *   effect on the flow); a shared adapter's network ports have one queue per host
 *   it serves (its virtual hierarchies), weighted and rate-limited as the file says.
 * - Where that arbitration acts: an adapter fetches each queue's data over PCIe by
 *   DMA, so a queue that must wait (shaped out, or behind in the round) holds no
 *   buffer in the adapter. The PCIe port that feeds the adapter (the host's bus
 *   port; for a shared adapter, the PCIe switch port into its slot) therefore has
 *   the same queues and weights (committed Mb/s; a VF or a plain port weighs its
 *   share of the line rate) and carries the shapers; the adapter's network ports
 *   keep the queues and weights, unshaped. (A shaper at the network port behind one
 *   credit-limited FIFO would let a shaped queue fill the adapter's receive buffer
 *   and stall every other queue: head-of-line blocking across VFs, vNICs or hosts.)
 *   A shaper's rate and burst are converted to the PCIe link's wire bytes at a
 *   full-size transfer (1500 B messages, 2048 B I/O), so a limit is exact for
 *   full-size frames and approximate (PCIe vs network per-frame overhead) for
 *   smaller ones. The adapter's ports still share one credit pool on the bus, so
 *   queues on different ports are weighed against each other there.
 * - Buffers: a switch's lossy queues share its buffer, each port capped at a
 *   quarter of it (a director or fabric interconnect without a `buffer`: 640 KiB
 *   per port, rough); ports at servers, arrays and the LAN never drop (hosts and
 *   arrays hold their own work). Lossless links' receive buffers (credits): FC
 *   16 frames (34,368 B), InfiniBand 64 KiB, PCIe 16 KiB (an adapter's buffer for what
 *   the host sends it: at least two of its largest frames), PFC 128 KiB, unless the link
 *   gives `buffer`.
 * - Failover (src/run/faults.ts): routes avoid ports that are `routingDown`; a flow
 *   starts from its preferred team member or vif and falls back to the others (see
 *   `startOptions`), and a flow with no path left gets none (`tryRoutes` → null).
 * - Ethernet links accept frames up to their `mtu` (default 9000 B); a flow's transfers
 *   are sized by its unit: for network messages the MTU of its vNIC or adapter (default
 *   1500 B; jumbo 9000), 2048 B for storage I/O (FC frames; FCoE carries them whole — its
 *   extra 18 B of encapsulation is not counted), and never more than the smallest max
 *   payload on the route (PCIe links excepted: a frame crosses PCIe as several TLPs).
 * - PCIe links take their `mps`, `mrrs` and `addressing` from the file (an adapter's bus
 *   from the adapter). Data going down to an adapter (host → adapter, host → PCIe switch →
 *   shared adapter) is what the adapter's DMA engine reads: read completions, whose read
 *   requests go up; data going up is posted writes. Between two PCIe switches: writes.
 * - Queue limits in packets (`queuePackets`): per egress queue of a switch, director or
 *   fabric interconnect beside the byte limit; for an adapter, the host's queue in front of
 *   it (its bus port: frames the host holds for the adapter, e.g. txqueuelen), which drops
 *   what it cannot hold.
 * - A fabric interconnect in end-host mode pins each vNIC's traffic to the LAN to one
 *   uplink (or port-channel), in turn: the n-th vNIC of a fabric (topology order) takes
 *   uplink group n mod groups, a port-channel spreading its vNICs' flows by hash
 *   (`uplinkPinning: per-vnic`, the default; UCS assigns the turns as vNICs come up, not in
 *   file order). `flow-hash` spreads every flow over all uplinks.
 */
import type { RandomStreams } from "../../sim/random.js";
import type { Simulation } from "../../sim/simulation.js";
import type { EgressPort } from "../fabric/egress-port.js";
import { Fabric } from "../fabric/fabric.js";
import type { ResolvedTopology, WorkloadInstance } from "../topology/types.js";
import type { Message } from "../workload/message.js";
import { flowRouter } from "./flow-routes.js";
import { fabricNodes, storageArrays } from "./nodes.js";
import { planPorts } from "./port-plan.js";
import type { PortRoute } from "./port-view.js";
import type { RouteReads, RouterOptions } from "./routing.js";
import type { StorageArray } from "./storage-array.js";

/** The two routes of a flow: out to its target and back (I/O completions travel back). */
export interface FlowRoutes<P = EgressPort> {
  readonly forward: PortRoute<P>;
  readonly reverse: PortRoute<P>;
  /** Payload bytes per transfer for this flow. */
  readonly mtu: number;
  readonly hash: number;
}

/** A network's ports and the routes of its flows: what the flow level needs of either build. */
export interface RoutedNetwork<P> {
  readonly fabric: { readonly ports: readonly P[] };
  /**
   * Routes of an instance to its target number `target`, computed on each call (not cached
   * per flow: the caller keeps them). Throws when there is no path.
   */
  routes(instance: WorkloadInstance, instanceKey: string, target: number, unit: "message" | "io"): FlowRoutes<P>;
  /**
   * Like `routes`, but null when no path avoids the ports that are down (faults). With
   * `reads`, the ports whose `routingDown` the answer depends on are added to it (the flow
   * model re-routes only the flows a failure can change).
   */
  tryRoutes(
    instance: WorkloadInstance,
    instanceKey: string,
    target: number,
    unit: "message" | "io",
    reads?: RouteReads<P>,
  ): FlowRoutes<P> | null;
  /** Forgets what routing cached about ports' state (ports went down or came back: failover, restore). */
  invalidateRoutes(): void;
}

/** The packet-level network: its fabric, storage arrays and routes. */
export interface Network extends RoutedNetwork<EgressPort> {
  readonly sim: Simulation;
  readonly fabric: Fabric;
  readonly arrays: ReadonlyMap<string, StorageArray>;
}

export function buildNetwork(
  topo: ResolvedTopology,
  sim: Simulation,
  streams: RandomStreams,
  onServed: (array: StorageArray, msg: Message) => void,
  /** How routes are found (default: distance tables; tests compare them with the plain search). */
  routing: RouterOptions = {},
): Network {
  const fabric = new Fabric(sim);
  for (const node of fabricNodes(topo)) fabric.addNode(node);
  const arrays = storageArrays(topo, sim, streams, onServed);
  const plan = planPorts(topo, streams.stream("link-clocks"));
  for (const c of plan.connections) fabric.connect(c.a, c.b, c.options);
  return { sim, fabric, arrays, ...flowRouter<EgressPort>(topo, fabric, plan, routing) };
}
