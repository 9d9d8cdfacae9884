import { readFileSync } from "node:fs";
import type { RunResult } from "../../../src/metrics/result.js";
import { DEFAULT_PRECISION, type ReplicationRequest, runToPrecision } from "../../../src/run/precision.js";
import { Replication, type ReplicationResult } from "../../../src/run/replication.js";
import { parseTopology } from "../../../src/topology/load.js";

/**
 * A reference rack run to precision 0.1 and then to 0.05 (twice as precise), with the
 * file's caps. Replications are kept by (index, length): the second run reuses the first's
 * and only pays for the ones it adds (same seeds, same events).
 */
export async function twoPrecisions(design: string): Promise<{ coarse: RunResult; fine: RunResult }> {
  const file = new URL(`../../../topologies/${design}-rack.yaml`, import.meta.url).pathname;
  const parsed = parseTopology(readFileSync(file, "utf8"), file);
  if (!parsed.ok) throw new Error(`${file} does not parse`);
  const topo = parsed.topology;
  const memo = new Map<string, ReplicationResult>();
  const replicate = (requests: readonly ReplicationRequest[]): Promise<ReplicationResult[]> =>
    Promise.resolve(
      requests.map((r) => {
        const key = `${r.replication}:${r.durationTicks}`;
        let hit = memo.get(key);
        if (hit === undefined) {
          hit = new Replication(topo, r.replication, topo.experiment.seed, r).result();
          memo.set(key, hit);
        }
        return hit;
      }),
    );
  const base = topo.precision ?? DEFAULT_PRECISION;
  const coarse = await runToPrecision(topo, { ...base, relative: 0.1 }, replicate);
  const fine = await runToPrecision(topo, { ...base, relative: 0.05 }, replicate);
  return { coarse, fine };
}

/** Rows the coarse run decided (met or missed, its interval clear of the target) whose verdict the fine run changed. */
export function flipped(coarse: RunResult, fine: RunResult): string[] {
  return coarse.sla
    .map((r, i) => ({ r, f: fine.sla[i]! }))
    .filter(({ r, f }) => r.status !== "undecided" && f.status !== r.status)
    .map(({ r, f }) => `${r.workload} ${r.metric}: ${r.status} → ${f.status}`);
}
