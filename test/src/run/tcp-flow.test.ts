import { describe, expect, it } from "vitest";
import { aggregate } from "../../../src/run/aggregate.js";
import { Replication } from "../../../src/run/replication.js";
import { parseTopology } from "../../../src/topology/load.js";

// Two hosts, each with an always-backlogged bulk flow, share one 10GbE uplink of a
// lossy switch (1 MB buffer, 256 KB per port): 20 Gb/s offered into 10.
const YAML = `
name: tcp-share
design: traditional
experiment: { duration: 20ms, warmup: 5ms, seed: 3 }
topology:
  nodes:
    host[1..2]:
      kind: server
      adapters:
        - { name: nic0, type: nic, link: eth-10g, ports: 1, bus: pcie-gen2-x8 }
    tor: { kind: ethernet-switch, ports: { eth: 2, up: 1 }, buffer: 1MB }
    lan: { kind: lan, ports: { p: 1 } }
  links:
    - { endpoints: ["host[1..2]:nic0/1", "tor:eth[1..2]"], type: eth-10g }
    - { endpoints: ["tor:up1", "lan:p1"], type: eth-10g }
workloads:
  - { name: a, on: host1, via: nic0/1, to: lan, pattern: bulk, size: 1MiB, outstanding: 2 }
  - { name: b, on: host2, via: nic0/1, to: lan, pattern: bulk, size: 1MiB, outstanding: 2 }
`;

describe("bulk flows send through a TCP-like window", () => {
  const r = parseTopology(YAML, "tcp-share.yaml");
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  const result = aggregate(r.topology, [new Replication(r.topology, 0).result()], 0);
  const a = result.workloads.find((w) => w.name === "a")!;
  const b = result.workloads.find((w) => w.name === "b")!;
  const uplink = result.links.find((l) => l.id === "tor:up1")!;

  it("keep the congested uplink busy and lose no message: congestion drops are sent again", () => {
    expect(uplink.dropped).toBeGreaterThan(0);
    expect(uplink.utilization).toBeGreaterThan(0.95);
    expect(a.dropped + b.dropped).toBe(0);
    for (const w of [a, b]) expect(w.sent).toBe(w.delivered + w.dropped + w.inFlight);
  });

  it("share the bottleneck roughly evenly (each 35–65 % of the delivered total)", () => {
    // AIMD converges towards fairness; over 20 ms with 1 MiB messages the split is coarse.
    const share = a.deliveredBps / (a.deliveredBps + b.deliveredBps);
    expect(share).toBeGreaterThan(0.35);
    expect(share).toBeLessThan(0.65);
    // 10 Gb/s · 1500/1538 = 9.75 Gb/s of goodput at most; whole 1 MiB messages only count when done.
    expect(a.deliveredBps + b.deliveredBps).toBeGreaterThan(8e9);
  });
});
