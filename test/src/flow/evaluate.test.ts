import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { expandStudy } from "../../../src/design/index.js";
import { evaluateFlows } from "../../../src/flow/index.js";
import { scaleStudy } from "../../../src/planner/site-scale.js";
import { parseStudy } from "../../../src/study/index.js";
import { parseTopology } from "../../../src/topology/load.js";
import { design, GOODPUT_10G_1500, PAYLOAD_PER_WIRE, relErr, run } from "../network/helpers.js";

// Four backlogged hosts share one 10GbE port of an MR-IOV adapter (test/fixtures/designs/mriov-4.yaml).
const FILE = "mriov-4.yaml";
const HOSTS = ["h1", "h2", "h3", "h4"];
const limited = (t: string) => t.replace("hosts: host[1..4]", "hosts: host[1..4]\n      limit: { host1: 1Gbps }");

function delivered(r: ReturnType<typeof evaluateFlows>, name: string): number {
  return r.workloads.find((w) => w.name === name)!.deliveredBps;
}

describe("flow level on a shared MR-IOV adapter", () => {
  it("gives 4 elastic hosts a quarter of the shared port each, in goodput (1500/1538 of line rate)", () => {
    const r = evaluateFlows(design(FILE));
    for (const h of HOSTS) expect(relErr(delivered(r, h), GOODPUT_10G_1500 / 4)).toBeLessThan(1e-9);
    expect(r.links.find((l) => l.id === "sa1:eth1")!.utilization).toBeCloseTo(1, 9);
    for (const h of HOSTS) expect(r.workloads.find((w) => w.name === h)!.bottlenecks).toEqual(["sa1:eth1"]);
  });

  it("honours a per-host shaper: host1 at its 1 Gb/s limit, the others share the rest (agrees with packet level within 3 %)", () => {
    const topo = design(FILE, limited);
    const r = evaluateFlows(topo);
    const h1 = 1e9 * PAYLOAD_PER_WIRE;
    const rest = (GOODPUT_10G_1500 - h1) / 3;
    expect(relErr(delivered(r, "h1"), h1)).toBeLessThan(1e-6);
    expect(r.workloads.find((w) => w.name === "h1")!.bottlenecks[0]).toMatch(/^shaper /);
    for (const h of ["h2", "h3", "h4"]) expect(relErr(delivered(r, h), rest)).toBeLessThan(1e-6);
    const packet = run(topo);
    for (const h of HOSTS) expect(relErr(delivered(r, h), packet.goodput.get(h)!), h).toBeLessThan(0.03);
  });

  it("without shapers the limit is ignored (option)", () => {
    const r = evaluateFlows(design(FILE, limited), { shapers: false });
    expect(relErr(delivered(r, "h1"), GOODPUT_10G_1500 / 4)).toBeLessThan(1e-9);
  });

  it("re-solves for the active set: a host alone gets the whole port", () => {
    const r = evaluateFlows(design(FILE), { active: (w) => w === "h3" });
    expect(relErr(delivered(r, "h3"), GOODPUT_10G_1500)).toBeLessThan(1e-9);
    for (const h of ["h1", "h2", "h4"]) expect(delivered(r, h)).toBe(0);
  });

  it("is deterministic", () => {
    const a = evaluateFlows(design(FILE, limited));
    const b = evaluateFlows(design(FILE, limited));
    expect(a.workloads).toEqual(b.workloads);
    expect(a.links).toEqual(b.links);
  });
});

