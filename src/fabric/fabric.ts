/**
 * The packet-level fabric: nodes, the ports of their links, and the kernel handlers that
 * move transfers between them. The workload layer builds it, sets `onDeliver`/`onDrop`,
 * and `inject`s transfers; the metrics layer reads port stats and walks what is in flight.
 *
 * Assumptions:
 * - Handlers are registered once per fabric; every event's payload is a port, so no
 *   closure or object is allocated per event (the transfer itself is the only allocation,
 *   and the workload layer may recycle it).
 * - A transfer is always in exactly one place: a scheduler queue, or a port's link pipe
 *   (being serialized, propagating, or inside the peer's forwarding latency). Delivery and
 *   drops are synchronous, so `injected = delivered + dropped + in flight` at every instant.
 * - Counters here cover the whole run; port statistics cover the window (`resetStats`).
 */

import type { Simulation } from "../../sim/simulation.js";
import type { LinkProtocol } from "../link/protocol.js";
import { EgressPort, type PortConfig } from "./egress-port.js";
import type { FlowControl } from "./flow-control.js";
import type { Node } from "./node.js";
import type { PortClassOptions } from "./port-classes.js";
import type { SchedulerOptions } from "./scheduler.js";
import type { Route, Transfer } from "./transfer.js";

/** Per-direction settings of a link. */
export interface PortOptions {
  /** Lossy egress buffer, bytes (waiting bytes); default Infinity. */
  readonly bufferBytes?: number;
  /** The receiver's buffer for this direction (credit pool / PFC buffer), bytes; required when lossless. */
  readonly peerBufferBytes?: number;
  readonly scheduler?: SchedulerOptions;
  /** Transfers the egress queue may hold (see EgressPort); default Infinity. */
  readonly bufferPackets?: number;
  /** The receiving node's forwarding latency for this direction (default: the node's own). */
  readonly peerLatencyTicks?: number;
  /** This direction's protocol, instead of the link's (PCIe read completions one way, writes the other). */
  readonly protocol?: LinkProtocol;
  /** Traffic classes of this direction (DCB classes, InfiniBand VLs). */
  readonly classes?: PortClassOptions;
  /** Without classes: ECN marking threshold, waiting bytes. */
  readonly ecnThresholdBytes?: number;
  /** Transmit clock offset, ppm (see `PortConfig.clockPpm`). */
  readonly clockPpm?: number;
}

export interface LinkOptions extends PortOptions {
  readonly protocol: LinkProtocol;
  /** One-way propagation delay, ticks; default 0. */
  readonly propagationTicks?: number;
  /** Default "none" (lossy). */
  readonly flowControl?: FlowControl;
  /** Overrides for the direction a → b (the first endpoint's egress port). */
  readonly aToB?: PortOptions;
  /** Overrides for the direction b → a. */
  readonly bToA?: PortOptions;
}

/** Probe names the fabric emits on `sim.probes` (only when someone listens). */
export interface FabricProbes {
  /** A transfer was dropped: (transfer, reason, port, now). */
  "fabric.drop": [t: Transfer, reason: string, port: EgressPort, now: number];
  /** A PFC PAUSE (true) or RESUME (false) reached a port: (port, paused, now, class index or -1 for the whole link). */
  "fabric.pfc": [port: EgressPort, paused: boolean, now: number, cls: number];
}

function noop(): void {}

export class Fabric {
  readonly sim: Simulation;
  /** Called when a transfer reaches the end of its route. Set by the workload layer. */
  onDeliver: (t: Transfer) => void = noop;
  /** Called when a transfer is dropped, with a reason like "buffer overflow at sw1:p3". */
  onDrop: (t: Transfer, reason: string) => void = noop;
  /**
   * A tracer (the visualizer samples transfers with it): told as each transfer starts
   * transmitting at a port, with its first and last bit's times (ticks). Null, the
   * default, costs one property check per transfer; it never changes the run.
   */
  onTransmit: ((port: EgressPort, t: Transfer, begin: number, end: number) => void) | null = null;
  /** Called when a transfer starts transmitting at the port it named in `notifyAt` (set by the workload layer). */
  onLeave: (t: Transfer) => void = noop;
  readonly nodes: Node[] = [];
  readonly ports: EgressPort[] = [];
  /** Whole-run counters. */
  injected = 0;
  delivered = 0;
  dropped = 0;
  /** Start of the measurement window (ticks). */
  windowStart = 0;

