/**
 * The queueing formulas of the flow model's latency (see evaluate.ts for where they apply):
 * an M/G/1 wait's mean and variance, and the 99th percentile of a sum of waits known by
 * its first two moments.
 */

export interface Moments {
  mean: number;
  variance: number;
}

/**
 * Mean and variance of the M/G/1 wait at utilization r, from λE[S²] and λE[S³]:
 * Pollaczek–Khinchine E[W] = λE[S²]/(2(1 − r)), Takács E[W²] = 2E[W]² + λE[S³]/(3(1 − r)).
 */
export function mg1(r: number, s2: number, s3: number): Moments {
  if (r <= 0 || s2 <= 0) return { mean: 0, variance: 0 };
  if (r >= 1 - 1e-9) return { mean: Number.POSITIVE_INFINITY, variance: Number.POSITIVE_INFINITY };
  const mean = s2 / (2 * (1 - r));
  return { mean, variance: mean * mean + s3 / (3 * (1 - r)) };
}

/**
 * 99th percentile of a non-negative random variable known by its mean and variance:
 * cv² ≥ 1 → an atom at 0 plus an exponential (P(X > t) = q·e^{−t/b}); cv² < 1 → a gamma
 * distribution (Wilson–Hilferty approximation of its quantile).
 */
export function quantile99(m: Moments): number {
  const { mean, variance } = m;
  if (!(mean > 0)) return 0;
  if (!Number.isFinite(mean) || !Number.isFinite(variance)) return Number.POSITIVE_INFINITY;
  const second = variance + mean * mean;
  if (variance >= mean * mean) {
    const b = second / (2 * mean);
    const q = mean / b;
    return q > 0.01 ? b * Math.log(100 * q) : 0;
  }
  if (variance <= 0) return mean;
  const k = (mean * mean) / variance;
  const z = 2.3263478740408408;
  const h = 1 / (9 * k);
  return mean * Math.max(0, 1 - h + z * Math.sqrt(h)) ** 3;
}
