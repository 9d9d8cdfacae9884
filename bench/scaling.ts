/**
 * Scaling tables (issue 16): how packet level and flow level grow with the site.
 *
 * Sites are the built-in study's 32-host block repeated (bench/site.ts), expanded by each
 * design's generator; a design whose generator refuses a size gets a row saying so. Each
 * measurement runs in a Node process of its own (a fresh heap: its RSS is its own).
 *
 * Packet level, per (design, hosts): after a throwaway run of a small site of the same design
 * (the JIT's compiling out of the window), build the replication, run the warm-up, collect
 * the garbage, then time the measured window: events/s, µs CPU per event, wall and CPU per simulated ms, CPU per
 * simulated ms per host (the figure that should stay flat), peak RSS, and the heap per
 * flow (a flow: one workload instance and target). CPU figures are the ones to trust on a
 * shared machine; wall times move with its load.
 *
 * Flow level, per (design, hosts): CPU of the network build, the flows and routes, and the
 * solve; peak RSS (the site's generation included); and the growth check that does not
 * depend on the machine's speed: each size's CPU over the previous size's of the same
 * design, against the n·log n bound (flows ratio × log ratio).
 *
 * `npm run bench` runs the small sizes for every design (`--only scaling` alone), and with
 * `--large` the large ones, as `npm run bench:scale` does: 128 … 4,096 hosts at packet level
 * and 512 … 8,192 at flow level. A design whose generator refuses a size gets a row saying so.
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { RandomStreams } from "../sim/random.js";
import { Simulation } from "../sim/simulation.js";
import { DesignError } from "../src/design/index.js";
import { FlowModel } from "../src/flow/index.js";
import { buildNetwork } from "../src/network/build.js";
import { table } from "../src/report/format.js";
import { Replication } from "../src/run/replication.js";
import type { Design } from "../src/topology/types.js";
import { siteTopology } from "./site.js";

export const DESIGNS: readonly Design[] = ["traditional", "director", "ucs", "mriov"];

export interface PacketRow {
  design: Design;
  hosts: number;
  /** Why there is no measurement (the generator refuses the size), else null. */
  note: string | null;
  flows: number | null;
  events: number | null;
  eventsPerSecond: number | null;
  cpuMicrosPerEvent: number | null;
  wallPerSimulatedMs: number | null;
  cpuPerSimulatedMs: number | null;
  /** CPU seconds per simulated second per host: flat when packet level is linear in the site. */
  cpuPerSimulatedSecondPerHost: number | null;
  buildCpuSeconds: number | null;
  peakRssMiB: number | null;
  heapBytesPerFlow: number | null;
}

export interface FlowRow {
  design: Design;
  hosts: number;
  flows: number;
  ports: number;
  cpu: { build: number; flows: number; solve: number; total: number };
  peakRssMiB: number;
  /** This size's CPU over the previous row's, and the n·log n bound for it (null on the first row). */
  growth: number | null;
  nLogNBound: number | null;
}

