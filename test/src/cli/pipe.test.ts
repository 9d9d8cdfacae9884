import { spawn } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./helpers.js";

/** Runs the real binary with its stdout's reader gone before it writes (as `| head -1` after one line) and waits for its end. */
function closedEarly(args: readonly string[]): Promise<{ code: number | null; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, "bin/iovsim.js"), ...args], { cwd: ROOT });
    child.stdout.destroy();
    let err = "";
    child.stderr.on("data", (d: Buffer) => {
      err += d.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, err }));
  });
}

describe("iovsim writing into a pipe its reader closed", () => {
  it("drops the rest of stdout and ends with its own exit code, without a stack trace", async () => {
    const r = await closedEarly(["expand", "topologies/studies/last-mile.yaml", "--design", "ucs"]);
    expect(r.err).not.toMatch(/EPIPE|Error|at /);
    expect(r.code).toBe(0);
  }, 60_000);
});
