/**
 * Scaling tables (issue 16): how packet level and flow level grow with the site.
 *
 * Sites are the built-in study's 32-host block repeated (bench/site.ts), expanded by each
 * design's generator; a design whose generator refuses a size gets a row saying so. Each
 * measurement runs in a Node process of its own (a fresh heap: its RSS is its own).
 *
 * Packet level, per (design, hosts): after a throwaway run of a small site of the same design
 * (the JIT's compiling out of the window), build the replication, run the warm-up, collect
 * the garbage, then time the measured window: events/s, µs CPU per event (of the process and of
 * its main thread), the work per host (events per simulated ms per host), wall and CPU per
 * simulated ms, CPU per simulated second per host, peak RSS, and the heap per flow (a flow: one
 * workload instance and target). The sites are provisioned so that every size does the same
 * work per host (`PACKET_SITE`), and flatness is judged on the main thread's CPU per event
 * (`FLATNESS_TARGET`, bench/scaling-report.ts). CPU figures are the ones to trust on a shared
 * machine; wall times move with its load.
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
import { Replication } from "../src/run/replication.js";
import type { Design } from "../src/topology/types.js";
import { printScaling } from "./scaling-report.js";
import { type FlowRow, type PacketRow, unmeasured } from "./scaling-rows.js";
import { siteTopology } from "./site.js";
import { processCpuSeconds as cpuSeconds, elapsed, threadCpuSeconds } from "./thread-cpu.js";

export const DESIGNS: readonly Design[] = ["traditional", "director", "ucs", "mriov"];

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

/**
 * The packet-level sites: a quarter of the study's load, backups at a fixed rate, the SAN
 * scaled with the site (bench/site.ts), so that no shared uplink, ISL or array port saturates up
 * to 4,096 hosts and every size does the same work per host (the "work" column shows it). With
 * the study's full load and bulk backups the large sites saturate, and their work per host falls
 * to half of a small site's and less (docs/scaling.md).
 */
export const PACKET_SITE = { load: 0.25, elastic: false, scaledSan: true } as const;

/** Hosts of the throwaway site `warmJit` runs: two of the study's 32-host blocks. */
export const JIT_WARMUP_HOSTS = 64;
/**
 * Its window: fixed, not the measured one. A throwaway run as long as a small site's 32 ms
 * window left more on the heap than the measured run did (a first run's leftovers, ~4 MB, go
 * only in later collections), and the 32-host row's heap per flow came out at −6 KB in 3 of 4 runs.
 */
const JIT_WARMUP_WINDOW = "4ms";

/**
 * Runs a small site of the same design through warm-up and a short window, and throws it away, so
 * that V8 has compiled the engine's hot code before the measured run starts. Without it, a
 * small site's window also pays for the compiling (on V8's helper threads, in the process's
 * CPU): at 128 director hosts, four runs each way, 1,148–1,689 CPU ms per simulated second
 * per host cold against 585–790 warm; a 4,096-host window is long enough to hide it. The
 * figure that should stay flat is the cost of simulating, not of compiling once.
 */
function warmJit(design: Design, warmup: string): void {
  const { topology } = siteTopology(design, {
    ...PACKET_SITE,
    servers: JIT_WARMUP_HOSTS,
    warmup,
    duration: JIT_WARMUP_WINDOW,
  });
  const rep = new Replication(topology, 0);
  rep.advanceTo(rep.endTicks);
}

/**
 * One packet-level measurement in this process. `active`: the hosts that run workloads (default
 * all; see `SiteOptions.active`); the per-host figures are per active host.
 */
export function packetRow(design: Design, hosts: number, warmup: string, window: string, active = hosts): PacketRow {
  let topology: ReturnType<typeof siteTopology>["topology"];
  try {
    topology = siteTopology(design, { ...PACKET_SITE, servers: hosts, active, warmup, duration: window }).topology;
  } catch (e) {
    if (e instanceof DesignError) return unmeasured(design, hosts, `generator: ${e.message}`);
    throw e;
  }
  const flows = topology.workloads.reduce(
    (a, w) => a + w.instances.reduce((b, inst) => b + inst.to.nodes.length, 0),
    0,
  );
  warmJit(design, warmup);
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
  const m0 = threadCpuSeconds();
  const w0 = performance.now();
  rep.advanceTo(rep.endTicks);
  const wall = (performance.now() - w0) / 1000;
  const cpu = cpuSeconds() - c0;
  const mainCpu = elapsed(m0, threadCpuSeconds());
  const events = rep.sim.events - e0;
  const simulatedMs = (rep.sim.now - t0) / 1e9;
  const pendingEvents = rep.sim.pending;
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
    cpuPerSimulatedSecondPerHost: ((cpu / simulatedMs) * 1000) / active,
    mainCpuMicrosPerEvent: mainCpu === null ? null : (mainCpu / events) * 1e6,
    eventsPerSimulatedMsPerHost: events / simulatedMs / active,
    buildCpuSeconds: buildCpu,
    peakRssMiB: peakRssMiB(),
    heapBytesPerFlow: heapPerFlow,
    pendingEvents,
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
  /** Simulated warm-up at packet level. */
  readonly warmup: string;
  /** Simulated ms of the measured window at packet level from 1,024 hosts up (smaller sites: `windowAt`). */
  readonly windowMs: number;
  readonly designs?: readonly Design[];
}

/**
 * The measured window at `hosts`: `windowMs` from 1,024 hosts up, and 1,024 / hosts times
 * longer below (at most 16 times), so that a small site's window holds about as many events as
 * a 1,024-host one's. At 128 hosts and the same window as 4,096 it held 0.1–0.2 CPU s, and two
 * runs of the same code differed by up to 2× in CPU per event.
 */
export function windowAt(windowMs: number, hosts: number): string {
  return `${windowMs * Math.min(16, Math.max(1, 1024 / hosts))}ms`;
}

export const SMALL: ScalingOptions = {
  packetSizes: [32, 128, 256],
  flowSizes: [512, 1024],
  warmup: "1ms",
  windowMs: 2,
};
export const LARGE: ScalingOptions = {
  packetSizes: [128, 256, 512, 1024, 2048, 4096],
  flowSizes: [512, 1024, 2048, 4096, 8192],
  warmup: "2ms",
  windowMs: 8,
};

export function scalingRows(o: ScalingOptions, log: (line: string) => void): { packet: PacketRow[]; flow: FlowRow[] } {
  const packet: PacketRow[] = [];
  for (const design of o.designs ?? DESIGNS) {
    for (const hosts of o.packetSizes) {
      log(`packet level: ${design}, ${hosts} hosts…`);
      const row = child<PacketRow>(["packet", design, String(hosts), o.warmup, windowAt(o.windowMs, hosts)]);
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
