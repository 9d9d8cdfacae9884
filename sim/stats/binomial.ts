/**
 * Confidence intervals for a proportion (a loss ratio: dropped out of finished).
 *
 * The Wilson score interval (E. B. Wilson, "Probable inference, the law of succession, and
 * statistical inference", JASA 22(158):209–212, 1927) inverts the normal approximation of
 * the score test, so it stays inside [0, 1], is not degenerate at 0 or n successes (0 of
 * 5,000 gives [0, 7.7e-4], where the Wald interval p̂ ± z·√(p̂(1 − p̂)/n) collapses to
 * [0, 0]), and keeps close to its nominal coverage for small p̂·n (Newcombe 1998, "Two-sided
 * confidence intervals for the single proportion: comparison of seven methods", Statistics
 * in Medicine 17:857–872; Brown, Cai & DasGupta 2001, Statistical Science 16(2):101–133).
 *
 * It assumes independent trials. Losses in a network come in bursts (one full buffer drops
 * several frames), so on its own the interval is too narrow for correlated losses; callers
 * with replications should also look at the spread between them.
 */

import { normalQuantile } from "./confidence.js";

export interface ProportionInterval {
  /** p̂ = successes / trials (NaN with no trials). */
  readonly estimate: number;
  readonly low: number;
  readonly high: number;
  readonly trials: number;
}

/**
 * Wilson score interval for `successes` out of `trials` at `level` (default 0.95):
 * (p̂ + z²/2n ± z·√(p̂(1 − p̂)/n + z²/4n²)) / (1 + z²/n). No trials: NaN bounds.
 */
export function wilsonInterval(successes: number, trials: number, level = 0.95): ProportionInterval {
  if (!(level > 0 && level < 1)) throw new RangeError(`wilsonInterval: level must be in (0, 1), got ${level}`);
  if (!(Number.isInteger(trials) && trials >= 0)) {
    throw new RangeError(`wilsonInterval: trials must be a whole number >= 0, got ${trials}`);
  }
  if (!(Number.isInteger(successes) && successes >= 0 && successes <= trials)) {
    throw new RangeError(`wilsonInterval: successes must be a whole number in [0, ${trials}], got ${successes}`);
  }
  if (trials === 0) return { estimate: Number.NaN, low: Number.NaN, high: Number.NaN, trials };
  const n = trials;
  const p = successes / n;
  const z = normalQuantile((1 + level) / 2);
  const z2 = z * z;
  const centre = p + z2 / (2 * n);
  const spread = z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  const scale = 1 + z2 / n;
  // At 0 and n successes the bound is exactly 0 or 1; the formula would round near it.
  const low = successes === 0 ? 0 : (centre - spread) / scale;
  const high = successes === n ? 1 : (centre + spread) / scale;
  return { estimate: p, low, high, trials };
}
