/**
 * What one candidate of a site-size search costs to build, ship and hold (issue 12: the planner's
 * memory at 512–1,000 servers): `node dist/bench/answer-probe.js 512 ucs` prints, for the design's
 * first buildable combination at that site size, the YAML's length, the shipped candidate and its
 * flow-level answer as serialized between threads (v8.serialize), and the CPU seconds of the build
 * and of the flow-level evaluation with the single-failure check.
 */
import { serialize } from "node:v8";
import { loadCatalog } from "../src/catalog/read-files.js";
import { combinations, shipCandidate } from "../src/planner/candidates.js";
import { flowEntry } from "../src/planner/evaluator.js";
import type { Design } from "../src/topology/types.js";
import { firstCandidate, scaledStudy } from "./site.js";
import { processCpuSeconds as cpu } from "./thread-cpu.js";

const [n = "512", design = "ucs"] = process.argv.slice(2) as [string?, Design?];
const catalog = await loadCatalog([]);
if (!catalog.ok) throw new Error("the built-in catalog does not parse");
const site = scaledStudy(Number(n));
const combos = combinations(site, design);
const t0 = cpu();
const c = firstCandidate(site, design, catalog.catalog, combos);
const t1 = cpu();
const entry = flowEntry(c.topo, true, "busiest-per-kind");
const t2 = cpu();
const kib = (x: unknown) => (serialize(x).length / 1024).toFixed(1);
console.log(
  `${n} servers ${design}: ${combos.length} combinations; yaml ${c.yaml.length} chars; shipped candidate ${kib(shipCandidate(c))} KiB (bom ${kib(c.bom)} KiB); flow answer ${kib(entry)} KiB; build ${(t1 - t0).toFixed(2)} CPU s, flow ${(t2 - t1).toFixed(2)} CPU s`,
);
