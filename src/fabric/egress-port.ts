/**
 * One direction of a full-duplex link: the transmitter at `node` and its queue, sending
 * to `peerNode`. An ns-3 PointToPointNetDevice-style state machine:
 *
 *   READY  ── work eligible, may send ─────────────►  BUSY (serializing one transfer)
 *   READY  ── work queued, no credit / PFC-paused ─►  PAUSED
 *   PAUSED ── credit returned / RESUME ────────────►  BUSY (or stays PAUSED)
 *   BUSY   ── transmit complete ───────────────────►  next transfer, PAUSED or READY
 *
 * Two kernel events per transfer: transmit-complete here, and arrival at the peer after
 * propagation and the peer's forwarding latency (both scheduled when transmission starts).
 * Lossless links add one: the credit return (or a PFC PAUSE/RESUME now and then).
 *
 * Assumptions:
 * - Serialization time = `protocol.serializationTicks(wire bytes)`; a payload above the
 *   protocol's max payload occupies the link for all its segments (`segment().wireBytes`).
 * - Lossy ports drop at the tail when the waiting bytes plus the newcomer exceed
 *   `bufferBytes`, or the waiting transfers reach `bufferPackets` (the transfer being
 *   transmitted is not counted). A packet limit also drops at the first port of a route
 *   (a host's queue, e.g. txqueuelen) when its link is lossless. Lossless ports never
 *   drop: their queue is bounded by credits or PFC on the links feeding the node (or, at
 *   a source, by the workload's own window).
 * - PCIe DLLPs (ACK + UpdateFC) are charged to the reverse direction when a transfer
 *   finishes transmitting: by the spec's timers (`protocol.acknowledgements`: bytes per
 *   tick of this transmission, or one of each for a transfer after a quiet timer period)
 *   or per transfer (`protocol.reverseBytesPerTransfer`). If the reverse transmitter is
 *   busy they lengthen its next transmission when that follows back-to-back; if it is idle
 *   (or goes idle first) they fit into the idle time and cost nothing. SKP ordered sets
 *   stretch every serialization (`protocol.serializationTicks`).
 * - Time PAUSED counts only while work is queued and blocked by flow control; a port
 *   whose queues are all shaped out is READY with one wake-up scheduled.
 * - Faults (src/run/faults.ts): a failed port (`failedReason` set, both directions of a
 *   link fail together) drops what is queued at it when it fails, everything enqueued
 *   while it is failed, and everything on its link when that arrives at the peer (see
 *   `Node.receive`). The transfer being serialized finishes occupying the transmitter and
 *   is dropped on arrival. A transfer still on the link when the port is restored (a fault
 *   shorter than the link's flight time) is delivered: a simplification. `routingDown`
 *   is the control plane's view (set after the failover time), which routing avoids.
 * - Utilization counts serialization time (DLLPs included); a cut-through transmission
 *   started late (see `node.ts`) is reserved, not busy, until it starts.
 * - Traffic classes (`classes`, see `port-classes.ts` and `class-scheduler.ts`): PFC per
 *   class or credits per VL instead of one pause or credit pool for the whole port, ETS or
 *   VL arbitration between the classes, drop-tail per class. The port is PAUSED only while
 *   every class with queued work is held back by flow control.
 * - Clock (`clockPpm`): serialization times scale by 1 / (1 + ppm·10⁻⁶); the network builder
 *   gives each Ethernet transmitter an offset within IEEE 802.3's ±100 ppm.
 * - ECN (`ecnThresholdBytes`, or per class): an ECN-capable transfer (`ect`) arriving while
 *   more than the threshold waits is marked congestion-experienced (`ce`), as DCTCP's
 *   switches do with the instantaneous queue (Alizadeh et al., SIGCOMM 2010, §3.1).
 */

