import { Fifo } from "../../sim/fifo.js";
import type { Rng } from "../../sim/random.js";
import type { Fabric } from "../fabric/fabric.js";
import { type Route, Transfer } from "../fabric/transfer.js";
import { IN_FLIGHT, type Message } from "../workload/message.js";
import {
  ACK_JITTER_TICKS,
  DCTCP_G,
  DEFAULT_TCP,
  DUP_THRESHOLD,
  RECEIVE_WINDOW_BYTES,
  type TcpCounters,
  type TcpHost,
  type TcpParams,
  WORST_CASE_DELACK_TICKS,
} from "./tcp-params.js";
import { TcpReceiver } from "./tcp-receiver.js";
import { RttEstimator } from "./tcp-rtt.js";
import { GONE, LOST, OUT, SACKED, SegmentWindow } from "./tcp-segments.js";

/**
 * One TCP connection (a workload instance to one target), at segment granularity, for
 * bulk flows and LAN message workloads. Assumptions (each with its source):
 * - A segment is one transfer of the flow's MTU; every segment is ACKed at once (no delayed
 *   ACKs), and the ACK reaches the sender after the reverse path's unloaded delay
 *   (`ackDelayTicks`: propagation, forwarding latencies and one ACK frame per hop). ACKs are
 *   not queued behind data and never lost.
 * - Loss detection as Linux's SACK with RACK-TLP (RFC 6675, RFC 8985): a transmission is
 *   lost once DUP_THRESHOLD transmissions sent after it have been ACKed, or once one has and
 *   SRTT + min RTT / 4 (the reordering window) have passed since it was sent; it is then
 *   sent again first (a lost retransmission too). A tail loss probe goes 2·SRTT after the
 *   last ACK (+200 ms with one segment in flight, RFC 8985 §7.2): a new segment, or the
 *   last one again, so that its ACK reveals the losses before it. On entering recovery
 *   ssthresh = cwnd = max(2, cwnd / 2) (RFC 5681 §3.2), once per window; recovery ends when
 *   everything sent before it is ACKed. Limited transmit is not modelled.
 * - Retransmission timeout (RFC 6298): SRTT/RTTVAR from segments sent once (Karn), RTO =
 *   max(rtoMin, SRTT + 4·RTTVAR), 1 s before the first sample, doubled per expiry; on
 *   expiry ssthresh = max(2, cwnd / 2), cwnd = 1 and every unacknowledged segment is sent
 *   again. rtoMin defaults to Linux's 200 ms.
 * - Window growth: slow start (+1 per ACKed segment below ssthresh), then +1/cwnd (RFC 5681),
 *   only while the window limits the sender (RFC 7661; Linux's tcp_is_cwnd_limited), and
 *   never above the receive window (`RECEIVE_WINDOW_BYTES`).
 * - TCP small queues: no more than `hostLimitBytes` of the connection's segments wait in
 *   the sending host (its PCIe queue and the adapter port) at a time; the rest stays in
 *   the socket until they leave the adapter (Linux TSQ, `TSQ_MAX_BYTES`).
 * - DCTCP (Alizadeh et al., SIGCOMM 2010; RFC 8257): segments are ECN-capable; per window
 *   of data α ← (1 − g)·α + g·F with F the share of ACKs echoing a mark, g = 1/16, α
 *   starting at 1 (RFC 8257 §3.3); on an echoed mark cwnd ← max(2, cwnd·(1 − α/2)) at most
 *   once per window. Losses are handled as in Reno.
 * - The receiver delivers in order: a message completes when its last byte and every byte
 *   before it have arrived (head-of-line blocking behind a lost segment).
 * - A message lost to a failure (the transport decides) is given up: its segments are
 *   never sent again and the receiver skips them (a reset connection, in effect).
 */
export class TcpFlow {
  cwnd: number;
  ssthresh = Number.POSITIVE_INFINITY;
  /** DCTCP's estimate of the fraction of marked segments. */
  alpha = 1;
  route: Route;
  readonly counters: TcpCounters = {
    segmentsSent: 0,
    retransmitted: 0,
    arrived: 0,
    duplicates: 0,
    dropped: 0,
    fastRetransmits: 0,
    timeouts: 0,
    ecnEchoes: 0,
    goodputBytes: 0,
  };

