import { join } from "node:path";
import { formatCatalogIssues } from "../catalog/parse.js";
import { loadCatalog } from "../catalog/read-files.js";
import { writeFileAtomic } from "../node/atomic-write.js";
import { defaultWorkers, poolEvaluator } from "../node/pool-evaluator.js";
import { nextTurn, progressBar } from "../node/progress.js";
import { inProcessEvaluator } from "../planner/index.js";
import { type SiteSizeCurve, siteSizeCurve } from "../planner/sizes.js";
import { count, table } from "../report/format.js";
import { MAX_SERVERS } from "../study/load.js";
import { loadStudyOrExit, UsageError } from "./load.js";

/** `--sizes 32,64,128`: whole numbers in 1 … 1000, or undefined for the study's `sizes`. */
export function parseSizes(text: string | boolean | undefined): number[] | undefined {
  if (text === undefined || text === true) return undefined;
  if (text === false) return undefined;
  const parts = text.split(",").map((s) => s.trim());
  const sizes = parts.map(Number);
  if (parts.some((p) => !/^\d+$/.test(p)) || sizes.some((n) => n < 1 || n > MAX_SERVERS))
    throw new UsageError(`--sizes: expected server counts in 1 … ${MAX_SERVERS} separated by commas, got "${text}"`);
  return sizes;
}

/** The site-size curve as terminal text: per size and design the choice, hardware and cost per server; crossovers. */
export function formatSizes(c: SiteSizeCurve): string {
  const designs = [...new Set(c.rows.map((r) => r.design))].sort();
  const rows: string[][] = [
    ["servers", ...designs.map((d) => `${d} $/server`), ...designs.map((d) => `${d} hw/server`)],
  ];
  for (const n of c.sizes) {
    const at = (d: string) => c.rows.find((r) => r.servers === n && r.design === d);
    rows.push([
      String(n),
      ...designs.map((d) => {
        const r = at(d);
        if (r === undefined || r.totals === null) return r?.status ?? "—";
        return r.costPerServer === null
          ? "unpriced"
          : `${r.costIsLowerBound ? "≥ " : ""}${count(Math.round(r.costPerServer))}`;
      }),
      ...designs.map((d) => {
        const r = at(d);
        return r?.hardwarePerServer == null ? (r?.status ?? "—") : r.hardwarePerServer.toFixed(1);
      }),
    ]);
  }
  const out = [
    "site-size curve: per design the planner's choice for the same site at each size (flow level unless confirmed)",
    "$/server: list cost of the design's hardware per server (≥: some items unpriced); hw/server: hardware score per server",
    ...table(rows, 1),
    "",
  ];
  for (const r of c.rows) {
    const params =
      r.parameters === null
        ? r.status
        : Object.entries(r.parameters)
            .map(([k, v]) => `${k}=${v}`)
            .join(" ");
    out.push(
      `  ${String(r.servers).padStart(4)} ${r.design.padEnd(11)} ${params}${r.confirmed ? " (packet-confirmed)" : ""}`,
    );
  }
  out.push("", "crossovers (the first size where a design that was dearer per server is cheaper):");
  if (c.crossovers.length === 0) out.push("  none between these sizes");
  for (const x of c.crossovers)
    out.push(`  ${x.overtaker} overtakes ${x.overtaken} between ${x.from} and ${x.to} servers (${x.by})`);
  out.push("", `rule: ${c.rule}`, `wall time ${c.wallSeconds.toFixed(1)} s`);
  return `${out.join("\n")}\n`;
}

/** `iovsim plan STUDY --sizes [32,64,…]`: the site-size curve only; writes site-size.json into --out. */
export async function sizesCommand(
  study: string,
  opts: {
    sizes: string | boolean;
    out?: string | undefined;
    workers?: number | undefined;
    catalog?: string[] | undefined;
    json?: boolean | undefined;
    confirm?: boolean | undefined;
  },
): Promise<number> {
  const loaded = await loadStudyOrExit(study);
  if (loaded === null) return 3;
  const sizes = parseSizes(opts.sizes) ?? loaded.file.sizes;
  if (sizes === undefined)
    throw new UsageError("--sizes: give the sizes (e.g. --sizes 32,64,128) or set sizes: in the study");
  const catalog = await loadCatalog(opts.catalog ?? []);
  if (!catalog.ok) {
    process.stderr.write(`${formatCatalogIssues(catalog.issues)}\ncatalog: problems; nothing written\n`);
    return 3;
  }
  const workers = opts.workers ?? defaultWorkers();
  const evaluator = workers === 0 ? inProcessEvaluator : poolEvaluator(workers);
  const bar = progressBar("sizes".padEnd(6), sizes.length * loaded.designs.length);
  let curve: SiteSizeCurve;
  try {
    curve = await siteSizeCurve(loaded, catalog.catalog, sizes, {
      confirm: opts.confirm === true,
      evaluator,
      onProgress: async (done) => {
        bar.update(done);
        await nextTurn();
      },
    });
  } finally {
    bar.stop();
    await evaluator.close();
  }
  const json = `${JSON.stringify(curve, null, 2)}\n`;
  await writeFileAtomic(join(opts.out ?? "out", "site-size.json"), json);
  process.stdout.write(opts.json === true ? json : formatSizes(curve));
  return 0;
}
