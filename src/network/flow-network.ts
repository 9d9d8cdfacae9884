/**
 * The flow-only build of a topology's network: the same nodes, ports and routes as
 * `buildNetwork` (build.ts), but each port holds only what routes and the flow level read
 * (`PortView`): id, protocol and line rate, propagation, the peer's latency, whether it is
 * lossless, its lossy buffer, its queues (count, shaper rates, traffic-class numbering) and
 * its reverse. No packet state: no schedulers, credit rings, link pipes or slab slots, no
 * storage arrays, no clock offsets (they only stretch serialization).
 *
 * Each field is worked out from the same port plan (port-plan.ts) and as `EgressPort`,
 * `createScheduler`, `ClassScheduler` and `PortClasses` work it out from their options; a
 * test builds both networks of the reference racks and of generated sites and compares
 * every port's fields and the flow results. Unlike the packet build it does not check the
 * options (a topology that loads has been built by the packet build's checks already).
 */
import { TICKS_PER_SECOND } from "../../sim/units.js";
import type { LinkOptions, PortOptions } from "../fabric/fabric.js";
import type { PortClassOptions } from "../fabric/port-classes.js";
import type { SchedulerOptions } from "../fabric/scheduler.js";
import type { LinkProtocol } from "../link/protocol.js";
import type { ResolvedTopology } from "../topology/types.js";
import type { RoutedNetwork } from "./build.js";
import { flowRouter } from "./flow-routes.js";
import { fabricNodes } from "./nodes.js";
import { type Connection, planPorts } from "./port-plan.js";
import type { PortGraph, PortRoute, PortView, QueuesView } from "./port-view.js";
import type { RoutedNode, RouterOptions } from "./routing.js";

/** A node of the flow-only build. */
export class FlowNode implements RoutedNode<FlowPort> {
  readonly ports: FlowPort[] = [];
  /** Its ports by id and by port name, indexed on the first lookup (most nodes are never asked). */
  byId: Map<string, FlowPort> | null = null;
  byName: Map<string, FlowPort> | null = null;
  constructor(
    readonly name: string,
    readonly kind: string,
    readonly latencyTicks: number,
  ) {}
}

/** A port's queues: as `createScheduler` or a `ClassScheduler` over it would number and shape them. */
class FlowQueues implements QueuesView {
  readonly queueCount: number;
  readonly dynamicThreshold: number;
  /** With traffic classes only: as `ClassScheduler.queueOf`. */
  readonly queueOf?: (cls: number, sub: number) => number;
  /** Shaper rate per queue, bytes per tick as the DRR scheduler keeps it (null: no queue is shaped). */
  private readonly rate: Float64Array | null;

  constructor(scheduler: SchedulerOptions | undefined, classes: PortClassOptions | undefined) {
    const inner = scheduler?.queues ?? 1;
    const shapers = scheduler?.shapers ?? [];
    this.dynamicThreshold = classes === undefined ? (scheduler?.dynamicThreshold ?? 0) : 0;
    if (classes !== undefined) {
      // A class scheduler: `inner` sub-queues per class; its shapers are not read by the flow level.
      this.queueOf = (cls, sub) => cls * inner + sub;
      this.queueCount = classes.classes.length * inner;
      this.rate = null;
    } else {
      this.queueCount = inner;
      let rate: Float64Array | null = null;
      shapers.forEach((s, q) => {
        if (s === null || s === undefined) return;
        rate ??= new Float64Array(inner);
        rate[q] = s.rateBps / 8 / TICKS_PER_SECOND;
      });
      this.rate = rate;
    }
  }

  shaperRateBps(queue: number): number | null {
    const r = this.rate?.[queue] ?? 0;
    return r > 0 ? r * 8 * TICKS_PER_SECOND : null;
  }
}

/** The queues of a port with no scheduler options and no traffic classes: one FIFO, unshaped. */
const SINGLE_FIFO = new FlowQueues(undefined, undefined);

/** The queues of a port with no scheduler options, per traffic-class options (the port plan shares them per kind of port). */
const byClasses = new WeakMap<PortClassOptions, FlowQueues>();

function classQueues(classes: PortClassOptions | undefined): FlowQueues {
  if (classes === undefined) return SINGLE_FIFO;
  let q = byClasses.get(classes);
  if (q === undefined) {
    q = new FlowQueues(undefined, classes);
    byClasses.set(classes, q);
  }
  return q;
}

/** One direction of a link, as routes and the flow level read it. */
export class FlowPort implements PortView<FlowPort> {
  readonly capacityBps: number;
  readonly lossless: boolean;
  readonly bufferBytes: number;
  readonly peerLatencyTicks: number;
  readonly scheduler: FlowQueues;
  reverse: FlowPort | null = null;
  routingDown = false;

