import { resultBom } from "../bom/bom.js";
import type { Bom } from "../bom/types.js";
import { formatCatalogIssues } from "../catalog/parse.js";
import { loadCatalog } from "../catalog/read-files.js";
import { withInterrupts } from "../node/interrupt.js";
import { nextTurn, progressBar } from "../node/progress.js";
import { type CompareRow, compareSummary } from "../report/compare.js";
import { aggregate } from "../run/aggregate.js";
import {
  BudgetClock,
  BudgetedReplications,
  describePartial,
  type MaybePartialResult,
  runBudget,
} from "../run/budget.js";
import { Replication } from "../run/replication.js";
import { limitsFor } from "../topology/size.js";
import type { ResolvedTopology } from "../topology/types.js";
import { bomOfTopology } from "./bom.js";
import { EXIT, type ExitCode, verdictExit } from "./exit-codes.js";
import { loadTopologyOrCode } from "./load.js";
import { printErr, printOut } from "./terminal.js";

/**
 * `iovsim compare FILE…`: runs each topology and prints the designs side by
 * side. Every file is loaded and checked (topology and catalog models) before
 * any is simulated, so a mistake in the last file costs no run. Exit 0 when
 * every SLA row of every file is met, 1 when one is not (`--no-fail-on-miss`:
 * 0), 3 with every file's problems, 4 a budget hit (a file past the size limits;
 * or the comparison's one run budget spent: results so far, labelled partial, the
 * rest not run), 130 on Ctrl-C.
 */
export async function compareCommand(
  files: readonly string[],
  opts: { json?: boolean; failOnMiss?: boolean; allowLarge?: boolean; maxEvents?: number; maxWall?: number },
): Promise<ExitCode> {
  const limits = limitsFor(opts.allowLarge);
  const catalog = await loadCatalog([]);
  if (!catalog.ok) {
    printErr(`${formatCatalogIssues(catalog.issues)}\n`);
    return EXIT.invalidInput;
  }
  const checked: { topo: ResolvedTopology; bom: Bom }[] = [];
  let invalid = 0;
  let tooLarge = 0;
  for (const file of files) {
    const loaded = await loadTopologyOrCode(file, limits);
    const topo = typeof loaded === "number" ? null : loaded;
    const bom = topo === null ? null : await bomOfTopology(file, topo, catalog.catalog);
    if (loaded === EXIT.budget) tooLarge++;
    else if (topo === null || bom === null) invalid++;
    else checked.push({ topo, bom });
  }
  if (invalid + tooLarge > 0) {
    const why = tooLarge === 0 ? "invalid" : invalid === 0 ? "past the size limits" : "refused";
    printErr(`iovsim compare: ${invalid + tooLarge} of ${files.length} files ${why}; nothing run\n`);
    return invalid > 0 ? EXIT.invalidInput : EXIT.budget;
  }
  // One budget for the whole comparison: past it a file's result covers what ran; the rest are not run.
  const clock = new BudgetClock(runBudget(opts));
  return withInterrupts(async (scope) => {
    const rows: CompareRow[] = [];
    scope.ready("compare");
    let stopped = false;
    for (const [k, { topo, bom }] of checked.entries()) {
      const started = performance.now();
      const runs = new BudgetedReplications(topo, clock);
      const bar = progressBar(topo.name, topo.experiment.replications * 20);
      try {
        for (let i = 0; runs.next(i); i++) {
          const rep = new Replication(topo, i);
          for (let s = 1; s <= 20 && runs.advance(rep, s, 20); s++) {
            bar.update(i * 20 + s);
            await nextTurn();
            scope.check();
          }
          runs.finish(rep);
        }
      } finally {
        bar.stop();
      }
      const { partial } = runs;
      const result: MaybePartialResult = {
        ...aggregate(runs.measured, runs.results, (performance.now() - started) / 1000),
        bom: resultBom(bom),
        ...(partial === null ? {} : { partial }),
      };
      printErr(`${topo.name}: ${result.events.toLocaleString("en-US")} events in ${result.wallSeconds.toFixed(2)} s\n`);
      rows.push({ topo, result, bom });
      if (partial !== null) {
        stopped = true;
        printErr(`iovsim: ${topo.name}: ${describePartial(partial)}\n`);
        const rest = files.slice(k + 1);
        if (rest.length > 0) printErr(`iovsim: not run (budget spent): ${rest.join(", ")}\n`);
        break;
      }
    }
    const allMet = rows.every((r) => r.result.sla.every((s) => s.status === "met"));
    const missed =
      allMet || opts.failOnMiss === false ? "" : "an SLA row is not met: exit 1 (--no-fail-on-miss to report only)\n";
    if (opts.json === true) {
      // stdout stays one JSON document; the reason for the exit code goes to stderr.
      process.stdout.write(
        `${JSON.stringify(
          rows.map((r) => r.result),
          null,
          2,
        )}\n`,
      );
      printErr(missed);
    } else printOut(`${compareSummary(rows)}${missed === "" ? "" : `\n${missed}`}`);
    return stopped ? EXIT.budget : verdictExit(allMet, opts.failOnMiss);
  });
}
