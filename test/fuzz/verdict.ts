/**
 * What a fuzz case's outcome means. Acceptable:
 * - refused: exit 3 (invalid input) or 4 (a size limit), one `file:line:col path: message`
 *   line per problem and a closing "N problems; nothing written" line, nothing on stdout,
 *   nothing written;
 * - usage: exit 2 (a command-line mistake; the fuzzer's arguments are fixed, so rare);
 * - ran: exit 0 or 1 with a result whose every workload conserves its messages
 *   (sent = delivered + dropped + inFlight), or the command's own output (validate, expand, bom);
 * - partial: exit 4 with a result labelled `partial` that conserves too.
 * Everything else is a failure: a crash (an exception, "internal error", a stack trace),
 * a malformed refusal, something written on refusal, a broken balance, nonsense accepted
 * (a reserved key or a self-loop), a hang or running out of memory (the pool's watchdog).
 */

import type { FuzzCase } from "./cases.js";

export interface Outcome {
  readonly id: number;
  readonly code: number | null;
  readonly threw: string | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
  readonly written: readonly string[];
}

export const GOOD = ["refused (3)", "refused: size limit (4)", "usage (2)", "ran (0/1)", "partial (4)"] as const;
export const BAD = [
  "crash",
  "malformed refusal",
  "wrote on refusal",
  "not conserved",
  "nonsense accepted",
  "hang",
  "out of memory",
] as const;
export type Verdict = (typeof GOOD)[number] | (typeof BAD)[number];

/** `file:line:col path: message`. */
const ISSUE = /^\S.*:\d+:\d+ \S.*: \S.*$/;
/** The closing line of a refusal, or a budget sentence about the whole file. */
const CLOSING =
  /^(?:\S.*: \d+ problems?; nothing written|catalog: \d+ problems?; nothing written|\S.*: .*; nothing written)$/;
const CRASH = /internal error|^\s+at |\bTypeError\b|\bRangeError\b|\bReferenceError\b/m;

interface Workload {
  name: string;
  sent: number;
  delivered: number;
  dropped: number;
  inFlight: number;
}

/** Why the run's result does not conserve its messages, or null when it does. */
function balance(stdout: string): string | null {
  let result: { workloads?: Workload[] };
  try {
    result = JSON.parse(stdout) as typeof result;
  } catch {
    return "no JSON result on stdout";
  }
  for (const w of result.workloads ?? []) {
    if (w.sent !== w.delivered + w.dropped + w.inFlight)
      return `${w.name}: sent ${w.sent} ≠ ${w.delivered} + ${w.dropped} + ${w.inFlight}`;
  }
  return null;
}

export interface Judged {
  readonly verdict: Verdict;
  /** Why, for a bad verdict. */
  readonly why: string | null;
}

export function judge(c: FuzzCase, o: Outcome): Judged {
  const bad = (verdict: Verdict, why: string): Judged => ({ verdict, why });
  if (o.threw !== null) return bad("crash", o.threw.split("\n").slice(0, 4).join(" | "));
  if (CRASH.test(o.stderr) || CRASH.test(o.stdout)) return bad("crash", o.stderr.slice(0, 300));
  if (o.code === 2) return { verdict: "usage (2)", why: null };
  const partial = o.code === 4 && c.command === "run" && o.stdout.trim().startsWith("{");
  if (o.code === 3 || (o.code === 4 && !partial)) {
    if (o.stdout !== "") return bad("malformed refusal", `stdout: ${o.stdout.slice(0, 200)}`);
    if (o.written.length > 0) return bad("wrote on refusal", o.written.join(", "));
    const lines = o.stderr.trimEnd().split("\n");
    const odd = lines.find((l) => !ISSUE.test(l) && !CLOSING.test(l));
    if (odd !== undefined || lines.length === 0) return bad("malformed refusal", `line: ${odd?.slice(0, 200)}`);
    if (lines.some((l) => l.length > 2000)) return bad("malformed refusal", "a line of more than 2000 characters");
    return { verdict: o.code === 3 ? "refused (3)" : "refused: size limit (4)", why: null };
  }
  if (o.code === 0 || o.code === 1 || partial) {
    if (c.mustRefuse) return bad("nonsense accepted", c.mutations.join("; "));
    if (c.command === "run") {
      const why = balance(o.stdout);
      if (why !== null) return bad("not conserved", why);
      if (partial && !o.stdout.includes('"partial"')) return bad("not conserved", "exit 4 without a partial label");
    }
    return { verdict: partial ? "partial (4)" : "ran (0/1)", why: null };
  }
  return bad("crash", `exit code ${o.code}: ${o.stderr.slice(0, 300)}`);
}