import { Fifo } from "../../sim/fifo.js";
import type { Simulation } from "../../sim/simulation.js";
import { TICKS_PER_SECOND } from "../../sim/units.js";
import type { LinkProtocol } from "../link/protocol.js";
import { ClassScheduler } from "./class-scheduler.js";
import type { Fabric } from "./fabric.js";
import { type FlowControl, pfcThresholds } from "./flow-control.js";
import type { Node } from "./node.js";
import {
  ADMITTED,
  CLASS_FULL,
  type ClassStats,
  CREDIT_FRAME,
  NO_FRAME,
  PortClasses,
  type PortClassOptions,
} from "./port-classes.js";
import { createScheduler, type Scheduler, type SchedulerOptions } from "./scheduler.js";
import type { Transfer } from "./transfer.js";

export const READY = 0;
export const BUSY = 1;
export const PAUSED = 2;
export type PortState = typeof READY | typeof BUSY | typeof PAUSED;
const STATE_NAMES = ["READY", "BUSY", "PAUSED"] as const;

/** Wire bytes of the head that a cut-through receiver needs before forwarding. */
export const CUT_THROUGH_HEAD_BYTES = 64;

// A port's hot numbers live in the fabric's slab (`Fabric.slots`), 16 doubles per port, not
// in fields: a field that ever holds a non-integer or a tick count past 2^31 (2 ms) points
// to a separate heap number, and a site's ports then spread each event's reads over many
// more cache lines (issue 16). Slot offsets:
const CREDIT = 0;
const PEER_HELD = 1;
const OWED = 2;
const CUR_WIRE = 3;
const CUR_PAYLOAD = 4;
const CUR_INGRESS_WIRE = 5;
const TX_BEGIN = 6;
const TX_END = 7;
const BUSY_TICKS = 8;
const TX_WIRE = 9;
const TX_PAYLOAD = 10;
/** Waiting bytes, a time-weighted signal (sim/stats/time-weighted.ts, inlined): last change, ∫ dt, value, max. */
const Q_LAST = 11;
const Q_AREA = 12;
const Q_VALUE = 13;
const Q_MAX = 14;
const PEAK_HELD = 15;
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

export class EgressPort {
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
  readonly dropReason: string;
  readonly sharedDropReason: string;
  readonly packetDropReason: string;

  state: PortState = READY;
  /** The transfer being serialized (or reserved for a late cut-through start). */
  current: Transfer | null = null;
  /** PFC: a PAUSE from the receiver is in force. */
  pfcPaused = false;
  /** Data plane: the drop reason ("failed: <target>") while this port is failed, else null. */
  failedReason: string | null = null;
  /** Control plane: routes avoid this port (set once failover has detected the failure). */
  routingDown = false;

  private readonly sim: Simulation;
  private readonly maxPayload: number;
  private readonly fullWire: number;
  private readonly headTicks: number;
  private readonly reverseBytes: number;
  /** PCIe read completions: read-request bytes per `readEvery` payload bytes owed to the other direction (0: none). */
  private readonly readRequestBytes: number;
  private readonly readEvery: number;
  /** PCIe DLLPs by timer: bytes per tick of transmission, for an isolated transfer, and the period (0: none). */
  private readonly ackBytesPerTick: number;
  private readonly ackIsolatedBytes: number;
  private readonly ackTimerTicks: number;
  /** End of the previous transmission (an isolated transfer starts a timer period after it). */
  private prevTxEnd = Number.NEGATIVE_INFINITY;
  private readonly xoff: number = Number.POSITIVE_INFINITY;
  private readonly xon: number = 0;
  private readonly ecnThreshold: number;
  /** Serialization time factor from the clock offset (1 at nominal). */
  private readonly clockScale: number;
  private readonly classScheduler: ClassScheduler | null = null;
  private pauseSent = false;
  /** Transfers handed to the link, in the order they will arrive at the peer. */
  private readonly pipe = new Fifo<Transfer>(4);
  /** Credit amounts on their way back, in order. */
  private readonly creditReturns = new Fifo<number>(4);
  private curIngress: EgressPort | null = null;
  private curIngressClass = 0;
  private wakeHandle = -1;
  private wakeAt = Number.POSITIVE_INFINITY;
  /** The fabric's slab and this port's first slot in it (the hot numbers, see `PORT_SLOTS`). */
  private readonly f: Float64Array;
  private readonly k: number;

