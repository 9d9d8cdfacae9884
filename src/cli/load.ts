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
