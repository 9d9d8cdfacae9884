/**
 * `npm run bench:web`: the web visualizer under load. A measurement, not a test.
 *
 * Builds web/ (production), serves it with `vite preview`, opens it in the system
 * Chromium (playwright-core; CHROMIUM_PATH or /usr/bin/chromium) and runs the UCS
 * reference rack with a longer duration (DURATION) so the worker is busy for a few
 * seconds. Measures:
 * - the page's frame rate while the worker simulates: requestAnimationFrame callbacks
 *   per second between Run and the end of the run (animation and charts on);
 * - the worker's events/s: events over the worker's wall time from load to the end
 *   (snapshots and yields included), and over the time spent inside `advanceTo`;
 * - the CLI's events/s on the same topology in this Node process (the same calls
 *   `iovsim run` makes, JIT warmed).
 * ROUNDS rounds alternate page and Node so that load from elsewhere hits both alike;
 * the table shows medians and every round.
 * Targets (issue 6): >= 50 frames/s and >= 70 % of the CLI's events/s.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Page } from "playwright-core";
import { build, preview } from "vite";
import { parseTime } from "../sim/units.js";
import type { RunResult } from "../src/metrics/result.js";
import { Replication } from "../src/run/replication.js";
import { parseTopology } from "../src/topology/load.js";
import { SNAPSHOTS_PER_SECOND } from "../web/src/protocol.js";
import { CHROMIUM_ARGS } from "./chromium-args.js";

const DURATION = "800ms";
/** The repository root, from bench/web.ts or its build, dist/bench/web.js. */
const ROOT = fileURLToPath(new URL(import.meta.url.includes("/dist/bench/") ? "../../" : "../", import.meta.url));

const ROUNDS = 3;

interface PageRound {
  fps: number;
  seconds: number;
  events: number;
  /** Events over the worker's wall time, load to end. */
  wallRate: number;
  /** Events over the time inside advanceTo. */
  busyRate: number;
}

/** One CLI-equivalent run in this process (the calls `iovsim run` makes). */
function cliRound(text: string): { rate: number; events: number } {
  const r = parseTopology(text, "ucs-rack.yaml");
  if (!r.ok) throw new Error("ucs-rack.yaml does not load");
  const topo = { ...r.topology, experiment: { ...r.topology.experiment, durationTicks: parseTime(DURATION) } };
  const t0 = performance.now();
  const res = new Replication(topo, 0).result();
  return { rate: res.events / ((performance.now() - t0) / 1000), events: res.events };
}

async function pageRound(page: Page): Promise<PageRound> {
  await page.fill("#duration", DURATION);
  await page.click("#run");
  await page.waitForSelector("body[data-state=running]");
  // Count frames until the end of the run (a string: this file has no DOM types).
  await page.evaluate(`(() => {
    window.bench = { frames: 0, t0: performance.now(), t1: 0 };
    const tick = () => {
      window.bench.frames++;
      if (document.body.dataset.state === "done") {
        window.bench.t1 = performance.now();
        return;
      }
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })()`);
  await page.waitForFunction("window.bench.t1 > 0", undefined, { timeout: 300_000 });
  const { frames, ms } = (await page.evaluate(
    "({ frames: window.bench.frames, ms: window.bench.t1 - window.bench.t0 })",
  )) as {
    frames: number;
    ms: number;
  };
  const result = JSON.parse((await page.textContent("#result-json")) ?? "") as RunResult;
  const busySeconds = Number(await page.getAttribute("body", "data-busy-seconds"));
  return {
    fps: frames / (ms / 1000),
    seconds: ms / 1000,
    events: result.events,
    wallRate: result.events / result.wallSeconds,
    busyRate: result.events / busySeconds,
  };
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "iovsim-bench-web-"));
  const outDir = join(dir, "dist");
  const configFile = join(ROOT, "web/vite.config.ts");
  const userDataDir = join(dir, "profile");
  try {
    process.env.NODE_ENV = "production";
    await build({ configFile, mode: "production", logLevel: "warn", build: { outDir, emptyOutDir: true } });
    const server = await preview({
      configFile,
      logLevel: "warn",
      build: { outDir },
      preview: { port: 0, host: "127.0.0.1" },
    });
    const url = server.resolvedUrls?.local[0];
    if (url === undefined) throw new Error("vite preview gave no URL");
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      headless: true,
      args: [...CHROMIUM_ARGS],
      viewport: { width: 1024, height: 768 },
    });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      await page.goto(url);
      await page.waitForSelector("body[data-state=loaded]");
      const text = await readFile(join(ROOT, "topologies/ucs-rack.yaml"), "utf8");
      cliRound(text); // warm the JIT, as the page's first round warms the worker's
      // Rounds alternate page and CLI so that load from elsewhere on the machine hits both alike.
      const pages: PageRound[] = [];
      const clis: number[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        pages.push(await pageRound(page));
        const c = cliRound(text);
        clis.push(c.rate);
        if (c.events !== pages[i]!.events) throw new Error(`page events ${pages[i]!.events} != CLI ${c.events}`);
      }
      const fps = median(pages.map((p) => p.fps));
      const cli = median(clis);
      const wall = median(pages.map((p) => p.wallRate));
      const busy = median(pages.map((p) => p.busyRate));
      const M = (x: number): string => `${(x / 1e6).toFixed(2)} M events/s`;
      const rows: Array<[string, string, string]> = [
        ["snapshot rate", `${SNAPSHOTS_PER_SECOND} /s (web/src/protocol.ts)`, ""],
        [
          "run",
          `ucs-rack, ${DURATION} simulated, ${pages[0]!.events.toLocaleString("en")} events; median of ${ROUNDS}`,
          "",
        ],
        [
          "page frame rate",
          `${fps.toFixed(1)} frames/s (rounds: ${pages.map((p) => `${p.fps.toFixed(1)} over ${p.seconds.toFixed(1)} s`).join(", ")})`,
          fps >= 50 ? "ok (>= 50)" : "BELOW 50",
        ],
        ["CLI (Node, same code)", `${M(cli)} (rounds: ${clis.map((x) => (x / 1e6).toFixed(2)).join(", ")})`, ""],
        [
          "worker, wall time",
          `${M(wall)} = ${((100 * wall) / cli).toFixed(0)} % of CLI (rounds: ${pages.map((p) => (p.wallRate / 1e6).toFixed(2)).join(", ")})`,
          wall >= 0.7 * cli ? "ok (>= 70 %)" : "BELOW 70 %",
        ],
        ["worker, inside advanceTo", M(busy), ""],
        ["load average (1 min)", loadavg()[0]!.toFixed(2), `${cpus().length} CPUs`],
      ];
      const w0 = Math.max(...rows.map((r) => r[0].length));
      const w1 = Math.max(...rows.map((r) => r[1].length));
      for (const [a, b, c] of rows) console.log(`${a.padEnd(w0)}  ${b.padEnd(w1)}  ${c}`);
    } finally {
      await context.close();
      await server.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
