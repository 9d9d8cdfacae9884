import { readFile, stat } from "node:fs/promises";
import type { Study } from "../study/index.js";
import { parseStudy } from "../study/index.js";
import { formatIssues } from "../topology/index.js";
import { loadTopologyFile } from "../topology/read-file.js";
import type { ResolvedTopology } from "../topology/types.js";
import { detectKind, type FileKind, wrongKindMessage } from "./file-kind.js";
import { printErr } from "./terminal.js";

/** A mistake in how the command was called (exit code 2). */
export class UsageError extends Error {}

function problems(n: number): string {
  return `${n} problem${n === 1 ? "" : "s"}`;
}

/** The file's text, or null when it cannot be read (the caller reports the loader's own message). */
async function textOf(file: string): Promise<string | null> {
  try {
    return await readFile(file, "utf8");
  } catch {
    return null;
  }
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

/** Loads a topology file; on problems prints them (one line each) to stderr and returns null. */
export async function loadOrExit(file: string): Promise<ResolvedTopology | null> {
  const r = await loadTopologyFile(file);
  if (r.ok) return r.topology;
  const special =
    (await directoryMessage(file, "a topology", "topologies/ucs-rack.yaml")) ?? (await wrongKind(file, "topology"));
  if (special !== null) {
    printErr(`${special}\n`);
    return null;
  }
  printErr(`${formatIssues(r.issues)}\n`);
  printErr(`${file}: ${problems(r.issues.length)}; nothing written\n`);
  return null;
}

/** Loads a study file; on problems prints them (one line each, file:line:col) to stderr and returns null. */
export async function loadStudyOrExit(file: string): Promise<Study | null> {
  const dir = await directoryMessage(file, "a study", "topologies/studies/last-mile.yaml");
  if (dir !== null) {
    printErr(`${dir}\n`);
    return null;
  }
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    const code = (e as { code?: unknown } | null)?.code;
    const why =
      code === "ENOENT"
        ? "no such file"
        : code === "EACCES" || code === "EPERM"
          ? "permission denied"
          : e instanceof Error
            ? e.message
            : String(e);
    printErr(`${file}:1:1 (file): cannot read ${file}: ${why}\n`);
    return null;
  }
  const parsed = parseStudy(text, file);
  if (parsed.ok) return parsed.study;
  const kind = detectKind(text);
  if (kind !== null && kind !== "study") {
    printErr(`${wrongKindMessage(file, kind, "a study")}\n`);
    return null;
  }
  printErr(`${formatIssues(parsed.issues)}\n${file}: ${problems(parsed.issues.length)}; nothing written\n`);
  return null;
}
