import { parseTime } from "../../sim/units.js";
import { nextTurn, progressBar } from "../node/progress.js";
import { blastSummary } from "../report/blast.js";
import { blast, sharedComponents, surviveVerdict } from "../run/blast.js";
import { BudgetClock, runBudget } from "../run/budget.js";
import { estimateRun } from "../topology/semantic.js";
import { DEFAULT_LIMITS, LARGE_LIMITS } from "../topology/size.js";
import { loadOrExit, UsageError } from "./load.js";

/** A budget passed between two blast runs (the runs themselves are bounded by the estimate). */
class BudgetStop extends Error {
  constructor(
    readonly done: number,
    readonly total: number,
    readonly limit: number,
  ) {
    super("budget");
  }
}

/** `--failover`: "off", "design" (default), or a time ("300ms"). Ticks, null (off) or undefined (design default). */
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
export async function blastCommand(
  file: string,
  opts: { json?: boolean; failover?: string; allowLarge?: boolean; maxEvents?: number; maxWall?: number },
): Promise<number> {
  const limits = opts.allowLarge === true ? LARGE_LIMITS : DEFAULT_LIMITS;
  const topo = await loadOrExit(file, limits);
  if (typeof topo === "number") return topo;
  const failoverTicks = parseFailover(opts.failover);
  const runs = sharedComponents(topo).length + 1;
  // One replication per run, each the file's length: the estimate times the runs, before any starts.
  const budget = runBudget(opts);
  const estimate = estimateRun({ ...topo, experiment: { ...topo.experiment, replications: 1 } }).events * runs;
  if (estimate > Math.min(budget.maxEvents, limits.events)) {
    process.stderr.write(
      `${file}: ${runs} runs of about ${estimate.toExponential(1)} events in all, more than the budget of ` +
        `${Math.min(budget.maxEvents, limits.events).toExponential(1)}; shorten experiment.duration, or raise it with --max-events N (and ${limits.override}); nothing written\n`,
    );
    return 4;
  }
  const clock = new BudgetClock(budget);
  const bar = progressBar(`${topo.name} blast`, runs);
  let result: Awaited<ReturnType<typeof blast>>;
  try {
    result = await blast(topo, {
      ...(failoverTicks === undefined ? {} : { failoverTicks }),
      onProgress: async (done, total) => {
        bar.update(done);
        await nextTurn();
        const hit = done < total ? clock.check() : null;
        if (hit !== null) throw new BudgetStop(done, total, hit.limit);
      },
    });
  } catch (err) {
    bar.stop();
    if (!(err instanceof BudgetStop)) throw err;
    process.stderr.write(
      `iovsim: stopped by the wall-clock budget (${err.limit} s) after ${err.done} of ${err.total} runs; no ranking; raise it with --max-wall SECONDS\n`,
    );
    return 4;
  }
  bar.stop();
  process.stdout.write(
    opts.json === true
      ? `${JSON.stringify({ ...result, survive: surviveVerdict(result, topo.survive === "single-failure") }, null, 2)}\n`
      : blastSummary(result, topo.survive === "single-failure"),
  );
  return 0;
}
