import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Command } from "@commander-js/extra-typings";
import { main } from "../../../src/cli/main.js";

export const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
export const FIXTURES = join(ROOT, "test/fixtures/");
/** Two servers, a ToR, the LAN, 2 ms: an SLA it meets. */
export const TINY = join(FIXTURES, "cli/tiny.yaml");
/** The built-in study's shape on 8 servers, 2 ms windows: a plan in seconds. */
export const SMALL_STUDY = join(FIXTURES, "study/small.yaml");

const made: string[] = [];

/** A fresh temporary directory (removed by `removeTempDirs`). */
export function tempDir(prefix = "iovsim-cli-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Removes the directories `tempDir` made (call from `afterAll`). */
export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Writes `text` as `name` in a fresh temporary directory; returns its path. */
export function tempFile(name: string, text: string): string {
  const file = join(tempDir(), name);
  writeFileSync(file, text);
  return file;
}

/** The tiny topology with its text edited (e.g. an SLA it misses). */
export function tinyWith(edit: (text: string) => string): string {
  return tempFile("tiny.yaml", edit(readFileSync(TINY, "utf8")));
}

/** Runs the CLI in this process, as `bin/iovsim.js` does (`io` from `captureOutput` holds its output). */
export function cli(args: readonly string[], program?: Command): Promise<number> {
  return main(["node", "iovsim", ...args], program);
}
