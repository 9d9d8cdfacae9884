/**
 * An egress port's build and fixed settings: its fields, the checks of its config, the
 * scheduler it is bound to (one scheduler, or traffic classes with a class scheduler over
 * their sub-queues), the flow-control thresholds and the protocol numbers the hot path
 * reads. Statistics (`port-measures.ts`), flow control (`port-flow-control.ts`) and the
 * transmit state machine (`egress-port.ts`) build on it, each in a subclass of its own, so
 * every port is one `EgressPort` object with one shape and no per-event indirection.
 */

import { Fifo } from "../../sim/fifo.js";
import type { Simulation } from "../../sim/simulation.js";
import type { LinkProtocol } from "../link/protocol.js";
import { ClassScheduler } from "./class-scheduler.js";
import type { EgressPort } from "./egress-port.js";
import type { Fabric } from "./fabric.js";
import { type FlowControl, pfcThresholds } from "./flow-control.js";
import type { Node } from "./node.js";
import { PortClasses } from "./port-classes.js";
import {
  CREDIT,
  CUT_THROUGH_HEAD_BYTES,
  PEER_HELD,
  PORT_SLOTS,
  type PortConfig,
  type PortState,
  READY,
  STATE_NAMES,
} from "./port-config.js";
import { createScheduler, type Scheduler } from "./scheduler.js";
import type { Transfer } from "./transfer.js";

export abstract class PortCore {
  readonly id: string;
  readonly to: string;
  readonly fabric: Fabric;
  readonly node: Node;
  readonly peerNode: Node;
  readonly protocol: LinkProtocol;
  readonly capacityBps: number;
  readonly propagationTicks: number;
  readonly flowControl: FlowControl;
  /** Every transfer is lossless here (credit or PFC on the whole port, or classes that are all no-drop). */
  readonly lossless: boolean;
  /** Link-level (whole-port) credit flow control; false on a port with classes. */
  readonly creditBased: boolean;
  /** Link-level PFC; false on a port with classes. */
  readonly pfc: boolean;
  /** Credit goes back when a transfer is delivered at the peer (whole-port or per-VL credits). */
  readonly creditOnDelivery: boolean;
  /** Traffic classes, or null. */
  readonly classes: PortClasses | null;
  readonly bufferBytes: number;
  readonly bufferPackets: number;
  /** The peer's forwarding latency for transfers arriving through this port (an adapter's own latency). */
  readonly peerLatencyTicks: number;
  readonly peerBufferBytes: number;
  readonly scheduler: Scheduler;
  /** The other direction of the same link (set by `Fabric.connect`). */
  reverse: EgressPort | null = null;
  /** The three drop reasons, built at the first drop (a site's ports rarely drop, and three strings each are ~200 B). */
  private reasons: readonly [string, string, string] | null = null;

  state: PortState = READY;
  /** The transfer being serialized (or reserved for a late cut-through start). */
  current: Transfer | null = null;
  /** PFC: a PAUSE from the receiver is in force. */
  pfcPaused = false;
  /** Data plane: the drop reason ("failed: <target>") while this port is failed, else null. */
  failedReason: string | null = null;
  /** Control plane: routes avoid this port (set once failover has detected the failure). */
  routingDown = false;