  // Sender.
  private nextSeq = 0;
  private sndUna = 0;
  /** Segments sent and believed in flight (neither ACKed nor declared lost). */
  private pipe = 0;
  private nextTx = 0;
  private readonly seg = new SegmentWindow();
  /** Messages waiting to be sent: the head may be partly sent (`headLeft` bytes to go). */
  private readonly waiting = new Fifo<Message>(8);
  private headLeft = 0;
  private readonly retransmit = new Fifo<number>(16);
  /** Transmissions in send order (index and sequence number), for hole detection. */
  private readonly txIndex = new Fifo<number>(64);
  private readonly txSeq = new Fifo<number>(64);
  /** Transmissions with later ones ACKed: [tx, seq, ACKs seen above it] triples. */
  private holes: number[] = [];
  private inRecovery = false;
  private recoveryPoint = 0;
  // DCTCP.
  private ackedInWindow = 0;
  private markedInWindow = 0;
  private windowEnd = 0;
  private cwrEnd = 0;
  // RTT, RTO and the timer.
  private readonly rtt: RttEstimator;
  private lastProgress = 0;
  /** Last time an ACK arrived (tail loss probe timing). */
  private lastAckAt = 0;
  /** A tail loss probe was sent and no ACK has arrived since. */
  private probed = false;
  /** When the pending timer event fires, or Infinity (one event at a time; stale ones are ignored). */
  private timerAt = Number.POSITIVE_INFINITY;
  private readonly receiver: TcpReceiver;
  // ACKs on their way back: transmission index, sequence number, echo.
  private readonly ackTx = new Fifo<number>(64);
  private readonly ackSeq = new Fifo<number>(64);
  private readonly ackCe = new Fifo<boolean>(64);
  private lastAckDue = 0;
  /** Bytes of this connection's segments still in the sending host. */
  private hostBytes = 0;
  /** The window, not TSQ or the application, stopped the last send. */
  private cwndLimited = false;
  private readonly maxCwnd: number;
  private pumping = false;

  constructor(
    private readonly host: TcpHost,
    route: Route,
    private readonly mtu: number,
    /** Unloaded delay of an ACK from the receiver back to the sender, ticks. */
    readonly ackDelayTicks: number,
    readonly params: TcpParams = DEFAULT_TCP,
    /** Draws the ACK jitter; null: none. */
    private readonly rng: Rng | null = null,
    /** Most bytes of this connection waiting in its own host (TSQ); default unlimited. */
    private readonly hostLimitBytes = Number.POSITIVE_INFINITY,
  ) {
    this.route = route;
    this.cwnd = params.initialWindow;
    this.rtt = new RttEstimator(params.rtoMinTicks);
    this.receiver = new TcpReceiver(host);
    this.maxCwnd = Math.max(params.initialWindow, Math.floor(RECEIVE_WINDOW_BYTES / mtu));
  }

  /** A segment left the host's adapter (TCP small queues: room for the next). */
  leftHost(t: Transfer): void {
    this.hostBytes -= t.payload;
    this.pump();
  }

  /** The smallest RTT measured (ticks), or Infinity before the first sample. */
  get minRttTicks(): number {
    return this.rtt.minRtt;
  }

  /** Smoothed RTT (ticks), or -1 before the first sample. */
  get srttTicks(): number {
    return this.rtt.srtt;
  }

  /** Queues `msg`'s bytes on the connection; they go when the window allows. */
  send(msg: Message, bytes: number): void {
    if (this.waiting.length === 0) this.headLeft = bytes;
    this.waiting.push(msg);
    msg.pending = bytes;
    this.pump();
  }

  /** Messages with bytes not yet sent (walked for the in-flight count). */
  forEachWaiting(fn: (msg: Message) => void): void {
    for (const m of this.waiting) fn(m);
  }

  /** Messages sent, not yet complete at the receiver (walked for the in-flight count). */
  forEachUnfinished(fn: (msg: Message) => void): void {
    this.receiver.forEachUnfinished(fn);
  }

  /** Sequence numbers sent and not known to have arrived (for conservation checks). */
  get unacknowledged(): number {
    return this.nextSeq - this.sndUna;
  }

  /** A segment of this flow arrived at the receiver: deliver in order, send the ACK back. */
  arrived(t: Transfer): void {
    const seq = t.seq;
    const c = this.counters;
    c.arrived++;
    if (this.receiver.receive(seq)) c.goodputBytes += t.payload;
    else c.duplicates++;
    this.ackTx.push(t.tx);
    this.ackSeq.push(seq);
    this.ackCe.push(t.ce);
    // ACKs reach the sender in the order they were sent (jitter never reorders them).
    const sim = this.host.fabric.sim;
    const jitter = this.rng === null ? 0 : Math.floor(this.rng.random() * ACK_JITTER_TICKS);
    const due = Math.max(this.lastAckDue, sim.now + this.ackDelayTicks + jitter);
    this.lastAckDue = due;
    sim.post(due - sim.now, this.host.hAck, this);
  }