  // Window statistics (the hot ones are in the slab).
  private pausedTicks = 0;
  private pausedSince = 0;
  private windowStart = 0;
  /** Start of the waiting-bytes average (window start). */
  private queueStart = 0;
  private dropped = 0;
  private marked = 0;
  private txTransfers = 0;

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
      this.scheduler = createScheduler(config.scheduler, this.fullWire);
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
    this.dropReason = `buffer overflow at ${config.id}`;
    this.packetDropReason = `queue full (packets) at ${config.id}`;
    this.sharedDropReason = `shared buffer overflow at ${config.node.name} (${config.id})`;
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

  /** A transfer joins scheduler queue `queue` now (admission may drop it). */
  enqueue(t: Transfer, queue: number): void {
    const now = this.sim.now;
    const wire = this.wireBytesOf(t.payload);
    t.wire = wire;
    if (this.failedReason !== null) {
      this.drop(t, this.failedReason);
      return;
    }
    const sched = this.scheduler;
    // A packet limit drops at a lossy queue, and at the start of a route (a host's queue) even
    // on a lossless link; inside a lossless fabric flow control holds transfers back instead.
    // With classes (some may be no-drop) only at the start of a route.
    if (sched.length >= this.bufferPackets && (t.ingress === null || (this.classes === null && !this.lossless))) {
      this.drop(t, this.packetDropReason);
      return;
    }
    if (this.classes !== null) {
      if (!this.enqueueClassed(t, queue, wire)) return;
    } else if (!this.lossless) {
      if (sched.bytes + wire > this.bufferBytes) {
        this.drop(t, this.dropReason);
        return;
      }
      const node = this.node;
      if (node.lossyQueuedBytes + wire > node.sharedBufferBytes) {
        this.drop(t, this.sharedDropReason);
        return;
      }
      node.lossyQueuedBytes += wire;
      t.lossless = false;
      if (t.ect && sched.bytes > this.ecnThreshold) {
        t.ce = true;
        this.marked++;
      }
    } else {
      if (this.creditBased && wire > this.peerBufferBytes) {
        throw new RangeError(
          `port ${this.id}: a ${wire}-byte transfer can never get credit from a ${this.peerBufferBytes}-byte receive buffer`,
        );
      }
      t.lossless = true;
    }
    t.enqueuedAt = now;
    sched.enqueue(t, queue);
    this.queueUpdate(sched.bytes, now);
    if (this.state === READY) this.tryStart(now);
  }

  /** Kernel callback: the transfer being serialized has left the transmitter. */
  txComplete(): void {
    const now = this.sim.now;
    this.state = READY;
    this.current = null;
    this.txTransfers++;
    const f = this.f;
    const k = this.k;
    f[k + TX_WIRE] = f[k + TX_WIRE]! + f[k + CUR_WIRE]!;
    f[k + TX_PAYLOAD] = f[k + TX_PAYLOAD]! + f[k + CUR_PAYLOAD]!;
    const ingress = this.curIngress;
    if (ingress !== null) {
      // This node is done with the transfer: its buffer on the ingress link frees up.
      this.curIngress = null;
      ingress.releasePeerBuffer(f[k + CUR_INGRESS_WIRE]!, this.curIngressClass);
    }
    if (this.reverseBytes > 0) {
      const rev = this.reverse;
      if (rev !== null && rev.state === BUSY) rev.f[rev.k + OWED] = rev.f[rev.k + OWED]! + this.reverseBytes;
    } else if (this.ackBytesPerTick > 0) {
      // The receiver's ACK/UpdateFC timers: a rate while transfers stream in, one of each after a quiet period.
      const rev = this.reverse;
      const begin = f[k + TX_BEGIN]!;
      const end = f[k + TX_END]!;
      if (rev !== null && rev.state === BUSY) {
        rev.f[rev.k + OWED] =
          rev.f[rev.k + OWED]! +
          (begin - this.prevTxEnd >= this.ackTimerTicks ? this.ackIsolatedBytes : (end - begin) * this.ackBytesPerTick);
      }
      this.prevTxEnd = end;
    }
    if (this.readRequestBytes > 0) {
      // The read requests these completions answer went the other way (charged when the data is through).
      const rev = this.reverse;
      if (rev !== null && rev.state === BUSY)
        rev.f[rev.k + OWED] =
          rev.f[rev.k + OWED]! + Math.ceil(f[k + CUR_PAYLOAD]! / this.readEvery) * this.readRequestBytes;
    }
    if (this.scheduler.length > 0) this.tryStart(now);
    // tryStart may have changed the state (TS narrowed it to READY above).
    if ((this.state as PortState) !== BUSY) f[k + OWED] = 0;
  }

