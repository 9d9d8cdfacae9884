import { parseTime } from "../../sim/units.js";
import { withInterrupts } from "../node/interrupt.js";
import { nextTurn, progressBar } from "../node/progress.js";
import { blastSummary } from "../report/blast.js";
import { blast, sharedComponents, surviveVerdict } from "../run/blast.js";
import { BudgetClock, runBudget } from "../run/budget.js";
import { estimateRun } from "../topology/semantic.js";
import { limitsFor } from "../topology/size.js";
import { EXIT, type ExitCode, verdictExit } from "./exit-codes.js";
import { loadTopologyOrCode, UsageError } from "./load.js";
import { printErr, printOut } from "./terminal.js";

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

/** `--max-wall` passed between two blast runs (the runs themselves are bounded by the estimate). */
class BudgetStop extends Error {
  constructor(
    readonly done: number,
    readonly total: number,
    readonly limit: number,
  ) {
    super("budget");
  }
}

/**
 * `iovsim blast FILE`: fails each shared component once and ranks them by blast
 * radius and SLA impact. Exit 0 when the SLA holds (and, with `survive:
 * single-failure`, holds after every single failure), 1 when not
 * (`--no-fail-on-miss`: 0), 3 invalid input, 4 a budget hit (the runs would pass
 * the event budget: refused before any; --max-wall passed between runs: no
 * ranking), 130 on Ctrl-C.
 */
export async function blastCommand(
  file: string,
  opts: {
    json?: boolean;
    failover?: string;
    failOnMiss?: boolean;
    allowLarge?: boolean;
    maxEvents?: number;
    maxWall?: number;
  },
): Promise<ExitCode> {
  const failoverTicks = parseFailover(opts.failover);
  const limits = limitsFor(opts.allowLarge);
  const topo = await loadTopologyOrCode(file, limits);
  if (typeof topo === "number") return topo;
  const runs = sharedComponents(topo).length + 1;
  // One replication per run, each the file's length: the estimate times the runs, before any starts.
  const budget = runBudget(opts);
  const cap = Math.min(budget.maxEvents, limits.events);
  const estimate = estimateRun({ ...topo, experiment: { ...topo.experiment, replications: 1 } }).events * runs;
  if (estimate > cap) {
    const fmt = (n: number) => n.toExponential(1).replace("e+", "e");
    printErr(
      `${file}: ${runs} runs of about ${fmt(estimate)} events in all, more than the budget of ${fmt(cap)}; ` +
        `shorten experiment.duration, or raise it with --max-events N (and ${limits.override}); nothing run\n`,
    );
    return EXIT.budget;
  }
  const clock = new BudgetClock(budget);
  return withInterrupts(async (scope) => {
    const bar = progressBar(`${topo.name} blast`, runs);
    scope.ready("blast");
    let result: Awaited<ReturnType<typeof blast>>;
    try {
      result = await blast(topo, {
        ...(failoverTicks === undefined ? {} : { failoverTicks }),
        onProgress: async (done, total) => {
          bar.update(done);
          await nextTurn();
          scope.check();
          const hit = done < total ? clock.check() : null;
          if (hit !== null) throw new BudgetStop(done, total, hit.limit);
        },
      });
    } catch (err) {
      if (!(err instanceof BudgetStop)) throw err;
      printErr(
        `iovsim: stopped by the wall-clock budget (${err.limit} s) after ${err.done} of ${err.total} runs; no ranking; raise it with --max-wall SECONDS\n`,
      );
      return EXIT.budget;
    } finally {
      bar.stop();
    }
    const singleFailure = topo.survive === "single-failure";
    const verdict = surviveVerdict(result, singleFailure);
    const missed =
      verdict.status === "met" || opts.failOnMiss === false
        ? ""
        : `${singleFailure ? "survive: single-failure missed" : "SLA missed without a fault"}: exit 1 (--no-fail-on-miss to report only)\n`;
    if (opts.json === true) {
      // stdout stays one JSON document; the reason for the exit code goes to stderr.
      process.stdout.write(`${JSON.stringify({ ...result, survive: verdict }, null, 2)}\n`);
      printErr(missed);
    } else printOut(`${blastSummary(result, singleFailure)}${missed === "" ? "" : `\n${missed}`}`);
    return verdictExit(verdict.status === "met", opts.failOnMiss);
  });
}
