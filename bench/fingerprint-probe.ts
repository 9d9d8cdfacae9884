/**
 * Fingerprints and result hashes of the reference racks and 128-host sites (each design),
 * without and with one shared node failed mid-run: run before and after an engine change
 * to show it changes nothing. `node dist/bench/fingerprint-probe.js [hosts]`.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { DesignError } from "../src/design/index.js";
import { Replication } from "../src/run/replication.js";
import { parseTopology } from "../src/topology/load.js";
import type { Design, ResolvedTopology } from "../src/topology/types.js";
import { sharedNode, siteTopology } from "./site.js";

const hosts = Number(process.argv[2] ?? 128);
const DESIGNS: readonly Design[] = ["traditional", "director", "ucs", "mriov"];

function digest(topo: ResolvedTopology, faults?: ResolvedTopology["faults"]): string {
  const r = new Replication(topo, 0, topo.experiment.seed, faults === undefined ? {} : { faults }).result();
  const h = createHash("sha256")
    .update(JSON.stringify({ ...r, fingerprint: undefined }))
    .digest("hex");
  return `${r.fingerprint} ${h.slice(0, 16)} events=${r.events}`;
}

for (const design of ["traditional", "director", "ucs", "mriov"]) {
  const file = new URL(`../../topologies/${design}-rack.yaml`, import.meta.url);
  const loaded = parseTopology(readFileSync(file, "utf8"), `${design}-rack.yaml`);
  if (!loaded.ok) throw new Error(`${design}-rack does not load`);
  console.log(`rack ${design}: ${digest(loaded.topology)}`);
}
for (const design of DESIGNS) {
  let topology: ResolvedTopology;
  try {
    topology = siteTopology(design, { servers: hosts, duration: "4ms", warmup: "1ms" }).topology;
  } catch (e) {
    if (!(e instanceof DesignError)) throw e;
    console.log(`site ${design} ${hosts}: refused (${e.message})`);
    continue;
  }
  console.log(`site ${design} ${hosts}: ${digest(topology)}`);
  const node = sharedNode(topology);
  const faults = [{ atTicks: 2e9, action: "fail" as const, target: { kind: "node" as const, node } }];
  console.log(`site ${design} ${hosts} fail ${node}: ${digest(topology, faults)}`);
}