  protected readonly sim: Simulation;
  protected readonly maxPayload: number;
  protected readonly fullWire: number;
  protected readonly headTicks: number;
  protected readonly reverseBytes: number;
  /** PCIe read completions: read-request bytes per `readEvery` payload bytes owed to the other direction (0: none). */
  protected readonly readRequestBytes: number;
  protected readonly readEvery: number;
  /** PCIe DLLPs by timer: bytes per tick of transmission, for an isolated transfer, and the period (0: none). */
  protected readonly ackBytesPerTick: number;
  protected readonly ackIsolatedBytes: number;
  protected readonly ackTimerTicks: number;
  /** End of the previous transmission (an isolated transfer starts a timer period after it). */
  protected prevTxEnd = Number.NEGATIVE_INFINITY;
  protected readonly xoff: number = Number.POSITIVE_INFINITY;
  protected readonly xon: number = 0;
  protected readonly ecnThreshold: number;
  /** Serialization time factor from the clock offset (1 at nominal). */
  protected readonly clockScale: number;
  protected readonly classScheduler: ClassScheduler | null = null;
  protected pauseSent = false;
  /** Transfers handed to the link, in the order they will arrive at the peer. */
  protected readonly pipe = new Fifo<Transfer>(4);
  /** Credit amounts on their way back, in order. */
  protected readonly creditReturns = new Fifo<number>(4);
  protected curIngress: EgressPort | null = null;
  protected curIngressClass = 0;
  protected wakeHandle = -1;
  protected wakeAt = Number.POSITIVE_INFINITY;
  /** The fabric's slab and this port's first slot in it (the hot numbers, see `PORT_SLOTS`). */
  protected readonly f: Float64Array;
  protected readonly k: number;

  // Window statistics (the hot ones are in the slab).
  protected pausedTicks = 0;
  protected pausedSince = 0;
  protected windowStart = 0;
  /** Start of the waiting-bytes average (window start). */
  protected queueStart = 0;
  protected dropped = 0;
  protected marked = 0;
  protected txTransfers = 0;

  constructor(fabric: Fabric, config: PortConfig) {
    this.fabric = fabric;
    this.sim = fabric.sim;
    const slots = fabric.slots(PORT_SLOTS);
    this.f = slots.slab;
    this.k = slots.base;
    this.id = config.id;
    this.to = config.to;
    this.node = config.node;
    this.peerNode = config.peerNode;
    const p = config.protocol;
    this.protocol = p;
    this.capacityBps = p.dataRateBps;
    const prop = config.propagationTicks;
    if (!(Number.isSafeInteger(prop) && prop >= 0)) {
      throw new RangeError(`port ${config.id}: propagationTicks must be a non-negative integer, got ${prop}`);
    }
    this.propagationTicks = prop;
    this.flowControl = config.flowControl;
    const classed = config.classes !== undefined;
    this.creditBased = !classed && config.flowControl === "credit";
    this.pfc = !classed && config.flowControl === "pfc";
    this.bufferBytes = config.bufferBytes ?? Number.POSITIVE_INFINITY;
    if (!(this.bufferBytes >= 0)) throw new RangeError(`port ${config.id}: bufferBytes must be >= 0`);
    this.bufferPackets = config.bufferPackets ?? Number.POSITIVE_INFINITY;
    if (!(this.bufferPackets >= 1)) throw new RangeError(`port ${config.id}: bufferPackets must be >= 1`);
    this.peerLatencyTicks = config.peerLatencyTicks ?? config.peerNode.latencyTicks;
    if (!(Number.isSafeInteger(this.peerLatencyTicks) && this.peerLatencyTicks >= 0)) {
      throw new RangeError(`port ${config.id}: peerLatencyTicks must be a non-negative integer`);
    }
    this.ecnThreshold = config.ecnThresholdBytes ?? Number.POSITIVE_INFINITY;
    const ppm = config.clockPpm ?? 0;
    if (!(Math.abs(ppm) <= 1000)) throw new RangeError(`port ${config.id}: clockPpm must be within ±1000, got ${ppm}`);
    this.clockScale = 1 / (1 + ppm * 1e-6);
    this.maxPayload = p.maxPayloadBytes;
    this.fullWire = p.wireBytes(p.maxPayloadBytes);
    this.headTicks = p.serializationTicks(CUT_THROUGH_HEAD_BYTES);
    this.reverseBytes = p.reverseBytesPerTransfer;
    this.readRequestBytes = p.readRequests?.bytes ?? 0;
    this.readEvery = p.readRequests?.everyBytes ?? 1;
    const ack = p.acknowledgements;
    this.ackBytesPerTick = ack?.bytesPerTick ?? 0;
    this.ackIsolatedBytes = ack?.isolatedBytes ?? 0;
    this.ackTimerTicks = ack?.timerTicks ?? 0;
    const peerBuffer = config.peerBufferBytes ?? Number.POSITIVE_INFINITY;
    this.peerBufferBytes = peerBuffer;
    if (config.classes !== undefined) {
      const classes = new PortClasses(
        config.classes,
        config.flowControl,
        this.bufferBytes,
        (buffer) => pfcThresholds(p, buffer, prop, this.peerLatencyTicks),
        config.id,
      );
      this.classes = classes;
      const cs = config.classes.classes;
      const sched = new ClassScheduler(
        {
          tiers: cs.map((c) => c.tier),
          weights: cs.map((c) => c.weight),
          ...(config.scheduler === undefined ? {} : { inner: config.scheduler }),
          ...(config.classes.tierLimitBytes === undefined ? {} : { tierLimitBytes: config.classes.tierLimitBytes }),
        },
        this.fullWire,
      );
      sched.gate = classes;
      this.classScheduler = sched;
      this.scheduler = sched;
      this.lossless = classes.noDrop.every((x) => x === 1);
      this.creditOnDelivery = classes.creditBased;
    } else {
      this.classes = null;
      this.lossless = this.creditBased || this.pfc;
      this.creditOnDelivery = this.creditBased;
      // A DRR scheduler's numbers go into the slab next to the port's own.
      this.scheduler = createScheduler(config.scheduler, this.fullWire, (n) => fabric.slots(n));
    }
    if (!classed && this.lossless && !(peerBuffer > 0 && Number.isFinite(peerBuffer))) {
      throw new RangeError(
        `port ${config.id}: ${config.flowControl} flow control needs the receiver's buffer (peerBufferBytes), got ${peerBuffer}`,
      );
    }
    if (this.creditBased) this.f[this.k + CREDIT] = peerBuffer;
    if (this.pfc) {
      const th = pfcThresholds(p, peerBuffer, prop, this.peerLatencyTicks);
      this.xoff = th.xoff;
      this.xon = th.xon;
    }
  }