  constructor(
    /** Its place in the network's port list. */
    readonly index: number,
    readonly id: string,
    readonly to: string,
    readonly node: FlowNode,
    readonly peerNode: FlowNode,
    readonly protocol: LinkProtocol,
    readonly propagationTicks: number,
    link: LinkOptions,
    o: PortOptions,
  ) {
    // Each direction's options over the link's, as `Fabric.connect` merges them.
    const flowControl = link.flowControl ?? "none";
    const classes = o.classes ?? link.classes;
    this.capacityBps = protocol.dataRateBps;
    this.bufferBytes = o.bufferBytes ?? link.bufferBytes ?? Number.POSITIVE_INFINITY;
    this.peerLatencyTicks = o.peerLatencyTicks ?? link.peerLatencyTicks ?? peerNode.latencyTicks;
    // With classes (PortClasses): every class no-drop; credits make every VL no-drop, PFC the no-drop classes.
    this.lossless =
      classes === undefined
        ? flowControl === "credit" || flowControl === "pfc"
        : classes.classes.every((c) => flowControl === "credit" || (flowControl === "pfc" && c.noDrop));
    const scheduler = o.scheduler ?? link.scheduler;
    // Most ports have one plain FIFO, or only the link's classes: they share one (immutable) queues object.
    this.scheduler = scheduler === undefined ? classQueues(classes) : new FlowQueues(scheduler, classes);
  }
}

/** Nodes and ports by name, and routes as plain arrays (no checks: the router's paths are valid). */
class FlowGraph implements PortGraph<FlowPort> {
  readonly nodes: FlowNode[] = [];
  readonly ports: FlowPort[] = [];
  private readonly nodeByName = new Map<string, FlowNode>();

  addNode(n: FlowNode): void {
    this.nodes.push(n);
    this.nodeByName.set(n.name, n);
  }

  node(name: string): FlowNode {
    const n = this.nodeByName.get(name);
    if (n === undefined) throw new RangeError(`fabric: no node "${name}"`);
    return n;
  }

  /**
   * The port "node:port" (node names have no ':'): looked up at its node, not in a map of every
   * port (a site has 100,000; routes ask for a few per server).
   */
  port(id: string): FlowPort {
    const n = this.nodeByName.get(id.slice(0, id.indexOf(":")));
    let p: FlowPort | undefined;
    if (n !== undefined) {
      n.byId ??= new Map(n.ports.map((q) => [q.id, q]));
      p = n.byId.get(id);
    }
    if (p === undefined) throw new RangeError(`fabric: no port "${id}"`);
    return p;
  }

  /** The port "node:port" found by the two names: no id string is built, sliced or hashed per lookup. */
  portAt(node: string, port: string): FlowPort {
    const n = this.nodeByName.get(node);
    let p: FlowPort | undefined;
    if (n !== undefined) {
      // A port's id is its node's name, ':', its name (as `connect` is given them).
      n.byName ??= new Map(n.ports.map((q) => [q.id.slice(n.name.length + 1), q]));
      p = n.byName.get(port);
    }
    if (p === undefined) throw new RangeError(`fabric: no port "${node}:${port}"`);
    return p;
  }

  route(ports: readonly FlowPort[], queues: readonly number[]): PortRoute<FlowPort> {
    return { ports, queues };
  }

  connect(c: Connection): void {
    const na = this.node(c.nodes[0]);
    const nb = this.node(c.nodes[1]);
    const o = c.options;
    const i = this.ports.length;
    const propagation = o.propagationTicks ?? 0;
    const ab = new FlowPort(i, c.a, c.b, na, nb, o.aToB?.protocol ?? o.protocol, propagation, o, o.aToB ?? {});
    const ba = new FlowPort(i + 1, c.b, c.a, nb, na, o.bToA?.protocol ?? o.protocol, propagation, o, o.bToA ?? {});
    ab.reverse = ba;
    ba.reverse = ab;
    this.ports.push(ab, ba);
    na.ports.push(ab);
    nb.ports.push(ba);
  }
}

/** The flow-only network of `topo`: its ports and the routes of its flows. */
export function buildFlowNetwork(topo: ResolvedTopology, routing: RouterOptions = {}): RoutedNetwork<FlowPort> {
  const graph = new FlowGraph();
  for (const n of fabricNodes(topo)) graph.addNode(new FlowNode(n.name, n.kind, n.latencyTicks));
  const plan = planPorts(topo, null, (c) => graph.connect(c));
  return { fabric: graph, ...flowRouter<FlowPort>(topo, graph, plan, routing) };
}
