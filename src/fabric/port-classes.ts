/**
 * Traffic classes at one egress port: per-class flow control, buffers, ECN thresholds and
 * statistics. The port (`egress-port.ts`) owns the transmitter; this object owns what is
 * per class, and is the `ClassGate` of the port's `ClassScheduler`.
 *
 * - Converged Ethernet (port flow control `"pfc"`): 802.1Qbb priority flow control per
 *   no-drop class. The receiver counts the bytes it holds from this link per class and
 *   sends a PAUSE for that class's priorities above its XOFF, a RESUME at or below XON
 *   (thresholds as for link-level PFC, `pfcThresholds`, from the class's own buffer: the
 *   headroom follows from cable length, the receiver's latency and the frame size). Only
 *   that class stops; the others keep sending (IEEE 802.1Qbb-2011 §36.1). Drop classes are
 *   never paused: their egress queue drops at the tail above the class's threshold.
 *   Assumption: one PAUSE names all priorities of a class (DCBX-agreed priority groups;
 *   a no-drop class holds one priority in practice, e.g. FCoE on priority 3).
 * - InfiniBand (port flow control `"credit"`): every class is a data VL with its own
 *   credit pool, the receiver's buffer for that VL (IBA Vol. 1 §7.9, per-VL flow control
 *   credits). A VL without credit for its head packet waits; the other VLs go on.
 * - A link without flow control (`"none"`) may still have classes: ETS sharing of a lossy
 *   link, every class drop-tail.
 * PFC PAUSE/RESUME and credit updates take one propagation delay and no wire time, as for
 * link-level flow control.
 */

import { Fifo } from "../../sim/fifo.js";
import { TICKS_PER_SECOND } from "../../sim/units.js";
import type { ClassGate } from "./class-scheduler.js";
import type { FlowControl } from "./flow-control.js";
import type { Node } from "./node.js";
import type { Transfer } from "./transfer.js";

/** `admit` verdicts. */
export const ADMITTED = 0;
export const CLASS_FULL = 1;
export const SHARED_FULL = 2;
/** What `release` sends back to the sender. */
export const NO_FRAME = 0;
export const CREDIT_FRAME = 1;
export const PFC_FRAME = 2;

/** One traffic class of a port (an 802.1Qaz traffic class, an InfiniBand data VL). */
export interface TrafficClassConfig {
  /** Shown in statistics: "fc", "best-effort", "vl1", … */
  readonly name: string;
  /** Lossless: PFC on a `"pfc"` link, credits on a `"credit"` link; else drop-tail. */
  readonly noDrop: boolean;
  /** Scheduling tier (0 first): strict-priority classes, or the IB high table, come first. */
  readonly tier: number;
  /** Share inside its tier (ETS percentage, IB arbitration weight). */
  readonly weight: number;
  /** Drop classes: most waiting bytes of this class at this port (a per-class threshold); default the port's buffer. */
  readonly bufferBytes?: number;
  /** No-drop classes: the receiver's buffer for this class on this link (PFC buffer or VL credits). */
  readonly peerBufferBytes?: number;
  /** ECN: ECN-capable transfers arriving while this class holds more than this many waiting bytes are marked CE. */
  readonly ecnThresholdBytes?: number;
}

export interface PortClassOptions {
  readonly classes: readonly TrafficClassConfig[];
  /** Bytes the high tier may send while a lower tier waits (InfiniBand LimitOfHighPriority × 4,096); default Infinity. */
  readonly tierLimitBytes?: number;
}

/** Per-class measurements over the window. */
export interface ClassStats {
  readonly name: string;
  readonly noDrop: boolean;
  /** Wire bytes this class sent. */
  readonly transmittedBytes: number;
  /** PFC: time a PAUSE was in force on this class; credits: time its head waited for credit. Seconds. */
  readonly pausedSeconds: number;
  readonly dropped: number;
  readonly ecnMarked: number;
  readonly maxQueueBytes: number;
  /** No-drop classes: most bytes the receiver held from this class (credit in use, or PFC count); else null. */
  readonly peakPeerBufferBytes: number | null;
}

