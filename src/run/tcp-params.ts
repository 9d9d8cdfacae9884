/**
 * TCP's constants and the types a connection shares with its transport: each constant
 * with the RFC or the Linux source it comes from.
 */

import { secondsToTicks } from "../../sim/units.js";
import type { Fabric } from "../fabric/fabric.js";
import type { Message } from "../workload/message.js";

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
