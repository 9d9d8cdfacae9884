/**
 * Helpers for the web visualizer's browser tests and `npm run bench:web`: build the
 * site (web/) with Vite in production mode (once per source state: the build is cached
 * under the temp directory, keyed by a hash of every file it is built from), open it in
 * Chromium at a given size, drive the page and check it with axe-core.
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rename, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import type { RunResult } from "../../src/metrics/result.js";
import { aggregate } from "../../src/run/aggregate.js";
import { Replication } from "../../src/run/replication.js";
import { parseTopology } from "../../src/topology/load.js";
import type { ResolvedTopology } from "../../src/topology/types.js";
import {
  buildProduction,
  collectConsoleErrors,
  type LaunchedChromium,
  type LaunchOptions,
  launchChromium,
  REPO_ROOT,
  type ServedPage,
  servePage,
} from "./browser.js";

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

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (e.name === "node_modules" || e.name === "dist" || e.name.startsWith(".")) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(p)));
    else out.push(p);
  }
  return out;
}

/** A hash of everything the site is built from (sources, topologies, catalog, configs). */
async function sourceHash(): Promise<string> {
  const h = createHash("sha256");
  const dirs = ["web", "src", "sim", "topologies", "catalog"].map((d) => join(REPO_ROOT, d));
  const files = (await Promise.all(dirs.map(filesUnder))).flat().sort();
  for (const f of [...files, join(REPO_ROOT, "package.json")]) {
    h.update(f);
    h.update(await readFile(f));
  }
  return h.digest("hex").slice(0, 16);
}

export interface BuiltSite {
  readonly dir: string;
  readonly warnings: readonly string[];
}

/**
 * The built site for the current sources: built once and kept in the temp directory
 * (`iovsim-web-<hash>`), so the browser test files do not each spend a build.
 */
export async function builtSite(): Promise<BuiltSite> {
  const dir = join(tmpdir(), `iovsim-web-${await sourceHash()}`);
  const done = join(dir, "warnings.json");
  if (existsSync(done))
    return { dir: join(dir, "dist"), warnings: JSON.parse(await readFile(done, "utf8")) as string[] };
  const staging = `${dir}.${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  const warnings = await buildSite(join(staging, "dist"), join(staging, ".vite-cache"));
  await rm(join(staging, ".vite-cache"), { recursive: true, force: true });
  const { writeFile } = await import("node:fs/promises");
  await writeFile(join(staging, "warnings.json"), JSON.stringify(warnings));
  await rm(dir, { recursive: true, force: true });
  await rename(staging, dir);
  return { dir: join(dir, "dist"), warnings };
}

export interface OpenPage {
  readonly browser: LaunchedChromium;
  readonly page: Page;
  readonly server: ServedPage;
  readonly site: BuiltSite;
  /** What the page reported as errors so far (live). */
  readonly errors: string[];
  close(): Promise<void>;
}

/** Builds (or reuses) the site, serves it, opens it in Chromium and waits for the first topology. */
export async function openSite(options: LaunchOptions = {}): Promise<OpenPage> {
  const site = await builtSite();
  const server = await servePage(site.dir);
  const browser = await launchChromium(options);
  const page = browser.page;
  const errors = collectConsoleErrors(page);
  await page.goto(server.url);
  await page.waitForSelector("body[data-state=loaded]", { timeout: 60_000 });
  return {
    browser,
    page,
    server,
    site,
    errors,
    async close() {
      await browser.close();
      await server.close();
    },
  };
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

/** Loads a built-in topology as a fresh run (paused at t = 0). */
export async function choose(page: Page, file: string): Promise<void> {
  if ((await page.inputValue("#source")) === file) await page.click("#reset");
  else await page.selectOption("#source", file);
  await page.waitForSelector("body[data-state=loaded]");
}

/** Selects a built-in topology and waits for its run to be loaded in the worker. */
export async function chooseBuiltin(page: Page, file: string): Promise<void> {
  await choose(page, file);
}

/** Runs the loaded topology as fast as possible and returns the page's result JSON. */
export async function runFast(page: Page, timeout = 90_000): Promise<RunResult> {
  await page.selectOption("#speed", "max");
  await page.click("#run");
  return waitForResult(page, timeout);
}

/** Waits for the run to finish and returns the page's result JSON. */
export async function waitForResult(page: Page, timeout = 90_000): Promise<RunResult> {
  await page.waitForSelector("body[data-state=done]", { timeout });
  return JSON.parse((await page.textContent("#result-json")) ?? "") as RunResult;
}

/** Steps the loaded run to `ticks` of simulated time (paused there). */
export async function stepTo(page: Page, ticks: number, stepText: string): Promise<void> {
  await page.fill("#step-size", stepText);
  await page.click("#step");
  await page.waitForFunction(`Number(document.body.dataset.now) >= ${ticks}`);
  await page.waitForSelector("body[data-state=paused]");
}

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: readonly string[];
}

/** axe-core on the page as it is now (WCAG 2.x A and AA rules); the critical and serious violations. */
export async function axeSerious(page: Page): Promise<AxeViolation[]> {
  const source = await readFile(join(REPO_ROOT, "node_modules/axe-core/axe.min.js"), "utf8");
  if (!(await page.evaluate("typeof window.axe !== 'undefined'"))) await page.addScriptTag({ content: source });
  const result = (await page.evaluate(`window.axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] },
      resultTypes: ["violations"],
    })`)) as {
    violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[] }> }>;
  };
  return result.violations
    .filter((v) => v.impact === "critical" || v.impact === "serious")
    .map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => JSON.stringify(n.target)),
    }));
}

/**
 * Saves a screenshot under test-results/ and, with IOVSIM_DOCS_SCREENSHOTS=1, under
 * docs/screenshots/ too: the viewport with the topology scrolled into view, or the whole page.
 */
export async function docsScreenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  const { screenshot } = await import("./browser.js");
  if (options.fullPage !== true) await page.evaluate(`document.getElementById("view-section").scrollIntoView()`);
  const path = await screenshot(page, name, options.fullPage ?? false);
  if (process.env.IOVSIM_DOCS_SCREENSHOTS === "1") {
    const dir = join(REPO_ROOT, "docs/screenshots");
    await mkdir(dir, { recursive: true });
    const { copyFile } = await import("node:fs/promises");
    await copyFile(path, join(dir, `${name}.png`));
  }
  await stat(path);
}
