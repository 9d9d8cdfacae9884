import { resultBom } from "../bom/bom.js";
import { formatCatalogIssues } from "../catalog/parse.js";
import { loadCatalog } from "../catalog/read-files.js";
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
import { DEFAULT_LIMITS, LARGE_LIMITS } from "../topology/size.js";
import { bomOfTopology } from "./bom.js";
import { loadOrExit } from "./load.js";

/** `iovsim compare FILE…`: runs each topology and prints the designs side by side. */
export async function compareCommand(
  files: readonly string[],
  opts: { json?: boolean; allowLarge?: boolean; maxEvents?: number; maxWall?: number },
): Promise<number> {
  const limits = opts.allowLarge === true ? LARGE_LIMITS : DEFAULT_LIMITS;
  const clock = new BudgetClock(runBudget(opts));
  let stopped = false;
  const rows: CompareRow[] = [];
  const catalog = await loadCatalog([]);
  if (!catalog.ok) {
    process.stderr.write(`${formatCatalogIssues(catalog.issues)}\n`);
    return 3;
  }
  for (const file of files) {
    const topo = await loadOrExit(file, limits);
    if (typeof topo === "number") return topo;
    const bom = await bomOfTopology(file, topo, catalog.catalog);
    if (bom === null) return 3;
    const started = performance.now();
    const bar = progressBar(topo.name, topo.experiment.replications * 20);
    // One budget for the whole comparison: past it this file's result covers what ran; the rest are not run.
    const runs = new BudgetedReplications(topo, clock);
    for (let i = 0; runs.next(i); i++) {
      const rep = new Replication(topo, i);
      for (let s = 1; s <= 20 && runs.advance(rep, s, 20); s++) {
        bar.update(i * 20 + s);
        await nextTurn();
      }
      runs.finish(rep);
    }
    bar.stop();
    const { partial } = runs;
    const result: MaybePartialResult = {
      ...aggregate(runs.measured, runs.results, (performance.now() - started) / 1000),
      bom: resultBom(bom),
      ...(partial === null ? {} : { partial }),
    };
    if (partial !== null) {
      process.stderr.write(`iovsim: ${topo.name}: ${describePartial(partial)}\n`);
      stopped = true;
    }
    process.stderr.write(
      `${topo.name}: ${result.events.toLocaleString("en-US")} events in ${result.wallSeconds.toFixed(2)} s\n`,
    );
    rows.push({ topo, result, bom });
    if (stopped) {
      const rest = files.slice(files.indexOf(file) + 1);
      if (rest.length > 0) process.stderr.write(`iovsim: not run (budget spent): ${rest.join(", ")}\n`);
      break;
    }
  }
  process.stdout.write(
    opts.json === true
      ? `${JSON.stringify(
          rows.map((r) => r.result),
          null,
          2,
        )}\n`
      : compareSummary(rows),
  );
  return stopped ? 4 : 0;
}
