import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TICKS_PER_SECOND } from "../../../sim/units.js";
import { Replication } from "../../../src/run/replication.js";
import type { FaultTarget, ResolvedFault, ResolvedTopology } from "../../../src/topology/types.js";
import { design } from "../network/helpers.js";

const US = TICKS_PER_SECOND / 1e6;
const base = design("ucs-chassis.yaml");
// Fabric B lossless (PFC), fabric A lossy: faults hit both kinds of port.
const topo: ResolvedTopology = {
  ...base,
  links: base.links.map((l) =>
    l.a.node.startsWith("iom1b") || l.b.node.startsWith("iom1b") ? { ...l, lossless: true } : l,
  ),
  experiment: { ...base.experiment, warmupTicks: 200 * US, durationTicks: 1200 * US },
};

const targets: FaultTarget[] = [
  { kind: "node", node: "fi-a" },
  { kind: "node", node: "fi-b" },
  { kind: "node", node: "iom1a" },
  { kind: "node", node: "iom1b" },
  { kind: "port", node: "iom1b", port: "fabric2" },
  { kind: "port", node: "blade4", port: "vic0/1" },
  { kind: "adapter", node: "blade2", adapter: "vic0" },
  { kind: "module", node: "fi-a", module: "eth1" },
  { kind: "node", node: "blade5" },
];

const fault = fc.record({
  target: fc.constantFrom(...targets),
  at: fc.integer({ min: 0, max: 1300 }),
  length: fc.option(fc.integer({ min: 1, max: 600 }), { nil: null }),
});

describe("faults keep the books balanced", () => {
  it("sent = delivered + dropped + in flight (walked), for random faults, restores and failover times", () => {
    fc.assert(
      fc.property(
        fc.array(fault, { minLength: 1, maxLength: 3 }),
        fc.option(fc.integer({ min: 0, max: 500 }), { nil: null }),
        (fs, failover) => {
          const faults: ResolvedFault[] = fs
            .flatMap((f): ResolvedFault[] => [
              { atTicks: f.at * US, action: "fail", target: f.target },
              ...(f.length === null
                ? []
                : [{ atTicks: (f.at + f.length) * US, action: "restore" as const, target: f.target }]),
            ])
            .sort((a, b) => a.atTicks - b.atTicks);
          const rep = new Replication(topo, 0, 3, { faults, failoverTicks: failover === null ? null : failover * US });
          const r = rep.result();
          for (const w of r.workloads) expect(w.sent).toBe(w.delivered + w.dropped + w.inFlight);
          const f = rep.net.fabric;
          expect(f.injected).toBe(f.delivered + f.dropped + f.countInFlight());
          for (const x of r.faults) expect(x.outageSeconds).toBeGreaterThanOrEqual(0);
        },
      ),
      { numRuns: 25, seed: 42 },
    );
  });

  it("a restored lossless link carries traffic again (no credit or PFC state leaks)", () => {
    const faults: ResolvedFault[] = [
      { atTicks: 300 * US, action: "fail", target: { kind: "node", node: "iom1b" } },
      { atTicks: 500 * US, action: "restore", target: { kind: "node", node: "iom1b" } },
    ];
    const delivered = (fs: ResolvedFault[]): number => {
      const rep = new Replication(topo, 0, 3, { faults: fs, failoverTicks: null });
      rep.advanceTo(800 * US);
      const mid = rep.stats.filter((s) => s.name.startsWith("b")).reduce((a, s) => a + s.delivered, 0);
      rep.advanceTo(rep.endTicks);
      return rep.stats.filter((s) => s.name.startsWith("b")).reduce((a, s) => a + s.delivered, 0) - mid;
    };
    // Fabric B's workloads deliver as much after the restore as they do in a run without the fault (within 5 %).
    const after = delivered(faults);
    const healthy = delivered([]);
    expect(Math.abs(after - healthy) / healthy).toBeLessThan(0.05);
  });
});
