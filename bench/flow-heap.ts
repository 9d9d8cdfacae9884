/**
 * Heap per flow and per port at packet level (issue 16 item 1: ≤ 1 KB per host-flow).
 *
 * The scaling table's "heap B/flow" divides the whole heap (ports, schedulers, link pipes:
 * per port, not per flow) by the flows. This tool separates the two: on one fabric (a site
 * of `hosts` hosts of `design`) it keeps a fraction of each workload's instances (the
 * first ⌈f·n⌉; the fabric is built from the nodes, so its ports stay the same) and fits
 * heap = fabric + flows × marginal over the fractions. A flow: one workload instance and
 * one target.
 *
 * Three states, each the median of `repeat` builds in this process (after the current task,
 * `gc()` twice; heap = V8 heap used + array buffers, less the process's before any build):
 * - `build`: the replication built, before its first event;
 * - `routed`: and every flow's routes looked up (what its first message does; the way back
 *   of I/O and TCP flows too, as their first I/O or ACK does);
 * - `window`: and run for `window` of simulated time from there (queues light where the
 *   offered load fits; the transfers in flight at its end are reported).
 *
 * `node --expose-gc dist/bench/flow-heap.js DESIGN HOSTS [fractions=0,0.5,1] [window=0.2ms] [repeat=3]`
 * prints one JSON object.
 */
import { fileURLToPath } from "node:url";
import { parseTime } from "../sim/units.js";
import { Replication } from "../src/run/replication.js";
import type { Design, ResolvedTopology } from "../src/topology/types.js";
import { median } from "./median.js";
import { siteTopology } from "./site.js";

export type HeapState = "build" | "routed" | "window";

export interface HeapPoint {
  fraction: number;
  instances: number;
  flows: number;
  /** Median heap bytes above the empty process, per state. */
  heap: Record<HeapState, number>;
  /** Transfers in the fabric at the end of the window (last of the repeats). */
  inFlightTransfers: number;
}

export interface HeapSplit {
  design: Design;
  hosts: number;
  ports: number;
  points: HeapPoint[];
  /** Least-squares fit heap = fabric + flows × perFlow, per state. */
  fit: Record<HeapState, { fabricBytes: number; bytesPerPort: number; bytesPerFlow: number }>;
}

/** Heap in use (V8 heap and array buffers) once garbage is collected, after the current task. */
async function settledHeap(): Promise<number> {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g === undefined) throw new Error("flow-heap: run node with --expose-gc");
  await new Promise((resolve) => setImmediate(resolve));
  g();
  g();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** The topology with each workload's instances cut to its first ⌈fraction · n⌉. */
export function withFraction(topo: ResolvedTopology, fraction: number): ResolvedTopology {
  return {
    ...topo,
    workloads: topo.workloads.map((w) => ({
      ...w,
      instances: w.instances.slice(0, Math.ceil(fraction * w.instances.length)),
    })),
  } as ResolvedTopology;
}

export function flowCount(topo: ResolvedTopology): number {
  return topo.workloads.reduce((a, w) => a + w.instances.reduce((b, i) => b + i.to.nodes.length, 0), 0);
}

/**
 * Looks every flow's routes up as a run does: the way out at its first message, the way
 * back too for storage I/O (its data and status) and TCP (its ACKs' delay); open-loop
 * message flows never build theirs.
 */
function routeAll(rep: Replication, topo: ResolvedTopology): void {
  let source = 0;
  for (const w of topo.workloads) {
    for (const inst of w.instances) {
      const back = rep.transport.kindOf(source) !== "udp";
      for (let t = 0; t < inst.to.nodes.length; t++) {
        const r = rep.transport.routeOf(source, t);
        if (back) r?.reverse;
      }
      source++;
    }
  }
}

function lineFit(xs: readonly number[], ys: readonly number[]): { a: number; b: number } {
  const n = xs.length;
  const mx = xs.reduce((s, x) => s + x, 0) / n;
  const my = ys.reduce((s, y) => s + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
  }
  const b = sxx === 0 ? 0 : sxy / sxx;
  return { a: my - b * mx, b };
}

export async function heapSplit(
  design: Design,
  hosts: number,
  fractions: readonly number[],
  windowTicks: number,
  repeat: number,
): Promise<HeapSplit> {
  const site = siteTopology(design, { servers: hosts, warmup: "1ms", duration: "10ms" }).topology;
  // One base for every point, read once before any run: a replication that has run stays
  // reachable (from V8's compiled code, it seems) until the next one is built, so a base read
  // between two builds is one replication too high, while a reading after a build is not.
  new Replication(site, 0);
  const base = await settledHeap();
  const points: HeapPoint[] = [];
  let ports = 0;
  for (const fraction of fractions) {
    const topo = withFraction(site, fraction);
    const samples: Record<HeapState, number[]> = { build: [], routed: [], window: [] };
    let inFlightTransfers = 0;
    for (let r = 0; r < repeat; r++) {
      let rep: Replication | null = new Replication(topo, 0);
      samples.build.push((await settledHeap()) - base);
      routeAll(rep, topo);
      samples.routed.push((await settledHeap()) - base);
      rep.advanceTo(windowTicks);
      samples.window.push((await settledHeap()) - base);
      ports = rep.net.fabric.ports.length;
      inFlightTransfers = 0;
      rep.net.fabric.forEachTransferInFlight(() => inFlightTransfers++);
      rep = null;
    }
    points.push({
      fraction,
      instances: topo.workloads.reduce((a, w) => a + w.instances.length, 0),
      flows: flowCount(topo),
      heap: { build: median(samples.build), routed: median(samples.routed), window: median(samples.window) },
      inFlightTransfers,
    });
  }
  const states: HeapState[] = ["build", "routed", "window"];
  const fits = Object.fromEntries(
    states.map((s) => {
      const { a, b } = lineFit(
        points.map((p) => p.flows),
        points.map((p) => p.heap[s]),
      );
      return [s, { fabricBytes: a, bytesPerPort: a / ports, bytesPerFlow: b }];
    }),
  ) as HeapSplit["fit"];
  return { design, hosts, ports, points, fit: fits };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [design, hosts, fractions, window, repeat] = process.argv.slice(2);
  const row = await heapSplit(
    (design ?? "mriov") as Design,
    Number(hosts ?? 128),
    (fractions ?? "0,0.5,1").split(",").map(Number),
    parseTime(window ?? "0.2ms"),
    Number(repeat ?? 3),
  );
  process.stdout.write(`${JSON.stringify(row)}\n`);
}
