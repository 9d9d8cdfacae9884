import { parseTime } from "../../sim/units.js";
import { nextTurn, progressBar } from "../node/progress.js";
import { blastSummary } from "../report/blast.js";
import { blast, sharedComponents, surviveVerdict } from "../run/blast.js";
import { loadOrExit, UsageError } from "./load.js";

/** `--failover`: "off", "design" (default: per mechanism), or one time for every mechanism ("300ms"). Ticks, null (off) or undefined (per mechanism). */
export function parseFailover(value: string | undefined, flag = "--failover"): number | null | undefined {
  if (value === undefined || value === "design") return undefined;
  if (value === "off") return null;
  try {
    return parseTime(value);
  } catch (err) {
    throw new UsageError(`${flag}: ${(err as Error).message} (or "off", "design")`);
  }
}

/** `iovsim blast FILE`: fails each shared component once and ranks them by blast radius and SLA impact. */
export async function blastCommand(file: string, opts: { json?: boolean; failover?: string }): Promise<number> {
  const topo = await loadOrExit(file);
  if (topo === null) return 3;
  const failoverTicks = parseFailover(opts.failover);
  const bar = progressBar(`${topo.name} blast`, sharedComponents(topo).length + 1);
  const result = await blast(topo, {
    ...(failoverTicks === undefined ? {} : { failoverTicks }),
    onProgress: async (done) => {
      bar.update(done);
      await nextTurn();
    },
  });
  bar.stop();
  process.stdout.write(
    opts.json === true
      ? `${JSON.stringify({ ...result, survive: surviveVerdict(result, topo.survive === "single-failure") }, null, 2)}\n`
      : blastSummary(result, topo.survive === "single-failure"),
  );
  return 0;
}
