/**
 * Hand-run throughput check (not a test): kernel events per wall-clock second on saturated
 * paths. Transfers are recycled on delivery, so the run allocates nothing per event.
 *
 *   npx tsc test/src/fabric/saturated-path.manual.ts --outDir /tmp/fabric-bench --rootDir . \
 *     --module nodenext --target es2022 --skipLibCheck --types node --ignoreConfig && node /tmp/fabric-bench/test/src/fabric/saturated-path.manual.js
 */
import { Simulation } from "../../../sim/simulation.js";
import { Fabric, type FlowControl, Node, SwitchNode, Transfer } from "../../../src/fabric/index.js";
import { linkProtocol } from "../../../src/link/catalog.js";

const MS = 1_000_000_000;

/** `hosts` hosts → one switch → `hosts` sinks over 10GbE, each host keeping `window` transfers in flight. */
export function saturatedPaths(hosts: number, flowControl: FlowControl, simulatedMs: number, window = 32) {
  const sim = new Simulation({ initialCapacity: 4096 });
  const fabric = new Fabric(sim);
  const sw = fabric.addNode(new SwitchNode("tor", { latencyTicks: 300_000, forwarding: "cut-through" }));
  const link = { protocol: linkProtocol("eth-10g"), flowControl, peerBufferBytes: 64_000, propagationTicks: 10_000 };
  for (let h = 0; h < hosts; h++) {
    fabric.addNode(new Node(`host${h}`));
    fabric.addNode(new Node(`sink${h}`));
    fabric.connect(`host${h}:p`, `${sw.name}:h${h}`, link);
    fabric.connect(`${sw.name}:s${h}`, `sink${h}:p`, link);
  }
  fabric.onDeliver = (t) => fabric.inject(t);
  for (let h = 0; h < hosts; h++) {
    const route = fabric.route([`host${h}:p`, `tor:s${h}`]);
    for (let i = 0; i < window; i++) fabric.inject(new Transfer(null, 1500, route));
  }
  sim.run({ until: 1 * MS }); // warm-up: JIT and steady state
  const events0 = sim.events;
  const t0 = performance.now();
  sim.run({ until: (1 + simulatedMs) * MS });
  const wall = (performance.now() - t0) / 1000;
  const events = sim.events - events0;
  return { hosts, flowControl, events, wallSeconds: wall, eventsPerSecond: events / wall, delivered: fabric.delivered };
}

const isMain = typeof process !== "undefined" && process.argv[1]?.endsWith("saturated-path.manual.js");
if (isMain) {
  for (const [hosts, fc, ms] of [
    [1, "none", 4000],
    [1, "credit", 3000],
    [32, "none", 150],
    [32, "credit", 150],
    [32, "pfc", 150],
  ] as const) {
    const r = saturatedPaths(hosts, fc, ms);
    console.log(
      `${String(hosts).padStart(2)} host(s), ${fc.padEnd(6)}: ${(r.eventsPerSecond / 1e6).toFixed(2)} M events/s ` +
        `(${r.events} events in ${r.wallSeconds.toFixed(2)} s)`,
    );
  }
}
