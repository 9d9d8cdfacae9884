import { resultBom } from "../bom/bom.js";
import type { Bom } from "../bom/types.js";
import { formatCatalogIssues } from "../catalog/parse.js";
import { loadCatalog } from "../catalog/read-files.js";
import type { RunResult } from "../metrics/result.js";
import { withInterrupts } from "../node/interrupt.js";
import { nextTurn, progressBar } from "../node/progress.js";
import { type CompareRow, compareSummary } from "../report/compare.js";
import { aggregate } from "../run/aggregate.js";
import { Replication, type ReplicationResult } from "../run/replication.js";
import type { ResolvedTopology } from "../topology/types.js";
import { bomOfTopology } from "./bom.js";
import { EXIT, type ExitCode, verdictExit } from "./exit-codes.js";
import { loadOrExit } from "./load.js";
import { printErr, printOut } from "./terminal.js";

/**
 * `iovsim compare FILE…`: runs each topology and prints the designs side by
 * side. Every file is loaded and checked (topology and catalog models) before
 * any is simulated, so a mistake in the last file costs no run. Exit 0 when
 * every SLA row of every file is met, 1 when one is not (`--no-fail-on-miss`:
 * 0), 3 with every file's problems, 130 on Ctrl-C.
 */
export async function compareCommand(
  files: readonly string[],
  opts: { json?: boolean; failOnMiss?: boolean },
): Promise<ExitCode> {
  const catalog = await loadCatalog([]);
  if (!catalog.ok) {
    printErr(`${formatCatalogIssues(catalog.issues)}\n`);
    return EXIT.invalidInput;
  }
  const checked: { topo: ResolvedTopology; bom: Bom }[] = [];
  let invalid = 0;
  for (const file of files) {
    const topo = await loadOrExit(file);
    const bom = topo === null ? null : await bomOfTopology(file, topo, catalog.catalog);
    if (topo === null || bom === null) invalid++;
    else checked.push({ topo, bom });
  }
  if (invalid > 0) {
    printErr(`iovsim compare: ${invalid} of ${files.length} files invalid; nothing run\n`);
    return EXIT.invalidInput;
  }
  return withInterrupts(async (scope) => {
    const rows: CompareRow[] = [];
    scope.ready("compare");
    for (const { topo, bom } of checked) {
      const started = performance.now();
      const reps: ReplicationResult[] = [];
      const bar = progressBar(topo.name, topo.experiment.replications * 20);
      try {
        for (let i = 0; i < topo.experiment.replications; i++) {
          const rep = new Replication(topo, i);
          for (let s = 1; s <= 20; s++) {
            rep.advanceTo(Math.ceil((rep.endTicks * s) / 20));
            bar.update(i * 20 + s);
            await nextTurn();
            scope.check();
          }
          reps.push(rep.result());
        }
      } finally {
        bar.stop();
      }
      const result: RunResult = {
        ...aggregate(topo, reps, (performance.now() - started) / 1000),
        bom: resultBom(bom),
      };
      printErr(`${topo.name}: ${result.events.toLocaleString("en-US")} events in ${result.wallSeconds.toFixed(2)} s\n`);
      rows.push({ topo, result, bom });
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
    return verdictExit(allMet, opts.failOnMiss);
  });
}