  /** The oldest transfer on the link, removed as it arrives at the peer. */
  takeArrival(): Transfer {
    return this.pipe.shift()!;
  }

  /** The peer holds transfer `t` (`t.wire` bytes, class `t.cls`) from this link (PFC counting; XOFF check). */
  occupyPeerBuffer(t: Transfer): void {
    const wire = t.wire;
    const classes = this.classes;
    if (classes !== null) {
      if (classes.occupy(t.cls, wire)) this.sim.post(this.propagationTicks, this.fabric.hPause, this);
      return;
    }
    if (!this.pfc) return;
    const f = this.f;
    const k = this.k;
    const held = f[k + PEER_HELD]! + wire;
    f[k + PEER_HELD] = held;
    if (held > f[k + PEAK_HELD]!) f[k + PEAK_HELD] = held;
    if (!this.pauseSent && held > this.xoff) {
      this.pauseSent = true;
      this.sim.post(this.propagationTicks, this.fabric.hPause, this);
    }
  }

  /** The peer is done with `wire` bytes of class `cls` from this link: credit goes back, or the PFC count drops. */
  releasePeerBuffer(wire: number, cls: number): void {
    const classes = this.classes;
    if (classes !== null) {
      const frame = classes.release(cls, wire);
      if (frame !== NO_FRAME) {
        this.sim.post(this.propagationTicks, frame === CREDIT_FRAME ? this.fabric.hCredit : this.fabric.hPause, this);
      }
      return;
    }
    if (this.creditBased) {
      this.creditReturns.push(wire);
      this.sim.post(this.propagationTicks, this.fabric.hCredit, this);
    } else if (this.pfc) {
      const held = this.f[this.k + PEER_HELD]! - wire;
      this.f[this.k + PEER_HELD] = held;
      if (this.pauseSent && held <= this.xon) {
        this.pauseSent = false;
        this.sim.post(this.propagationTicks, this.fabric.hResume, this);
      }
    }
  }

  /** Kernel callback: credit sent back by the receiver has arrived. */
  creditArrived(): void {
    const classes = this.classes;
    if (classes !== null) {
      classes.creditArrived();
      if (this.state !== BUSY) this.tryStart(this.sim.now);
      return;
    }
    const bytes = this.creditReturns.shift()!;
    const f = this.f;
    const k = this.k;
    f[k + CREDIT] = f[k + CREDIT]! + bytes;
    f[k + PEER_HELD] = f[k + PEER_HELD]! - bytes;
    if (this.state === PAUSED) this.tryStart(this.sim.now);
  }

  /** Kernel callback: a PFC PAUSE from the receiver arrives; the frame being sent finishes. With classes: a PAUSE or RESUME for one class. */
  pauseArrived(): void {
    const classes = this.classes;
    if (classes !== null) {
      const now = this.sim.now;
      const code = classes.pfcArrived(now);
      const pause = (code & 1) === 1;
      if (!pause && this.state !== BUSY) this.tryStart(now);
      this.emitPfc(pause, code >> 1);
      return;
    }
    this.pfcPaused = true;
    if (this.state === READY && this.scheduler.length > 0) this.enterPaused(this.sim.now);
    this.emitPfc(true);
  }

