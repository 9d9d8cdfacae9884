/**
 * `npm run bench`: kernel throughput against a plain typed-array binary heap
 * measured in the same process, and memory per pending event. Prints a table
 * and writes bench/results.json. A measurement, not a test: run it on an idle
 * machine (`node --expose-gc`, which the npm script passes).
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Bench } from "tinybench";
import { holdKernel, holdReference, mm1Callbacks, mm1Processes, mm1Reference, type Runner } from "./kernel-models.js";
import { type RackRow, rackRows } from "./racks.js";

export interface Row {
  name: string;
  pending: number | null;
  eventsPerSecond: number | null;
  ratioToReference: number | null;
  bytesPerPendingEvent: number | null;
}

const RUNS = 5;

/** Median events/s over RUNS timed calls of `runner.run(count)` (plus one warm-up call). */
async function measure(name: string, runner: Runner, count: number): Promise<number> {
  let counted = 0;
  const bench = new Bench({ name, iterations: RUNS, time: 0, warmupIterations: 1, warmupTime: 0 });
  bench.add(name, () => {
    counted = runner.run(count);
  });
  await bench.run();
  const result = bench.tasks[0]!.result;
  if (result.state !== "completed") throw new Error(`bench ${name}: ${result.state}`);
  return counted / (result.latency.p50 / 1000);
}

function gc(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g === undefined) throw new Error("run with node --expose-gc (npm run bench does)");
  g();
  g();
}

function memoryUsed(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** (heapUsed + arrayBuffers) after a forced GC, per pending event, callback path, no payloads. */
function bytesPerPending(pending: number): number {
  gc();
  const before = memoryUsed();
  const model = holdKernel(pending);
  gc();
  const after = memoryUsed();
  if (model.sim.pending !== pending) throw new Error("memory: wrong pending count");
  return (after - before) / pending;
}

function commit(): string | null {
  try {
    return execFileSync("git", ["rev-parse", "--short", "HEAD"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
  } catch {
    return null;
  }
}

export async function kernelRows(log: (line: string) => void, only: string | null = null): Promise<Row[]> {
  const rows: Row[] = [];
  const want = (group: string): boolean => only === null || only === group;
  for (const pending of [1_000, 100_000, 1_000_000]) {
    if (!want("hold")) break;
    const count = pending >= 1_000_000 ? 1_000_000 : 2_000_000;
    log(`hold model, ${pending} pending…`);
    const ref = await measure(`reference ${pending}`, holdReference(pending), count);
    const ours = await measure(`hold ${pending}`, holdKernel(pending), count);
    rows.push({
      name: "reference binary heap: hold",
      pending,
      eventsPerSecond: ref,
      ratioToReference: 1,
      bytesPerPendingEvent: null,
    });
    rows.push({
      name: "kernel callback path: hold",
      pending,
      eventsPerSecond: ours,
      ratioToReference: ours / ref,
      bytesPerPendingEvent: null,
    });
  }
  if (want("mm1")) rows.push(...(await mm1Rows(log)));
  if (want("memory")) {
    log("memory at 1,000,000 pending…");
    rows.push({
      name: "kernel callback path: memory",
      pending: 1_000_000,
      eventsPerSecond: null,
      ratioToReference: null,
      bytesPerPendingEvent: bytesPerPending(1_000_000),
    });
  }
  return rows;
}

async function mm1Rows(log: (line: string) => void): Promise<Row[]> {
  const rows: Row[] = [];
  log("M/M/1…");
  const ref = await measure("mm1 reference", mm1Reference(), 1_000_000);
  const cb = await measure("mm1 callbacks", mm1Callbacks(), 1_000_000);
  const proc = await measure("mm1 processes", mm1Processes(), 500_000);
  rows.push({
    name: "reference binary heap: M/M/1",
    pending: null,
    eventsPerSecond: ref,
    ratioToReference: 1,
    bytesPerPendingEvent: null,
  });
  rows.push({
    name: "kernel callback path: M/M/1",
    pending: null,
    eventsPerSecond: cb,
    ratioToReference: cb / ref,
    bytesPerPendingEvent: null,
  });
  rows.push({
    name: "kernel processes + Resource + stats: M/M/1",
    pending: null,
    eventsPerSecond: proc,
    ratioToReference: proc / ref,
    bytesPerPendingEvent: null,
  });
  return rows;
}

/** The kernel benchmark groups; each runs in a process of its own (see `isolatedKernelRows`). */
const GROUPS = ["hold", "mm1", "memory"] as const;

/**
 * Runs each group in a fresh Node process (this file with `--child GROUP`), one after
 * another: what one group leaves behind (a heap grown by a million pending events, GC
 * pressure, optimised code for other shapes) must not slow the next one down, whichever
 * runs first. A group's model and its reference always run in the same process.
 */
function isolatedKernelRows(log: (line: string) => void): Row[] {
  const rows: Row[] = [];
  for (const group of GROUPS) {
    const out = execFileSync(process.execPath, ["--expose-gc", fileURLToPath(import.meta.url), "--child", group], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
      maxBuffer: 1 << 24,
    });
    rows.push(...(JSON.parse(out) as Row[]));
  }
  log(`kernel groups ran in ${GROUPS.length} separate processes`);
  return rows;
}

function fmt(x: number | null, digits: number, scale = 1): string {
  return x === null ? "" : (x / scale).toFixed(digits);
}

async function main(): Promise<void> {
  const log = (line: string): void => {
    process.stderr.write(`${line}\n`);
  };
  // `--child GROUP`: one group, its rows as JSON on stdout (the parent collects them).
  const child = process.argv.indexOf("--child");
  if (child >= 0) {
    process.stdout.write(JSON.stringify(await kernelRows(log, process.argv[child + 1] ?? null)));
    return;
  }
  // `--only hold` or `--only mm1`: a quick focused run in this process for iterating; prints, writes nothing.
  const flag = process.argv.indexOf("--only");
  const only = flag >= 0 ? (process.argv[flag + 1] ?? null) : null;
  const rows = only === null ? isolatedKernelRows(log) : await kernelRows(log, only);
  const table = rows.map((r) => ({
    benchmark: r.name,
    pending: r.pending ?? "",
    "M events/s": fmt(r.eventsPerSecond, 2, 1e6),
    "× reference": fmt(r.ratioToReference, 2),
    "bytes/pending": fmt(r.bytesPerPendingEvent, 1),
  }));
  console.table(table);
  if (only !== null) return;
  const racks: RackRow[] = await rackRows(log);
  console.table(
    racks.map((r) => ({
      rack: r.name,
      "M events/s": fmt(r.eventsPerSecond, 2, 1e6),
      "M transfers/s": fmt(r.transfersPerSecond, 2, 1e6),
      "simulated s / wall s": fmt(r.simulatedSecondsPerWallSecond, 4),
      events: r.events,
    })),
  );
  const header = {
    node: process.version,
    commit: commit(),
    date: new Date().toISOString(),
    runs: RUNS,
    statistic: "median",
  };
  writeFileSync(
    new URL("../../bench/results.json", import.meta.url),
    `${JSON.stringify({ ...header, rows, racks }, null, 2)}\n`,
  );
  log("wrote bench/results.json");
}

await main();
