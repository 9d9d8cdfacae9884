import type { Study } from "../study/index.js";
import { parseStudy } from "../study/index.js";
import { formatIssues } from "../topology/index.js";
import { loadTopologyFile, readInputFile } from "../topology/read-file.js";
import { DEFAULT_LIMITS, type SizeLimits } from "../topology/size.js";
import type { ResolvedTopology, TopologyIssue } from "../topology/types.js";

/** A mistake in how the command was called (exit code 2). */
export class UsageError extends Error {}

/** Exit code for refused input: 4 when every issue is a size limit (a budget), else 3. */
export function refusedCode(issues: readonly TopologyIssue[]): 3 | 4 {
  return issues.length > 0 && issues.every((i) => i.budget === true) ? 4 : 3;
}

/** Problems printed at most; a file with more has one mistake repeated, and the rest is noise. */
const MAX_PRINTED = 200;

function printRefused(file: string, issues: readonly TopologyIssue[]): 3 | 4 {
  const n = issues.length;
  const shown =
    n > MAX_PRINTED ? formatIssues(issues).split("\n").slice(0, MAX_PRINTED).join("\n") : formatIssues(issues);
  const more = n > MAX_PRINTED ? ` (the first ${MAX_PRINTED} shown)` : "";
  process.stderr.write(`${shown}\n${file}: ${n} problem${n === 1 ? "" : "s"}${more}; nothing written\n`);
  return refusedCode(issues);
}

/**
 * Loads a topology file; on problems prints them (one line each) to stderr and
 * returns the exit code (3: invalid input, 4: past a size limit).
 */
export async function loadOrExit(file: string, limits: SizeLimits = DEFAULT_LIMITS): Promise<ResolvedTopology | 3 | 4> {
  const r = await loadTopologyFile(file, { limits });
  return r.ok ? r.topology : printRefused(file, r.issues);
}

/** Loads a study file; on problems prints them (one line each, file:line:col) and returns the exit code (3 or 4). */
export async function loadStudyOrExit(file: string, limits: SizeLimits = DEFAULT_LIMITS): Promise<Study | 3 | 4> {
  const read = await readInputFile(file);
  if (!read.ok) return printRefused(file, read.issues);
  const parsed = parseStudy(read.text, file, { limits });
  return parsed.ok ? parsed.study : printRefused(file, parsed.issues);
}
