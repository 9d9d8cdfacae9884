import { Fifo } from "../../sim/fifo.js";
import type { Rng } from "../../sim/random.js";
import { secondsToTicks } from "../../sim/units.js";
import type { Fabric } from "../fabric/fabric.js";
import { type Route, Transfer } from "../fabric/transfer.js";
import { IN_FLIGHT, type Message } from "../workload/message.js";

/** Initial congestion window, segments (RFC 6928: 10 segments). */
export const INITIAL_WINDOW = 10;
/** Linux's minimum retransmission timeout, TCP_RTO_MIN = HZ/5 = 200 ms (include/net/tcp.h). */
export const RTO_MIN_TICKS = secondsToTicks(0.2);
/** RTO before the first RTT sample (RFC 6298 §2.1: 1 s; Linux TCP_TIMEOUT_INIT). */
export const INITIAL_RTO_TICKS = secondsToTicks(1);
/** Segments delivered above a hole before it counts as lost (DupThresh, RFC 5681 §3.2, RFC 6675). */
export const DUP_THRESHOLD = 3;
/** RFC 8985 §7.2: a probe timeout with one segment in flight waits for a delayed ACK too (WCDelAckT = 200 ms). */
export const WORST_CASE_DELACK_TICKS = secondsToTicks(0.2);
/** DCTCP's gain for α (Alizadeh et al., SIGCOMM 2010, §3.1; RFC 8257 §3.3: g = 1/16). */
export const DCTCP_G = 1 / 16;
/** Payload bytes of a pure ACK on the wire: 20 B IP + 20 B TCP + 12 B SACK/timestamp options. */
export const ACK_BYTES = 52;
/**
 * Host ACK processing jitter: each ACK takes an extra uniform [0, 1 µs) to be acted on.
 * An assumption (hosts are not clockwork: interrupts, scheduling); it also breaks the
 * deterministic phase effects of identical flows at a drop-tail queue, where one flow's
 * packets always find the queue full (Floyd & Jacobson, "On traffic phase effects in
 * packet-switched gateways", 1992).
 */
export const ACK_JITTER_TICKS = secondsToTicks(1e-6);
/**
 * TCP small queues (Linux tcp_small_queue_check): a connection keeps at most about 1 ms of
 * data at its pacing rate (sk_pacing_shift 10) below TCP, and never more than
 * tcp_limit_output_bytes (1 MiB by default, Documentation/networking/ip-sysctl.rst).
 */
export const TSQ_MAX_BYTES = 1_048_576;
/** The largest receive window: Linux's tcp_rmem max (6 MiB) with half kept for overhead (tcp_adv_win_scale 1). */
export const RECEIVE_WINDOW_BYTES = 3 * 1_048_576;

export type Congestion = "reno" | "dctcp";

export interface TcpParams {
  readonly congestion: Congestion;
  readonly rtoMinTicks: number;
  readonly initialWindow: number;
}

export const DEFAULT_TCP: TcpParams = { congestion: "reno", rtoMinTicks: RTO_MIN_TICKS, initialWindow: INITIAL_WINDOW };

/** What a flow needs from its transport. */
export interface TcpHost {
  readonly fabric: Fabric;
  /** Kernel handler ids whose payload is the flow. */
  readonly hAck: number;
  readonly hRto: number;
  /** All of `msg`'s bytes (and every byte before them) have arrived. */
  complete(msg: Message): void;
}

/** Whole-run segment counters of a flow. Conservation: sent + retransmitted = arrived + dropped + in flight. */
export interface TcpCounters {
  segmentsSent: number;
  retransmitted: number;
  /** Arrivals at the receiver, duplicates included. */
  arrived: number;
  /** Arrivals of data the receiver already had (spurious retransmissions). */
  duplicates: number;
  dropped: number;
  fastRetransmits: number;
  timeouts: number;
  /** ACKs that echoed a congestion mark (ECN-Echo). */
  ecnEchoes: number;
  /** Payload bytes of new data that arrived (goodput). */
  goodputBytes: number;
}

