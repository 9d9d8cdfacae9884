import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TICKS_PER_SECOND } from "../../../sim/units.js";
import { Replication } from "../../../src/run/replication.js";
import type { FaultTarget, ResolvedFault, ResolvedTopology } from "../../../src/topology/types.js";
import { design } from "../network/helpers.js";

const US = TICKS_PER_SECOND / 1e6;
const base = design("ucs-chassis.yaml");
// The fixture's bulk flows (fabric A) stay bulk over TCP; fabric B's become Poisson messages
// over TCP (3 Gb/s each): faults hit connections mid-stream.
const topo: ResolvedTopology = {
  ...base,
  workloads: base.workloads.map((w) =>
    w.name.startsWith("b") && w.pattern === "bulk"
      ? {
          name: w.name,
          unit: w.unit,
          read: w.read,
          size: w.size,
          instances: w.instances,
          pattern: "poisson",
          rateBps: 3e9,
          transport: "tcp",
          priority: null,
          sl: null,
        }
      : w,
  ),
  experiment: { ...base.experiment, warmupTicks: 200 * US, durationTicks: 1200 * US },
};

const targets: FaultTarget[] = [
  { kind: "node", node: "fi-a" },
  { kind: "node", node: "iom1a" },
  { kind: "port", node: "blade4", port: "vic0/1" },
  { kind: "module", node: "fi-a", module: "eth1" },
  { kind: "node", node: "blade5" },
];

const fault = fc.record({
  target: fc.constantFrom(...targets),
  at: fc.integer({ min: 0, max: 1300 }),
  length: fc.option(fc.integer({ min: 1, max: 600 }), { nil: null }),
});

describe("TCP connections under faults", () => {
  it("keep the books: messages sent = delivered + dropped + in flight; segments sent = arrived + dropped + in flight", () => {
    expect(topo.workloads.some((w) => w.transport === "tcp" && w.pattern !== "bulk")).toBe(true);
    fc.assert(
      fc.property(
        fc.array(fault, { minLength: 1, maxLength: 2 }),
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
          for (const w of r.workloads) {
            expect(w.sent).toBe(w.delivered + w.dropped + w.inFlight);
            const t = w.tcp;
            if (t !== null && t !== undefined) {
              expect(t.segmentsSent + t.retransmitted).toBe(t.arrived + t.dropped + t.inFlight);
            }
          }
          const f = rep.net.fabric;
          expect(f.injected).toBe(f.delivered + f.dropped + f.countInFlight());
        },
      ),
      { numRuns: 15, seed: 7 },
    );
  });
});
