/**
 * Runs a number of generated cases through the pool and tallies the verdicts:
 * counts per outcome, the bad cases with what was done to them, time, peak RSS.
 */

import fc from "fast-check";
import { type FuzzCase, fuzzCase } from "./cases.js";
import { FuzzPool, type PoolOptions } from "./pool.js";
import { BAD, GOOD, judge, type Verdict } from "./verdict.js";

export interface FuzzReport {
  readonly cases: number;
  readonly seed: number;
  readonly counts: Readonly<Record<Verdict, number>>;
  /** The first bad cases (at most 20), with the case and why. */
  readonly failures: readonly { readonly c: FuzzCase; readonly verdict: Verdict; readonly why: string }[];
  readonly seconds: number;
  readonly peakRssMb: number;
  /** Slowest case, milliseconds, and what it was. */
  readonly slowestMs: number;
  readonly slowest: FuzzCase | null;
  /** Cases per command, and their total milliseconds. */
  readonly commands: Readonly<Record<string, number>>;
  readonly commandMs: Readonly<Record<string, number>>;
}

/** `count` cases from `seed`, generated lazily (100,000 texts are not held at once). */
function* generate(count: number, seed: number): Generator<FuzzCase> {
  const chunk = 500;
  for (let from = 0; from < count; from += chunk) {
    const n = Math.min(chunk, count - from);
    const batch = fc.sample(fuzzCase, { numRuns: n, seed: seed + from });
    for (let i = 0; i < n; i++) yield { id: from + i, ...batch[i]! };
  }
}

/** Counts so far, for progress lines: "refused (3) 812, ran (0/1) 140, …; bad 0; peak RSS 380 MB". */
export function formatCounts(counts: Readonly<Record<Verdict, number>>, peakRssMb: number): string {
  const parts = [...GOOD, ...BAD].filter((v) => counts[v] > 0).map((v) => `${v} ${counts[v].toLocaleString("en-US")}`);
  const bad = BAD.reduce((n, v) => n + counts[v], 0);
  return `${parts.join(", ")}; bad ${bad}; peak RSS ${peakRssMb.toFixed(0)} MB`;
}

export async function fuzz(
  count: number,
  seed: number,
  options: PoolOptions,
  progress?: (done: number, counts: Readonly<Record<Verdict, number>>, peakRssMb: number) => void,
  onBad?: (c: FuzzCase, verdict: Verdict, why: string) => void,
): Promise<FuzzReport> {
  const counts = Object.fromEntries([...GOOD, ...BAD].map((v) => [v, 0])) as Record<Verdict, number>;
  const commands: Record<string, number> = {};
  const commandMs: Record<string, number> = {};
  const failures: { c: FuzzCase; verdict: Verdict; why: string }[] = [];
  const pool = new FuzzPool(options);
  const started = performance.now();
  let slowestMs = 0;
  let slowest: FuzzCase | null = null;
  let done = 0;
  await pool.run(generate(count, seed), (c, r) => {
    commands[c.command] = (commands[c.command] ?? 0) + 1;
    const judged = r.kind === "done" ? judge(c, r.outcome) : { verdict: r.kind, why: `after ${Math.round(r.ms)} ms` };
    if (r.kind === "done") commandMs[c.command] = (commandMs[c.command] ?? 0) + r.outcome.ms;
    if (r.kind === "done" && r.outcome.ms > slowestMs) {
      slowestMs = r.outcome.ms;
      slowest = c;
    }
    counts[judged.verdict]++;
    if (judged.why !== null && failures.length < 20) onBad?.(c, judged.verdict, judged.why);
    if (judged.why !== null && failures.length < 20) failures.push({ c, verdict: judged.verdict, why: judged.why });
    done++;
    progress?.(done, counts, pool.peakRss / 2 ** 20);
  });
  return {
    cases: count,
    seed,
    counts,
    failures,
    seconds: (performance.now() - started) / 1000,
    peakRssMb: pool.peakRss / 2 ** 20,
    slowestMs,
    slowest,
    commands,
    commandMs,
  };
}

/** The report as text: one line per outcome, then the failures. */
export function formatReport(r: FuzzReport): string {
  const lines = [
    `iovsim fuzz: ${r.cases.toLocaleString("en-US")} cases (seed ${r.seed}) in ${r.seconds.toFixed(0)} s; peak RSS ${r.peakRssMb.toFixed(0)} MB; slowest case ${(r.slowestMs / 1000).toFixed(1)} s`,
    `  commands: ${Object.entries(r.commands)
      .map(([k, v]) => `${k} ${v.toLocaleString("en-US")} (mean ${Math.round((r.commandMs[k] ?? 0) / v)} ms)`)
      .join(", ")}`,
  ];
  if (r.slowest !== null)
    lines.push(
      `  slowest: case ${r.slowest.id} (${r.slowest.seed}, ${r.slowest.command}): ${r.slowest.mutations.join("; ").slice(0, 200)}`,
    );
  for (const v of [...GOOD, ...BAD]) lines.push(`  ${v.padEnd(26)} ${r.counts[v].toLocaleString("en-US").padStart(9)}`);
  for (const f of r.failures) {
    lines.push(`  ✗ case ${f.c.id} (${f.c.seed}, ${f.c.command}): ${f.verdict}: ${f.why}`);
    lines.push(`    mutations: ${f.c.mutations.join("; ").slice(0, 300)}`);
  }
  return `${lines.join("\n")}\n`;
}