  /** Kernel callback: a PFC RESUME arrives. */
  resumeArrived(): void {
    this.pfcPaused = false;
    if (this.state === PAUSED) this.tryStart(this.sim.now);
    this.emitPfc(false);
  }

  /** Kernel callback: a shaped-out queue has become eligible. */
  wake(): void {
    this.wakeHandle = -1;
    this.wakeAt = Number.POSITIVE_INFINITY;
    if (this.state !== BUSY) this.tryStart(this.sim.now);
  }

  /** Calls `fn` for every transfer queued here or on the link (being serialized, propagating, in the peer's latency). */
  forEachTransfer(fn: (t: Transfer) => void): void {
    this.scheduler.forEach(fn);
    const pipe = this.pipe;
    for (let i = 0; i < pipe.length; i++) fn(pipe.at(i)!);
  }

  /**
   * Fault injection: the port stops forwarding. Everything queued here is dropped now with
   * `reason`; transfers on the link are dropped as they arrive (`Node.receive`).
   */
  fail(reason: string): void {
    const now = this.sim.now;
    this.failedReason = reason;
    const queued = this.scheduler.drain();
    for (const t of queued) if (!t.lossless) this.node.lossyQueuedBytes -= t.wire;
    const classes = this.classes;
    if (classes !== null)
      for (let c = 0; c < classes.count; c++) if (classes.paused[c] === 0) classes.endCreditWait(c, now);
    this.queueUpdate(0, now);
    if (this.state === PAUSED) this.leavePaused(now);
    for (const t of queued) this.drop(t, reason);
  }

  /** Fault injection: the port forwards again. */
  restore(): void {
    this.failedReason = null;
  }

  /**
   * @internal A transfer on this port's link reached the peer while the port is failed:
   * it is lost (credit for it goes back, so a restored link is not starved).
   */
  dropArrival(t: Transfer, reason: string): void {
    t.ingress = null;
    if (this.creditOnDelivery) this.releasePeerBuffer(t.wire, t.cls);
    this.dropped++;
    this.fabric.dropAt(t, reason, this);
  }

  /** Starts the measurement window now (end of warm-up). Queue contents and state carry over. */
  resetStats(): void {
    const now = this.sim.now;
    const f = this.f;
    const k = this.k;
    this.windowStart = now;
    f[k + BUSY_TICKS] = this.state === BUSY ? Math.max(0, f[k + TX_END]! - Math.max(f[k + TX_BEGIN]!, now)) : 0;
    this.pausedTicks = 0;
    this.pausedSince = now;
    // The waiting-bytes average restarts here, keeping the current value.
    if (!(now >= f[k + Q_LAST]!)) this.queueBackwards(now);
    f[k + Q_AREA] = 0;
    f[k + Q_LAST] = now;
    this.queueStart = now;
    f[k + Q_MAX] = f[k + Q_VALUE]!;
    this.dropped = 0;
    this.marked = 0;
    this.txTransfers = 0;
    f[k + TX_WIRE] = 0;
    f[k + TX_PAYLOAD] = 0;
    f[k + PEAK_HELD] = f[k + PEER_HELD]!;
    this.scheduler.resetStats();
    this.classes?.resetStats(now);
  }

