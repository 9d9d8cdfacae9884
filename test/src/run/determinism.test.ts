import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import type { RunResult } from "../../../src/metrics/result.js";
import { aggregate } from "../../../src/run/aggregate.js";
import { Replication } from "../../../src/run/replication.js";
import { loadTopologyFile } from "../../../src/topology/read-file.js";
import type { ResolvedTopology } from "../../../src/topology/types.js";

const ROOT = new URL("../../..", import.meta.url).pathname;
const fixture = (name: string) => new URL(`../../fixtures/topology/${name}`, import.meta.url).pathname;

async function load(path: string): Promise<ResolvedTopology> {
  const r = await loadTopologyFile(path);
  if (!r.ok) throw new Error(r.issues.map((i) => `${i.file}:${i.line}:${i.col} ${i.path}: ${i.message}`).join("\n"));
  return r.topology;
}

/** The run's result JSON, every replication of the file, with `wallSeconds` set to 0. */
function runJson(topo: ResolvedTopology, seed = topo.experiment.seed): string {
  const reps = Array.from({ length: topo.experiment.replications }, (_, i) => new Replication(topo, i, seed).result());
  const result: RunResult = aggregate(topo, reps, 0, seed);
  return JSON.stringify(result);
}

/** The same in a separate Node process, on the compiled code under dist/ (`npm test` builds first). */
function runJsonInChild(path: string): string {
  return execFileSync(
    process.execPath,
    [
      "--input-type=module",
      "-e",
      `import { loadTopologyFile } from "./dist/src/topology/read-file.js";
       import { Replication } from "./dist/src/run/replication.js";
       import { aggregate } from "./dist/src/run/aggregate.js";
       const loaded = await loadTopologyFile(${JSON.stringify(path)});
       if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
       const topo = loaded.topology;
       const reps = Array.from({ length: topo.experiment.replications }, (_, i) => new Replication(topo, i).result());
       process.stdout.write(JSON.stringify(aggregate(topo, reps, 0)));`,
    ],
    { cwd: ROOT, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
  );
}

// traditional.yaml: one replication, four patterns' worth of random streams (VFs, a team, on/off);
// mriov.json: three replications through a shared adapter with weights and limits.
describe.each(["traditional.yaml", "mriov.json"])("%s with the same seed", (name) => {
  it("gives byte-identical result JSON in two runs in this process (wallSeconds = 0)", async () => {
    const topo = await load(fixture(name));
    const a = runJson(topo);
    expect(runJson(topo)).toBe(a);
    expect((JSON.parse(a) as RunResult).events).toBeGreaterThan(0);
  });

  it("gives byte-identical result JSON in a separate Node process running the compiled code", async () => {
    const topo = await load(fixture(name));
    expect(runJsonInChild(fixture(name))).toBe(runJson(topo));
  });
});

describe("a replication", () => {
  it("gives the same result whether it runs in one go or in 7 slices", async () => {
    // advanceTo only moves the stopping point: events, fingerprint and every figure are unchanged.
    const topo = await load(fixture("traditional.yaml"));
    const whole = new Replication(topo, 0).result();
    const sliced = new Replication(topo, 0);
    for (let k = 1; k <= 7; k++) sliced.advanceTo(Math.floor((sliced.endTicks * k) / 8));
    expect(JSON.stringify(sliced.result())).toBe(JSON.stringify(whole));
  });

  it("gets a different fingerprint from a different seed or replication index", async () => {
    const topo = await load(fixture("traditional.yaml"));
    const seed = topo.experiment.seed;
    const base = new Replication(topo, 0, seed).result().fingerprint;
    expect(new Replication(topo, 0, seed + 1).result().fingerprint).not.toBe(base);
    expect(new Replication(topo, 1, seed).result().fingerprint).not.toBe(base);
    expect(JSON.parse(runJson(topo, seed + 1)).fingerprint).not.toBe(JSON.parse(runJson(topo)).fingerprint);
  });
});