  /** @internal Kernel handler ids; every payload is an EgressPort. */
  readonly hTxComplete: number;
  readonly hArrive: number;
  readonly hCredit: number;
  readonly hPause: number;
  readonly hResume: number;
  readonly hWake: number;

  private readonly nodeByName = new Map<string, Node>();
  private readonly portById = new Map<string, EgressPort>();
  /** Routes' queue lists by content (`queueList`). */
  private readonly queueLists = new Map<string, readonly number[]>();
  /** Slab chunks for ports' hot numbers (`slots`). */
  private slab = new Float64Array(0);
  private slabUsed = 0;

  constructor(sim: Simulation) {
    this.sim = sim;
    this.hTxComplete = sim.handler((p: EgressPort) => p.txComplete(), "fabric.txComplete");
    this.hArrive = sim.handler((p: EgressPort) => p.peerNode.receive(p), "fabric.arrive");
    this.hCredit = sim.handler((p: EgressPort) => p.creditArrived(), "fabric.credit");
    this.hPause = sim.handler((p: EgressPort) => p.pauseArrived(), "fabric.pause");
    this.hResume = sim.handler((p: EgressPort) => p.resumeArrived(), "fabric.resume");
    this.hWake = sim.handler((p: EgressPort) => p.wake(), "fabric.wake");
  }

  /**
   * @internal `n` consecutive doubles, zeroed, in a slab shared with other ports (chunks of
   * 64 KiB that are never moved): a port keeps its hot numbers there (egress-port.ts).
   */
  slots(n: number): { slab: Float64Array; base: number } {
    if (this.slabUsed + n > this.slab.length) {
      this.slab = new Float64Array(Math.max(8192, n));
      this.slabUsed = 0;
    }
    const base = this.slabUsed;
    this.slabUsed += n;
    return { slab: this.slab, base };
  }

  /** Adds a node (Node, SwitchNode, …); names are unique. */
  addNode<N extends Node>(node: N): N {
    if (this.nodeByName.has(node.name)) throw new RangeError(`fabric: node "${node.name}" already exists`);
    this.nodeByName.set(node.name, node);
    this.nodes.push(node);
    return node;
  }

  node(name: string): Node {
    const n = this.nodeByName.get(name);
    if (n === undefined) throw new RangeError(`fabric: no node "${name}"`);
    return n;
  }

  /** The egress port "node:port". */
  port(id: string): EgressPort {
    const p = this.portById.get(id);
    if (p === undefined) throw new RangeError(`fabric: no port "${id}"`);
    return p;
  }

  /**
   * Connects "nodeA:portA" and "nodeB:portB" with a full-duplex link: two egress ports,
   * returned as [a → b, b → a]. Both nodes must have been added; port names are unique per node.
   */
  connect(a: string, b: string, options: LinkOptions): [EgressPort, EgressPort] {
    const [nodeA, idA] = this.endpoint(a);
    const [nodeB, idB] = this.endpoint(b);
    if (idA === idB) throw new RangeError(`fabric: a link needs two different ports, got "${a}" twice`);
    const common = {
      protocol: options.protocol,
      propagationTicks: options.propagationTicks ?? 0,
      flowControl: options.flowControl ?? "none",
    };
    // One object shape for every port's config (a site builds tens of thousands of ports).
    const config = (
      id: string,
      to: string,
      node: Node,
      peerNode: Node,
      override: PortOptions | undefined,
    ): PortConfig => {
      const o = override ?? {};
      return {
        protocol: o.protocol ?? common.protocol,
        propagationTicks: common.propagationTicks,
        flowControl: common.flowControl,
        id,
        to,
        node,
        peerNode,
        bufferBytes: o.bufferBytes ?? options.bufferBytes,
        bufferPackets: o.bufferPackets ?? options.bufferPackets,
        peerLatencyTicks: o.peerLatencyTicks ?? options.peerLatencyTicks,
        peerBufferBytes: o.peerBufferBytes ?? options.peerBufferBytes,
        scheduler: o.scheduler ?? options.scheduler,
        classes: o.classes ?? options.classes,
        ecnThresholdBytes: o.ecnThresholdBytes ?? options.ecnThresholdBytes,
        clockPpm: o.clockPpm ?? options.clockPpm,
      };
    };
    const ab = new EgressPort(this, config(idA, idB, nodeA, nodeB, options.aToB));
    const ba = new EgressPort(this, config(idB, idA, nodeB, nodeA, options.bToA));
    ab.reverse = ba;
    ba.reverse = ab;
    for (const p of [ab, ba]) {
      this.portById.set(p.id, p);
      this.ports.push(p);
      p.node.ports.push(p);
    }
    return [ab, ba];
  }

