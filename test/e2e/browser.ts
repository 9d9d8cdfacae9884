/**
 * Helpers for the browser tests: start the system Chromium through
 * playwright-core (which never downloads a browser), serve a built page from
 * 127.0.0.1, and collect what the page reports as errors.
 */
import { constants } from "node:fs";
import { access, mkdir, mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { extname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { BrowserContext, Page } from "playwright-core";
import { chromium } from "playwright-core";
import { build, createLogger, type InlineConfig } from "vite";
import { CHROMIUM_ARGS } from "../../bench/chromium-args.js";

/** Debian's `chromium` package installs here. */
export const DEFAULT_CHROMIUM = "/usr/bin/chromium";

/** The repository root (this file is `test/e2e/browser.ts`). */
export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Screenshots and other artifacts (git-ignored). */
export const RESULTS_DIR = join(REPO_ROOT, "test-results");

export interface LaunchedChromium {
  context: BrowserContext;
  /** The tab the browser opened at start (about:blank). */
  page: Page;
  /** Closes the browser and deletes its profile directory. */
  close(): Promise<void>;
}

/**
 * Starts Chromium (`$CHROMIUM_PATH`, default `/usr/bin/chromium`) headless with
 * a fresh profile in a temp directory. Playwright refuses `--user-data-dir` in
 * `args` and wants it as the first argument of `launchPersistentContext`,
 * which passes it on as `--user-data-dir=<dir>`.
 */
export interface LaunchOptions {
  /** Viewport; 1024 × 768 by default. */
  readonly width?: number;
  readonly height?: number;
  /** A phone: mobile viewport meta honoured, touch events, device scale 3. */
  readonly phone?: boolean;
  readonly reducedMotion?: "reduce" | "no-preference";
}

export async function launchChromium(options: LaunchOptions = {}): Promise<LaunchedChromium> {
  const executablePath = process.env.CHROMIUM_PATH ?? DEFAULT_CHROMIUM;
  try {
    await access(executablePath, constants.X_OK);
  } catch {
    throw new Error(
      `Chromium not found (or not executable) at ${executablePath}. ` +
        "The browser tests use the system Chromium and never download one: " +
        "run `apt-get install -y chromium` (Debian/Ubuntu), or set CHROMIUM_PATH to a Chromium or Chrome binary.",
    );
  }
  const userDataDir = await mkdtemp(join(tmpdir(), "iovsim-chromium-"));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath,
      headless: true,
      args: [...CHROMIUM_ARGS],
      viewport: { width: options.width ?? 1024, height: options.height ?? 768 },
      ...(options.phone === true ? { isMobile: true, hasTouch: true, deviceScaleFactor: 3 } : {}),
      ...(options.reducedMotion === undefined ? {} : { reducedMotion: options.reducedMotion }),
    });
  } catch (err) {
    await rm(userDataDir, { recursive: true, force: true });
    throw err;
  }
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      try {
        await context.close();
      } finally {
        await rm(userDataDir, { recursive: true, force: true });
      }
    },
  };
}

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".map": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
};

export interface ServedPage {
  /** Base URL, ending in `/`. */
  url: string;
  close(): Promise<void>;
}

/**
 * Serves the files under `dir` on 127.0.0.1 at an ephemeral port. `/` (and any
 * path ending in `/`) maps to `index.html`; a path outside `dir`, a missing
 * file or an unknown file type is a 404.
 */
export async function servePage(dir: string): Promise<ServedPage> {
  const root = resolve(dir);
  const server = createServer((req, res) => {
    void (async () => {
      try {
        let pathname = decodeURIComponent(new URL(req.url ?? "/", "http://127.0.0.1").pathname);
        if (pathname.endsWith("/")) pathname += "index.html";
        const file = resolve(root, `.${pathname}`);
        const type = CONTENT_TYPES[extname(file).toLowerCase()];
        if ((req.method !== "GET" && req.method !== "HEAD") || !file.startsWith(root + sep) || type === undefined) {
          throw new Error("not served");
        }
        if (!(await stat(file)).isFile()) throw new Error("not a file");
        const body = await readFile(file);
        res.writeHead(200, { "content-type": type, "content-length": body.length, "cache-control": "no-store" });
        res.end(req.method === "HEAD" ? undefined : body);
      } catch {
        res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
        res.end("not found\n");
      }
    })();
  });
  await new Promise<void>((ok, fail) => {
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => ok());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((ok, fail) => {
        server.closeAllConnections();
        server.close((err) => (err ? fail(err) : ok()));
      }),
  };
}

/**
 * Starts recording everything the page reports as an error: `console.error`,
 * uncaught exceptions and rejections, failed requests and HTTP error
 * responses. Call before navigating; read the returned (live) array at the end.
 */
export function collectConsoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") {
      const { url, lineNumber } = msg.location();
      errors.push(`console.error: ${msg.text()}${url ? ` (${url}:${lineNumber})` : ""}`);
    }
  });
  page.on("pageerror", (err) => errors.push(`uncaught: ${err.stack ?? err.message}`));
  page.on("requestfailed", (req) => errors.push(`request failed: ${req.url()} (${req.failure()?.errorText ?? "?"})`));
  page.on("response", (res) => {
    if (res.status() >= 400) errors.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  return errors;
}

/** Saves a screenshot (full page by default) as `test-results/<name>.png` and returns its path. */
export async function screenshot(page: Page, name: string, fullPage = true): Promise<string> {
  await mkdir(RESULTS_DIR, { recursive: true });
  const path = join(RESULTS_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage });
  return path;
}

/**
 * Builds a page as `vite build` would, returning Vite's warnings. Vitest sets
 * NODE_ENV=test, which makes Vite build in development flavour; production is what
 * ships, and only then does Vite warn at build time when a browser bundle imports a
 * Node built-in.
 */
export async function buildProduction(config: InlineConfig): Promise<string[]> {
  const warnings: string[] = [];
  const logger = createLogger("warn");
  const saved = process.env.NODE_ENV;
  process.env.NODE_ENV = "production";
  try {
    await build({
      ...config,
      mode: "production",
      logLevel: "warn",
      customLogger: {
        ...logger,
        warn: (msg, opts) => {
          warnings.push(msg);
          logger.warn(msg, opts);
        },
        warnOnce: (msg, opts) => {
          warnings.push(msg);
          logger.warnOnce(msg, opts);
        },
      },
    });
  } finally {
    if (saved === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = saved;
  }
  return warnings;
}