  /** Measurements over [last resetStats, now]. Allocates the result object. */
  stats(): PortStats {
    const now = this.sim.now;
    const window = now - this.windowStart;
    const f = this.f;
    const k = this.k;
    const future = this.state === BUSY ? Math.max(0, f[k + TX_END]! - Math.max(f[k + TX_BEGIN]!, now)) : 0;
    const paused = this.pausedTicks + (this.state === PAUSED ? now - this.pausedSince : 0);
    return {
      id: this.id,
      to: this.to,
      capacityBps: this.capacityBps,
      utilization: window > 0 ? (f[k + BUSY_TICKS]! - future) / window : null,
      pausedSeconds: paused / TICKS_PER_SECOND,
      meanQueueBytes: this.queueMean(now),
      maxQueueBytes: f[k + Q_MAX]!,
      dropped: this.dropped,
      transmittedBytes: f[k + TX_WIRE]!,
      transmittedPayloadBytes: f[k + TX_PAYLOAD]!,
      transmittedTransfers: this.txTransfers,
      peakPeerBufferBytes: this.lossless && this.classes === null ? f[k + PEAK_HELD]! : null,
      ecnMarked: this.classes === null ? this.marked : this.classes.marked.reduce((a, b) => a + b, 0),
      classes: this.classes === null ? null : this.classes.stats(now, (c) => this.classScheduler!.classTxBytes(c)),
    };
  }

  /** Starts the next eligible transfer if flow control allows. Precondition: not BUSY. */
  private tryStart(now: number): void {
    const sched = this.scheduler;
    if (sched.length === 0) {
      if (this.state === PAUSED) this.leavePaused(now);
      return;
    }
    if (this.pfcPaused) {
      this.enterPaused(now);
      return;
    }
    const classes = this.classes;
    if (classes !== null) classes.nowTicks = now;
    const t = sched.peek(now);
    if (t === null) {
      if (classes !== null && this.classScheduler!.blockedByGate) {
        // Work held back by per-class flow control: PAUSED (a RESUME or credit restarts it);
        // a shaped-out class may still become eligible first.
        this.enterPaused(now);
        this.scheduleWake(sched.nextEligibleAt(now));
        return;
      }
      // Every non-empty queue is shaped out: one wake-up at the earliest eligibility.
      if (this.state === PAUSED) this.leavePaused(now);
      this.scheduleWake(sched.nextEligibleAt(now));
      return;
    }
    if (this.creditBased && this.f[this.k + CREDIT]! < t.wire) {
      this.enterPaused(now); // head-of-line blocking: everything behind waits too
      return;
    }
    if (this.state === PAUSED) this.leavePaused(now);
    if (classes !== null) {
      const c = this.classScheduler!.selectedClass;
      t.cls = c;
      if (!classes.pfc) classes.endCreditWait(c, now);
    }
    sched.pop(now);
    this.start(t, now);
  }

  private start(t: Transfer, now: number): void {
    const wire = t.wire;
    const s = this.f;
    const k = this.k;
    let ser: number;
    const owed = s[k + OWED]!;
    if (owed > 0) {
      ser = this.protocol.serializationTicks(wire + owed);
      s[k + OWED] = 0;
    } else {
      ser = this.protocol.serializationTicks(wire);
    }
    if (this.clockScale !== 1) ser = Math.max(1, Math.round(ser * this.clockScale));
    // Cut-through: never finish before the reception of this transfer has ended.
    const begin = t.rxEndAt > now + ser ? t.rxEndAt - ser : now;
    const end = begin + ser;
    this.state = BUSY;
    this.current = t;
    s[k + CUR_WIRE] = wire;
    s[k + CUR_PAYLOAD] = t.payload;
    this.curIngress = t.ingress;
    s[k + CUR_INGRESS_WIRE] = t.ingressWire;
    this.curIngressClass = t.ingressClass;
    s[k + TX_BEGIN] = begin;
    s[k + TX_END] = end;
    s[k + BUSY_TICKS] = s[k + BUSY_TICKS]! + ser;
    const trace = this.fabric.onTransmit;
    if (trace !== null) trace(this, t, begin, end);
    if (this.creditBased) {
      s[k + CREDIT] = s[k + CREDIT]! - wire;
      const held = s[k + PEER_HELD]! + wire;
      s[k + PEER_HELD] = held;
      if (held > s[k + PEAK_HELD]!) s[k + PEAK_HELD] = held;
    } else if (this.classes?.creditBased) {
      this.classes.spendCredit(t.cls, wire);
    }
    if (!t.lossless) this.node.lossyQueuedBytes -= wire;
    this.queueUpdate(this.scheduler.bytes, now);

    const peer = this.peerNode;
    const prop = this.propagationTicks;
    const last = t.hop + 1 === t.route.ports.length;
    const arriveAt =
      peer.cutThrough && !last
        ? begin + Math.min(this.headTicks, ser) + prop + this.peerLatencyTicks
        : end + prop + this.peerLatencyTicks;
    t.rxEndAt = end + prop;
    this.pipe.push(t);
    const sim = this.sim;
    const f = this.fabric;
    sim.postAt(end, f.hTxComplete, this);
    sim.postAt(arriveAt, f.hArrive, this);
    // The sender asked to hear when this transfer leaves this port (TCP small queues).
    if (t.notifyAt === this) {
      t.notifyAt = null;
      f.onLeave(t);
    }
  }