  /** A segment of this flow was dropped in the fabric (the sender learns it from the ACKs, later). */
  dropped(t: Transfer): void {
    this.counters.dropped++;
    if (t.notifyAt !== null) {
      // Lost before it left the host (a failed first hop).
      t.notifyAt = null;
      this.hostBytes -= t.payload;
    }
  }

  /** Kernel callback: the oldest ACK on its way back reached the sender. */
  ackArrived(): void {
    const tx = this.ackTx.shift()!;
    const seq = this.ackSeq.shift()!;
    const ce = this.ackCe.shift()!;
    const now = this.host.fabric.sim.now;
    this.findHoles(tx);
    const seg = this.seg;
    const i = seq - seg.base;
    let newlyAcked = false;
    if (seq >= this.sndUna && seg.state[i] !== SACKED && seg.state[i] !== GONE) {
      // (An older transmission may arrive while a newer one is on its way: one count per segment.)
      if (seg.state[i] === OUT) this.pipe--;
      seg.state[i] = SACKED;
      newlyAcked = true;
      if (seg.resent[i] === 0) this.rtt.sample(now - seg.sentAt[i]!);
    }
    if (ce) this.counters.ecnEchoes++;
    this.lastAckAt = now;
    this.probed = false;
    this.advanceSender(now);
    if (this.params.congestion === "dctcp") this.dctcpAck(ce);
    if (newlyAcked && !this.inRecovery && this.cwndLimited) {
      this.cwnd = Math.min(this.maxCwnd, this.cwnd + (this.cwnd < this.ssthresh ? 1 : 1 / this.cwnd));
    }
    this.pump();
  }

  /** Kernel callback: the flow's timer (RACK reordering window, tail loss probe, retransmission timeout). */
  timeout(): void {
    const now = this.host.fabric.sim.now;
    if (now !== this.timerAt) return; // superseded by an earlier one
    this.timerAt = Number.POSITIVE_INFINITY;
    if (now >= this.rackDeadline()) this.findHoles(-1);
    if (now >= this.rtoDeadline()) this.retransmissionTimeout(now);
    else if (now >= this.probeDeadline()) this.probe(now);
    this.pump();
  }

  private retransmissionTimeout(now: number): void {
    const c = this.counters;
    c.timeouts++;
    this.ssthresh = Math.max(2, this.cwnd / 2);
    this.cwnd = 1;
    this.rtt.backOff();
    // Every unacknowledged segment is sent again; nothing is believed in flight any more.
    while (this.retransmit.length > 0) this.retransmit.shift();
    const seg = this.seg;
    for (let s = this.sndUna; s < this.nextSeq; s++) {
      const i = s - seg.base;
      if (seg.state[i] === OUT || seg.state[i] === LOST) {
        seg.state[i] = LOST;
        this.retransmit.push(s);
      }
    }
    this.pipe = 0;
    while (this.txIndex.length > 0) {
      this.txIndex.shift();
      this.txSeq.shift();
    }
    this.holes = [];
    this.inRecovery = true;
    this.recoveryPoint = this.nextSeq;
    this.lastProgress = now;
  }

  /** Tail loss probe: a new segment if there is one, else the last one sent, whatever the window. */
  private probe(now: number): void {
    this.probed = true;
    if (this.nextNewSegment()) {
      this.counters.segmentsSent++;
      this.transmit(this.nextSeq - 1, now, this.host.fabric);
      return;
    }
    const seg = this.seg;
    for (let s = this.nextSeq - 1; s >= this.sndUna; s--) {
      const i = s - seg.base;
      if (seg.state[i] === OUT) {
        seg.state[i] = LOST;
        this.pipe--;
        this.counters.retransmitted++;
        this.transmit(s, now, this.host.fabric);
        return;
      }
    }
  }

  /** Something is sent and not yet known to have arrived. */
  private get outstanding(): boolean {
    return this.pipe > 0 || this.retransmit.length > 0 || this.sndUna < this.nextSeq;
  }

  private rtoDeadline(): number {
    return this.outstanding ? this.lastProgress + this.rtt.timeoutTicks : Number.POSITIVE_INFINITY;
  }

  private probeDeadline(): number {
    const srtt = this.rtt.srtt;
    if (this.probed || this.inRecovery || srtt < 0 || this.pipe === 0) return Number.POSITIVE_INFINITY;
    let pto = 2 * srtt;
    if (this.pipe === 1) pto += WORST_CASE_DELACK_TICKS;
    return Math.max(this.lastAckAt, this.lastProgress) + pto;
  }