  /** "buffer overflow at <port>": a lossy queue (or class) is full. */
  get dropReason(): string {
    return (this.reasons ?? this.dropReasons())[0];
  }

  /** "queue full (packets) at <port>": the packet limit is reached. */
  get packetDropReason(): string {
    return (this.reasons ?? this.dropReasons())[1];
  }

  /** "shared buffer overflow at <node> (<port>)": the node's shared buffer is full. */
  get sharedDropReason(): string {
    return (this.reasons ?? this.dropReasons())[2];
  }

  private dropReasons(): readonly [string, string, string] {
    const reasons = [
      `buffer overflow at ${this.id}`,
      `queue full (packets) at ${this.id}`,
      `shared buffer overflow at ${this.node.name} (${this.id})`,
    ] as const;
    this.reasons = reasons;
    return reasons;
  }

  get stateName(): "READY" | "BUSY" | "PAUSED" {
    return STATE_NAMES[this.state];
  }

  /** Credit flow control: wire bytes the sender may still put into the receiver's buffer. */
  get credit(): number {
    return this.f[this.k + CREDIT]!;
  }

  /** Bytes the receiver holds from this link (PFC count; credit: pool in use). */
  get peerHeldBytes(): number {
    return this.f[this.k + PEER_HELD]!;
  }

  /** Wire bytes `payload` takes on this link, all segments together. No allocation. */
  wireBytesOf(payload: number): number {
    const max = this.maxPayload;
    if (payload <= max) return this.protocol.wireBytes(payload);
    if (!Number.isSafeInteger(payload)) {
      throw new RangeError(`port ${this.id}: payload must be a whole number of bytes, got ${payload}`);
    }
    const n = Math.ceil(payload / max);
    return (n - 1) * this.fullWire + this.protocol.wireBytes(payload - (n - 1) * max);
  }
}
