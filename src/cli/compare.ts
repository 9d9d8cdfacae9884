import { resultBom } from "../bom/bom.js";
import { formatCatalogIssues } from "../catalog/parse.js";
import { loadCatalog } from "../catalog/read-files.js";
import { nextTurn, progressBar } from "../node/progress.js";
import { type CompareRow, compareSummary } from "../report/compare.js";
import { aggregate } from "../run/aggregate.js";
import {
  advanceWithin,
  BudgetClock,
  describePartial,
  type MaybePartialResult,
  type PartialInfo,
  partialInfo,
  ranTopology,
  runBudget,
} from "../run/budget.js";
import { Replication, type ReplicationResult } from "../run/replication.js";
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
    const reps: ReplicationResult[] = [];
    const bar = progressBar(topo.name, topo.experiment.replications * 20);
    let partial: PartialInfo | null = null;
    let measured = topo;
    for (let i = 0; i < topo.experiment.replications && partial === null; i++) {
      // Past the budget (set for the whole comparison): this file's result covers what ran; the rest are not run.
      const before = clock.check();
      if (before !== null && reps.length > 0) {
        partial = partialInfo(before, topo, topo.experiment.warmupTicks + topo.experiment.durationTicks, reps.length);
        break;
      }
      const rep = new Replication(topo, i);
      for (let s = 1; s <= 20 && partial === null; s++) {
        const hit = advanceWithin(rep, Math.ceil((rep.endTicks * s) / 20), clock);
        bar.update(i * 20 + s);
        await nextTurn();
        if (hit === null) continue;
        partial = partialInfo(hit, topo, rep.sim.now, reps.length > 0 ? reps.length : 1);
        if (reps.length === 0) {
          rep.stopHere();
          reps.push(rep.result());
          measured = ranTopology(topo, rep);
        }
      }
      if (partial !== null) break;
      clock.addEvents(rep.sim.events);
      reps.push(rep.result());
    }
    bar.stop();
    const result: MaybePartialResult = {
      ...aggregate(measured, reps, (performance.now() - started) / 1000),
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
