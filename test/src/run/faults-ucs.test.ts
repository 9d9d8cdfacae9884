import { describe, expect, it } from "vitest";
import { TICKS_PER_SECOND } from "../../../sim/units.js";
import { Replication } from "../../../src/run/replication.js";
import type { ResolvedFault, ResolvedTopology } from "../../../src/topology/types.js";
import { design, ETH10, once, PAYLOAD_PER_WIRE, relErr } from "../network/helpers.js";

// The UCS chassis fixture (test/fixtures/designs/ucs-chassis.yaml): 8 blades, each backlogged on
// fabric A (aN via vnic-a) and fabric B (bN via vnic-b); IOM A and IOM B have 4 × 10G uplinks each.
const US = TICKS_PER_SECOND / 1e6;
const base = design("ucs-chassis.yaml");
const topo: ResolvedTopology = {
  ...base,
  experiment: { ...base.experiment, warmupTicks: 500 * US, durationTicks: 3000 * US },
};
const failFiA: ResolvedFault = { atTicks: 500 * US, action: "fail", target: { kind: "node", node: "fi-a" } };
const FAILOVER = 300 * US;
const LINE = ETH10.dataRateBps;

/** Goodput per blade (both its workloads) between `from` and the end of the run, bits per second. */
function perBlade(failover: number | null, faults: readonly ResolvedFault[], from: number) {
  const rep = new Replication(topo, 0, topo.experiment.seed, { failoverTicks: failover, faults });
  rep.advanceTo(from);
  const before = new Map(rep.stats.map((s) => [s.name, s.deliveredBytes]));
  const result = rep.result();
  const seconds = (rep.endTicks - from) / TICKS_PER_SECOND;
  const rate = (w: string): number =>
    ((rep.stats.find((s) => s.name === w)!.deliveredBytes - before.get(w)!) * 8) / seconds;
  const blades = [1, 2, 3, 4, 5, 6, 7, 8].map((b) => rate(`a${b}`) + rate(`b${b}`));
  return { rep, result, blades, rate };
}

describe("UCS: fabric interconnect A fails with every blade saturated on both fabrics", () => {
  const healthy = once(() => perBlade(FAILOVER, [], 1500 * US));
  const failed = once(() => perBlade(FAILOVER, [failFiA], 1500 * US));
  const off = once(() => perBlade(null, [failFiA], 1500 * US));

  it("halves per-blade throughput after failover: 10 Gb/s → 5 Gb/s (2:1 over IOM B's 4 uplinks, within 5 %)", () => {
    // Healthy: 2 fabrics × 4 × 10G / 8 blades = 10 Gb/s line rate per blade; after failover every vNIC
    // rides fabric B: 4 × 10G / 8 = 5 Gb/s. Goodput = line rate · 1500/1538.
    for (const g of healthy().blades) expect(relErr(g, 2 * ((4 * LINE) / 8) * PAYLOAD_PER_WIRE)).toBeLessThan(0.05);
    for (const g of failed().blades) expect(relErr(g, ((4 * LINE) / 8) * PAYLOAD_PER_WIRE)).toBeLessThan(0.05);
  });

  it("fails every vNIC-A over within the configured time and loses no workload's path", () => {
    const f = failed().result.faults;
    expect(f).toHaveLength(1);
    expect(f[0]!.target).toBe("fi-a");
    expect(f[0]!.affectedServers).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((b) => `blade${b}`));
    expect(f[0]!.affectedWorkloads).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((b) => `a${b}`));
    expect(f[0]!.outageSeconds).toBeCloseTo(FAILOVER / TICKS_PER_SECOND, 12);
    expect(f[0]!.strandedFlows).toBe(0);
    expect(f[0]!.lost).toBeGreaterThan(0);
    // After failover the a-flows leave through vic0/2 (fabric B), pinned to vnic-b's FI-B uplink.
    const w = topo.workloads.find((x) => x.name === "a3")!;
    const ports = failed()
      .rep.net.routes(w.instances[0]!, "a3:blade3", 0, "message")
      .forward.ports.map((p) => p.id);
    expect(ports).toContain("blade3:vic0/2");
    expect(ports).toContain("fi-b:eth1/3");
    expect(ports.some((id) => id.startsWith("fi-a"))).toBe(false);
    for (let b = 1; b <= 8; b++) expect(failed().rate(`a${b}`)).toBeGreaterThan(0);
  });

  it("without fabric failover, exactly the fabric-A workloads lose their path for the rest of the run", () => {
    const f = off().result.faults[0]!;
    expect(f.strandedFlows).toBe(8);
    expect(f.outageSeconds).toBeCloseTo(
      (topo.experiment.warmupTicks + topo.experiment.durationTicks - failFiA.atTicks) / TICKS_PER_SECOND,
      12,
    );
    for (let b = 1; b <= 8; b++) {
      expect(off().rate(`a${b}`)).toBe(0);
      expect(relErr(off().rate(`b${b}`), ((4 * LINE) / 8) * PAYLOAD_PER_WIRE)).toBeLessThan(0.05);
    }
    const reasons = off().result.workloads.find((w) => w.name === "a1")!.dropReasons;
    expect(Object.keys(reasons)).toEqual(["failed: fi-a"]);
  });

  it("conserves messages: sent = delivered + dropped + in flight, per workload", () => {
    for (const r of [failed().result, off().result])
      for (const w of r.workloads) expect(w.sent).toBe(w.delivered + w.dropped + w.inFlight);
  });
});
