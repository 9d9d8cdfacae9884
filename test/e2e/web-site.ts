/**
 * Helpers for the web visualizer's browser tests and `npm run bench:web`: build the
 * site (web/) with Vite in production mode into a directory, and drive the page.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Page } from "playwright-core";
import type { RunResult } from "../../src/metrics/result.js";
import { aggregate } from "../../src/run/aggregate.js";
import { Replication } from "../../src/run/replication.js";
import { parseTopology } from "../../src/topology/load.js";
import type { ResolvedTopology } from "../../src/topology/types.js";
import { buildProduction, REPO_ROOT } from "./browser.js";

/**
 * Builds web/ as `npm run build:web` does, into `outDir`. Vitest sets NODE_ENV=test,
 * which would make Vite build its development flavour; production is what ships.
 * Returns the build's warnings.
 */
export function buildSite(outDir: string, cacheDir: string): Promise<string[]> {
  return buildProduction({
    configFile: join(REPO_ROOT, "web/vite.config.ts"),
    cacheDir,
    build: { outDir, emptyOutDir: true },
  });
}

/** A reference topology, parsed as the CLI parses it. */
export async function referenceTopology(file: string): Promise<ResolvedTopology> {
  const text = await readFile(join(REPO_ROOT, "topologies", file), "utf8");
  const r = parseTopology(text, file);
  if (!r.ok) throw new Error(`${file} does not load`);
  return r.topology;
}

/** What `iovsim run FILE --json` prints, computed in this process (the same calls the CLI makes). */
export function cliResult(topo: ResolvedTopology, seed = topo.experiment.seed): RunResult {
  return aggregate(topo, [new Replication(topo, 0, seed).result()], 0, seed);
}

/** The result JSON without wallSeconds (the one field allowed to differ between runs). */
export function comparable(r: RunResult, drop: readonly string[] = []): string {
  const copy: Record<string, unknown> = { ...r };
  delete copy.wallSeconds;
  for (const k of drop) delete copy[k];
  return JSON.stringify(copy);
}

/** Selects a built-in topology and waits for its run to be loaded in the worker. */
export async function chooseBuiltin(page: Page, file: string): Promise<void> {
  await page.selectOption("#source", file);
  await page.waitForSelector("body[data-state=loaded]");
}

/** Waits for the run to finish and returns the page's result JSON. */
export async function waitForResult(page: Page, timeout = 60_000): Promise<RunResult> {
  await page.waitForSelector("body[data-state=done]", { timeout });
  return JSON.parse((await page.textContent("#result-json")) ?? "") as RunResult;
}
