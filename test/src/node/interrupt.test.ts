import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Interrupted, withInterrupts } from "../../../src/node/interrupt.js";

describe("withInterrupts", () => {
  it("turns SIGINT into a flag the work checks, and removes its handlers after", async () => {
    const before = process.listenerCount("SIGINT");
    await expect(
      withInterrupts(async (scope) => {
        expect(process.listenerCount("SIGINT")).toBe(before + 1);
        process.emit("SIGINT");
        expect(scope.requested).toBe(true);
        scope.check();
      }),
    ).rejects.toBeInstanceOf(Interrupted);
    expect(process.listenerCount("SIGINT")).toBe(before);
  });

  it("stops a command that does not notice the first signal within the grace period (exit 130, temporaries gone)", async () => {
    // A command waiting on something that never comes (a job queue without workers), in a process of its own.
    const dir = mkdtempSync(join(tmpdir(), "iovsim-grace-"));
    const temporary = join(dir, "partial");
    writeFileSync(temporary, "half");
    const module = new URL("../../../dist/src/node/interrupt.js", import.meta.url).href;
    const script = `
      const { withInterrupts, trackTemporary } = await import(${JSON.stringify(module)});
      trackTemporary(${JSON.stringify(temporary)});
      await withInterrupts(async () => {
        process.stderr.write("waiting\\n");
        await new Promise(() => setInterval(() => {}, 1000));
      });`;
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    let err = "";
    const waiting = new Promise<void>((resolve) =>
      child.stderr.on("data", (d: Buffer) => {
        err += d.toString();
        if (err.includes("waiting\n")) resolve();
      }),
    );
    const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    await waiting;
    child.kill("SIGTERM");
    expect(await exit).toBe(130);
    expect(err).toContain("iovsim: interrupted; nothing written");
    expect(existsSync(temporary)).toBe(false);
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);
});
