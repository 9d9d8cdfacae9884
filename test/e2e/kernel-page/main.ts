/**
 * The kernel in a browser: runs two queueing examples on load and prints the
 * results as JSON in `<pre id="result">`, then sets `data-done` on <body>
 * ("1", or "error" with the stack in the <pre>). Only `sim/` and `examples/`
 * are imported, no Node APIs. `test/e2e/kernel.e2e.test.ts` replays the same
 * calls in Node and requires identical fingerprints and means.
 */
import type { QueueingOptions } from "../../../examples/queueing.js";
import { queueingCases, simulateQueue } from "../../../examples/queueing.js";

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
  if (out) out.textContent = JSON.stringify({ runs }, null, 2);
  document.body.dataset.done = "1";
} catch (err) {
  if (out) out.textContent = err instanceof Error ? (err.stack ?? err.message) : String(err);
  document.body.dataset.done = "error";
  throw err;
}