export class PortClasses implements ClassGate {
  readonly count: number;
  readonly names: readonly string[];
  readonly noDrop: Uint8Array;
  /** `"pfc"`: no-drop classes use PFC; `"credit"`: every class has credits; `"none"`: all drop-tail. */
  readonly pfc: boolean;
  readonly creditBased: boolean;
  readonly bufferBytes: Float64Array;
  readonly peerBufferBytes: Float64Array;
  readonly ecnThreshold: Float64Array;
  /** Sender: credit per class (credit-based). */
  readonly credit: Float64Array;
  /** Sender: a PAUSE is in force (PFC). */
  readonly paused: Uint8Array;
  /** Receiver side, kept at the sender as for link-level flow control: bytes held per class. */
  readonly held: Float64Array;
  readonly pauseSent: Uint8Array;
  readonly xoff: Float64Array;
  readonly xon: Float64Array;
  /** Credit returns on their way back, in order: bytes × 16 + class. */
  readonly creditReturns = new Fifo<number>(4);
  /** PAUSE/RESUME frames on their way back: class × 2 + (1 for PAUSE). */
  readonly pfcFrames = new Fifo<number>(4);

  // Window statistics.
  readonly pausedTicks: Float64Array;
  /** When the current pause or credit wait began, or -1. */
  readonly pausedSince: Float64Array;
  readonly dropped: Float64Array;
  readonly marked: Float64Array;
  readonly maxQueue: Float64Array;
  readonly peakHeld: Float64Array;

  constructor(
    options: PortClassOptions,
    flowControl: FlowControl,
    portBufferBytes: number,
    thresholds: (bufferBytes: number) => { xoff: number; xon: number },
    portId: string,
  ) {
    const cs = options.classes;
    const n = cs.length;
    this.count = n;
    this.names = cs.map((c) => c.name);
    this.pfc = flowControl === "pfc";
    this.creditBased = flowControl === "credit";
    this.noDrop = new Uint8Array(n);
    this.bufferBytes = new Float64Array(n);
    this.peerBufferBytes = new Float64Array(n);
    this.ecnThreshold = new Float64Array(n);
    this.credit = new Float64Array(n);
    this.paused = new Uint8Array(n);
    this.held = new Float64Array(n);
    this.pauseSent = new Uint8Array(n);
    this.xoff = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
    this.xon = new Float64Array(n);
    this.pausedTicks = new Float64Array(n);
    this.pausedSince = new Float64Array(n).fill(-1);
    this.dropped = new Float64Array(n);
    this.marked = new Float64Array(n);
    this.maxQueue = new Float64Array(n);
    this.peakHeld = new Float64Array(n);
    cs.forEach((c, i) => {
      // On a credit link every VL is lossless; without flow control every class drops.
      const noDrop = this.creditBased || (this.pfc && c.noDrop);
      this.noDrop[i] = noDrop ? 1 : 0;
      const cap = c.bufferBytes ?? portBufferBytes;
      if (!(cap >= 0)) throw new RangeError(`port ${portId}: class ${c.name}: bufferBytes must be >= 0, got ${cap}`);
      this.bufferBytes[i] = cap;
      this.ecnThreshold[i] = c.ecnThresholdBytes ?? Number.POSITIVE_INFINITY;
      if (noDrop) {
        const peer = c.peerBufferBytes ?? Number.NaN;
        if (!(peer > 0 && Number.isFinite(peer))) {
          throw new RangeError(
            `port ${portId}: no-drop class ${c.name} needs the receiver's buffer (peerBufferBytes), got ${peer}`,
          );
        }
        this.peerBufferBytes[i] = peer;
        if (this.creditBased) this.credit[i] = peer;
        else {
          const th = thresholds(peer);
          this.xoff[i] = th.xoff;
          this.xon[i] = th.xon;
        }
      }
    });
  }

  /** The gate of the port's class scheduler: may class `cls` send `head` now? */
  classReady(cls: number, head: Transfer): boolean {
    if (this.noDrop[cls] === 0) return true;
    if (this.pfc) return this.paused[cls] === 0;
    if (this.credit[cls]! >= head.wire) return true;
    // Waiting for credit: count the time until the class sends again.
    if (this.pausedSince[cls]! < 0) this.pausedSince[cls] = this.nowTicks;
    return false;
  }

  /** Set by the port before each selection (the gate has no clock of its own). */
  nowTicks = 0;

  /** A credit-waiting class sends again (or its queue empties): its wait ends. */
  endCreditWait(cls: number, now: number): void {
    const since = this.pausedSince[cls]!;
    if (since >= 0) {
      this.pausedTicks[cls]! += now - since;
      this.pausedSince[cls] = -1;
    }
  }

