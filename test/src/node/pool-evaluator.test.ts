import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";

const run = promisify(execFile);
const root = new URL("../../..", import.meta.url).pathname;

/** The plan without what depends on the clock: every `wallSeconds`, at any depth. */
function timeless(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(timeless);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k]) => k !== "wallSeconds")
      .map(([k, v]) => [k, timeless(v)]),
  );
}

// The Evaluator's promise (DESIGN.md §6): the answer is the same for any number of workers.
// Each run is its own process (the compiled CLI; `npm test` builds first), so nothing is shared
// but the files: in this thread, on one worker thread and on three.
describe("iovsim plan on worker threads", () => {
  it("writes the same plan.json with 0, 1 and 3 workers (timing fields aside)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "iovsim-workers-"));
    try {
      const raw = parse(await readFile(join(root, "topologies/studies/last-mile.yaml"), "utf8")) as {
        designs: Record<string, { parameters: Record<string, unknown> }>;
      };
      // Two designs with narrow spaces keep it short; the curve (five shares each) gives the pool many
      // jobs to reorder, and the single-failure confirmations (the study asks for them) more still.
      raw.designs = { director: raw.designs.director!, mriov: raw.designs.mriov! };
      for (const d of Object.values(raw.designs))
        for (const [k, v] of Object.entries(d.parameters))
          if (typeof v === "object" && v !== null && "range" in v) d.parameters[k] = { ...v, range: [1, 2] };
      const study = join(dir, "small.yaml");
      await writeFile(study, stringify(raw));
      const plans: unknown[] = [];
      for (const workers of [0, 1, 3]) {
        const out = join(dir, `w${workers}`);
        await run(process.execPath, ["bin/iovsim.js", "plan", study, "--out", out, "--workers", String(workers)], {
          cwd: root,
          maxBuffer: 16 * 1024 * 1024,
        });
        plans.push(timeless(JSON.parse(await readFile(join(out, "plan.json"), "utf8"))));
      }
      const [inThread, one, three] = plans as Array<{ lastMileCurve: { rows: unknown[] } }>;
      expect(inThread!.lastMileCurve.rows).toHaveLength(10);
      expect(one).toEqual(inThread);
      expect(three).toEqual(inThread);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    // A hang guard only (three whole plans, one after another).
  }, 900_000);
});
