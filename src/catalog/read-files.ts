/**
 * Node-only: reads the built-in catalog (`catalog/*.yaml` at the project root)
 * and users' `--catalog FILE`s. Everything else in src/catalog is browser-safe.
 */

import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildCatalog, type CatalogSource } from "./parse.js";
import type { CatalogIssue, CatalogResult } from "./types.js";

/**
 * The built-in catalog directory: the nearest `catalog/` above this module that
 * holds the built-in files (works from `src/catalog/` and from `dist/src/catalog/`).
 */
export function builtinCatalogDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, "catalog");
    if (existsSync(join(candidate, "adapters.yaml"))) return candidate;
    const up = dirname(dir);
    if (up === dir) throw new Error("built-in catalog not found: no catalog/adapters.yaml above src/catalog");
    dir = up;
  }
}

/** The built-in catalog files, sorted by name. */
export async function builtinCatalogFiles(): Promise<string[]> {
  const dir = builtinCatalogDir();
  const names = (await readdir(dir)).filter((n) => n.endsWith(".yaml") || n.endsWith(".yml")).sort();
  return names.map((n) => join(dir, n));
}

function reason(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  if (code === "ENOENT") return "no such file";
  if (code === "EISDIR") return "is a directory, not a file";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  return e instanceof Error ? e.message : String(e);
}

/**
 * The built-in catalog merged with `extraFiles` (in order): an entry in a later
 * file replaces the entry with the same id. Unreadable files are issues too.
 */
export async function loadCatalog(extraFiles: readonly string[] = []): Promise<CatalogResult> {
  const files = [...(await builtinCatalogFiles()), ...extraFiles];
  const sources: CatalogSource[] = [];
  const unreadable: CatalogIssue[] = [];
  for (const file of files) {
    try {
      sources.push({ file, text: await readFile(file, "utf8") });
    } catch (e) {
      unreadable.push({ file, line: 1, col: 1, path: "(file)", message: `cannot read ${file}: ${reason(e)}` });
    }
  }
  if (unreadable.length > 0) return { ok: false, issues: unreadable };
  return buildCatalog(sources);
}
