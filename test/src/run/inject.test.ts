import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { TICKS_PER_SECOND } from "../../../sim/units.js";
import { aggregate } from "../../../src/run/aggregate.js";
import { Replication } from "../../../src/run/replication.js";
import { parseTopology } from "../../../src/topology/load.js";
import type { ResolvedFault, ResolvedTopology } from "../../../src/topology/types.js";

// Faults injected while a run is paused (the web visualizer's fail / restore buttons).
const MS = TICKS_PER_SECOND / 1e3;
const loaded = parseTopology(
  readFileSync(new URL("../../../topologies/ucs-rack.yaml", import.meta.url), "utf8"),
  "ucs-rack.yaml",
);
if (!loaded.ok) throw new Error("ucs-rack.yaml does not load");
// A shorter run keeps the test quick; the fault still lands well inside the window.
const topo: ResolvedTopology = {
  ...loaded.topology,
  experiment: { ...loaded.topology.experiment, warmupTicks: 1 * MS, durationTicks: 6 * MS },
};
const FI_A = { kind: "node", node: "fi-a" } as const;

/** The result JSON without the fields allowed to differ (wall time; the fingerprint hashes handler ids). */
function comparable(rep: Replication): string {
  const { wallSeconds: _w, fingerprint: _f, ...rest } = aggregate(topo, [rep.result()], 0);
  return JSON.stringify(rest);
}

describe("Replication.inject", () => {
  it("leaves a run without injections exactly as the CLI's (fingerprint included)", () => {
    const plain = new Replication(topo, 0);
    const sliced = new Replication(topo, 0);
    for (let t = 0; !sliced.done; t += 0.37 * MS) sliced.advanceTo(t);
    expect(JSON.stringify(aggregate(topo, [sliced.result()], 0))).toBe(
      JSON.stringify(aggregate(topo, [plain.result()], 0)),
    );
  });

  it("fails then restores fi-a at runtime: drops with `failed: fi-a`, conservation holds per workload", () => {
    const rep = new Replication(topo, 0);
    rep.advanceTo(2 * MS);
    const fail = rep.inject({ action: "fail", target: FI_A });
    expect(fail.atTicks).toBe(2 * MS + 1);
    rep.advanceTo(4 * MS);
    rep.inject({ action: "restore", target: FI_A });
    const result = rep.result();
    const reasons = result.workloads.flatMap((w) => Object.keys(w.dropReasons));
    expect(reasons).toContain("failed: fi-a");
    for (const w of result.workloads) expect(w.sent, w.name).toBe(w.delivered + w.dropped + w.inFlight);
    expect(result.faults).toHaveLength(1);
    expect(result.faults[0]!.target).toBe("fi-a");
    expect(result.faults[0]!.restoredAt).toBeCloseTo(4e-3 + 1e-12, 15);
  });

  it("gives the same result as the same fault in `faults:` at the same time", () => {
    const rep = new Replication(topo, 0);
    rep.advanceTo(3 * MS);
    const at = rep.inject({ action: "fail", target: FI_A }).atTicks;
    rep.advanceTo(5 * MS);
    const restoreAt = rep.inject({ action: "restore", target: FI_A }).atTicks;
    const faults: ResolvedFault[] = [
      { atTicks: at, action: "fail", target: FI_A },
      { atTicks: restoreAt, action: "restore", target: FI_A },
    ];
    const fromFile = new Replication({ ...topo, faults }, 0);
    expect(comparable(rep)).toBe(comparable(fromFile));
    // And the fault did something: the healthy run differs.
    expect(comparable(rep)).not.toBe(comparable(new Replication(topo, 0)));
  });

  it("refuses an injection after the end of the run", () => {
    const rep = new Replication(topo, 0);
    rep.result();
    expect(() => rep.inject({ action: "fail", target: FI_A })).toThrow(/ended/);
  });
});
