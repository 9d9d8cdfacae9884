import { resultBom } from "../bom/bom.js";
import { formatCatalogIssues } from "../catalog/parse.js";
import { loadCatalog } from "../catalog/read-files.js";
import type { RunResult } from "../metrics/result.js";
import { nextTurn, progressBar } from "../node/progress.js";
import { type CompareRow, compareSummary } from "../report/compare.js";
import { aggregate } from "../run/aggregate.js";
import { Replication, type ReplicationResult } from "../run/replication.js";
import { bomOfTopology } from "./bom.js";
import { loadOrExit } from "./load.js";

/** `iovsim compare FILE…`: runs each topology and prints the designs side by side. */
export async function compareCommand(files: readonly string[], opts: { json?: boolean }): Promise<number> {
  const rows: CompareRow[] = [];
  const catalog = await loadCatalog([]);
  if (!catalog.ok) {
    process.stderr.write(`${formatCatalogIssues(catalog.issues)}\n`);
    return 3;
  }
  for (const file of files) {
    const topo = await loadOrExit(file);
    if (topo === null) return 3;
    const bom = await bomOfTopology(file, topo, catalog.catalog);
    if (bom === null) return 3;
    const started = performance.now();
    const reps: ReplicationResult[] = [];
    const bar = progressBar(topo.name, topo.experiment.replications * 20);
    for (let i = 0; i < topo.experiment.replications; i++) {
      const rep = new Replication(topo, i);
      for (let s = 1; s <= 20; s++) {
        rep.advanceTo(Math.ceil((rep.endTicks * s) / 20));
        bar.update(i * 20 + s);
        await nextTurn();
      }
      reps.push(rep.result());
    }
    bar.stop();
    const result: RunResult = { ...aggregate(topo, reps, (performance.now() - started) / 1000), bom: resultBom(bom) };
    process.stderr.write(
      `${topo.name}: ${result.events.toLocaleString("en-US")} events in ${result.wallSeconds.toFixed(2)} s\n`,
    );
    rows.push({ topo, result, bom });
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
  return 0;
}
