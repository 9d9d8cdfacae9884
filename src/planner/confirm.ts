/**
 * A packet-level confirmation: the candidate's replications on the evaluator, as many
 * and as long as the precision target needs (src/run/precision.ts), or a fixed number
 * when the study turns precision off. A round in which a row is missed, or every row is
 * decided with a margin, ends the confirmation (src/run/precision.ts). Each round's replications run at once on the
 * evaluator; the answer does not depend on how many workers it has.
 */

import type { RunResult } from "../metrics/result.js";
import { aggregate } from "../run/aggregate.js";
import { runToPrecision } from "../run/precision.js";
import type { Precision, ResolvedTopology } from "../topology/types.js";
import type { Evaluator } from "./types.js";

export interface ConfirmJob {
  readonly topo: ResolvedTopology;
  /** The topology's YAML text (what the evaluator's workers parse). */
  readonly yaml: string;
  readonly label: string;
}

/** Runs `job` at packet level: to `precision`, or `replications` fixed ones when it is null. */
export async function confirmAtPacketLevel(
  job: ConfirmJob,
  replications: number,
  precision: Precision | null,
  evaluator: Evaluator,
): Promise<RunResult> {
  const { topo, yaml, label: file } = job;
  if (precision === null) {
    const t = performance.now();
    const reps = await Promise.all(
      Array.from({ length: replications }, (_, replication) => evaluator.replicate({ yaml, file, replication })),
    );
    return aggregate(topo, reps, (performance.now() - t) / 1000);
  }
  return runToPrecision(
    topo,
    precision,
    (requests) =>
      Promise.all(
        requests.map((r) =>
          evaluator.replicate({ yaml, file, replication: r.replication, durationTicks: r.durationTicks }),
        ),
      ),
    { stopWhenDecided: true },
  );
}
