import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Replication } from "../../../src/run/replication.js";
import { parseTopology } from "../../../src/topology/load.js";

const rack = readFileSync(new URL("../../../topologies/traditional-rack.yaml", import.meta.url), "utf8");

function run(faults: string, failoverTicks: number | null) {
  const r = parseTopology(`${rack}\nfaults:\n${faults}`, "traditional-rack.yaml");
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return new Replication(r.topology, 0, r.topology.experiment.seed, { failoverTicks }).result();
}

describe("storage I/O retried by multipathing", () => {
  // SAN fabric A fails at 5 ms; after a 1 ms failover the hosts' multipath layer re-issues
  // the I/Os it lost on fabric B: none is lost for good, and the retries are counted.
  const withFailover = run("  - { at: 5ms, action: fail, target: san-a }\n", 1e9);

  it("re-issues the I/Os lost on the failed fabric and loses none of them", () => {
    const fault = withFailover.faults.find((f) => f.target === "san-a")!;
    expect(fault.retried).toBeGreaterThan(0);
    for (const w of withFailover.workloads.filter((x) => x.unit === "io")) {
      expect(w.dropped).toBe(0);
      expect(w.sent).toBe(w.delivered + w.dropped + w.inFlight);
    }
  });

  it("keeps them queued while no path exists, counting them in flight (failover off)", () => {
    const stranded = run("  - { at: 5ms, action: fail, target: san-a }\n", null);
    const io = stranded.workloads.filter((x) => x.unit === "io");
    expect(io.some((w) => w.inFlight > 10)).toBe(true);
    for (const w of io) expect(w.sent).toBe(w.delivered + w.dropped + w.inFlight);
  });

  it("does not retry network messages: they stay lost", () => {
    const lan = run("  - { at: 5ms, action: fail, target: sw1g-a1 }\n", 1e9);
    const vmLan = lan.workloads.find((w) => w.name === "vm-lan")!;
    expect(vmLan.dropped).toBeGreaterThan(0);
  });
});
