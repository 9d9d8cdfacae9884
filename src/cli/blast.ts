import { parseTime } from "../../sim/units.js";
import { withInterrupts } from "../node/interrupt.js";
import { nextTurn, progressBar } from "../node/progress.js";
import { blastSummary } from "../report/blast.js";
import { blast, sharedComponents, surviveVerdict } from "../run/blast.js";
import { EXIT, type ExitCode, verdictExit } from "./exit-codes.js";
import { loadOrExit, UsageError } from "./load.js";
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

/**
 * `iovsim blast FILE`: fails each shared component once and ranks them by blast
 * radius and SLA impact. Exit 0 when the SLA holds (and, with `survive:
 * single-failure`, holds after every single failure), 1 when not
 * (`--no-fail-on-miss`: 0), 3 invalid input, 130 on Ctrl-C.
 */
export async function blastCommand(
  file: string,
  opts: { json?: boolean; failover?: string; failOnMiss?: boolean },
): Promise<ExitCode> {
  const failoverTicks = parseFailover(opts.failover);
  const topo = await loadOrExit(file);
  if (topo === null) return EXIT.invalidInput;
  return withInterrupts(async (scope) => {
    const bar = progressBar(`${topo.name} blast`, sharedComponents(topo).length + 1);
    scope.ready("blast");
    let result: Awaited<ReturnType<typeof blast>>;
    try {
      result = await blast(topo, {
        ...(failoverTicks === undefined ? {} : { failoverTicks }),
        onProgress: async (done) => {
          bar.update(done);
          await nextTurn();
          scope.check();
        },
      });
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
