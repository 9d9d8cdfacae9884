import { stat } from "node:fs/promises";
import type { Study } from "../study/index.js";
import { parseStudy } from "../study/index.js";
import { formatIssues } from "../topology/index.js";
import { loadTopologyFile, readInputFile } from "../topology/read-file.js";
import { DEFAULT_LIMITS, type SizeLimits } from "../topology/size.js";
import type { ResolvedTopology, TopologyIssue } from "../topology/types.js";
import { EXIT } from "./exit-codes.js";
import { detectKind, type FileKind, wrongKindMessage } from "./file-kind.js";
import { printErr } from "./terminal.js";

/** A mistake in how the command was called (exit code 2). */
export class UsageError extends Error {}

function problems(n: number): string {
  return `${n} problem${n === 1 ? "" : "s"}`;
}

/** The file's text, or null when it cannot be read or is too large (the caller reports the loader's own message). */
async function textOf(file: string): Promise<string | null> {
  const read = await readInputFile(file);
  return read.ok ? read.text : null;
}

/** Exit code for refused input: 4 when every problem is a size limit (a budget), else 3. */
export function refusedCode(issues: readonly TopologyIssue[]): 3 | 4 {
  return issues.length > 0 && issues.every((i) => i.budget === true) ? EXIT.budget : EXIT.invalidInput;
}

/** Problems printed at most; a file with more has one mistake repeated, and the rest is noise. */
const MAX_PRINTED = 200;

/** The problems, one line each (at most MAX_PRINTED), and the closing line. */
function printProblems(file: string, issues: readonly TopologyIssue[]): void {
  const n = issues.length;
  const lines = formatIssues(issues);
  const shown = n > MAX_PRINTED ? lines.split("\n").slice(0, MAX_PRINTED).join("\n") : lines;
  const more = n > MAX_PRINTED ? ` (the first ${MAX_PRINTED} shown)` : "";
  printErr(`${shown}\n${file}: ${problems(n)}${more}; nothing written\n`);
}

/**
 * When a file that failed to load as `expected` is clearly another kind of
 * iovsim file, one line that says so and which command takes it (else null).
 */
export async function wrongKind(file: string, expected: FileKind): Promise<string | null> {
  const text = await textOf(file);
  if (text === null) return null;
  const kind = detectKind(text);
  return kind === null || kind === expected ? null : wrongKindMessage(file, kind, `a ${expected}`);
}

/** A directory where a file was expected: one line naming what to give instead. */
async function directoryMessage(file: string, what: string, example: string): Promise<string | null> {
  try {
    if ((await stat(file)).isDirectory())
      return `${file}:1:1 (file): is a directory; give ${what} file, e.g. ${example}`;
  } catch {
    // Missing or unreadable: the loader says so.
  }
  return null;
}

/**
 * Loads a topology file within the size limits; on problems prints them (one
 * line each) to stderr and returns the exit code: 4 when every problem is a size
 * limit, else 3.
 */
export async function loadTopologyOrCode(
  file: string,
  limits: SizeLimits = DEFAULT_LIMITS,
): Promise<ResolvedTopology | 3 | 4> {
  const r = await loadTopologyFile(file, { limits });
  if (r.ok) return r.topology;
  const special =
    (await directoryMessage(file, "a topology", "topologies/ucs-rack.yaml")) ?? (await wrongKind(file, "topology"));
  if (special !== null) {
    printErr(`${special}\n`);
    return EXIT.invalidInput;
  }
  printProblems(file, r.issues);
  return refusedCode(r.issues);
}

/** Loads a topology file; on problems prints them (one line each) to stderr and returns null. */
export async function loadOrExit(file: string): Promise<ResolvedTopology | null> {
  const r = await loadTopologyOrCode(file);
  return typeof r === "number" ? null : r;
}

/**
 * Loads a study file within the size limits; on problems prints them (one line
 * each, file:line:col) and returns the exit code (4 for size limits only, else 3).
 */
export async function loadStudyOrCode(file: string, limits: SizeLimits = DEFAULT_LIMITS): Promise<Study | 3 | 4> {
  const dir = await directoryMessage(file, "a study", "topologies/studies/last-mile.yaml");
  if (dir !== null) {
    printErr(`${dir}\n`);
    return EXIT.invalidInput;
  }
  const read = await readInputFile(file);
  if (!read.ok) {
    printErr(`${formatIssues(read.issues)}\n`);
    return EXIT.invalidInput;
  }
  const parsed = parseStudy(read.text, file, { limits });
  if (parsed.ok) return parsed.study;
  const kind = detectKind(read.text);
  if (kind !== null && kind !== "study") {
    printErr(`${wrongKindMessage(file, kind, "a study")}\n`);
    return EXIT.invalidInput;
  }
  printProblems(file, parsed.issues);
  return refusedCode(parsed.issues);
}
