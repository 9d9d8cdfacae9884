/**
 * Time average of a piecewise-constant signal (queue length, busy flag, buffer occupancy).
 *
 * The signal holds `value` from the last update until the next one; the time average over
 * [start, now] is ∫ value dt / (now − start). Times are plain numbers in any unit (the
 * kernel passes integer ticks) and must never go backwards. O(1) time and no allocation
 * per `update`.
 */
export class TimeWeighted {
  // Every field starts as a number: a bare declaration would emit a class field holding
  // `undefined` first, V8 would then store the field tagged, and each double write would box.
  private current = 0;
  private lastTime = 0;
  private startTime = 0;
  /** ∫ value dt over [startTime, lastTime]. */
  private area = 0;
  private lo = 0;
  private hi = 0;

  constructor(initialValue = 0, startTime = 0) {
    this.current = initialValue;
    this.lastTime = startTime;
    this.startTime = startTime;
    this.lo = initialValue;
    this.hi = initialValue;
  }

  /** The signal changes to `value` at time `now` (>= the previous update time). */
  update(value: number, now: number): void {
    // Negated so a NaN time is rejected too.
    if (!(now >= this.lastTime)) this.backwards(now);
    this.area += this.current * (now - this.lastTime);
    this.lastTime = now;
    this.current = value;
    if (value < this.lo) this.lo = value;
    if (value > this.hi) this.hi = value;
  }

  /**
   * Time average over [start, now], counting the current value up to `now`. Over an empty
   * interval (now == start, e.g. straight after a reset) it is the current value, the limit
   * of the average as the interval shrinks.
   */
  mean(now: number): number {
    if (!(now >= this.lastTime)) this.backwards(now);
    const elapsed = now - this.startTime;
    if (elapsed === 0) return this.current;
    return (this.area + this.current * (now - this.lastTime)) / elapsed;
  }

  /** The value the signal holds now. */
  get value(): number {
    return this.current;
  }

  /** Smallest value held since the start (or the last reset). */
  get min(): number {
    return this.lo;
  }

  /** Largest value held since the start (or the last reset). */
  get max(): number {
    return this.hi;
  }

  /**
   * Restart the average at `now`, keeping the current value (the queue does not empty just
   * because we stopped looking): call at the end of the warm-up period.
   */
  reset(now: number): void {
    if (!(now >= this.lastTime)) this.backwards(now);
    this.area = 0;
    this.lastTime = now;
    this.startTime = now;
    this.lo = this.current;
    this.hi = this.current;
  }

  // Kept out of line so the hot path stays small enough to inline.
  private backwards(now: number): never {
    throw new RangeError(`TimeWeighted: time must not go backwards (last ${this.lastTime}, got ${now})`);
  }
}
