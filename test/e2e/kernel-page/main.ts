/**
 * The kernel in a browser: runs two queueing examples on load and prints the
 * results as JSON in `<pre id="result">`, then sets `data-done` on <body>
 * ("1", or "error" with the stack in the <pre>). It also loads the UCS reference
 * rack from its YAML and runs one packet-level replication (the topology loader,
 * fabric, workloads and metrics: everything `iovsim run` does but reading files).
 * No Node APIs. `test/e2e/kernel.e2e.test.ts` replays the same
 * calls in Node and requires identical fingerprints and means.
 */
import type { QueueingOptions } from "../../../examples/queueing.js";
import { queueingCases, simulateQueue } from "../../../examples/queueing.js";
import { aggregate } from "../../../src/run/aggregate.js";
import { Replication } from "../../../src/run/replication.js";
import { parseTopology } from "../../../src/topology/load.js";
import ucsRack from "../../../topologies/ucs-rack.yaml?raw";

// The root tsconfig type-checks this file with Node types and no DOM lib. Declare
// the little of the browser used here rather than add DOM to the whole program
// (and so that it also checks under sim/tsconfig.json, which has no Node types).
declare const document: {
  getElementById(id: string): { textContent: string | null } | null;
  body: { dataset: Record<string, string | undefined> };
};
declare const performance: { now(): number };

const RUNS: { name: string; options: QueueingOptions }[] = [
  { name: "M/M/1 rho=0.5", options: { seed: 3, customers: 20_000, warmup: 100 } },
  { name: "M/M/1 rho=0.9", options: { seed: 11, customers: 50_000, warmup: 1_000 } },
];

const out = document.getElementById("result");
try {
  const cases = queueingCases();
  const runs = RUNS.map(({ name, options }) => {
    const qc = cases.find((c) => c.name === name);
    if (qc === undefined) throw new Error(`no queueing case named ${name}`);
    const t0 = performance.now();
    const result = simulateQueue(qc, options);
    return { name, options, result, elapsedMs: performance.now() - t0 };
  });
  const loaded = parseTopology(ucsRack, "ucs-rack.yaml");
  if (!loaded.ok) throw new Error(`ucs-rack.yaml: ${JSON.stringify(loaded.issues)}`);
  // wallSeconds is the one field allowed to differ between engines.
  const rack = aggregate(loaded.topology, [new Replication(loaded.topology, 0).result()], 0);
  if (out) out.textContent = JSON.stringify({ runs, rack }, null, 2);
  document.body.dataset.done = "1";
} catch (err) {
  if (out) out.textContent = err instanceof Error ? (err.stack ?? err.message) : String(err);
  document.body.dataset.done = "error";
  throw err;
}
