import type { Distribution } from "../../sim/distributions.js";
import { boundedPareto, deterministic, empirical, exponential, lognormalFromMean } from "../../sim/distributions.js";
import type { Dist } from "../topology/types.js";

/** The kernel distribution for a resolved file distribution (same units: bytes or ticks). */
export function toDistribution(d: Dist): Distribution {
  switch (d.kind) {
    case "constant":
      return deterministic(d.value);
    case "exponential":
      return exponential(d.mean);
    case "lognormal":
      return lognormalFromMean(d.mean, d.cv);
    case "pareto":
      return boundedPareto(d.alpha, d.low, d.high);
    case "empirical":
      return empirical(d.values);
  }
}