describe("flow level for an open-loop workload its path cannot carry", () => {
  /** One server, its FC HBA cabled straight to an array (lossless: buffer-to-buffer credits), and one I/O workload. */
  const fc = (iops: number) =>
    parseTopology(
      `name: t
design: traditional
topology:
  nodes:
    h1:
      kind: server
      adapters:
        - { name: hba0, type: hba, link: fc-4g, ports: 1, bus: pcie-gen2-x4 }
    array: { kind: storage-array, ports: { fc: 1 } }
  links:
    - { endpoints: ["h1:hba0/1", "array:fc1"], type: fc-4g }
workloads:
  - { name: io, on: h1, via: hba0/1, to: array, pattern: iops, iops: ${iops}, read: 0, size: 8KiB }
`,
      "fc.yaml",
    );

  it("has no latency once the offered I/O exceeds a lossless path (the excess waits at the source, unbounded)", () => {
    const under = fc(20_000);
    const over = fc(80_000);
    if (!under.ok || !over.ok) throw new Error("fixture");
    const a = evaluateFlows(under.topology).workloads[0]!;
    expect(a.deliveredBps).toBeCloseTo(a.offeredBps, 0);
    expect(a.latency.p99).not.toBeNull();
    // 80,000 x 8 KiB = 5.2 Gb/s of data on a 4G FC link (3.4 Gb/s of payload): held back, nothing dropped.
    const b = evaluateFlows(over.topology).workloads[0]!;
    expect(b.deliveredBps).toBeLessThan(0.7 * b.offeredBps);
    expect(b.lossRatio).toBe(0);
    expect(b.latency).toEqual({ mean: null, p99: null });
  });

  it("has no latency either where the saturated port carries classes (UCS: FCoE in the no-drop fc class)", () => {
    // The built-in study at 128 servers with the storage-heavy hosts at 16,000 x 64 KiB, one uplink per IOM:
    // the last chassis's IOM B holds storage-heavy at 99.2 % of its offered rate. Before this rule its
    // class queue's wait looked finite (p99 0.89 ms, "met") while its I/Os piled up at the hosts.
    const text = readFileSync(new URL("../../../topologies/studies/last-mile.yaml", import.meta.url), "utf8");
    const study = parseStudy(text.replace("iops: 8000, read: 0.5", "iops: 16000, read: 0.5"), "study.yaml");
    if (!study.ok) throw new Error("study");
    const yaml = expandStudy(scaleStudy(study.study, 128), "ucs", {
      fiModel: "6248up",
      iomUplinks: 1,
      fiLanUplinks: 5,
      fiFcUplinks: 10,
      lanFailover: "teaming",
      bulkPinGroup: 0,
      sanArrayPorts: 15,
      sanIsl: 11,
    });
    const topo = parseTopology(yaml, "ucs.yaml");
    if (!topo.ok) throw new Error("topology");
    const w = evaluateFlows(topo.topology).workloads.find((x) => x.name === "storage-heavy")!;
    expect(w.deliveredBps).toBeLessThan(w.offeredBps * 0.999);
    expect(w.bottlenecks).toEqual(["iom16b:fabric1"]);
    expect(w.latency.p99).toBeNull();
  });
});

describe("flow level at a director's Ethernet module port", () => {
  // Two servers on one director, one 10GbE module port to the LAN: host1's backup stream saturates it,
  // small messages leave through it too, from host2 (its own queue there) or from host1 (the stream's).
  const topology = (messagesFrom: string) => `
name: director-port
design: director
experiment: { duration: 4ms, warmup: 1ms, replications: 1, seed: 3 }
topology:
  nodes:
    host[1..2]:
      kind: server
      adapters:
        - name: hca0
          type: hca
          link: ib-qdr-4x
          ports: 1
          bus: pcie-gen2-x8
          vifs:
            - { name: vnic1, type: vnic, port: hca0/1, committed: 5Gbps, peak: 10Gbps }
            - { name: vnic2, type: vnic, port: hca0/1, committed: 5Gbps, peak: 10Gbps }
    dir:
      kind: io-director
      ports: { ib: 2 }
      modules:
        - { name: eth1, link: eth-10g, ports: 1 }
    lan:
      kind: lan
      ports: { p: 1 }
  links:
    - { endpoints: ["host[1..2]:hca0/1", "dir:ib[1..2]"], type: ib-qdr-4x, length: 3m }
    - { endpoints: ["dir:eth1/1", "lan:p1"], type: eth-10g, length: 3m }
workloads:
  - { name: backup, on: host1, via: vnic1, to: lan, pattern: bulk, size: 1MiB, outstanding: 4 }
  - { name: messages, on: ${messagesFrom}, via: vnic2, to: lan, pattern: poisson, rate: 100Mbps, size: 256B }
`;
  const load = (text: string) => {
    const parsed = parseTopology(text, "director-port.yaml");
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    return parsed.topology;
  };
  const messages = (r: ReturnType<typeof evaluateFlows>) => r.workloads.find((w) => w.name === "messages")!;

  it("does not flag messages in another server's queue (the stream keeps to its share of the buffer)", () => {
    const topo = load(topology("host2"));
    const flow = messages(evaluateFlows(topo));
    expect(flow.lossyContention).toBe(false);
    // They wait for one 1 MiB-stream frame at most (1.23 µs at 10GbE), not for the stream's standing queue.
    expect(flow.latency.p99!).toBeLessThan(10e-6);
    const packet = run(topo).result.workloads.find((w) => w.name === "messages")!;
    expect(packet.dropped).toBe(0);
    expect(packet.latencyP99!).toBeLessThan(20e-6);
  });

  it("flags them when they share the stream's queue (same server): they wait behind it, at packet level too", () => {
    const topo = load(topology("host1"));
    const flow = messages(evaluateFlows(topo));
    expect(flow.lossyContention).toBe(true);
    const packet = run(topo).result.workloads.find((w) => w.name === "messages")!;
    // At packet level the stream's queue at the director stays within what the InfiniBand credits let in
    // (55 µs of it); the flow level takes the stream's whole share of the buffer (320 KiB, 262 µs): an
    // upper bound, and the flag sends the row to the packet level.
    expect(packet.latencyP99!).toBeGreaterThan(40e-6);
    expect(flow.latency.p99!).toBeGreaterThan(packet.latencyP99!);
  });
});
