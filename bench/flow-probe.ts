/**
 * One flow-level evaluation of a site (MR-IOV unless a design is given): CPU per phase (network build, flows and
 * routes, solve), peak RSS and a hash of the result, to compare an engine change's
 * answers and cost. `node dist/bench/flow-probe.js [hosts] [design]`.
 */
import { createHash } from "node:crypto";
import { RandomStreams } from "../sim/random.js";
import { Simulation } from "../sim/simulation.js";
import { FlowModel } from "../src/flow/index.js";
import { buildNetwork } from "../src/network/build.js";
import type { Design } from "../src/topology/types.js";
import { siteTopology } from "./site.js";

const n = Number(process.argv[2] ?? 128);
const design = (process.argv[3] ?? "mriov") as Design;
const { topology } = siteTopology(design, { servers: n });
const cpu = (): number => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1e6;
};
const c0 = cpu();
const net = buildNetwork(topology, new Simulation(), new RandomStreams(topology.experiment.seed, 0), () => {});
const c1 = cpu();
const m = new FlowModel(topology, { network: net });
const c2 = cpu();
const r = m.result();
const c3 = cpu();
if (process.env.DUMP)
  (await import("node:fs")).writeFileSync(
    process.env.DUMP,
    JSON.stringify({ ...r, wallSeconds: 0, phases: null }, null, 1),
  );
console.log(
  JSON.stringify({
    n,
    design,
    cpu: {
      build: +(c1 - c0).toFixed(3),
      flows: +(c2 - c1).toFixed(3),
      solve: +(c3 - c2).toFixed(3),
      total: +(c3 - c0).toFixed(3),
    },
    flows: r.flows,
    hash: createHash("sha256")
      .update(JSON.stringify({ ...r, wallSeconds: 0, phases: null }))
      .digest("hex")
      .slice(0, 16),
    rssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