  /**
   * Admission of `t` into class `cls`, which holds `waiting` bytes: drop-tail at the class's
   * threshold and at the node's shared buffer for drop classes; ECN marking above the class's
   * threshold. Returns ADMITTED, CLASS_FULL or SHARED_FULL.
   */
  admit(t: Transfer, cls: number, waiting: number, wire: number, node: Node, portId: string): number {
    if (this.noDrop[cls] === 0) {
      if (waiting + wire > this.bufferBytes[cls]!) {
        this.dropped[cls] = this.dropped[cls]! + 1;
        return CLASS_FULL;
      }
      if (node.lossyQueuedBytes + wire > node.sharedBufferBytes) {
        this.dropped[cls] = this.dropped[cls]! + 1;
        return SHARED_FULL;
      }
      node.lossyQueuedBytes += wire;
      t.lossless = false;
    } else {
      if (this.creditBased && wire > this.peerBufferBytes[cls]!) {
        throw new RangeError(
          `port ${portId}: a ${wire}-byte transfer can never get credit from class ${this.names[cls]}'s ${this.peerBufferBytes[cls]}-byte receive buffer`,
        );
      }
      t.lossless = true;
    }
    if (t.ect && waiting > this.ecnThreshold[cls]!) {
      t.ce = true;
      this.marked[cls] = this.marked[cls]! + 1;
    }
    if (waiting + wire > this.maxQueue[cls]!) this.maxQueue[cls] = waiting + wire;
    return ADMITTED;
  }

  /** PFC, receiver side: it holds `wire` more bytes of class `cls`. True when a PAUSE must go back. */
  occupy(cls: number, wire: number): boolean {
    if (!this.pfc || this.noDrop[cls] === 0) return false;
    const held = this.held[cls]! + wire;
    this.held[cls] = held;
    if (held > this.peakHeld[cls]!) this.peakHeld[cls] = held;
    if (this.pauseSent[cls] === 0 && held > this.xoff[cls]!) {
      this.pauseSent[cls] = 1;
      this.pfcFrames.push(cls * 2 + 1);
      return true;
    }
    return false;
  }

  /** The receiver is done with `wire` bytes of class `cls`: what goes back (NO_FRAME, CREDIT_FRAME, PFC_FRAME). */
  release(cls: number, wire: number): number {
    if (this.noDrop[cls] === 0) return NO_FRAME;
    if (this.creditBased) {
      this.creditReturns.push(wire * 16 + cls);
      return CREDIT_FRAME;
    }
    const held = this.held[cls]! - wire;
    this.held[cls] = held;
    if (this.pauseSent[cls] === 1 && held <= this.xon[cls]!) {
      this.pauseSent[cls] = 0;
      this.pfcFrames.push(cls * 2);
      return PFC_FRAME;
    }
    return NO_FRAME;
  }

  /** Credits: the sender puts `wire` bytes of class `cls` on the link. */
  spendCredit(cls: number, wire: number): void {
    this.credit[cls] = this.credit[cls]! - wire;
    const held = this.held[cls]! + wire;
    this.held[cls] = held;
    if (held > this.peakHeld[cls]!) this.peakHeld[cls] = held;
  }

  /** Credits: the oldest credit update reached the sender. */
  creditArrived(): void {
    const code = this.creditReturns.shift()!;
    const cls = code % 16;
    const bytes = (code - cls) / 16;
    this.credit[cls] = this.credit[cls]! + bytes;
    this.held[cls] = this.held[cls]! - bytes;
  }

  /** PFC: the oldest PAUSE or RESUME frame reached the sender. Returns its code (class × 2 + 1 for PAUSE). */
  pfcArrived(now: number): number {
    const code = this.pfcFrames.shift()!;
    const cls = code >> 1;
    const pause = (code & 1) === 1;
    this.paused[cls] = pause ? 1 : 0;
    if (pause) {
      if (this.pausedSince[cls]! < 0) this.pausedSince[cls] = now;
    } else this.endCreditWait(cls, now);
    return code;
  }

  resetStats(now: number): void {
    this.pausedTicks.fill(0);
    for (let c = 0; c < this.count; c++) if (this.pausedSince[c]! >= 0) this.pausedSince[c] = now;
    this.dropped.fill(0);
    this.marked.fill(0);
    this.maxQueue.fill(0);
    this.peakHeld.set(this.held);
  }

  stats(now: number, txBytes: (cls: number) => number): ClassStats[] {
    return this.names.map((name, c) => {
      const since = this.pausedSince[c]!;
      const paused = this.pausedTicks[c]! + (since >= 0 ? now - since : 0);
      return {
        name,
        noDrop: this.noDrop[c] === 1,
        transmittedBytes: txBytes(c),
        pausedSeconds: paused / TICKS_PER_SECOND,
        dropped: this.dropped[c]!,
        ecnMarked: this.marked[c]!,
        maxQueueBytes: this.maxQueue[c]!,
        peakPeerBufferBytes: this.noDrop[c] === 1 ? this.peakHeld[c]! : null,
      };
    });
  }
}
