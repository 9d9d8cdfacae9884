import { flowSurvive } from "../src/planner/survive.js";
import { siteTopology } from "./site.js";
import { processCpuSeconds as cpu } from "./thread-cpu.js";

const n = Number(process.argv[2] ?? 128);
const { topology } = siteTopology("mriov", { servers: n });
const c0 = cpu();
const r = flowSurvive(topology);
console.log(
  JSON.stringify({
    n,
    cpu: +(cpu() - c0).toFixed(2),
    components: r.components,
    reasons: r.reasons.length,
    rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20),
  }),
);