  private drop(t: Transfer, reason: string): void {
    this.dropped++;
    const ingress = t.ingress;
    if (ingress !== null) {
      t.ingress = null;
      ingress.releasePeerBuffer(t.ingressWire, t.ingressClass);
    }
    this.fabric.dropAt(t, reason, this);
  }

  /** The waiting bytes change to `value` at `now` (TimeWeighted.update, on the slab). */
  private queueUpdate(value: number, now: number): void {
    const f = this.f;
    const k = this.k;
    const last = f[k + Q_LAST]!;
    if (!(now >= last)) this.queueBackwards(now);
    f[k + Q_AREA] = f[k + Q_AREA]! + f[k + Q_VALUE]! * (now - last);
    f[k + Q_LAST] = now;
    f[k + Q_VALUE] = value;
    if (value > f[k + Q_MAX]!) f[k + Q_MAX] = value;
  }

  /** Time-average waiting bytes since the window start (TimeWeighted.mean). */
  private queueMean(now: number): number {
    const f = this.f;
    const k = this.k;
    const last = f[k + Q_LAST]!;
    if (!(now >= last)) this.queueBackwards(now);
    const elapsed = now - this.queueStart;
    if (elapsed === 0) return f[k + Q_VALUE]!;
    return (f[k + Q_AREA]! + f[k + Q_VALUE]! * (now - last)) / elapsed;
  }

  // Kept out of line so the hot path stays small enough to inline.
  private queueBackwards(now: number): never {
    throw new RangeError(`port ${this.id}: time must not go backwards (last ${this.f[this.k + Q_LAST]}, got ${now})`);
  }

  private enterPaused(now: number): void {
    if (this.state !== PAUSED) {
      this.state = PAUSED;
      this.pausedSince = now;
    }
  }

  private leavePaused(now: number): void {
    this.pausedTicks += now - this.pausedSince;
    this.state = READY;
  }

  private scheduleWake(at: number): void {
    if (at === Number.POSITIVE_INFINITY || this.wakeAt <= at) return;
    if (this.wakeHandle >= 0) this.sim.cancel(this.wakeHandle);
    this.wakeAt = at;
    this.wakeHandle = this.sim.scheduleAt(at, this.fabric.hWake, this);
  }

  /**
   * With classes: admission of `t` into class queue `queue` (drop-tail and ECN per drop
   * class, nothing for no-drop classes). False when it was dropped.
   */
  private enqueueClassed(t: Transfer, queue: number, wire: number): boolean {
    const sched = this.classScheduler!;
    const c = sched.classOf(queue);
    const verdict = this.classes!.admit(t, c, sched.classBytes[c]!, wire, this.node, this.id);
    if (verdict === ADMITTED) return true;
    this.drop(t, verdict === CLASS_FULL ? this.dropReason : this.sharedDropReason);
    return false;
  }

  private emitPfc(paused: boolean, cls = -1): void {
    const probes = this.sim.probes;
    if (probes.listenerCount("fabric.pfc") > 0) probes.emit("fabric.pfc", this, paused, this.sim.now, cls);
  }
}
