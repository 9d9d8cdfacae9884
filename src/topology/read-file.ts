/**
 * Node-only: reads a topology (or study) file from disk. Everything else in
 * src/topology is browser-safe; this is the one file that touches `node:fs`.
 */

import { readFile, stat } from "node:fs/promises";
import { MAX_TEXT } from "./document.js";
import { type LoadOptions, parseTopology } from "./load.js";
import type { LoadResult, TopologyIssue } from "./types.js";

function reason(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  if (code === "ENOENT") return "no such file";
  if (code === "EISDIR") return "is a directory, not a file";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  return e instanceof Error ? e.message : String(e);
}

/**
 * The text of an input file, or the one issue that says why it cannot be read.
 * A file larger than any real input is refused before it is read (MAX_TEXT bytes).
 */
export async function readInputFile(
  path: string,
): Promise<{ ok: true; text: string } | { ok: false; issues: readonly TopologyIssue[] }> {
  const fail = (message: string) => ({
    ok: false as const,
    issues: [{ file: path, line: 1, col: 1, path: "(file)", message }],
  });
  try {
    const info = await stat(path);
    if (info.isDirectory()) return fail(`cannot read ${path}: is a directory, not a file`);
    if (info.size > MAX_TEXT) {
      return fail(
        `${path} has ${info.size.toLocaleString("en-US")} bytes, more than ${MAX_TEXT.toLocaleString("en-US")}: not a file this tool reads`,
      );
    }
    return { ok: true, text: await readFile(path, "utf8") };
  } catch (e) {
    return fail(`cannot read ${path}: ${reason(e)}`);
  }
}

/** Reads and resolves a topology file (.yaml, .yml or .json); an unreadable file is one issue. */
export async function loadTopologyFile(path: string, options: LoadOptions = {}): Promise<LoadResult> {
  const read = await readInputFile(path);
  return read.ok ? parseTopology(read.text, path, options) : read;
}
