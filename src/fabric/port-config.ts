/**
 * What an egress port is built from (`PortConfig`), what it measures (`PortStats`), its
 * states, and the layout of its hot numbers in the fabric's slab. The port itself is
 * `egress-port.ts`; this file has no behaviour.
 */

import type { LinkProtocol } from "../link/protocol.js";
import type { FlowControl } from "./flow-control.js";
import type { Node } from "./node.js";
import type { ClassStats, PortClassOptions } from "./port-classes.js";
import type { SchedulerOptions } from "./scheduler.js";

export const READY = 0;
export const BUSY = 1;
export const PAUSED = 2;
export type PortState = typeof READY | typeof BUSY | typeof PAUSED;
export const STATE_NAMES = ["READY", "BUSY", "PAUSED"] as const;

/** Wire bytes of the head that a cut-through receiver needs before forwarding. */
export const CUT_THROUGH_HEAD_BYTES = 64;

// A port's hot numbers live in the fabric's slab (`Fabric.slots`), 16 doubles per port, not
// in fields: a field that ever holds a non-integer or a tick count past 2^31 (2 ms) points
// to a separate heap number, and a site's ports then spread each event's reads over many
// more cache lines (issue 16). Slot offsets (@internal, for the port's own files):
export const CREDIT = 0;
export const PEER_HELD = 1;
export const OWED = 2;
export const CUR_WIRE = 3;
export const CUR_PAYLOAD = 4;
export const CUR_INGRESS_WIRE = 5;
export const TX_BEGIN = 6;
export const TX_END = 7;
export const BUSY_TICKS = 8;
export const TX_WIRE = 9;
export const TX_PAYLOAD = 10;
/** Waiting bytes, a time-weighted signal (sim/stats/time-weighted.ts, inlined): last change, ∫ dt, value, max. */
export const Q_LAST = 11;
export const Q_AREA = 12;
export const Q_VALUE = 13;
export const Q_MAX = 14;
export const PEAK_HELD = 15;
export const PORT_SLOTS = 16;

export interface PortConfig {
  /** "node:port". */
  readonly id: string;
  /** The peer's "node:port". */
  readonly to: string;
  readonly node: Node;
  readonly peerNode: Node;
  readonly protocol: LinkProtocol;
  /** One-way propagation delay, ticks. */
  readonly propagationTicks: number;
  readonly flowControl: FlowControl;
  /** Lossy egress buffer (waiting bytes), default Infinity. */
  readonly bufferBytes?: number | undefined;
  /** Transfers the queue may hold (lossy ports, and any port at the start of a route), default Infinity. */
  readonly bufferPackets?: number | undefined;
  /** Forwarding latency of the peer for what arrives through this port (default: the peer node's). */
  readonly peerLatencyTicks?: number | undefined;
  /** The receiver's buffer for this direction: the credit pool, or the PFC buffer. Required when lossless. */
  readonly peerBufferBytes?: number | undefined;
  /** The port's own queues (vNICs, VFs, hosts); with classes, the sub-queues inside every class. */
  readonly scheduler?: SchedulerOptions | undefined;
  /** Traffic classes (DCB on Ethernet, data VLs on InfiniBand); default none. */
  readonly classes?: PortClassOptions | undefined;
  /** Without classes: mark ECN-capable transfers arriving above this many waiting bytes; default never. */
  readonly ecnThresholdBytes?: number | undefined;
  /**
   * The transmitter's clock offset from nominal, parts per million (default 0): positive
   * serializes faster. IEEE 802.3 allows ±100 ppm; without it, equal-rate senders into a
   * drop-tail queue stay phase-locked forever and one of them finds it full every time.
   */
  readonly clockPpm?: number | undefined;
}

/** Measurements over the window since the last `resetStats` (SI units). */
export interface PortStats {
  /** "node:port" of this transmitter. */
  readonly id: string;
  /** "node:port" of the receiver. */
  readonly to: string;
  /** Bits per second after line encoding. */
  readonly capacityBps: number;
  /** Transmitter busy fraction; null over an empty window. */
  readonly utilization: number | null;
  readonly pausedSeconds: number;
  readonly meanQueueBytes: number;
  readonly maxQueueBytes: number;
  readonly dropped: number;
  /** Wire bytes of the transfers that finished transmitting. */
  readonly transmittedBytes: number;
  readonly transmittedPayloadBytes: number;
  readonly transmittedTransfers: number;
  /** Lossless only: most bytes the receiver held from this link (credit pool in use, or PFC count); else null. */
  readonly peakPeerBufferBytes: number | null;
  /** ECN-capable transfers marked CE here. */
  readonly ecnMarked: number;
  /** Per traffic class, or null for a port without classes. */
  readonly classes: ClassStats[] | null;
}
