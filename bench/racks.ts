/**
 * Reference-rack benchmarks: each `topologies/<design>-rack.yaml` at its
 * reference load, one replication, median of 3 runs: kernel events/s,
 * transfers delivered per wall second, and simulated seconds per wall second.
 */
import { readFile } from "node:fs/promises";
import { Replication } from "../src/run/replication.js";
import { parseTopology } from "../src/topology/load.js";
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
