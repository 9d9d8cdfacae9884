// One fuzz worker thread: runs cases through the compiled CLI commands (dist/src/cli, the
// code `bin/iovsim.js` runs), with stdout and stderr captured, in a directory of its own.
// Plain JavaScript so a worker thread can load it without a TypeScript loader; the cases
// and the verdicts live in TypeScript (test/fuzz/*.ts).
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parentPort, workerData } from "node:worker_threads";

const dist = new URL("../../dist/src/cli/", import.meta.url);
const { validateCommand } = await import(new URL("validate.js", dist).href);
const { runCommand } = await import(new URL("run.js", dist).href);
const { expandCommand } = await import(new URL("expand.js", dist).href);
const { bomCommand } = await import(new URL("bom.js", dist).href);
const { UsageError } = await import(new URL("load.js", dist).href);

const root = join(tmpdir(), `iovsim-fuzz-${process.pid}-${workerData.index}`);
rmSync(root, { recursive: true, force: true });
mkdirSync(root, { recursive: true });

/** Runs `fn` with process.stdout/stderr writes collected instead of printed. */
async function captured(fn) {
  const out = [];
  const err = [];
  const { stdout, stderr } = process;
  const write =
    (sink) =>
    (chunk, ...rest) => {
      sink.push(String(chunk));
      const done = rest.find((r) => typeof r === "function");
      if (done) done();
      return true;
    };
  const saved = [stdout.write, stderr.write];
  stdout.write = write(out);
  stderr.write = write(err);
  try {
    const code = await fn();
    return { code, threw: null, stdout: out.join(""), stderr: err.join("") };
  } catch (e) {
    if (e instanceof UsageError) {
      return { code: 2, threw: null, stdout: out.join(""), stderr: `${err.join("")}iovsim: ${e.message}\n` };
    }
    const threw = e instanceof Error ? `${e.name}: ${e.message}\n${e.stack ?? ""}` : String(e);
    return { code: null, threw, stdout: out.join(""), stderr: err.join("") };
  } finally {
    [stdout.write, stderr.write] = saved;
  }
}

/** Files left in `dir` (none must be, after a refusal). */
function leftIn(dir) {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

const CATALOG_BASE = new URL("../../topologies/ucs-rack.yaml", import.meta.url).pathname;

async function runCase(c) {
  const dir = join(root, `case-${c.id}`);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, c.file);
  writeFileSync(file, c.text);
  const out = join(dir, "out");
  const started = performance.now();
  const result = await captured(async () => {
    switch (c.command) {
      case "validate":
        return validateCommand(file, {});
      case "run":
        return runCommand(file, { json: true, out, maxEvents: c.maxEvents, maxWall: c.maxWall });
      case "expand":
        return expandCommand(file, { design: c.design });
      case "bom":
        return bomCommand(CATALOG_BASE, { catalog: [file], json: true });
      default:
        throw new Error(`unknown command ${c.command}`);
    }
  });
  const ms = performance.now() - started;
  const written = leftIn(out);
  rmSync(dir, { recursive: true, force: true });
  return { id: c.id, ms, written, ...result };
}

parentPort.on("message", async (c) => {
  if (c === "stop") {
    rmSync(root, { recursive: true, force: true });
    process.exit(0);
  }
  parentPort.postMessage(await runCase(c));
});
parentPort.postMessage({ ready: true });
