import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { timeless } from "../../helpers/timeless.js";

const run = promisify(execFile);
const root = new URL("../../..", import.meta.url).pathname;

// The Evaluator's promise: the answer is the same for any number of workers. Each run is its
// own process (the compiled CLI; `npm test` builds first), so nothing is shared but the files:
// in this thread, on one worker thread, on two (where flow jobs also run ahead on idle workers: `lookahead.ts`)
// and on three (forced past the core count on small machines).
describe("iovsim plan on worker threads", () => {
  it("writes the same plan.json with 0, 1, 2 and 3 workers, and as 2 shards merged (timing fields aside)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "iovsim-workers-"));
    try {
      // The tests' small study (8 hosts, 2 ms windows): the same planner, seconds instead of a minute.
      const raw = parse(await readFile(join(root, "test/fixtures/study/small.yaml"), "utf8")) as {
        designs: Record<string, unknown>;
        survive?: string;
      };
      // Single failures too: their degraded runs are jobs on the pool as well.
      raw.survive = "single-failure";
      // Two designs keep it short; the curve (the study's six shares each) gives the pool many jobs to reorder.
      raw.designs = { director: raw.designs.director, mriov: raw.designs.mriov };
      const study = join(dir, "small.yaml");
      await writeFile(study, stringify(raw));
      const plans: unknown[] = [];
      for (const workers of [0, 1, 2, 3]) {
        const out = join(dir, `w${workers}`);
        await run(
          process.execPath,
          ["bin/iovsim.js", "plan", study, "--out", out, "--workers", String(workers), "--force-workers"],
          {
            cwd: root,
            maxBuffer: 16 * 1024 * 1024,
          },
        );
        plans.push(timeless(JSON.parse(await readFile(join(out, "plan.json"), "utf8"))));
      }
      // Two shards (each on one worker thread), joined by iovsim merge: the same plan again.
      for (const i of [1, 2])
        await run(
          process.execPath,
          ["bin/iovsim.js", "plan", study, "--shard", `${i}/2`, "--workers", "1", "--out", join(dir, `shard${i}`)],
          { cwd: root },
        );
      const merged = join(dir, "merged");
      await run(
        process.execPath,
        [
          "bin/iovsim.js",
          "merge",
          study,
          join(dir, "shard2/shard.json"),
          join(dir, "shard1/shard.json"),
          "--out",
          merged,
        ],
        { cwd: root, maxBuffer: 16 * 1024 * 1024 },
      );
      plans.push(timeless(JSON.parse(await readFile(join(merged, "plan.json"), "utf8"))));
      const [inThread, one, two, three, shards] = plans as Array<{ lastMileCurve: { rows: unknown[] } }>;
      expect(inThread!.lastMileCurve.rows).toHaveLength(12);
      expect(one).toEqual(inThread);
      expect(two).toEqual(inThread);
      expect(three).toEqual(inThread);
      expect(shards).toEqual(inThread);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
