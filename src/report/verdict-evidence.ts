import type { PrecisionSummary, SlaVerdict } from "../metrics/result.js";
import { count, seconds } from "./format.js";

/**
 * The evidence behind an SLA verdict in a few words: "warm-up 0.21 ms (MSER-5), window
 * 21.8 ms × 5, n 6,517", with "not settled" (MSER-5 saw no steady state: the row is
 * undecided) or "not precise" (a cap stopped the run first) when so. Empty for a row
 * without packet-level evidence (flow level).
 */
export function verdictEvidence(r: SlaVerdict): string {
  if (r.replications === null || r.warmup === null || r.window === null) return "";
  const how = r.warmupMethod === "mser-5" ? "MSER-5" : "fixed";
  const flags = [...(r.settled === false ? ["not settled"] : []), ...(r.precise === false ? ["not precise"] : [])];
  return (
    `warm-up ${seconds(r.warmup)} (${how}), window ${seconds(r.window)} × ${r.replications}, n ${count(r.samples ?? 0)}` +
    (flags.length > 0 ? `; ${flags.join(", ")}` : "")
  );
}

/** "precision 10 %: 5 replications of 22.00 ms in 2 rounds (precise)" for a run whose length precision chose. */
export function precisionLine(p: PrecisionSummary | null, replications: number): string | null {
  if (p === null) return null;
  const stop =
    p.stop === "precise"
      ? "every row precise"
      : p.stop === "missed"
        ? "stopped at a missed row"
        : p.stop === "decided"
          ? "every row decided"
          : p.stop === "max-replications"
            ? `stopped at ${p.maxReplications} replications`
            : p.stop === "budget"
              ? "stopped by the run budget: the rounds that finished"
              : `stopped at the ${seconds(p.maxSeconds)} time cap`;
  return `precision ${(100 * p.relative).toFixed(0)} % of target or estimate: ${replications} replications of ${seconds(p.replicationSeconds)} in ${p.rounds} round${p.rounds === 1 ? "" : "s"} (${stop})`;
}
