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
 * The port is one class in layers, one concept per file: `port-config.ts` (config, stats
 * and slab layout), `port-core.ts` (fields, checks, scheduler binding), `port-measures.ts`
 * (window statistics), `port-flow-control.ts` (credits and PFC) and this file, the
 * transmit state machine.
 *
 * Assumptions:
 * - Serialization time = `protocol.serializationTicks(wire bytes)`; a payload above the
 *   protocol's max payload occupies the link for all its segments (`segment().wireBytes`).
 * - Lossy ports drop at the tail when the waiting bytes plus the newcomer exceed
 *   `bufferBytes`, or the waiting transfers reach `bufferPackets` (the transfer being
 *   transmitted is not counted), or, with a scheduler's dynamic threshold, when the
 *   newcomer's queue would pass α × the free buffer. A packet limit also drops at the first
 *   port of a route (a host's queue, e.g. txqueuelen) when its link is lossless. Lossless ports never
 *   drop: their queue is bounded by credits or PFC on the links feeding the node (or, at
 *   a source, by the workload's own window).
 * - PCIe DLLPs (ACK + UpdateFC) are charged to the reverse direction when a transfer
 *   finishes transmitting: by the spec's timers (`protocol.acknowledgements`: bytes per
 *   tick of this transmission, or one of each for a transfer after a quiet timer period)
 *   or per transfer (`protocol.reverseBytesPerTransfer`). If the reverse transmitter is
 *   busy they lengthen its next transmission when that follows back-to-back; if it is idle
 *   (or goes idle first) they fit into the idle time and cost nothing. SKP ordered sets
 *   stretch every serialization (`protocol.serializationTicks`).
 * - Faults (src/run/faults.ts): a failed port (`failedReason` set, both directions of a
 *   link fail together) drops what is queued at it when it fails, everything enqueued
 *   while it is failed, and everything on its link when that arrives at the peer (see
 *   `Node.receive`). The transfer being serialized finishes occupying the transmitter and
 *   is dropped on arrival. A transfer still on the link when the port is restored (a fault
 *   shorter than the link's flight time) is delivered: a simplification. `routingDown`
 *   is the control plane's view (set after the failover time), which routing avoids.
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

import { small } from "../../sim/small.js";
import { ADMITTED, CLASS_FULL } from "./port-classes.js";
import {
  BUSY,
  BUSY_TICKS,
  CREDIT,
  CUR_INGRESS_WIRE,
  CUR_PAYLOAD,
  CUR_WIRE,
  OWED,
  PAUSED,
  PEAK_HELD,
  PEER_HELD,
  type PortState,
  READY,
  TX_BEGIN,
  TX_END,
  TX_PAYLOAD,
  TX_WIRE,
} from "./port-config.js";
import { PortFlowControl } from "./port-flow-control.js";
import type { Transfer } from "./transfer.js";

export {
  BUSY,
  CUT_THROUGH_HEAD_BYTES,
  PAUSED,
  PORT_SLOTS,
  type PortConfig,
  type PortState,
  type PortStats,
  READY,
} from "./port-config.js";

export class EgressPort extends PortFlowControl {
  /** A transfer joins scheduler queue `queue` now (admission may drop it). */
  enqueue(t: Transfer, queue: number): void {
    const now = this.sim.now;
    const wire = small(this.wireBytesOf(t.payload));
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
      // Dynamic threshold (scheduler.ts): a queue past α × the free buffer drops.
      const alpha = sched.dynamicThreshold;
      if (alpha > 0 && sched.queueBytes(queue) + wire > alpha * (this.bufferBytes - sched.bytes)) {
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
    if (this.state === READY) this.tryStart();
  }

  /** Kernel callback: the transfer being serialized has left the transmitter. */
  txComplete(): void {
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
    if (this.scheduler.length > 0) this.tryStart();
    // tryStart may have changed the state (TS narrowed it to READY above).
    if ((this.state as PortState) !== BUSY) f[k + OWED] = 0;
  }

  /** Kernel callback: a shaped-out queue has become eligible. */
  wake(): void {
    this.wakeHandle = -1;
    this.wakeAt = Number.POSITIVE_INFINITY;
    if (this.state !== BUSY) this.tryStart();
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

  /** Starts the next eligible transfer if flow control allows. Precondition: not BUSY. Reads the clock itself, as `start` does. */
  protected tryStart(): void {
    const now = this.sim.now;
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
    this.start(t);
  }

  /** Reads the clock itself: a time passed to a call that is not inlined is a boxed double, allocated per call. */
  private start(t: Transfer): void {
    const now = this.sim.now;
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
}
