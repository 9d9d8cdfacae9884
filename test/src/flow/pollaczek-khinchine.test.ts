import { describe, expect, it } from "vitest";
import { evaluateFlows } from "../../../src/flow/index.js";
import { aggregate } from "../../../src/run/aggregate.js";
import { Replication } from "../../../src/run/replication.js";
import { parseTopology } from "../../../src/topology/load.js";

/** One host sending Poisson messages of `size` to the LAN over one 10GbE link at `rate`. */
function topo(rate: string, size: string) {
  const parsed = parseTopology(
    `name: pk
design: traditional
experiment: { duration: 20ms, warmup: 1ms, seed: 11 }
precision: off
topology:
  nodes:
    host1:
      kind: server
      pcie: { slots: 1 }
      adapters: [{ name: nic0, type: nic, link: eth-10g, ports: 1, bus: pcie-gen3-x8 }]
    lan: { kind: lan, ports: { p: 1 } }
  links:
    - { endpoints: ["host1:nic0/1", "lan:p1"], type: eth-10g }
workloads:
  - { name: web, on: host1, via: nic0/1, to: lan, pattern: poisson, rate: ${rate}, size: ${size} }
`,
    "pk.yaml",
  );
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.topology;
}

const meanOf = (rate: string, size: string): number => evaluateFlows(topo(rate, size)).workloads[0]!.latency.mean!;

describe("the flow screen's queueing delay (Pollaczek–Khinchine, M/G/1)", () => {
  // 1500-B messages: 1538 wire bytes = 1.2304 µs at 10 Gb/s. 4.875 Gb/s of payload loads the
  // port to ρ = 4.875 · 1538/1500 / 10 = 0.5: M/D/1 waits ρS/(2(1 − ρ)) = 0.6152 µs, half of M/M/1's 1.2304 µs.
  const S = 1538 * 8e-10;

  it("makes fixed-size messages wait as M/D/1: ρS/(2(1 − ρ)), half the M/M/1 wait", () => {
    const base = meanOf("1Mbps", "1500B");
    const loaded = meanOf("4.875Gbps", "1500B");
    // The PCIe bus before the NIC port waits too, at its own (small) load: M/D/1 with its own S.
    const flow = evaluateFlows(topo("4.875Gbps", "1500B"));
    const bus = flow.links.find((l) => l.id === "host1/host:nic0")!;
    // A frame crosses Gen3 x8 as six 3DW completions: 1620 B at 62.85 Gb/s (SKP taken off).
    const busS = ((1500 + 6 * 20) * 8) / (64e9 * (128 / 130) * (375 / 376));
    const busWait = (bus.utilization * busS) / (2 * (1 - bus.utilization));
    const portWait = loaded - base - busWait;
    // (The 1-Mb/s base run waits a little too: 0.4 ns in all.)
    expect(portWait).toBeCloseTo((0.5 * S) / (2 * (1 - 0.5)), 9);
    expect(portWait / ((0.5 * S) / (1 - 0.5))).toBeCloseTo(0.5, 2);
  });

  it("makes variable sizes wait longer than fixed ones at the same load", () => {
    const fixed = meanOf("4.875Gbps", "1500B") - meanOf("1Mbps", "1500B");
    const variable =
      meanOf("4.875Gbps", "{ lognormal: { mean: 1500B, cv: 2 } }") -
      meanOf("1Mbps", "{ lognormal: { mean: 1500B, cv: 2 } }");
    expect(variable).toBeGreaterThan(1.5 * fixed);
  });

  it("agrees with the packet level for fixed-size messages within 5 %", () => {
    const t = topo("4.875Gbps", "1500B");
    const packet = aggregate(
      t,
      [0, 1, 2].map((i) => new Replication(t, i).result()),
      0,
    ).workloads[0]!.latency.mean!;
    const flow = meanOf("4.875Gbps", "1500B");
    expect(Math.abs(flow / packet - 1)).toBeLessThan(0.05);
  });
});