  /**
   * A route through `ports` (ids or ports), each leaving the node the previous one reaches.
   * `queues` gives the scheduler queue at each hop (default all 0). An array of ports is
   * kept as the route's own, frozen, not copied (a site builds one per flow and direction:
   * the copy was about 60 B a route); pass a fresh one.
   */
  route(ports: readonly (string | EgressPort)[], queues?: readonly number[]): Route {
    if (ports.length === 0) throw new RangeError("fabric.route: a route needs at least one port");
    const resolved = ports.some((p) => typeof p === "string")
      ? ports.map((p) => (typeof p === "string" ? this.port(p) : p))
      : (ports as readonly EgressPort[]);
    const q = queues ?? resolved.map(() => 0);
    if (q.length !== resolved.length) {
      throw new RangeError(`fabric.route: ${q.length} queue indices for ${resolved.length} ports`);
    }
    for (let i = 0; i < resolved.length; i++) {
      const p = resolved[i]!;
      if (p.fabric !== this) throw new RangeError(`fabric.route: port ${p.id} belongs to another fabric`);
      const prev = resolved[i - 1];
      if (prev !== undefined && prev.peerNode !== p.node) {
        throw new RangeError(`fabric.route: ${prev.id} leads to ${prev.peerNode.name}, but the next port is ${p.id}`);
      }
      const qi = q[i]!;
      if (!(Number.isInteger(qi) && qi >= 0 && qi < p.scheduler.queueCount)) {
        throw new RangeError(`fabric.route: port ${p.id} has no queue ${qi} (it has ${p.scheduler.queueCount})`);
      }
    }
    return Object.freeze({ ports: Object.freeze(resolved), queues: this.queueList(q) });
  }

  /**
   * One frozen copy per distinct list of queue indices: a site's routes have a few hundred
   * of them (mostly all zeros) for tens of thousands of flows, about 60 B a route each.
   */
  private queueList(q: readonly number[]): readonly number[] {
    const key = q.join(",");
    let list = this.queueLists.get(key);
    if (list === undefined) {
      list = Object.freeze([...q]);
      this.queueLists.set(key, list);
    }
    return list;
  }

  /** Puts `t` into the first port of its route now (the first hop may drop it). */
  inject(t: Transfer): void {
    const first = t.route.ports[0];
    if (first === undefined) throw new RangeError("fabric.inject: the transfer's route is empty");
    t.hop = 0;
    t.ingress = null;
    t.rxEndAt = 0;
    this.injected++;
    first.enqueue(t, t.route.queues[0]!);
  }

  /** Calls `fn` once for every transfer injected and neither delivered nor dropped. O(transfers in flight + ports). */
  forEachTransferInFlight(fn: (t: Transfer) => void): void {
    for (const p of this.ports) p.forEachTransfer(fn);
  }

  /** Transfers in flight, counted by walking queues and links (not by difference). */
  countInFlight(): number {
    let n = 0;
    this.forEachTransferInFlight(() => {
      n++;
    });
    return n;
  }

  /** Starts the measurement window now (end of warm-up) on every port. */
  resetStats(): void {
    this.windowStart = this.sim.now;
    for (const p of this.ports) p.resetStats();
  }

  /** @internal The last node of the route has the transfer. */
  deliver(t: Transfer): void {
    this.delivered++;
    this.onDeliver(t);
  }

  /** @internal A port dropped the transfer. */
  dropAt(t: Transfer, reason: string, port: EgressPort): void {
    this.dropped++;
    const probes = this.sim.probes;
    if (probes.listenerCount("fabric.drop") > 0) probes.emit("fabric.drop", t, reason, port, this.sim.now);
    this.onDrop(t, reason);
  }

  private endpoint(id: string): [Node, string] {
    const i = id.indexOf(":");
    if (i <= 0 || i === id.length - 1 || id.indexOf(":", i + 1) >= 0) {
      throw new RangeError(`fabric: a port is "node:port", got "${id}"`);
    }
    const node = this.node(id.slice(0, i));
    if (this.portById.has(id)) throw new RangeError(`fabric: port "${id}" is already connected`);
    return [node, id];
  }
}
