/**
 * Reference-rack benchmarks: each `topologies/<design>-rack.yaml` at its
 * reference load, one replication, median of 3 runs: kernel events/s,
 * transfers delivered per wall second, and simulated seconds per wall second.
 */
import { readFile } from "node:fs/promises";
import { Replication } from "../src/run/replication.js";
import { parseTopology } from "../src/topology/load.js";
import type { ResolvedTopology } from "../src/topology/types.js";
import { median } from "./median.js";

export interface RackRow {
  name: string;
  eventsPerSecond: number;
  transfersPerSecond: number;
  simulatedSecondsPerWallSecond: number;
  events: number;
}

const DESIGNS = ["traditional", "director", "ucs", "mriov"] as const;
const RUNS = 3;

export async function rackRows(log: (line: string) => void): Promise<RackRow[]> {
  const rows: RackRow[] = [];
  for (const design of DESIGNS) {
    const file = new URL(`../../topologies/${design}-rack.yaml`, import.meta.url);
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch {
      log(`skipping ${design}-rack.yaml (not found)`);
      continue;
    }
    const loaded = parseTopology(text, `${design}-rack.yaml`);
    if (!loaded.ok) throw new Error(`${design}-rack.yaml does not load`);
    log(`${design} rack…`);
    const runs: Array<{ eps: number; tps: number; sps: number; events: number }> = [];
    for (let i = 0; i <= RUNS; i++) {
      const t0 = performance.now();
      const rep = new Replication(loaded.topology, 0);
      rep.advanceTo(rep.endTicks);
      const wall = (performance.now() - t0) / 1000;
      if (i === 0) continue; // warm-up run: JIT
      runs.push({
        eps: rep.sim.events / wall,
        tps: rep.net.fabric.delivered / wall,
        sps: rep.sim.now / 1e12 / wall,
        events: rep.sim.events,
      });
    }
    rows.push({
      name: `${design}-rack`,
      eventsPerSecond: median(runs.map((r) => r.eps)),
      transfersPerSecond: median(runs.map((r) => r.tps)),
      simulatedSecondsPerWallSecond: median(runs.map((r) => r.sps)),
      events: runs[0]!.events,
    });
  }
  return rows;
}

/** What a variant changes in a rack's resolved topology. */
type Variant = { name: string; apply: (t: ResolvedTopology) => ResolvedTopology };

/** Classes off: no Ethernet traffic classes (links as before), no InfiniBand VLs. */
const NO_CLASSES: Variant = {
  name: "no classes",
  apply: (t) => ({ ...t, qos: { ...t.qos, system: null, classes: [], infiniband: null } }),
};
const AS_IS: Variant = { name: "as is", apply: (t) => t };
/** Message workloads over TCP instead of open loop. */
const TCP_MESSAGES: Variant = {
  name: "messages over TCP",
  apply: (t) => ({
    ...t,
    workloads: t.workloads.map((w) => (w.unit === "message" && w.pattern !== "bulk" ? { ...w, transport: "tcp" } : w)),
  }),
};

export interface RackCostRow {
  rack: string;
  variant: string;
  /** Events per CPU second (median over rounds). */
  eventsPerSecond: number;
  events: number;
  /** Median over rounds of (this variant's events/s) / (the "no classes" variant's events/s). */
  ratioToNoClasses: number;
}

/**
 * The cost of traffic classes (DCB, InfiniBand VLs) and of TCP for message workloads:
 * each reference rack with classes off, as published (classes on where the design has
 * them; bulk flows over TCP) and with message workloads over TCP, in alternating rounds
 * (one run of each per round, after a warm-up round), events per CPU second as the median over rounds.
 */
export async function rackCostRows(log: (line: string) => void, rounds = 3): Promise<RackCostRow[]> {
  const rows: RackCostRow[] = [];
  const variants = [NO_CLASSES, AS_IS, TCP_MESSAGES];
  for (const design of DESIGNS) {
    const file = new URL(`../../topologies/${design}-rack.yaml`, import.meta.url);
    const loaded = parseTopology(await readFile(file, "utf8"), `${design}-rack.yaml`);
    if (!loaded.ok) throw new Error(`${design}-rack.yaml does not load`);
    log(`${design} rack: classes and TCP…`);
    const rates = variants.map(() => [] as number[]);
    const events = variants.map(() => 0);
    for (let round = 0; round <= rounds; round++) {
      variants.forEach((v, i) => {
        const topo = v.apply(loaded.topology);
        // CPU time, not wall time: the machine may be shared (one thread here, so the process's CPU is the run's).
        const c0 = process.cpuUsage();
        const rep = new Replication(topo, 0);
        rep.advanceTo(rep.endTicks);
        const c = process.cpuUsage(c0);
        const cpu = (c.user + c.system) / 1e6;
        events[i] = rep.sim.events;
        if (round > 0) rates[i]!.push(rep.sim.events / cpu);
      });
    }
    variants.forEach((v, i) => {
      rows.push({
        rack: `${design}-rack`,
        variant: v.name,
        eventsPerSecond: median(rates[i]!),
        events: events[i]!,
        ratioToNoClasses: median(rates[i]!.map((r, k) => r / rates[0]![k]!)),
      });
    });
  }
  return rows;
}
