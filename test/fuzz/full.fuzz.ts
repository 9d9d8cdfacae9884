import { availableParallelism } from "node:os";
import { expect, it } from "vitest";
import { formatCounts, formatReport, fuzz } from "./summary.js";
import { BAD } from "./verdict.js";

// `npm run fuzz`: FUZZ_CASES cases (default 100,000) from FUZZ_SEED (default 15) on FUZZ_WORKERS
// worker threads (default: one per core), through the compiled CLI commands. Prints the counts
// per outcome as it goes (each hundredth), then the time and the peak resident set; fails if any
// case was bad.
const cases = Number(process.env.FUZZ_CASES ?? 100_000);
const seed = Number(process.env.FUZZ_SEED ?? 15);
const workers = Number(process.env.FUZZ_WORKERS ?? availableParallelism());

it(`fuzzes ${cases.toLocaleString("en-US")} cases: every one refused cleanly or run with every message accounted for`, async () => {
  const step = Math.max(1, Math.round(cases / 100));
  const started = performance.now();
  const report = await fuzz(
    cases,
    seed,
    { workers, hangSeconds: 120, heapMb: 1024 },
    (done, counts, rss) => {
      if (done % step !== 0) return;
      const s = ((performance.now() - started) / 1000).toFixed(0);
      const of = `${done.toLocaleString("en-US")} of ${cases.toLocaleString("en-US")}`;
      process.stderr.write(`fuzz: ${of} in ${s} s: ${formatCounts(counts, rss)}\n`);
    },
    (c, verdict, why) => {
      // A bad case as soon as it is found (the report repeats the first 20 at the end).
      process.stderr.write(
        `fuzz: ✗ case ${c.id} (${c.seed}, ${c.command}): ${verdict}: ${why}\n  mutations: ${c.mutations.join("; ").slice(0, 300)}\n`,
      );
    },
  );
  process.stdout.write(formatReport(report));
  expect(BAD.filter((v) => report.counts[v] > 0)).toEqual([]);
}, 86_400_000);