const OUT = 0; // sent, not known to have arrived or been lost
const SACKED = 1;
const LOST = 2; // declared lost, waiting to be sent again
const GONE = 3; // its message was lost to a failure: never sent again

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
  /** Per sequence number from `base`: state, payload, message, last transmission, send time, sent more than once. */
  private base = 0;
  private cap = 64;
  private state = new Uint8Array(64);
  private payload = new Float64Array(64);
  private lastTx = new Float64Array(64);
  private sentAt = new Float64Array(64);
  private resent = new Uint8Array(64);
  private owner: (Message | undefined)[] = new Array(64);
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
  // RTT and RTO.
  private srtt = -1;
  private rttvar = 0;
  private rto: number;
  private backoff = 1;
  private lastProgress = 0;
  /** Minimum RTT seen (RACK's reordering window is a quarter of it). */
  private minRtt = Number.POSITIVE_INFINITY;
  /** Last time an ACK arrived (tail loss probe timing). */
  private lastAckAt = 0;
  /** A tail loss probe was sent and no ACK has arrived since. */
  private probed = false;
  /** When the pending timer event fires, or Infinity (one event at a time; stale ones are ignored). */
  private timerAt = Number.POSITIVE_INFINITY;
  // Receiver.
  private rcvNext = 0;
  private readonly early = new Set<number>();
  private readonly doneSeq = new Fifo<number>(8);
  private readonly doneMsg = new Fifo<Message>(8);
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
    private readonly flowHash: number,
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
    this.rto = INITIAL_RTO_TICKS;
    this.maxCwnd = Math.max(params.initialWindow, Math.floor(RECEIVE_WINDOW_BYTES / mtu));
  }

  /** A segment left the host's adapter (TCP small queues: room for the next). */
  leftHost(t: Transfer): void {
    this.hostBytes -= t.payload;
    this.pump();
  }

  /** The smallest RTT measured (ticks), or Infinity before the first sample. */
  get minRttTicks(): number {
    return this.minRtt;
  }

  /** Smoothed RTT (ticks), or -1 before the first sample. */
  get srttTicks(): number {
    return this.srtt;
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
    for (const m of this.doneMsg) fn(m);
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
    if (seq < this.rcvNext || this.early.has(seq)) c.duplicates++;
    else {
      c.goodputBytes += t.payload;
      if (seq === this.rcvNext) this.advanceReceiver(seq + 1);
      else this.early.add(seq);
    }
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
    const i = seq - this.base;
    let newlyAcked = false;
    if (seq >= this.sndUna && this.state[i] !== SACKED && this.state[i] !== GONE) {
      // (An older transmission may arrive while a newer one is on its way: one count per segment.)
      if (this.state[i] === OUT) this.pipe--;
      this.state[i] = SACKED;
      newlyAcked = true;
      if (this.resent[i] === 0) this.sampleRtt(now - this.sentAt[i]!);
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
    this.backoff = Math.min(this.backoff * 2, 64);
    // Every unacknowledged segment is sent again; nothing is believed in flight any more.
    while (this.retransmit.length > 0) this.retransmit.shift();
    for (let s = this.sndUna; s < this.nextSeq; s++) {
      const i = s - this.base;
      if (this.state[i] === OUT || this.state[i] === LOST) {
        this.state[i] = LOST;
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
    for (let s = this.nextSeq - 1; s >= this.sndUna; s--) {
      const i = s - this.base;
      if (this.state[i] === OUT) {
        this.state[i] = LOST;
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
    return this.outstanding ? this.lastProgress + this.rto * this.backoff : Number.POSITIVE_INFINITY;
  }

  private probeDeadline(): number {
    if (this.probed || this.inRecovery || this.srtt < 0 || this.pipe === 0) return Number.POSITIVE_INFINITY;
    let pto = 2 * this.srtt;
    if (this.pipe === 1) pto += WORST_CASE_DELACK_TICKS;
    return Math.max(this.lastAckAt, this.lastProgress) + pto;
  }

  /** The earliest time a hole's reordering window ends (RACK), or Infinity. */
  private rackDeadline(): number {
    const holes = this.holes;
    if (holes.length === 0 || this.srtt < 0) return Number.POSITIVE_INFINITY;
    let earliest = Number.POSITIVE_INFINITY;
    for (let h = 0; h < holes.length; h += 3) {
      const i = holes[h + 1]! - this.base;
      if (i >= 0 && this.lastTx[i] === holes[h]) earliest = Math.min(earliest, this.sentAt[i]! + this.reorderWindow());
    }
    return earliest;
  }

  /** RACK: how long after a transmission a later one's ACK makes it lost: SRTT + min RTT / 4. */
  private reorderWindow(): number {
    return this.srtt + (Number.isFinite(this.minRtt) ? this.minRtt / 4 : 0);
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
      for (let s = Math.max(msg.firstSeq, this.sndUna); s <= last; s++) {
        const i = s - this.base;
        if (this.state[i] === OUT) this.pipe--;
        if (this.state[i] !== SACKED) this.state[i] = GONE;
      }
      for (let s = Math.max(msg.firstSeq, this.rcvNext); s <= last; s++) this.early.add(s);
      if (this.early.has(this.rcvNext)) this.advanceReceiver(this.rcvNext);
      this.advanceSender(this.host.fabric.sim.now);
    }
    this.pump();
  }

  /** The routes changed (failover): later transmissions take `route`. */
  reroute(route: Route): void {
    this.route = route;
  }

  private advanceReceiver(next: number): void {
    let n = next;
    const early = this.early;
    while (early.has(n)) {
      early.delete(n);
      n++;
    }
    this.rcvNext = n;
    while (this.doneSeq.length > 0 && this.doneSeq.peek()! < n) {
      this.doneSeq.shift();
      const msg = this.doneMsg.shift()!;
      if (msg.state === IN_FLIGHT) this.host.complete(msg);
    }
  }

  /** Moves `sndUna` past every ACKed or given-up segment; ends recovery; restarts the timer. */
  private advanceSender(now: number): void {
    const before = this.sndUna;
    while (this.sndUna < this.nextSeq) {
      const st = this.state[this.sndUna - this.base];
      if (st !== SACKED && st !== GONE) break;
      this.sndUna++;
    }
    if (this.sndUna === before) return;
    this.lastProgress = now;
    this.backoff = 1;
    if (this.inRecovery && this.sndUna >= this.recoveryPoint) this.inRecovery = false;
    // Free the ring's prefix now and then (amortized O(1)).
    const drop = this.sndUna - this.base;
    if (drop >= 32 && drop * 2 >= this.nextSeq - this.base) this.compact(drop);
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
    const now = this.host.fabric.sim.now;
    const window = this.srtt < 0 ? Number.POSITIVE_INFINITY : this.reorderWindow();
    let w = 0;
    for (let h = 0; h < holes.length; h += 3) {
      const k = holes[h]!;
      const s = holes[h + 1]!;
      const seen = holes[h + 2]! + (matched ? 1 : 0);
      const i = s - this.base;
      const live = s >= this.sndUna && this.state[i] === OUT && this.lastTx[i] === k;
      if (!live) continue;
      if (seen >= DUP_THRESHOLD || now >= this.sentAt[i]! + window) {
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
    const i = seq - this.base;
    this.state[i] = LOST;
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

  private sampleRtt(r: number): void {
    if (r < this.minRtt) this.minRtt = r;
    if (this.srtt < 0) {
      this.srtt = r;
      this.rttvar = r / 2;
    } else {
      this.rttvar = 0.75 * this.rttvar + 0.25 * Math.abs(this.srtt - r);
      this.srtt = 0.875 * this.srtt + 0.125 * r;
    }
    this.rto = Math.max(this.params.rtoMinTicks, Math.round(this.srtt + 4 * this.rttvar));
  }

  /** Sends retransmissions first, then new data, while fewer than cwnd segments are in flight. */
  private pump(): void {
    // Guard: an injection that drops at once (a failed first hop) calls back into the flow.
    if (this.pumping) return;
    this.pumping = true;
    const fabric = this.host.fabric;
    const now = fabric.sim.now;
    const window = Math.max(1, Math.floor(this.cwnd));
    while (this.pipe < window && this.hostBytes < this.hostLimitBytes) {
      let seq = -1;
      while (this.retransmit.length > 0) {
        const s = this.retransmit.shift()!;
        if (s >= this.sndUna && this.state[s - this.base] === LOST) {
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
    if (seq - this.base >= this.cap) this.grow();
    const i = seq - this.base;
    this.state[i] = OUT;
    this.payload[i] = payload;
    this.owner[i] = msg;
    this.resent[i] = 0;
    if (msg.firstSeq < 0) msg.firstSeq = seq;
    if (this.headLeft === 0) {
      msg.lastSeq = seq;
      this.doneSeq.push(seq);
      this.doneMsg.push(msg);
      waiting.shift();
      this.headLeft = waiting.length > 0 ? waiting.peek()!.pending : 0;
    }
    if (this.sndUna === seq && this.pipe === 0) this.lastProgress = this.host.fabric.sim.now;
    return true;
  }

  private transmit(seq: number, now: number, fabric: Fabric): void {
    const i = seq - this.base;
    if (this.state[i] === LOST) this.resent[i] = 1;
    this.state[i] = OUT;
    const tx = this.nextTx++;
    this.lastTx[i] = tx;
    this.sentAt[i] = now;
    this.pipe++;
    this.txIndex.push(tx);
    this.txSeq.push(seq);
    const t = new Transfer(this.owner[i], this.payload[i]!, this.route, this.flowHash);
    t.seq = seq;
    t.tx = tx;
    t.ect = this.params.congestion === "dctcp";
    const ports = this.route.ports;
    t.notifyAt = ports[Math.min(1, ports.length - 1)]!;
    this.hostBytes += t.payload;
    fabric.inject(t);
  }

  private grow(): void {
    const cap = this.cap * 2;
    const grown = <T extends Uint8Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(cap);
      b.set(a);
      return b;
    };
    this.state = grown(this.state, (n) => new Uint8Array(n));
    this.payload = grown(this.payload, (n) => new Float64Array(n));
    this.lastTx = grown(this.lastTx, (n) => new Float64Array(n));
    this.sentAt = grown(this.sentAt, (n) => new Float64Array(n));
    this.resent = grown(this.resent, (n) => new Uint8Array(n));
    this.owner.length = cap;
    this.cap = cap;
  }

  /** Drops the first `n` entries of the per-segment arrays (all ACKed). */
  private compact(n: number): void {
    const len = this.nextSeq - this.base;
    this.state.copyWithin(0, n, len);
    this.payload.copyWithin(0, n, len);
    this.lastTx.copyWithin(0, n, len);
    this.sentAt.copyWithin(0, n, len);
    this.resent.copyWithin(0, n, len);
    this.owner.copyWithin(0, n, len);
    this.owner.fill(undefined, len - n, len);
    this.base += n;
  }
}
