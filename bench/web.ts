/**
 * `npm run bench:web`: the web visualizer under load. A measurement, not a test.
 *
 * Builds web/ (production), serves it with `vite preview`, opens it in the system
 * Chromium (playwright-core; CHROMIUM_PATH or /usr/bin/chromium) and measures, in
 * ROUNDS rounds that alternate with the same run in Node (so that load from elsewhere on
 * the machine hits both alike):
 * - the page's frame rate at the default speed (DEFAULT_SPEED, 1 ms simulated per
 *   second), UCS rack, with the moving dots, the charts and the topology updating:
 *   requestAnimationFrame callbacks per second over FPS_SECONDS of running, and the
 *   95th percentile of the time between frames;
 * - the worker's events/s as fast as it goes: the UCS rack for DURATION of simulated
 *   time, events over the worker's wall time from load to the end (snapshots, bins and
 *   yields included), and over the time inside `advanceTo`;
 * - the CLI's events/s on the same topology in this Node process (the same calls
 *   `iovsim run` makes, JIT warmed).
 * Targets (issue 14): >= 50 frames/s at the default speed and >= 70 % of the CLI's
 * events/s, in every round.
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
import { DEFAULT_SPEED, SNAPSHOTS_PER_SECOND } from "../web/src/protocol.js";
import { CHROMIUM_ARGS } from "./chromium-args.js";

const DURATION = "800ms";
const FPS_SECONDS = 8;
const ROUNDS = 3;
/** The repository root, from bench/web.ts or its build, dist/bench/web.js. */
const ROOT = fileURLToPath(new URL(import.meta.url.includes("/dist/bench/") ? "../../" : "../", import.meta.url));

interface FrameRound {
  fps: number;
  p95Ms: number;
  simulatedMs: number;
}

interface WorkerRound {
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

/** Frames per second while the UCS rack runs at the default speed (the reference rack's own duration). */
async function frameRound(page: Page): Promise<FrameRound> {
  await page.fill("#duration", "");
  await page.click("#reset");
  await page.waitForSelector("body[data-state=loaded]");
  await page.selectOption("#speed", String(DEFAULT_SPEED));
  await page.click("#run");
  await page.waitForSelector("body[data-state=running]");
  // Count frames (a string: this file has no DOM types).
  await page.evaluate(`(() => {
    window.bench = { times: [], stop: false };
    const tick = (t) => {
      window.bench.times.push(t);
      if (!window.bench.stop) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })()`);
  await page.waitForTimeout(FPS_SECONDS * 1000);
  const times = (await page.evaluate("(window.bench.stop = true, window.bench.times)")) as number[];
  const now = Number(await page.getAttribute("body", "data-now"));
  await page.click("#pause");
  await page.waitForSelector("body[data-state=paused]");
  const gaps = times.slice(1).map((t, i) => t - times[i]!);
  gaps.sort((a, b) => a - b);
  const span = (times.at(-1)! - times[0]!) / 1000;
  return { fps: (times.length - 1) / span, p95Ms: gaps[Math.floor(gaps.length * 0.95)] ?? 0, simulatedMs: now / 1e9 };
}

/** The worker as fast as it goes on the longer run. */
async function workerRound(page: Page): Promise<WorkerRound> {
  await page.fill("#duration", DURATION);
  await page.selectOption("#speed", "max");
  await page.click("#run");
  await page.waitForSelector("body[data-state=done]", { timeout: 600_000 });
  const result = JSON.parse((await page.textContent("#result-json")) ?? "") as RunResult;
  const busySeconds = Number(await page.getAttribute("body", "data-busy-seconds"));
  return {
    seconds: result.wallSeconds,
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
      viewport: { width: 1400, height: 900 },
    });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      await page.goto(url);
      await page.waitForSelector("body[data-state=loaded]");
      await page.selectOption("#source", "ucs-rack.yaml");
      await page.waitForSelector("body[data-state=loaded]");
      const text = await readFile(join(ROOT, "topologies/ucs-rack.yaml"), "utf8");
      cliRound(text); // warm the JIT, as the page's first round warms the worker's
      const frames: FrameRound[] = [];
      const workers: WorkerRound[] = [];
      const clis: number[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        frames.push(await frameRound(page));
        workers.push(await workerRound(page));
        const c = cliRound(text);
        clis.push(c.rate);
        if (c.events !== workers[i]!.events) throw new Error(`page events ${workers[i]!.events} != CLI ${c.events}`);
      }
      const M = (x: number): string => `${(x / 1e6).toFixed(2)} M events/s`;
      const fpsOk = frames.filter((f) => f.fps >= 50).length;
      const ratioOk = workers.filter((w, i) => w.wallRate >= 0.7 * clis[i]!).length;
      const rows: Array<[string, string, string]> = [
        ["snapshot rate", `at most ${SNAPSHOTS_PER_SECOND} /s (web/src/protocol.ts); bins of simulated time`, ""],
        [
          "frame rate",
          `ucs-rack at the default speed (${DEFAULT_SPEED * 1000} ms simulated / s), ${FPS_SECONDS} s per round, 1400 × 900`,
          "",
        ],
        ...frames.map((f, i): [string, string, string] => [
          `  round ${i + 1}`,
          `${f.fps.toFixed(1)} frames/s, p95 frame interval ${f.p95Ms.toFixed(1)} ms (${f.simulatedMs.toFixed(1)} ms simulated)`,
          f.fps >= 50 ? "ok (>= 50)" : "BELOW 50",
        ]),
        [
          "worker vs CLI",
          `ucs-rack, ${DURATION} simulated, ${workers[0]!.events.toLocaleString("en")} events, as fast as possible`,
          "",
        ],
        ...workers.map((w, i): [string, string, string] => [
          `  round ${i + 1}`,
          `worker ${M(w.wallRate)} (inside advanceTo ${M(w.busyRate)}), CLI ${M(clis[i]!)}: ${((100 * w.wallRate) / clis[i]!).toFixed(0)} %`,
          w.wallRate >= 0.7 * clis[i]! ? "ok (>= 70 %)" : "BELOW 70 %",
        ]),
        [
          "medians",
          `${median(frames.map((f) => f.fps)).toFixed(1)} frames/s; worker ${M(median(workers.map((w) => w.wallRate)))}, CLI ${M(median(clis))}`,
          "",
        ],
        [
          "verdict",
          `frame rate ${fpsOk} of ${ROUNDS} rounds >= 50; worker ${ratioOk} of ${ROUNDS} rounds >= 70 % of the CLI`,
          fpsOk === ROUNDS && ratioOk === ROUNDS ? "ok" : "MISSED",
        ],
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
