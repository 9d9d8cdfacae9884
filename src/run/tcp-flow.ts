import { Fifo } from "../../sim/fifo.js";
import { secondsToTicks } from "../../sim/units.js";
import type { Fabric } from "../fabric/fabric.js";
import type { Transfer } from "../fabric/transfer.js";

/** Initial congestion window, transfers (RFC 6928's 10 segments). */
export const INITIAL_WINDOW = 10;
/** Retransmission timeout when nothing is left in flight to clock the sender (a data-centre-tuned 1 ms). */
export const RTO_TICKS = secondsToTicks(1e-3);

/**
 * A bulk flow's sender, TCP Reno-like at transfer granularity, so an
 * always-backlogged flow (backup, migration) shares a lossy bottleneck instead of
 * blasting at line rate. Assumptions:
 * - a transfer is a segment; the window counts transfers in flight, starting at 10;
 * - slow start (+1 per delivered transfer) until the first loss, then congestion
 *   avoidance (+1/cwnd per delivered transfer);
 * - a lost transfer (buffer overflow) is known at once (as with fast retransmit
 *   and SACK) and sent again first, clocked by the next delivery; the sender stops
 *   sending until then, or until a 1 ms retransmission timeout when nothing is in
 *   flight; the window halves at most once per window's worth of deliveries (one
 *   reduction per round trip);
 * - losses to failures are not retransmitted here: the message is lost (see transport).
 */
export class TcpFlow {
  cwnd = INITIAL_WINDOW;
  ssthresh = Number.POSITIVE_INFINITY;
  /** Transfers injected and not yet delivered or dropped. */
  inflight = 0;
  private readonly queue = new Fifo<Transfer>();
  private readonly resend = new Fifo<Transfer>();
  private sinceCut = 0;
  private pumping = false;
  /** A loss was seen: send nothing until a delivery or the timeout. */
  private stalled = false;
  private rtoPending = false;
  private readonly rtoHandler: number;

  constructor(
    private readonly fabric: Fabric,
    rtoHandler: number,
  ) {
    this.rtoHandler = rtoHandler;
  }

  /** Kernel callback: the retransmission timeout. */
  timeout(): void {
    this.rtoPending = false;
    this.stalled = false;
    this.pump();
  }

  /** Queues a new transfer; it is sent when the window allows. */
  send(t: Transfer): void {
    this.queue.push(t);
    this.pump();
  }

  /** A transfer of this flow arrived. */
  acked(): void {
    this.inflight--;
    this.sinceCut++;
    this.cwnd += this.cwnd < this.ssthresh ? 1 : 1 / this.cwnd;
    this.stalled = false;
    this.pump();
  }

  /** A transfer was dropped by congestion: send `again` first, and halve the window once per round trip. */
  lost(again: Transfer): void {
    this.inflight--;
    if (this.sinceCut >= this.cwnd || this.ssthresh === Number.POSITIVE_INFINITY) {
      this.ssthresh = Math.max(2, this.cwnd / 2);
      this.cwnd = this.ssthresh;
      this.sinceCut = 0;
    }
    this.resend.push(again);
    this.stalled = true;
    if (this.inflight === 0 && !this.rtoPending) {
      this.rtoPending = true;
      this.fabric.sim.post(RTO_TICKS, this.rtoHandler, this);
    }
  }

  /** A transfer left the flow some other way (its message was lost to a failure). */
  released(): void {
    this.inflight--;
    this.pump();
  }

  /** Transfers waiting for the window (walked for the in-flight count, re-routed on failover). */
  forEachWaiting(fn: (t: Transfer) => void): void {
    for (const t of this.resend) fn(t);
    for (const t of this.queue) fn(t);
  }

  private pump(): void {
    // Guard: an injection that drops at once (a failed first hop) calls back into the flow.
    if (this.pumping) return;
    this.pumping = true;
    while (!this.stalled && this.inflight < this.cwnd) {
      const t = this.resend.shift() ?? this.queue.shift();
      if (t === undefined) break;
      this.inflight++;
      this.fabric.inject(t);
    }
    this.pumping = false;
  }
}
