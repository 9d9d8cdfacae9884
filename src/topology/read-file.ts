/**
 * Node-only: reads a topology file from disk. Everything else in
 * src/topology is browser-safe; this is the one file that touches `node:fs`.
 */

import { readFile } from "node:fs/promises";
import { parseTopology } from "./load.js";
import type { LoadResult } from "./types.js";

function reason(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  if (code === "ENOENT") return "no such file";
  if (code === "EISDIR") return "is a directory, not a file";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  return e instanceof Error ? e.message : String(e);
}

/** Reads and resolves a topology file (.yaml, .yml or .json); an unreadable file is one issue. */
export async function loadTopologyFile(path: string): Promise<LoadResult> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    return {
      ok: false,
      issues: [{ file: path, line: 1, col: 1, path: "(file)", message: `cannot read ${path}: ${reason(e)}` }],
    };
  }
  return parseTopology(text, path);
}