  /** The earliest time a hole's reordering window ends (RACK), or Infinity. */
  private rackDeadline(): number {
    const holes = this.holes;
    if (holes.length === 0 || this.rtt.srtt < 0) return Number.POSITIVE_INFINITY;
    const seg = this.seg;
    let earliest = Number.POSITIVE_INFINITY;
    for (let h = 0; h < holes.length; h += 3) {
      const i = holes[h + 1]! - seg.base;
      if (i >= 0 && seg.lastTx[i] === holes[h])
        earliest = Math.min(earliest, seg.sentAt[i]! + this.rtt.reorderWindow());
    }
    return earliest;
  }

  /** Schedules the flow's timer for its earliest deadline, unless an earlier event is pending. */
  private armTimer(): void {
    const at = Math.min(this.rackDeadline(), this.probeDeadline(), this.rtoDeadline());
    if (at === Number.POSITIVE_INFINITY || at >= this.timerAt) return;
    const sim = this.host.fabric.sim;
    const when = Math.max(sim.now + 1, Math.ceil(at));
    this.timerAt = when;
    sim.post(when - sim.now, this.host.hRto, this);
  }

  /**
   * `msg` was lost to a failure: its segments are never sent again, the receiver skips them,
   * and bytes of it not yet sent are dropped from the queue.
   */
  abandon(msg: Message): void {
    if (msg.firstSeq >= 0) {
      const last = msg.lastSeq >= 0 ? msg.lastSeq : this.nextSeq - 1;
      const seg = this.seg;
      for (let s = Math.max(msg.firstSeq, this.sndUna); s <= last; s++) {
        const i = s - seg.base;
        if (seg.state[i] === OUT) this.pipe--;
        if (seg.state[i] !== SACKED) seg.state[i] = GONE;
      }
      this.receiver.skip(msg.firstSeq, last);
      this.advanceSender(this.host.fabric.sim.now);
    }
    this.pump();
  }

  /** The routes changed (failover): later transmissions take `route`. */
  reroute(route: Route): void {
    this.route = route;
  }

  /** Moves `sndUna` past every ACKed or given-up segment; ends recovery; restarts the timer. */
  private advanceSender(now: number): void {
    const before = this.sndUna;
    const seg = this.seg;
    while (this.sndUna < this.nextSeq) {
      const st = seg.state[this.sndUna - seg.base];
      if (st !== SACKED && st !== GONE) break;
      this.sndUna++;
    }
    if (this.sndUna === before) return;
    this.lastProgress = now;
    this.rtt.resetBackoff();
    if (this.inRecovery && this.sndUna >= this.recoveryPoint) this.inRecovery = false;
    // Free the window's acknowledged prefix now and then (amortized O(1)).
    seg.release(this.sndUna, this.nextSeq);
  }

  /**
   * ACK of transmission `tx` arrived (or -1: RACK's timer): earlier transmissions not yet
   * ACKed are holes; a hole is lost after DupThresh later ACKs or its reordering window.
   */
  private findHoles(tx: number): void {
    const idx = this.txIndex;
    const sq = this.txSeq;
    let matched = false;
    while (tx >= 0 && idx.length > 0 && idx.peek()! <= tx) {
      const k = idx.shift()!;
      const s = sq.shift()!;
      if (k === tx) {
        matched = true;
        break;
      }
      this.holes.push(k, s, 0);
    }
    if (!matched && tx >= 0) {
      // A late ACK (an old route after failover): it fills its hole if it had one.
      for (let h = 0; h < this.holes.length; h += 3) {
        if (this.holes[h] === tx) {
          this.holes.splice(h, 3);
          break;
        }
      }
    }
    const holes = this.holes;
    const seg = this.seg;
    const now = this.host.fabric.sim.now;
    const window = this.rtt.srtt < 0 ? Number.POSITIVE_INFINITY : this.rtt.reorderWindow();
    let w = 0;
    for (let h = 0; h < holes.length; h += 3) {
      const k = holes[h]!;
      const s = holes[h + 1]!;
      const seen = holes[h + 2]! + (matched ? 1 : 0);
      const i = s - seg.base;
      const live = s >= this.sndUna && seg.state[i] === OUT && seg.lastTx[i] === k;
      if (!live) continue;
      if (seen >= DUP_THRESHOLD || now >= seg.sentAt[i]! + window) {
        this.declareLost(s);
        continue;
      }
      holes[w++] = k;
      holes[w++] = s;
      holes[w++] = seen;
    }
    holes.length = w;
  }

