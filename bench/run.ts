/**
 * `npm run bench`: kernel throughput against a plain typed-array binary heap
 * measured in the same process, and memory per pending event. Prints a table
 * and writes bench/results.json. A measurement, not a test: run it on an idle
 * machine (`node --expose-gc`, which the npm script passes).
 *
 * Each model and its reference run in alternating rounds; a row's events/s is
 * the median over rounds, and its ratio the median of the per-round ratios.
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Bench } from "tinybench";
import { holdKernel, holdReference, mm1Callbacks, mm1Processes, mm1Reference, type Runner } from "./kernel-models.js";
import { median } from "./median.js";
import { type RackCostRow, type RackRow, rackCostRows, rackRows } from "./racks.js";
import { LARGE, SMALL, scalingRows } from "./scaling.js";
import { printScaling } from "./scaling-report.js";

export interface Row {
  name: string;
  pending: number | null;
  eventsPerSecond: number | null;
  ratioToReference: number | null;
  bytesPerPendingEvent: number | null;
}

const RUNS = 5;

interface Task {
  name: string;
  runner: Runner;
  count: number;
}

/**
 * Times `runner.run(count)` for each task, in turn, for a warm-up round and
 * RUNS measured rounds: a model and its reference alternate, so a machine
 * whose speed drifts (a shared 2-core VM) slows both alike. Returns each
 * task's events/s per measured round.
 */
async function measureRounds(tasks: readonly Task[]): Promise<number[][]> {
  const rates: number[][] = tasks.map(() => []);
  for (let round = 0; round <= RUNS; round++) {
    const bench = new Bench({ name: `round ${round}`, iterations: 1, time: 0, warmupIterations: 0, warmupTime: 0 });
    const counted: number[] = tasks.map(() => 0);
    tasks.forEach((t, i) => {
      bench.add(t.name, () => {
        counted[i] = t.runner.run(t.count);
      });
    });
    await bench.run();
    if (round === 0) continue; // warm-up: the JIT settles
    bench.tasks.forEach((task, i) => {
      const result = task.result;
      if (result.state !== "completed") throw new Error(`bench ${task.name}: ${result.state}`);
      rates[i]!.push(counted[i]! / (result.latency.mean / 1000));
    });
  }
  return rates;
}

/** Median of the per-round ratios of `ours` to `ref` (rounds are paired in time). */
function pairedRatio(ours: readonly number[], ref: readonly number[]): number {
  return median(ours.map((x, i) => x / ref[i]!));
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
    const [ref, ours] = await measureRounds([
      { name: `reference ${pending}`, runner: holdReference(pending), count },
      { name: `hold ${pending}`, runner: holdKernel(pending), count },
    ]);
    rows.push({
      name: "reference binary heap: hold",
      pending,
      eventsPerSecond: median(ref!),
      ratioToReference: 1,
      bytesPerPendingEvent: null,
    });
    rows.push({
      name: "kernel callback path: hold",
      pending,
      eventsPerSecond: median(ours!),
      ratioToReference: pairedRatio(ours!, ref!),
      bytesPerPendingEvent: null,
    });
  }
  if (want("mm1")) rows.push(...(await mm1Rows(log, "callbacks")));
  if (want("mm1-processes")) rows.push(...(await mm1Rows(log, "processes")));
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

/**
 * M/M/1 on the callback path, or with generator processes, each against the
 * reference in alternating rounds. Two groups, so each kernel model runs in a
 * Node process of its own: after a callback model has run, the kernel's
 * dispatch has seen more handlers and a process model runs a few per cent slower.
 */
async function mm1Rows(log: (line: string) => void, model: "callbacks" | "processes"): Promise<Row[]> {
  log(`M/M/1 (${model})…`);
  const [ref, ours] = await measureRounds([
    { name: "mm1 reference", runner: mm1Reference(), count: 1_000_000 },
    model === "callbacks"
      ? { name: "mm1 callbacks", runner: mm1Callbacks(), count: 1_000_000 }
      : { name: "mm1 processes", runner: mm1Processes(), count: 500_000 },
  ]);
  const rows: Row[] = [];
  if (model === "callbacks")
    rows.push({
      name: "reference binary heap: M/M/1",
      pending: null,
      eventsPerSecond: median(ref!),
      ratioToReference: 1,
      bytesPerPendingEvent: null,
    });
  rows.push({
    name: model === "callbacks" ? "kernel callback path: M/M/1" : "kernel processes + Resource + stats: M/M/1",
    pending: null,
    eventsPerSecond: median(ours!),
    ratioToReference: pairedRatio(ours!, ref!),
    bytesPerPendingEvent: null,
  });
  return rows;
}

/** The kernel benchmark groups; each runs in a process of its own (see `isolatedKernelRows`). */
const GROUPS = ["hold", "mm1", "mm1-processes", "memory"] as const;

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
  // `--only hold|mm1|mm1-processes|memory|scaling`: a quick focused run for iterating; prints, writes nothing.
  const flag = process.argv.indexOf("--only");
  const only = flag >= 0 ? (process.argv[flag + 1] ?? null) : null;
  // `--large`: the scaling table to 4,096 hosts at packet level (8,192 at flow level) instead of the small sizes.
  const sizes = process.argv.includes("--large") ? LARGE : SMALL;
  if (only === "scaling") {
    printScaling(scalingRows(sizes, log));
    return;
  }
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
  const costs: RackCostRow[] = await rackCostRows(log);
  console.table(
    costs.map((r) => ({
      rack: r.rack,
      variant: r.variant,
      "M events/s": fmt(r.eventsPerSecond, 2, 1e6),
      "× no classes": fmt(r.ratioToNoClasses, 2),
      events: r.events,
    })),
  );
  // Site scaling, every design, each measurement in its own process: small sizes, or 128 … 4,096 hosts with `--large`.
  const scaling = scalingRows(sizes, log);
  printScaling(scaling);
  const header = {
    node: process.version,
    commit: commit(),
    date: new Date().toISOString(),
    runs: RUNS,
    statistic: "median",
  };
  writeFileSync(
    new URL("../../bench/results.json", import.meta.url),
    `${JSON.stringify({ ...header, rows, racks, rackCosts: costs, scaling }, null, 2)}\n`,
  );
  log("wrote bench/results.json");
}

await main();
