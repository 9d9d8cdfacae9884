import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const made: string[] = [];

/** A fresh temporary directory to write outputs into (removed by `removeParents`). */
export function parent(): string {
  const dir = mkdtempSync(join(tmpdir(), "iovsim-out-"));
  made.push(dir);
  return dir;
}

/** Removes the directories `parent` made (call from `afterAll`). */
export function removeParents(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** Name → content of every entry in a directory (dot files too; "(directory)" for a directory). */
export function contents(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1)))
    out[e.name] = e.isDirectory() ? "(directory)" : readFileSync(join(dir, e.name), "utf8");
  return out;
}
