import { describe, expect, it } from "vitest";
import { Replication } from "../../../src/run/replication.js";
import { parseTopology } from "../../../src/topology/load.js";

// An on/off source whose off periods (exponential, mean 5 µs) are often shorter than one gap between
// its arrivals (mean 12 µs · 100/105 = 11.4 µs during on periods): a gap regularly runs past the end of
// the on period and past the whole off period after it.
const text = `name: onoff
design: traditional
experiment: { duration: 10ms, warmup: 0ms, seed: 1 }
topology:
  nodes:
    host1:
      kind: server
      pcie: { slots: 1 }
      adapters: [{ name: nic0, type: nic, link: eth-10g, ports: 1, bus: pcie-gen2-x8 }]
    lan: { kind: lan, ports: { p: 1 } }
  links:
    - { endpoints: ["host1:nic0/1", "lan:p1"], type: eth-10g }
workloads:
  - name: bursty
    on: host1
    via: nic0/1
    to: lan
    pattern: onoff
    rate: 1Gbps
    size: 1500B
    burst: { on: { exponential: 100us }, off: { exponential: 5us } }
`;

describe("an on/off workload with off periods shorter than its gaps", () => {
  const loaded = parseTopology(text, "onoff.yaml");
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  const topo = loaded.topology;

  it("runs to the end for 12 seeds and offers its mean rate (pooled, within 3 %)", () => {
    // Poisson at rate · (E[on] + E[off]) / E[on] during on periods → rate on average: 1 Gb/s over 12 × 10 ms.
    let bytes = 0;
    for (let seed = 1; seed <= 12; seed++) {
      const r = new Replication(topo, 0, seed).result();
      expect(r.simulatedSeconds).toBe(0.01);
      bytes += r.workloads[0]!.offeredBytes;
    }
    const offered = (bytes * 8) / (12 * 0.01);
    expect(Math.abs(offered - 1e9) / 1e9).toBeLessThan(0.03);
  });
});
