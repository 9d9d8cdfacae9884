import { type ChildProcess, spawn } from "node:child_process";
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

export interface Spawned {
  readonly child: ChildProcess;
  /** Everything written to stderr so far. */
  readonly stderr: () => string;
  /** Resolves when the CLI prints `IOVSIM_READY <stage>` (rejects if it exits first). */
  ready(stage: string): Promise<void>;
  /** Resolves with how the process ended. */
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Runs the compiled CLI (`npm test` builds first) with `IOVSIM_READY` set, so a test can
 * wait for a stage instead of guessing how long start-up takes on a busy machine.
 */
export function spawnCli(args: readonly string[], cwd = ROOT): Spawned {
  const child = spawn(process.execPath, [join(ROOT, "bin/iovsim.js"), ...args], {
    cwd,
    env: { ...process.env, IOVSIM_READY: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let err = "";
  const waiting: { stage: string; resolve: () => void }[] = [];
  child.stdout?.resume();
  child.stderr?.on("data", (d: Buffer) => {
    err += d.toString();
    for (const w of waiting.splice(0)) {
      if (err.includes(`IOVSIM_READY ${w.stage}\n`)) w.resolve();
      else waiting.push(w);
    }
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    stderr: () => err,
    exit,
    ready(stage) {
      if (err.includes(`IOVSIM_READY ${stage}\n`)) return Promise.resolve();
      return Promise.race([
        new Promise<void>((resolve) => waiting.push({ stage, resolve })),
        exit.then(({ code }) => {
          if (!err.includes(`IOVSIM_READY ${stage}\n`))
            throw new Error(`iovsim exited (${code}) before IOVSIM_READY ${stage}:\n${err}`);
        }),
      ]);
    },
  };
}

/**
 * Runs `iovsim plan STUDY --out DIR` as npm start does (`extra`: npm start's
 * `--no-fail-on-miss`, where a design may miss); returns its stdout.
 */
export async function planLikeStart(study: string, out: string, extra: readonly string[] = []): Promise<string> {
  const run = spawnCli(["plan", study, "--out", out, ...extra]);
  let stdout = "";
  run.child.stdout?.on("data", (d: Buffer) => {
    stdout += d.toString();
  });
  const { code } = await run.exit;
  if (code !== 0) throw new Error(`iovsim plan exited ${code}:\n${run.stderr()}`);
  return stdout;
}
