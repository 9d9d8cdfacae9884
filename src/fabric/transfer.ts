/**
 * A transfer is one unit on the wire (Ethernet frame, FC frame, IB packet, PCIe TLP)
 * travelling along a precomputed route of egress ports.
 *
 * Assumptions:
 * - The route is fixed at injection (source routing); switches do not look anything up.
 * - `payload` is a whole number of bytes. A payload larger than a link's max payload is
 *   carried as one unit that occupies that link for all its segments (`protocol.segment`),
 *   so the workload layer may inject messages or TLP bursts directly when it does not
 *   need per-segment interleaving.
 * - A transfer object is owned by the workload layer, which may recycle it after
 *   `onDeliver`/`onDrop` (call `reset`); the fabric allocates nothing per transfer.
 */

import { small } from "../../sim/small.js";
import type { EgressPort } from "./egress-port.js";

/** The egress ports a transfer leaves through, source first, and the scheduler queue at each. */
export interface Route {
  readonly ports: readonly EgressPort[];
  /** Scheduler queue index at each hop (usually 0); same length as `ports`. */
  readonly queues: readonly number[];
}

export class Transfer {
  /** The message or I/O this transfer belongs to; opaque to the fabric. */
  owner: unknown;
  /** Payload bytes (what the link protocol frames; not counting headers). */
  payload: number;
  route: Route;
  /** Index in `route.ports` of the port the transfer is queued at or leaving through. */
  hop = 0;
  /** The port it arrived through at its current node (null at the source): its buffer or credit is returned when the node is done. */
  ingress: EgressPort | null = null;
  /** Time (ticks) it joined its current egress queue. */
  enqueuedAt = 0;
  /** True while it sits in a lossless port's (or no-drop class's) queue (not counted against lossy buffers). */
  lossless = false;
  /** ECN-capable transport (DCTCP): switches may mark it instead of dropping. */
  ect = false;
  /** Congestion experienced: an ECN mark picked up on the way. */
  ce = false;
  /** The transport's sequence number (TCP segments), or -1. */
  seq = -1;
  /** The transport's transmission number (TCP: distinguishes a retransmission), or -1. */
  tx = -1;
  /** `fabric.onLeave` is told when it starts transmitting at this port (then this is cleared); null: never. */
  notifyAt: EgressPort | null = null;

  // Bookkeeping the ports keep on the transfer so that no side table is needed.
  /** @internal Wire bytes at the port it is queued at or leaving through. */
  wire = 0;
  /** @internal Wire bytes it occupied on `ingress` (the credit or PFC bytes to give back). */
  ingressWire = 0;
  /** @internal When its reception at the current node ends: a cut-through egress must not finish earlier. */
  rxEndAt = 0;
  /** @internal Traffic class it was sent in at the port it is leaving through (0 without classes). */
  cls = 0;
  /** @internal Its class on `ingress` (whose PFC count or VL credit it holds). */
  ingressClass = 0;

  constructor(owner: unknown, payload: number, route: Route) {
    this.owner = owner;
    this.payload = small(payload);
    this.route = route;
  }

  /** Reuses the object for a new transfer (after it was delivered or dropped). */
  reset(owner: unknown, payload: number, route: Route): this {
    this.owner = owner;
    this.payload = small(payload);
    this.route = route;
    this.hop = 0;
    this.ingress = null;
    this.enqueuedAt = 0;
    this.lossless = false;
    this.ect = false;
    this.ce = false;
    this.seq = -1;
    this.tx = -1;
    this.notifyAt = null;
    this.wire = 0;
    this.ingressWire = 0;
    this.rxEndAt = 0;
    this.cls = 0;
    this.ingressClass = 0;
    return this;
  }
}
