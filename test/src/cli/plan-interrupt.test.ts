import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = new URL("../../..", import.meta.url).pathname;

// Long work can be interrupted cleanly: Ctrl-C stops the plan and its worker threads,
// exits 130 and leaves no half-written output (the compiled CLI: `npm test` builds first).
describe("iovsim plan interrupted", () => {
  it("exits 130 on SIGINT, says nothing was written, and writes nothing", async () => {
    const out = await mkdtemp(join(tmpdir(), "iovsim-int-"));
    try {
      const dir = join(out, "plan");
      const child = spawn(
        process.execPath,
        ["bin/iovsim.js", "plan", "topologies/studies/last-mile.yaml", "--out", dir],
        {
          cwd: root,
          stdio: ["ignore", "pipe", "pipe"],
        },
      );
      let stderr = "";
      child.stderr.on("data", (d: Buffer) => {
        stderr += d.toString();
      });
      // Well after start-up (the handler is in place), well before the plan ends (about 15 s).
      setTimeout(() => child.kill("SIGINT"), 2500);
      const code = await new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
      expect(code).toBe(130);
      expect(stderr).toContain("interrupted; nothing written");
      expect(stderr).not.toContain("Error");
      expect(existsSync(join(dir, "plan.json"))).toBe(false);
      expect(existsSync(join(dir, "report.html"))).toBe(false);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  }, 60_000);
});
