/**
 * A node of the fabric: anything with ports (host, adapter, switch, storage array, LAN).
 * It receives a transfer through an ingress port and hands it to the next egress port of
 * its route after its forwarding latency, or delivers it when its route ends here.
 *
 * Assumptions:
 * - Store-and-forward: the transfer is handed on `latencyTicks` after its reception ends.
 * - Cut-through: it is handed on `latencyTicks` after its head (the first 64 wire bytes)
 *   is received. The egress must not finish before the ingress reception ends: if the
 *   egress is faster, its transmission starts later, at (reception end − its own
 *   serialization time), and the transmitter stays reserved until then. A transfer that
 *   ends its route here is always received whole before delivery.
 * - Endpoints (hosts, adapters, arrays, the LAN) are nodes with zero or small latency;
 *   what happens on delivery is the workload layer's business (`fabric.onDeliver`).
 * - Lossy transfers queued at this node's ports may share one buffer pool
 *   (`sharedBufferBytes`, see `SwitchNode`); Infinity means only per-port caps apply.
 */

import type { EgressPort } from "./egress-port.js";

export type Forwarding = "store-and-forward" | "cut-through";

export interface NodeOptions {
  /** What the node is ("host", "adapter", "switch", "storage", "lan", …); default "host". */
  readonly kind?: string;
  /** Forwarding latency in ticks (ps); default 0. */
  readonly latencyTicks?: number;
  /** Default "store-and-forward". */
  readonly forwarding?: Forwarding;
  /** Buffer shared by the lossy queues of all the node's ports, bytes; default Infinity. */
  readonly sharedBufferBytes?: number;
}

export class Node {
  readonly name: string;
  readonly kind: string;
  readonly latencyTicks: number;
  readonly forwarding: Forwarding;
  /** Cached `forwarding === "cut-through"` for the hot path. */
  readonly cutThrough: boolean;
  readonly sharedBufferBytes: number;
  /** Bytes waiting in this node's lossy egress queues (checked against `sharedBufferBytes`). */
  lossyQueuedBytes = 0;
  /** Egress ports of this node, in the order they were connected. */
  readonly ports: EgressPort[] = [];

  constructor(name: string, options: NodeOptions = {}) {
    if (!/^[^:\s]+$/.test(name))
      throw new RangeError(`node name must be non-empty without ':' or spaces, got "${name}"`);
    const latency = options.latencyTicks ?? 0;
    if (!(Number.isSafeInteger(latency) && latency >= 0)) {
      throw new RangeError(`node ${name}: latencyTicks must be a non-negative integer, got ${latency}`);
    }
    const shared = options.sharedBufferBytes ?? Number.POSITIVE_INFINITY;
    if (!(shared >= 0)) throw new RangeError(`node ${name}: sharedBufferBytes must be >= 0, got ${shared}`);
    this.name = name;
    this.kind = options.kind ?? "host";
    this.latencyTicks = latency;
    this.forwarding = options.forwarding ?? "store-and-forward";
    this.cutThrough = this.forwarding === "cut-through";
    this.sharedBufferBytes = shared;
  }

  /**
   * Kernel callback (via the fabric): the oldest transfer travelling on `ingress` (a peer's
   * egress port whose far end is this node) has arrived, forwarding latency included.
   */
  receive(ingress: EgressPort): void {
    const t = ingress.takeArrival();
    // Fault injection: a transfer on a failed link is lost when it would have arrived.
    if (ingress.failedReason !== null) {
      ingress.dropArrival(t, ingress.failedReason);
      return;
    }
    const wire = t.wire;
    const ports = t.route.ports;
    const hop = t.hop + 1;
    if (hop === ports.length) {
      // The route ends here: credit goes back to the sender, then the transfer is delivered.
      // (Under PFC a delivered transfer is never counted as held.)
      t.ingress = null;
      if (ingress.creditOnDelivery) ingress.releasePeerBuffer(wire, t.cls);
      ingress.fabric.deliver(t);
      return;
    }
    t.ingress = ingress;
    t.ingressWire = wire;
    t.ingressClass = t.cls;
    ingress.occupyPeerBuffer(t);
    t.hop = hop;
    ports[hop]!.enqueue(t, t.route.queues[hop]!);
  }
}
