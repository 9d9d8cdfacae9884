/**
 * An egress port's link-level flow control, the receiver's side of it included: credits
 * (InfiniBand, Fibre Channel buffer-to-buffer, PCIe flow-control credits) and PFC
 * (IEEE 802.1Qbb PAUSE and RESUME), for the whole port or per traffic class
 * (`port-classes.ts`). The receiver holds a transfer's wire bytes from the time it
 * arrives until it leaves the receiver's egress (or is delivered there); releasing them
 * sends credit back, or a RESUME once the count falls to XON.
 *
 * Assumptions:
 * - Credit frames and PAUSE/RESUME take the link's propagation delay and no transmitter
 *   time (they are small, and sent ahead of data).
 * - A PAUSE stops the transmitter after the transfer being serialized; with classes, only
 *   the paused class, and the port is PAUSED only while every class with queued work is
 *   held back.
 */

import { CREDIT_FRAME, NO_FRAME } from "./port-classes.js";
import { BUSY, CREDIT, PAUSED, PEAK_HELD, PEER_HELD, READY } from "./port-config.js";
import { PortMeasures } from "./port-measures.js";
import type { Transfer } from "./transfer.js";

export abstract class PortFlowControl extends PortMeasures {
  /** Starts the next eligible transfer if flow control allows (the state machine). Precondition: not BUSY. */
  protected abstract tryStart(): void;

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
      if (this.state !== BUSY) this.tryStart();
      return;
    }
    const bytes = this.creditReturns.shift()!;
    const f = this.f;
    const k = this.k;
    f[k + CREDIT] = f[k + CREDIT]! + bytes;
    f[k + PEER_HELD] = f[k + PEER_HELD]! - bytes;
    if (this.state === PAUSED) this.tryStart();
  }

  /** Kernel callback: a PFC PAUSE from the receiver arrives; the frame being sent finishes. With classes: a PAUSE or RESUME for one class. */
  pauseArrived(): void {
    const classes = this.classes;
    if (classes !== null) {
      const now = this.sim.now;
      const code = classes.pfcArrived(now);
      const pause = (code & 1) === 1;
      if (!pause && this.state !== BUSY) this.tryStart();
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
    if (this.state === PAUSED) this.tryStart();
    this.emitPfc(false);
  }

  protected emitPfc(paused: boolean, cls = -1): void {
    const probes = this.sim.probes;
    if (probes.listenerCount("fabric.pfc") > 0) probes.emit("fabric.pfc", this, paused, this.sim.now, cls);
  }
}