const cpuSeconds = (): number => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1e6;
};

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Two full collections: one can leave garbage that the next frees (a small site's heap per flow came out negative). */
function collectAll(): void {
  gc();
  gc();
}

function heapUsed(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

function peakRssMiB(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/** Hosts of the throwaway site `warmJit` runs: two of the study's 32-host blocks. */
export const JIT_WARMUP_HOSTS = 64;

/**
 * Runs a small site of the same design through warm-up and window, and throws it away, so
 * that V8 has compiled the engine's hot code before the measured run starts. Without it, a
 * small site's window also pays for the compiling (on V8's helper threads, in the process's
 * CPU): at 128 director hosts, four runs each way, 1,148–1,689 CPU ms per simulated second
 * per host cold against 585–790 warm; a 4,096-host window is long enough to hide it. The
 * figure that should stay flat is the cost of simulating, not of compiling once.
 */
function warmJit(design: Design, warmup: string, window: string): void {
  const { topology } = siteTopology(design, { servers: JIT_WARMUP_HOSTS, warmup, duration: window });
  const rep = new Replication(topology, 0);
  rep.advanceTo(rep.endTicks);
}

/** A row with no figures, and why (a generator that refuses the size). */
export function unmeasured(design: Design, hosts: number, note: string): PacketRow {
  return {
    design,
    hosts,
    note,
    flows: null,
    events: null,
    eventsPerSecond: null,
    cpuMicrosPerEvent: null,
    wallPerSimulatedMs: null,
    cpuPerSimulatedMs: null,
    cpuPerSimulatedSecondPerHost: null,
    buildCpuSeconds: null,
    peakRssMiB: null,
    heapBytesPerFlow: null,
  };
}

/** One packet-level measurement in this process. */
export function packetRow(design: Design, hosts: number, warmup: string, window: string): PacketRow {
  let topology: ReturnType<typeof siteTopology>["topology"];
  try {
    topology = siteTopology(design, { servers: hosts, warmup, duration: window }).topology;
  } catch (e) {
    if (e instanceof DesignError) return unmeasured(design, hosts, `generator: ${e.message}`);
    throw e;
  }
  const flows = topology.workloads.reduce(
    (a, w) => a + w.instances.reduce((b, inst) => b + inst.to.nodes.length, 0),
    0,
  );
  warmJit(design, warmup, window);
  collectAll();
  const heap0 = heapUsed();
  const b0 = cpuSeconds();
  const rep = new Replication(topology, 0);
  const buildCpu = cpuSeconds() - b0;
  rep.advanceTo(topology.experiment.warmupTicks);
  // The build's and the warm-up's garbage is collected before the window, not in it: the
  // window measures simulating (its own garbage included), not building.
  gc();
  const e0 = rep.sim.events;
  const t0 = rep.sim.now;
  const c0 = cpuSeconds();
  const w0 = performance.now();
  rep.advanceTo(rep.endTicks);
  const wall = (performance.now() - w0) / 1000;
  const cpu = cpuSeconds() - c0;
  const events = rep.sim.events - e0;
  const simulatedMs = (rep.sim.now - t0) / 1e9;
  collectAll();
  const heapPerFlow = (heapUsed() - heap0) / flows;
  return {
    design,
    hosts,
    note: null,
    flows,
    events,
    eventsPerSecond: events / wall,
    cpuMicrosPerEvent: (cpu / events) * 1e6,
    wallPerSimulatedMs: wall / simulatedMs,
    cpuPerSimulatedMs: cpu / simulatedMs,
    cpuPerSimulatedSecondPerHost: ((cpu / simulatedMs) * 1000) / hosts,
    buildCpuSeconds: buildCpu,
    peakRssMiB: peakRssMiB(),
    heapBytesPerFlow: heapPerFlow,
  };
}

/** One flow-level measurement in this process. */
export function flowRow(hosts: number, design: Design = "mriov"): Omit<FlowRow, "growth" | "nLogNBound"> {
  const { topology } = siteTopology(design, { servers: hosts });
  const c0 = cpuSeconds();
  const net = buildNetwork(topology, new Simulation(), new RandomStreams(topology.experiment.seed, 0), () => {});
  const c1 = cpuSeconds();
  const model = new FlowModel(topology, { network: net });
  const c2 = cpuSeconds();
  const r = model.result();
  const c3 = cpuSeconds();
  return {
    design,
    hosts,
    flows: r.flows,
    ports: net.fabric.ports.length,
    cpu: { build: c1 - c0, flows: c2 - c1, solve: c3 - c2, total: c3 - c0 },
    peakRssMiB: peakRssMiB(),
  };
}

function child<T>(args: readonly string[]): T {
  const out = execFileSync(process.execPath, ["--expose-gc", fileURLToPath(import.meta.url), "--child", ...args], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 1 << 24,
  });
  return JSON.parse(out) as T;
}

export interface ScalingOptions {
  readonly packetSizes: readonly number[];
  readonly flowSizes: readonly number[];
  /** Simulated warm-up and measured window at packet level. */
  readonly warmup: string;
  readonly window: string;
  readonly designs?: readonly Design[];
}

export const SMALL: ScalingOptions = {
  packetSizes: [32, 128, 256],
  flowSizes: [512, 1024],
  warmup: "1ms",
  window: "2ms",
};
export const LARGE: ScalingOptions = {
  packetSizes: [128, 256, 512, 1024, 2048, 4096],
  flowSizes: [512, 1024, 2048, 4096, 8192],
  warmup: "2ms",
  window: "4ms",
};

export function scalingRows(o: ScalingOptions, log: (line: string) => void): { packet: PacketRow[]; flow: FlowRow[] } {
  const packet: PacketRow[] = [];
  for (const design of o.designs ?? DESIGNS) {
    for (const hosts of o.packetSizes) {
      log(`packet level: ${design}, ${hosts} hosts…`);
      const row = child<PacketRow>(["packet", design, String(hosts), o.warmup, o.window]);
      packet.push(row);
      if (row.note !== null) break; // larger sizes are refused too
    }
  }
  const flow: FlowRow[] = [];
  for (const design of o.designs ?? DESIGNS) {
    let prev: FlowRow | undefined;
    for (const hosts of o.flowSizes) {
      log(`flow level: ${design}, ${hosts} hosts…`);
      const row = child<Omit<FlowRow, "growth" | "nLogNBound">>(["flow", String(hosts), design]);
      const growth = prev === undefined ? null : row.cpu.total / prev.cpu.total;
      const nLogNBound =
        prev === undefined ? null : (row.flows / prev.flows) * (Math.log(row.flows) / Math.log(prev.flows));
      prev = { ...row, growth, nLogNBound };
      flow.push(prev);
    }
  }
  return { packet, flow };
}

const fmt = (x: number | null, digits: number): string => (x === null ? "" : x.toFixed(digits));

/** The flatness target: CPU per simulated second per host within 25 % from 128 to 4,096 hosts. */
export const FLATNESS_TARGET = 1.25;
const FLATNESS_FROM = 128;
const FLATNESS_TO = 4096;

/** Per design with two sizes or more: the largest size's CPU per simulated second per host over the smallest's. */
export function flatness(
  rows: readonly PacketRow[],
): Array<{ design: Design; from: number; to: number; growth: number }> {
  const out: Array<{ design: Design; from: number; to: number; growth: number }> = [];
  for (const design of [...new Set(rows.map((r) => r.design))]) {
    const measured = rows.filter((r) => r.design === design && r.cpuPerSimulatedSecondPerHost !== null);
    if (measured.length < 2) continue;
    const small = measured.reduce((a, b) => (b.hosts < a.hosts ? b : a));
    const large = measured.reduce((a, b) => (b.hosts > a.hosts ? b : a));
    out.push({
      design,
      from: small.hosts,
      to: large.hosts,
      growth: large.cpuPerSimulatedSecondPerHost! / small.cpuPerSimulatedSecondPerHost!,
    });
  }
  return out;
}

export function printScaling(rows: { packet: PacketRow[]; flow: FlowRow[] }): void {
  const print = (lines: readonly string[]) => {
    for (const l of lines) console.log(l);
  };
  console.log("packet level (CPU of the whole process; the window after a JIT warm-up and a collection)");
  print(
    table(
      [
        [
          "design",
          "hosts",
          "M events/s",
          "µs CPU/event",
          "wall s/sim ms",
          "CPU ms/sim s/host",
          "build CPU s",
          "peak RSS MiB",
          "heap B/flow",
          "note",
        ],
        ...rows.packet.map((r) => [
          r.design,
          String(r.hosts),
          r.eventsPerSecond === null ? "" : fmt(r.eventsPerSecond / 1e6, 2),
          fmt(r.cpuMicrosPerEvent, 2),
          fmt(r.wallPerSimulatedMs, 2),
          r.cpuPerSimulatedSecondPerHost === null ? "" : fmt(r.cpuPerSimulatedSecondPerHost * 1000, 0),
          fmt(r.buildCpuSeconds, 2),
          fmt(r.peakRssMiB, 0),
          fmt(r.heapBytesPerFlow, 0),
          r.note ?? "",
        ]),
      ],
      1,
    ),
  );
  for (const f of flatness(rows.packet)) {
    // The range: a smaller first site's window is too short to mean anything per host.
    const judged = f.from === FLATNESS_FROM && f.to >= FLATNESS_TO;
    const verdict = judged
      ? `target ≤ ${FLATNESS_TARGET}×: ${f.growth <= FLATNESS_TARGET ? "met" : "missed"}, one run each (on a shared machine see docs/scaling.md)`
      : `the target is judged from ${FLATNESS_FROM} to ${FLATNESS_TO} hosts: npm run bench:scale`;
    console.log(
      `${f.design}: CPU per simulated second per host ${f.growth.toFixed(2)}× from ${f.from} to ${f.to} hosts (${verdict})`,
    );
  }
  console.log("");
  console.log("flow level (CPU s of one evaluation; growth against the n·log n bound)");
  print(
    table(
      [
        [
          "design",
          "hosts",
          "flows",
          "CPU s build",
          "routes+flows",
          "solve",
          "total",
          "peak RSS MiB",
          "CPU × prev",
          "n log n bound",
        ],
        ...rows.flow.map((r) => [
          r.design,
          String(r.hosts),
          String(r.flows),
          fmt(r.cpu.build, 2),
          fmt(r.cpu.flows, 2),
          fmt(r.cpu.solve, 2),
          fmt(r.cpu.total, 2),
          fmt(r.peakRssMiB, 0),
          fmt(r.growth, 2),
          fmt(r.nLogNBound, 2),
        ]),
      ],
      1,
    ),
  );
}

async function main(): Promise<void> {
  const at = process.argv.indexOf("--child");
  if (at >= 0) {
    const [kind, a, b, c, d] = process.argv.slice(at + 1);
    const row = kind === "packet" ? packetRow(a as Design, Number(b), c!, d!) : flowRow(Number(a), b as Design);
    process.stdout.write(JSON.stringify(row));
    return;
  }
  const large = process.argv.includes("--large");
  const rows = scalingRows(large ? LARGE : SMALL, (line) => process.stderr.write(`${line}\n`));
  printScaling(rows);
  const header = { node: process.version, date: new Date().toISOString(), options: large ? LARGE : SMALL };
  writeFileSync(
    new URL("../../bench/scaling.json", import.meta.url),
    `${JSON.stringify({ ...header, ...rows }, null, 2)}\n`,
  );
  process.stderr.write("wrote bench/scaling.json\n");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