  private declareLost(seq: number): void {
    this.seg.state[seq - this.seg.base] = LOST;
    this.pipe--;
    this.retransmit.push(seq);
    this.counters.fastRetransmits++;
    if (!this.inRecovery) {
      this.ssthresh = Math.max(2, this.cwnd / 2);
      this.cwnd = this.ssthresh;
      this.inRecovery = true;
      this.recoveryPoint = this.nextSeq;
      this.cwrEnd = this.nextSeq;
    }
  }

  private dctcpAck(ce: boolean): void {
    this.ackedInWindow++;
    if (ce) this.markedInWindow++;
    if (this.sndUna >= this.windowEnd) {
      const f = this.ackedInWindow === 0 ? 0 : this.markedInWindow / this.ackedInWindow;
      this.alpha = (1 - DCTCP_G) * this.alpha + DCTCP_G * f;
      this.ackedInWindow = 0;
      this.markedInWindow = 0;
      this.windowEnd = this.nextSeq;
    }
    if (ce && !this.inRecovery && this.sndUna >= this.cwrEnd) {
      this.cwnd = Math.max(2, this.cwnd * (1 - this.alpha / 2));
      this.ssthresh = this.cwnd;
      this.cwrEnd = this.nextSeq;
    }
  }

  /** Sends retransmissions first, then new data, while fewer than cwnd segments are in flight. */
  private pump(): void {
    // Guard: an injection that drops at once (a failed first hop) calls back into the flow.
    if (this.pumping) return;
    this.pumping = true;
    const fabric = this.host.fabric;
    const now = fabric.sim.now;
    const seg = this.seg;
    const window = Math.max(1, Math.floor(this.cwnd));
    while (this.pipe < window && this.hostBytes < this.hostLimitBytes) {
      let seq = -1;
      while (this.retransmit.length > 0) {
        const s = this.retransmit.shift()!;
        if (s >= this.sndUna && seg.state[s - seg.base] === LOST) {
          seq = s;
          break;
        }
      }
      if (seq >= 0) {
        this.counters.retransmitted++;
        this.transmit(seq, now, fabric);
        continue;
      }
      if (!this.nextNewSegment()) break;
      this.counters.segmentsSent++;
      this.transmit(this.nextSeq - 1, now, fabric);
    }
    this.pumping = false;
    this.cwndLimited = this.pipe >= window;
    this.armTimer();
  }

  /** Takes the next segment of new data off the waiting messages, giving it the next sequence number. */
  private nextNewSegment(): boolean {
    const waiting = this.waiting;
    while (waiting.length > 0 && waiting.peek()!.state !== IN_FLIGHT) {
      waiting.shift(); // lost to a failure before it was all sent
      this.headLeft = waiting.length > 0 ? waiting.peek()!.pending : 0;
    }
    const msg = waiting.peek();
    if (msg === undefined) return false;
    const payload = Math.min(this.mtu, this.headLeft);
    this.headLeft -= payload;
    const seq = this.nextSeq++;
    const seg = this.seg;
    const i = seg.slot(seq);
    seg.state[i] = OUT;
    seg.payload[i] = payload;
    seg.owner[i] = msg;
    seg.resent[i] = 0;
    if (msg.firstSeq < 0) msg.firstSeq = seq;
    if (this.headLeft === 0) {
      msg.lastSeq = seq;
      this.receiver.expect(seq, msg);
      waiting.shift();
      this.headLeft = waiting.length > 0 ? waiting.peek()!.pending : 0;
    }
    if (this.sndUna === seq && this.pipe === 0) this.lastProgress = this.host.fabric.sim.now;
    return true;
  }

  private transmit(seq: number, now: number, fabric: Fabric): void {
    const seg = this.seg;
    const i = seq - seg.base;
    if (seg.state[i] === LOST) seg.resent[i] = 1;
    seg.state[i] = OUT;
    const tx = this.nextTx++;
    seg.lastTx[i] = tx;
    seg.sentAt[i] = now;
    this.pipe++;
    this.txIndex.push(tx);
    this.txSeq.push(seq);
    const t = new Transfer(seg.owner[i], seg.payload[i]!, this.route);
    t.seq = seq;
    t.tx = tx;
    t.ect = this.params.congestion === "dctcp";
    const ports = this.route.ports;
    t.notifyAt = ports[Math.min(1, ports.length - 1)]!;
    this.hostBytes += t.payload;
    fabric.inject(t);
  }
}
