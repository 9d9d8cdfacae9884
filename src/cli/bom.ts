import { readFile } from "node:fs/promises";
import { relative } from "node:path";
import { bom } from "../bom/bom.js";
import { reduction } from "../bom/compare.js";
import { positionModelIssues } from "../bom/positions.js";
import type { Bom, BomOptions } from "../bom/types.js";
import { formatCatalogIssues } from "../catalog/parse.js";
import { loadCatalog } from "../catalog/read-files.js";
import type { Catalog } from "../catalog/types.js";
import { formatBom } from "../report/bom-table.js";
import { formatIssues } from "../topology/issues.js";
import type { ResolvedTopology } from "../topology/types.js";
import { VERSION } from "../version.js";
import { EXIT, type ExitCode } from "./exit-codes.js";
import { loadOrExit, UsageError } from "./load.js";
import { printErr, printOut } from "./terminal.js";

export interface BomCommandOptions {
  /** Extra catalog files, in order; their entries replace built-in ones with the same id. */
  catalog?: string[] | undefined;
  /** Print JSON instead of the table. */
  json?: boolean | undefined;
  /** Electricity price, USD per kWh (default: today's from the catalog's cost model). */
  kwhPrice?: number | undefined;
  /** Power usage effectiveness (default: today's from the catalog's cost model). */
  pue?: number | undefined;
  /** A topology to compare against (e.g. the traditional rack). */
  baseline?: string | undefined;
}

function problems(n: number): string {
  return `${n} problem${n === 1 ? "" : "s"}`;
}

/** The BOM of `file`, or null after printing its model problems (file:line:col). */
async function bomOf(file: string, catalog: Catalog, options: BomOptions): Promise<Bom | null> {
  const topo = await loadOrExit(file);
  if (topo === null) return null;
  return bomOfTopology(file, topo, catalog, options);
}

/** The BOM of an already loaded topology, or null after printing its model problems (file:line:col). */
export async function bomOfTopology(
  file: string,
  topo: ResolvedTopology,
  catalog: Catalog,
  options: BomOptions = {},
): Promise<Bom | null> {
  const b = bom(topo, catalog, options);
  if (b.issues.length === 0) return b;
  const text = await readFile(file, "utf8");
  const issues = positionModelIssues(text, file, b.issues);
  printErr(`${formatIssues(issues)}\n`);
  printErr(`${file}: ${problems(issues.length)} with catalog models; nothing written\n`);
  return null;
}

/**
 * `iovsim bom FILE [--catalog FILE…] [--json] [--kwh-price USD] [--baseline FILE]`:
 * the bill of materials (adapters, cables, optics, switch ports, rack units,
 * power, list and energy cost), and with a baseline the reduction against it.
 * Exit 0, or 3 with one line per problem in the topology or the catalog.
 */
export async function bomCommand(file: string, opts: BomCommandOptions): Promise<ExitCode> {
  for (const [flag, value] of [
    ["--kwh-price", opts.kwhPrice],
    ["--pue", opts.pue],
  ] as const) {
    if (value !== undefined && !(Number.isFinite(value) && value >= 0)) {
      throw new UsageError(`${flag} must be a number ≥ 0, got ${value}`);
    }
  }
  if (opts.pue !== undefined && opts.pue < 1) throw new UsageError(`--pue must be ≥ 1, got ${opts.pue}`);
  const loaded = await loadCatalog(opts.catalog ?? []);
  if (!loaded.ok) {
    printErr(`${formatCatalogIssues(loaded.issues)}\n`);
    printErr(`catalog: ${problems(loaded.issues.length)}; nothing written\n`);
    return EXIT.invalidInput;
  }
  const options: BomOptions = {
    ...(opts.kwhPrice === undefined ? {} : { kwhPriceUsd: opts.kwhPrice }),
    ...(opts.pue === undefined ? {} : { pue: opts.pue }),
  };
  const b = await bomOf(file, loaded.catalog, options);
  if (b === null) return EXIT.invalidInput;
  let base: Bom | null = null;
  if (opts.baseline !== undefined) {
    base = await bomOf(opts.baseline, loaded.catalog, options);
    if (base === null) return EXIT.invalidInput;
  }
  const red = base === null ? null : reduction(b, base);
  if (opts.json) {
    const catalog = loaded.catalog.files.map((f) => relative(process.cwd(), f));
    const out = { iovsim: VERSION, catalog, bom: b, baseline: base, reduction: red };
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  } else {
    printOut(formatBom(b, red ?? undefined));
  }
  return EXIT.ok;
}
