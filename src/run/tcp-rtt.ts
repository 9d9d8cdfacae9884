/**
 * A TCP sender's round-trip-time estimator and retransmission timer (RFC 6298), with the
 * minimum RTT that RACK's reordering window needs (RFC 8985 §6.2).
 * - SRTT and RTTVAR from samples of segments sent once (Karn's rule is the caller's:
 *   it samples only those); the first sample sets SRTT = R, RTTVAR = R / 2, later ones
 *   RTTVAR ← ¾·RTTVAR + ¼·|SRTT − R|, SRTT ← ⅞·SRTT + ⅛·R (RFC 6298 §2.2–2.3).
 * - RTO = max(rtoMin, SRTT + 4·RTTVAR), 1 s before the first sample (§2.1), doubled per
 *   expiry up to 64× (§5.5) and reset when the sender makes progress.
 */

import { INITIAL_RTO_TICKS } from "./tcp-params.js";

export class RttEstimator {
  /** Smoothed RTT (ticks), or -1 before the first sample. */
  srtt = -1;
  private rttvar = 0;
  private rto = INITIAL_RTO_TICKS;
  private backoff = 1;
  /** Minimum RTT seen (ticks), or Infinity before the first sample. */
  minRtt = Number.POSITIVE_INFINITY;

  constructor(private readonly rtoMinTicks: number) {}

  sample(r: number): void {
    if (r < this.minRtt) this.minRtt = r;
    if (this.srtt < 0) {
      this.srtt = r;
      this.rttvar = r / 2;
    } else {
      this.rttvar = 0.75 * this.rttvar + 0.25 * Math.abs(this.srtt - r);
      this.srtt = 0.875 * this.srtt + 0.125 * r;
    }
    this.rto = Math.max(this.rtoMinTicks, Math.round(this.srtt + 4 * this.rttvar));
  }

  /** The retransmission timeout now, backoff included (ticks). */
  get timeoutTicks(): number {
    return this.rto * this.backoff;
  }

  /** The timer expired: the next timeout is twice as long (at most 64 times the RTO). */
  backOff(): void {
    this.backoff = Math.min(this.backoff * 2, 64);
  }

  /** New data was acknowledged: the timeout is the RTO again. */
  resetBackoff(): void {
    this.backoff = 1;
  }

  /** RACK: how long after a transmission a later one's ACK makes it lost: SRTT + min RTT / 4. */
  reorderWindow(): number {
    return this.srtt + (Number.isFinite(this.minRtt) ? this.minRtt / 4 : 0);
  }
}
