import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";

/** The probe's JSON line for a small MR-IOV site (the compiled probe under dist/: `npm test` builds first). */
function probe(...flags: string[]): {
  hash: string;
  flows: number;
  threads: { main: number } | null;
  later?: Array<{ same: boolean }>;
} {
  const out = execFileSync(process.execPath, ["dist/bench/flow-probe.js", "64", "mriov", "--repeat=2", ...flags], {
    encoding: "utf8",
  });
  return JSON.parse(out.trim().split("\n").at(-1)!);
}

describe("the flow probe", () => {
  it("gives the same answer evaluating in a worker thread as the planner's pool does (--as-planner)", () => {
    const inline = probe();
    const asPlanner = probe("--as-planner");
    expect(asPlanner.flows).toBeGreaterThan(0);
    expect(asPlanner.hash).toBe(inline.hash);
    if (process.platform === "linux") expect(asPlanner.threads?.main).toBeGreaterThan(0);
  }, 60_000);

  it("evaluates the planner's own site with --study (the study scaled, its first candidate), the same at each repeat", () => {
    const tiled = probe();
    const study = probe("--study");
    expect(study.flows).toBeGreaterThan(0);
    expect(study.hash).not.toBe(tiled.hash);
    expect(study.later?.every((l) => l.same)).toBe(true);
  }, 60_000);
});
