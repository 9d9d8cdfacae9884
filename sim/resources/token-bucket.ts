import { SimEvent } from "../event.js";
import { Fifo } from "../fifo.js";
import type { Simulation } from "../simulation.js";
import { TimeWeighted } from "../stats/time-weighted.js";

/**
 * A waiting `take(n)`. Its kernel event is scheduled for the tick at which the
 * bucket will hold `n` tokens, so the wake-up and the event's processing are
 * one and the same kernel event: the tokens are taken as it fires.
 */
export class TokenRequest extends SimEvent<undefined> {
  constructor(
    sim: Simulation,
    readonly bucket: TokenBucket,
    readonly n: number,
  ) {
    super(sim);
  }

  /** Kernel callback at the grant time: take the tokens, then resume the waiters. */
  override fire(): void {
    if (!this.bucket.grant(this)) return; // rescheduled
    super.fire();
  }
}

export interface TokenBucketOptions {
  /** Tokens added per tick (> 0). */
  rate: number;
  /** Tokens held at most (> 0); the bucket starts full. */
  burst: number;
}

/**
 * A token bucket: tokens accrue continuously at `rate` per tick up to `burst`,
 * and the bucket starts full.
 *
 * - Shaping: `take(n)` succeeds once `n` tokens have been taken. Requests are
 *   served in arrival order: a waiting request blocks later ones, even small ones.
 * - Policing: `tryTake(n)` takes `n` tokens if they are there now (and nobody
 *   waits) and returns true, else takes nothing and returns false.
 *
 * No periodic refill events: the level is computed from the time elapsed, and
 * a waiting request costs exactly one kernel event, scheduled at the first tick
 * at which its tokens exist. Time is in whole ticks, so that tick is the ceiling
 * of the exact time, and the surplus accrued within it stays in the bucket:
 * rounding delays a single request by under a tick but never drifts.
 *
 * Floats: the level is `burst + rate · (t − since) − taken`, counted from the
 * last time the bucket was full, never updated step by step, so rounding does
 * not accumulate over millions of takes. The wake-up tick is found with the
 * very expression the grant checks (estimate `ceil`, then step by single
 * ticks until it agrees), so a request is granted at the first tick at which
 * the bucket holds its `n` tokens, never before, and is never woken early to
 * find them short. "Holds" is as computed in doubles: exact for dyadic rates
 * (0.25, 0.125) and whole token counts; otherwise a tie within rounding counts
 * as there (rate 1/3 for 3 ticks makes 1 token, as meant, though the double
 * nearest 1/3 is a hair below it).
 */
export class TokenBucket {
  readonly rate: number;
  readonly burst: number;
  // Level at tick t: min(burst, burst + rate·(t − since) − taken), where `since`
  // is the last tick the bucket was seen full and `taken` counts tokens taken since.
  private since: number;
  private taken = 0;
  private readonly queue = new Fifo<TokenRequest>();
  /** Kernel handle of the head request's grant event, or -1 when nobody waits. */
  private headHandle = -1;
  /** Requests waiting over time. */
  readonly waiting: TimeWeighted;
  /** `tryTake` calls refused so far. */
  dropped = 0;

  constructor(
    readonly sim: Simulation,
    options: TokenBucketOptions,
  ) {
    const { rate, burst } = options;
    if (!(rate > 0 && Number.isFinite(rate))) throw new RangeError(`token bucket: rate must be > 0, got ${rate}`);
    if (!(burst > 0 && Number.isFinite(burst))) throw new RangeError(`token bucket: burst must be > 0, got ${burst}`);
    this.rate = rate;
    this.burst = burst;
    this.since = sim.now;
    this.waiting = new TimeWeighted(0, sim.now);
  }

  /** Tokens in the bucket now (rounded to a double). */
  get tokens(): number {
    return Math.min(this.burst, this.uncapped(this.sim.now));
  }

  /** Requests waiting for tokens. */
  get queueLength(): number {
    return this.queue.length;
  }

