import { readFile } from "node:fs/promises";
import type { Study } from "../study/index.js";
import { parseStudy } from "../study/index.js";
import { formatIssues } from "../topology/index.js";
import { loadTopologyFile } from "../topology/read-file.js";
import type { ResolvedTopology } from "../topology/types.js";

/** A mistake in how the command was called (exit code 2). */
export class UsageError extends Error {}

/** Loads a topology file; on problems prints them (one line each) to stderr and returns null. */
export async function loadOrExit(file: string): Promise<ResolvedTopology | null> {
  const r = await loadTopologyFile(file);
  if (r.ok) return r.topology;
  process.stderr.write(`${formatIssues(r.issues)}\n`);
  const n = r.issues.length;
  process.stderr.write(`${file}: ${n} problem${n === 1 ? "" : "s"}; nothing written\n`);
  return null;
}

/** Loads a study file; on problems prints them (one line each, file:line:col) to stderr and returns null. */
export async function loadStudyOrExit(file: string): Promise<Study | null> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    const code = (e as { code?: unknown } | null)?.code;
    const why = code === "ENOENT" ? "no such file" : e instanceof Error ? e.message : String(e);
    process.stderr.write(`${file}:1:1 (file): cannot read ${file}: ${why}\n`);
    return null;
  }
  const parsed = parseStudy(text, file);
  if (parsed.ok) return parsed.study;
  const n = parsed.issues.length;
  process.stderr.write(`${formatIssues(parsed.issues)}\n${file}: ${n} problem${n === 1 ? "" : "s"}; nothing written\n`);
  return null;
}
