import { describe, expect, it } from "vitest";
import { Replication } from "../../../src/run/replication.js";
import { parseTopology } from "../../../src/topology/load.js";

// Two hosts, each with an always-backlogged bulk flow, share the 10GbE uplink of a switch
// whose ports may each queue 256 KB (a quarter of its 1 MB): 20 Gb/s offered into 10.
const yaml = (transport: "tcp" | "dctcp") => `
name: dctcp-bottleneck
design: traditional
experiment: { duration: 40ms, warmup: 5ms, seed: 1 }
transport: { bulk: ${transport} }
topology:
  nodes:
    host[1..2]:
      kind: server
      adapters:
        - { name: nic0, type: nic, link: eth-10g, ports: 1, bus: pcie-gen3-x8 }
    tor: { kind: ethernet-switch, ports: { eth: 2, up: 1 }, buffer: 1MB }
    lan: { kind: lan, ports: { p: 1 } }
  links:
    - { endpoints: ["host[1..2]:nic0/1", "tor:eth[1..2]"], type: eth-10g }
    - { endpoints: ["tor:up1", "lan:p1"], type: eth-10g }
workloads:
  - { name: a, on: host1, via: nic0/1, to: lan, pattern: bulk, size: 1MiB, outstanding: 2 }
  - { name: b, on: host2, via: nic0/1, to: lan, pattern: bulk, size: 1MiB, outstanding: 2 }
`;

/** Full-size frame on 10GbE: 1500 B payload + 38 B of Ethernet framing, preamble and gap. */
const PACKET = 1538;

/** Runs the topology, sampling the bottleneck's queue (waiting bytes) every microsecond after warm-up. */
function run(transport: "tcp" | "dctcp") {
  const loaded = parseTopology(yaml(transport), "dctcp.yaml");
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  const topo = loaded.topology;
  const rep = new Replication(topo, 0);
  const up = rep.net.fabric.port("tor:up1");
  const samples: number[] = [];
  const h = rep.sim.handler(() => {
    if (rep.sim.now >= topo.experiment.warmupTicks) samples.push(up.scheduler.bytes / PACKET);
    rep.sim.post(1_000_000, h, null);
  });
  rep.sim.post(1_000_000, h, null);
  const result = rep.result();
  samples.sort((x, y) => x - y);
  const at = (p: number) => samples[Math.floor(p * (samples.length - 1))]!;
  const mean = samples.reduce((x, y) => x + y, 0) / samples.length;
  const flows = [0, 1].flatMap((i) => rep.transport.flowsOf(i));
  return { result, up: up.stats(), mean, p01: at(0.01), p99: at(0.99), flows, windowSeconds: result.windowSeconds };
}

describe("DCTCP on a 10G bottleneck", () => {
  const r = run("dctcp");
  // The switch marks above K = 65 packets (DCTCP's K for 10 Gb/s).
  const K = 65;
  const N = 2;

  it("keeps the bottleneck at least 95 % busy and drops nothing", () => {
    expect(r.up.utilization).toBeGreaterThan(0.95);
    expect(r.up.dropped).toBe(0);
    expect(r.up.ecnMarked).toBeGreaterThan(0);
    for (const w of r.result.workloads) expect(w.tcp!.dropped).toBe(0);
  });

  it("holds the queue near K, within the oscillation DCTCP's analysis predicts", () => {
    // Alizadeh et al., "Data Center TCP", SIGCOMM 2010, §3.3 (N synchronized flows, base RTT):
    //   Q_max = K + N,  A = ½·√(2N(C·RTT + K)),  Q_min = Q_max − A   (packets).
    const baseRtt = Math.min(...r.flows.map((f) => f.minRttTicks)) / 1e12;
    const bdp = (10e9 * (1500 / PACKET) * baseRtt) / 8 / 1500; // C·RTT in packets
    const qMax = K + N;
    const amplitude = 0.5 * Math.sqrt(2 * N * (bdp + K));
    const qMin = qMax - amplitude;
    // Measured: mean 63.1, 1st–99th percentile 58–68 packets; predicted 58.8–67.
    expect(r.mean).toBeGreaterThan(qMin);
    expect(r.mean).toBeLessThan(qMax);
    // A packet of slack each way: marks are decided at arrival, the frame on the wire is not queued.
    expect(r.p01).toBeGreaterThanOrEqual(qMin - 1);
    expect(r.p99).toBeLessThanOrEqual(qMax + 1);
  });

  it("shares the bottleneck evenly (goodput within 10 % of each other)", () => {
    const [a, b] = r.result.workloads.map((w) => w.tcp!.goodputBytes);
    expect(Math.abs(a! - b!) / Math.max(a!, b!)).toBeLessThan(0.1);
  });
});

describe("TCP (Reno) with ECN off on the same bottleneck", () => {
  const r = run("tcp");

  it("fills the port's buffer: the queue reaches its 256 KB cap and overflows", () => {
    const cap = 1_000_000 / 4 / PACKET;
    expect(r.p99).toBeGreaterThan(0.95 * cap);
    expect(r.up.dropped).toBeGreaterThan(0);
    expect(r.up.ecnMarked).toBe(0);
    // Measured mean ≈ 130 packets, twice K: a standing queue that DCTCP avoids.
    expect(r.mean).toBeGreaterThan(1.5 * 65);
    expect(r.up.utilization).toBeGreaterThan(0.95);
  });

  it("sends every dropped segment again: no message is lost", () => {
    for (const w of r.result.workloads) {
      expect(w.dropped).toBe(0);
      expect(w.tcp!.retransmitted).toBeGreaterThan(0);
      expect(w.tcp!.segmentsSent + w.tcp!.retransmitted).toBe(w.tcp!.arrived + w.tcp!.dropped + w.tcp!.inFlight);
    }
  });
});