  /**
   * Takes `n` tokens (0 < n ≤ burst); succeeds at once if they are there and
   * nobody waits, else once they have accrued, after the requests before it.
   */
  take(n: number): TokenRequest {
    if (!(n > 0 && n <= this.burst))
      throw new RangeError(`token bucket: take(n) needs 0 < n ≤ burst (${this.burst}), got ${n}`);
    const req = new TokenRequest(this.sim, this, n);
    const now = this.sim.now;
    if (this.queue.length === 0 && this.has(n, now)) {
      this.remove(n, now);
      req.resolveNow(undefined);
      return req;
    }
    this.queue.push(req);
    if (this.queue.length === 1) this.schedule(req);
    this.waiting.update(this.queue.length, now);
    return req;
  }

  /**
   * Policing: takes `n` tokens if they are there now and nobody waits, and
   * returns true; otherwise takes nothing, counts a drop and returns false
   * (always so for n > burst: such a burst never conforms).
   */
  tryTake(n: number): boolean {
    if (!(n > 0)) throw new RangeError(`token bucket: tryTake(n) needs n > 0, got ${n}`);
    const now = this.sim.now;
    if (this.queue.length === 0 && n <= this.burst && this.has(n, now)) {
      this.remove(n, now);
      return true;
    }
    this.dropped++;
    return false;
  }

  /**
   * Withdraws a waiting request (say, after an interrupt); the next one in line
   * is rescheduled for its own tokens. Returns false if it was already granted
   * or is not waiting here. O(1) for the head, O(waiting) otherwise.
   */
  cancel(req: TokenRequest): boolean {
    if (this.queue.peek() === req) {
      this.sim.cancel(this.headHandle);
      this.headHandle = -1;
      this.queue.shift();
      const next = this.queue.peek();
      if (next !== undefined) this.schedule(next);
    } else if (!this.queue.remove(req)) return false;
    this.waiting.update(this.queue.length, this.sim.now);
    return true;
  }

  /** Restarts the monitor at the current time (end of warm-up). */
  resetStats(): void {
    this.waiting.reset(this.sim.now);
  }

  /**
   * @internal Called by the head request's kernel event. Takes its tokens and
   * schedules the next request. Returns false (and reschedules) if the tokens
   * are not there yet, which `schedule` rules out; kept as a guard.
   */
  grant(req: TokenRequest): boolean {
    const now = this.sim.now;
    this.headHandle = -1;
    if (!this.has(req.n, now)) {
      this.schedule(req);
      return false;
    }
    this.remove(req.n, now);
    this.queue.shift();
    const next = this.queue.peek();
    if (next !== undefined) this.schedule(next);
    this.waiting.update(this.queue.length, now);
    return true;
  }

  /** The level at tick t ≥ since, before the cap at `burst`. Monotone in t. */
  private uncapped(t: number): number {
    return this.burst + this.rate * (t - this.since) - this.taken;
  }

  /** Does the bucket hold at least n (≤ burst) tokens at tick t? */
  private has(n: number, t: number): boolean {
    // min(burst, L) ≥ n ⇔ L ≥ n when n ≤ burst, so the cap does not matter here.
    return this.uncapped(t) >= n;
  }

  private remove(n: number, t: number): void {
    // Full? Restart the count at t: the tokens lost to the cap are forgotten
    // and the numbers stay small.
    if (this.uncapped(t) >= this.burst) {
      this.since = t;
      this.taken = 0;
    }
    this.taken += n;
  }

  /** Schedules `req` (the head of the queue) at the first tick its tokens exist. */
  private schedule(req: TokenRequest): void {
    const now = this.sim.now;
    const n = req.n;
    // Estimate with a rounded division, then step by single ticks until the
    // grant's own test agrees: usually no step at all, at most one or two.
    let t = Math.max(now, this.since + Math.ceil((n + this.taken - this.burst) / this.rate));
    if (!Number.isSafeInteger(t)) throw new RangeError(`token bucket: ${n} tokens would take past the end of time`);
    while (!this.has(n, t)) t++;
    while (t > now && this.has(n, t - 1)) t--;
    this.headHandle = this.sim.scheduleAt(t, this.sim.fireEventHandler, req);
  }
}
