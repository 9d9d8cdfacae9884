import { describe, expect, it } from "vitest";
import {
  formatIssues,
  parseTopology,
  type ResolvedNode,
  type ResolvedTopology,
  type ServerNode,
} from "../../../src/topology/index.js";
import { IO_LANE_BPS, ioLanes, MAX_IO_LANES } from "../../../src/topology/resolve-workloads.js";

/** A file around `nodes`, `links` (YAML text, indented as under `topology:`) and optional top-level extras. */
function file(nodes: string, links = "", extra = ""): string {
  return `name: t\ndesign: traditional\ntopology:\n  nodes:\n${nodes}\n  links:\n${links || "    []"}\n${extra}`;
}

function load(text: string): ResolvedTopology {
  const r = parseTopology(text, "t.yaml");
  if (!r.ok) throw new Error(formatIssues(r.issues));
  return r.topology;
}

/** `path: message` of each issue, in position order (positions themselves are covered by load.test.ts). */
function problems(text: string): string[] {
  const r = parseTopology(text, "t.yaml");
  if (r.ok) throw new Error("expected the file to be rejected");
  return r.issues.map((i) => `${i.path}: ${i.message}`);
}

function node(t: ResolvedTopology, name: string): ResolvedNode {
  const n = t.nodes.find((x) => x.name === name);
  if (n === undefined) throw new Error(`no ${name}`);
  return n;
}

const SERVER = `    h[1..2]:
      kind: server
      vms: 3
      adapters:
        - { name: nic0, type: nic, link: eth-10g, ports: 2, bus: pcie-gen3-x8, vfs: 2 }
        - { name: hba0, type: hba, link: fc-8g, ports: 1, bus: pcie-gen2-x4 }`;
const SWITCH = `    sw:
      kind: ethernet-switch
      ports: { eth: 4, up: 1 }`;
const LAN = `    lan: { kind: lan, ports: { p: 1 } }`;
const ARRAY = `    array: { kind: storage-array, ports: { fc: 2 } }`;
const NODES = [SERVER, SWITCH, LAN, ARRAY].join("\n");
const LINKS = `    - { endpoints: ["h[1..2]:nic0/1", "sw:eth[1..2]"], type: eth-10g }
    - { endpoints: ["sw:up1", "lan:p1"], type: eth-10g }`;
/** LINKS and every other port of the servers, so workloads may leave through any of them (the semantic pass). */
const ALL_LINKS = `${LINKS}
    - { endpoints: ["h[1..2]:nic0/2", "sw:eth[3..4]"], type: eth-10g }
    - { endpoints: ["h[1..2]:hba0/1", "array:fc[1..2]"], type: fc-8g }`;

describe("nodes", () => {
  it("name every port per the format: adapter ports, group ports, module ports", () => {
    const t = load(file(NODES, LINKS));
    expect(node(t, "h1").ports.map((p) => p.name)).toEqual(["nic0/1", "nic0/2", "hba0/1"]);
    expect(node(t, "sw").ports.map((p) => p.name)).toEqual(["eth1", "eth2", "eth3", "eth4", "up1"]);
  });

  it("know each adapter port's protocol, and the families a switch port takes", () => {
    const t = load(file(NODES, LINKS));
    expect(node(t, "h1").ports[2]).toMatchObject({
      protocol: "fc-8g",
      families: ["fibre-channel"],
      group: "hba0",
      index: 1,
    });
    expect(node(t, "sw").ports[0]).toMatchObject({ protocol: null, families: ["ethernet"] });
  });

  it("record each port's peer and link", () => {
    const t = load(file(NODES, LINKS));
    expect(node(t, "h2").ports[0]).toMatchObject({ peer: { node: "sw", port: "eth2" }, link: 1 });
    expect(node(t, "h2").ports[1]).toMatchObject({ peer: null, link: null });
  });

  it("fill in defaults and parse units: switch latency in ticks, buffer in bytes", () => {
    const t = load(file(NODES, LINKS));
    expect(node(t, "sw")).toMatchObject({ forwarding: "cut-through", latencyTicks: 500_000, bufferBytes: 9_000_000 });
    expect(node(t, "array")).toMatchObject({ media: "flash", service: null, concurrency: 64 });
    expect(node(t, "h1")).toMatchObject({ vms: ["vm1", "vm2", "vm3"], chassis: null, pcieSlots: null });
  });

  it("zip a ranged field value with the key in consecutive blocks", () => {
    const t = load(file("    b[1..4]: { kind: server, chassis: 'c[1..2]' }"));
    expect(t.nodes.map((n) => (n as ServerNode).chassis)).toEqual(["c1", "c1", "c2", "c2"]);
  });

  it("reject a ranged field value that does not fit the key", () => {
    expect(problems(file("    b[1..4]: { kind: server, chassis: 'c[1..3]' }"))).toEqual([
      "topology.nodes.b1.chassis: c[1..3] expands to 3 names and the key b[1..4] to 4: " +
        "a range in a field value must expand to as many names as the key, to one, or to a divisor of that",
    ]);
  });

  it("give a shared adapter a bus port for its PCIe slot, and expand its hosts as a list", () => {
    const t = load(
      file(
        "    h[1..3]: { kind: server }\n" +
          "    sa: { kind: shared-adapter, ports: { eth: 2 }, bus: pcie-gen2-x8, link: eth-10g, hosts: 'h[1..3]' }",
      ),
    );
    expect(node(t, "sa")).toMatchObject({
      hosts: ["h1", "h2", "h3"],
      arbitration: "round-robin",
      weights: { h1: 1, h2: 1, h3: 1 },
      limitBps: {},
    });
    expect(node(t, "sa").ports.at(-1)).toMatchObject({ name: "bus", protocol: "pcie-gen2-x8", families: ["pcie"] });
  });

  it("check a shared adapter's hosts, weights and limits", () => {
    const sa =
      "    h1: { kind: server }\n    sw: { kind: ethernet-switch, ports: { e: 1 } }\n" +
      "    sa: { kind: shared-adapter, ports: { eth: 2 }, bus: pcie-gen2-x8, link: eth-10g, hosts: [h1, sw, h9], " +
      "weights: { h1: 2 }, limit: { h2: 1Gbps } }";
    expect(problems(file(sa))).toEqual([
      "topology.nodes.sa.hosts: sw is an ethernet-switch, not a server",
      "topology.nodes.sa.hosts: no node named h9",
      "topology.nodes.sa.weights: weights need arbitration: weighted",
      "topology.nodes.sa.limit.h2: h2 is not one of this adapter's hosts",
    ]);
  });

  it("reject more adapters than PCIe slots", () => {
    expect(problems(file(SERVER.replace("vms: 3", "vms: 3\n      pcie: { slots: 1 }")))).toEqual([
      "topology.nodes.h1.adapters: 2 adapters need 2 PCIe slots; pcie.slots is 1 (also in 1 more of h[1..2])",
    ]);
  });

  it("reject an adapter whose link does not match its type", () => {
    expect(
      problems(
        file("    h: { kind: server, adapters: [{ name: a, type: hba, link: eth-10g, ports: 1, bus: pcie-gen2-x4 }] }"),
      ),
    ).toEqual(["topology.nodes.h.adapters[0].link: an hba's ports are Fibre Channel: expected fc-…, got eth-10g"]);
  });

  it("reject a bus that is not PCIe", () => {
    expect(
      problems(
        file("    h: { kind: server, adapters: [{ name: a, type: nic, link: eth-10g, ports: 1, bus: eth-10g }] }"),
      ),
    ).toEqual(['topology.nodes.h.adapters[0].bus: expected a PCIe link id like "pcie-gen3-x8", got "eth-10g"']);
  });

  const VIC = (vifs: string, max = 4) =>
    `    b: { kind: server, adapters: [{ name: vic0, type: vic, link: eth-10g, ports: 2, bus: pcie-gen2-x16, maxVifs: ${max}, vifs: [${vifs}] }] }`;

  it("resolve vifs with rates in bits per second", () => {
    const t = load(file(VIC("{ name: a, type: vnic, port: vic0/2, committed: 1Gbps, peak: 5Gbps, fabric: B }")));
    expect((node(t, "b") as ServerNode).adapters[0]?.vifs).toEqual([
      { name: "a", type: "vnic", port: "vic0/2", committedBps: 1e9, peakBps: 5e9, fabric: "B", pin: null, mtu: null },
    ]);
  });

  it("reject more vifs than maxVifs, a vif on a port its adapter lacks, and duplicate vif names", () => {
    const vifs = "{ name: a, type: vnic, port: vic0/1 }, { name: a, type: vhba, port: vic0/3 }";
    expect(problems(file(VIC(vifs, 1)))).toEqual([
      "topology.nodes.b.adapters[0].vifs: 2 vifs are more than maxVifs 1",
      "topology.nodes.b.adapters[0].vifs[1].name: duplicate vif name a",
      "topology.nodes.b.adapters[0].vifs[1].port: vic0/3 is not a port of vic0; its ports are vic0/1, vic0/2",
    ]);
  });

  it("reject committed rates above peak or above the port's rate", () => {
    const vifs =
      "{ name: a, type: vnic, port: vic0/1, committed: 6Gbps, peak: 2Gbps }, { name: b, type: vnic, port: vic0/1, committed: 6Gbps }";
    expect(problems(file(VIC(vifs)))).toEqual([
      "topology.nodes.b.adapters[0].vifs: committed rates on vic0/1 add up to 12 Gb/s, more than its 10 Gb/s",
      "topology.nodes.b.adapters[0].vifs[0].committed: committed 6Gbps is more than peak 2Gbps",
    ]);
  });

  it("resolve and check vif pins", () => {
    const pinned = (pin: string) => [VIC(`{ name: a, type: vnic, port: vic0/1, pin: "${pin}" }`), SWITCH].join("\n");
    expect((node(load(file(pinned("sw:up1"))), "b") as ServerNode).adapters[0]?.vifs[0]?.pin).toEqual({
      node: "sw",
      port: "up1",
    });
    expect(problems(file(pinned("sw:up2")))).toEqual([
      "topology.nodes.b.adapters[0].vifs[0].pin: sw has no port up2; its ports are eth1 … eth4, up1",
    ]);
  });

  it("give a storage array media or service times, not both", () => {
    const t = load(
      file("    a: { kind: storage-array, ports: { fc: 1 }, service: { read: 100us, write: { exponential: 50us } } }"),
    );
    expect(node(t, "a")).toMatchObject({
      media: null,
      service: { read: { kind: "constant", value: 1e8 }, write: { kind: "exponential", mean: 5e7 } },
    });
    expect(
      problems(
        file("    a: { kind: storage-array, ports: { fc: 1 }, media: disk, service: { read: 1ms, write: 1ms } }"),
      ),
    ).toEqual(["topology.nodes.a.service: give media (a preset) or service (explicit times), not both"]);
  });
});

describe("links", () => {
  it("propagate 5 ns per metre, 2 m by default, or an explicit delay", () => {
    const links = `    - { endpoints: ["h1:nic0/1", "sw:eth1"], type: eth-10g }
    - { endpoints: ["h1:nic0/2", "sw:eth2"], type: eth-10g, length: 0.5m }
    - { endpoints: ["h2:nic0/1", "sw:eth3"], type: eth-10g, delay: 1us }`;
    const t = load(file(NODES, links));
    expect(t.links.map((l) => [l.lengthMetres, l.propagationTicks])).toEqual([
      [2, 10_000],
      [0.5, 2_500],
      [null, 1_000_000],
    ]);
  });

  it("are lossless only when asked on Ethernet, and always on FC", () => {
    const links = `    - { endpoints: ["h1:nic0/1", "sw:eth1"], type: eth-10g, lossless: true, buffer: 64KiB }
    - { endpoints: ["h1:nic0/2", "sw:eth2"], type: eth-10g }
    - { endpoints: ["h1:hba0/1", "array:fc1"], type: fc-8g }`;
    const t = load(file(NODES, links));
    expect(t.links.map((l) => [l.family, l.lossless, l.bufferBytes])).toEqual([
      ["ethernet", true, 65_536],
      ["ethernet", false, null],
      ["fibre-channel", true, null],
    ]);
  });

  it("reject lossless: false on FC, a buffer on a lossy link, and length with delay", () => {
    const links = `    - { endpoints: ["h1:hba0/1", "array:fc1"], type: fc-8g, lossless: false }
    - { endpoints: ["h1:nic0/2", "sw:eth2"], type: eth-10g, buffer: 64KiB, length: 1m, delay: 5ns }`;
    expect(problems(file(NODES, links))).toEqual([
      "topology.links[0].lossless: fc-8g links are always lossless (Fibre Channel uses credit-based flow control)",
      "topology.links[1].buffer: buffer is the receive buffer of a lossless link; this eth-10g link is lossy (add lossless: true for PFC)",
      "topology.links[1].delay: give length or delay, not both",
    ]);
  });

  it("reject a link faster than its port, and a link to itself", () => {
    const links = `    - { endpoints: ["h1:nic0/1", "sw:eth1"], type: eth-40g }
    - { endpoints: ["sw:eth2", "sw:eth2"], type: eth-10g }`;
    expect(problems(file(NODES, links))).toEqual([
      "topology.links[0].endpoints[0]: h1:nic0/1 is an eth-10g port, slower than this eth-40g link",
      "topology.links[1].endpoints: a link cannot join sw:eth2 to itself",
    ]);
  });

  it("reject an unknown link type, naming the valid ids", () => {
    expect(problems(file(NODES, '    - { endpoints: ["h1:nic0/1", "sw:eth1"], type: eth-11g }'))[0]).toMatch(
      /^topology\.links\[0\]\.type: unknown link protocol "eth-11g"; valid ids: eth-1g, eth-10g/,
    );
  });
});

const WORKLOAD = (fields: string) =>
  `workloads:\n  - { name: w, on: "h[1..2]/vm[1..2]", to: lan, pattern: poisson, rate: 10Mbps, size: 1500B, ${fields} }\n`;

describe("workloads", () => {
  it("expand to one instance per VM, host-major", () => {
    const t = load(file(NODES, ALL_LINKS, WORKLOAD("via: nic0/1")));
    expect(t.workloads[0]?.instances.map((i) => `${i.host}/${i.vm}`)).toEqual(["h1/vm1", "h1/vm2", "h2/vm1", "h2/vm2"]);
    expect(t.workloads[0]).toMatchObject({
      unit: "message",
      read: null,
      rateBps: 1e7,
      size: { kind: "constant", value: 1500 },
    });
    expect(t.workloads[0]?.instances[0]).toEqual({
      workload: "w",
      host: "h1",
      vm: "vm1",
      via: { kind: "ports", ports: ["nic0/1"] },
      to: { kind: "lan", nodes: ["lan"] },
    });
  });

  it("hand out SR-IOV VFs per VM, spread over the adapter's ports", () => {
    const t = load(file(NODES, ALL_LINKS, WORKLOAD("via: vf")));
    expect(t.workloads[0]?.instances.map((i) => i.via)).toEqual([
      { kind: "vf", adapter: "nic0", port: "nic0/1", vf: 1 },
      { kind: "vf", adapter: "nic0", port: "nic0/2", vf: 1 },
      { kind: "vf", adapter: "nic0", port: "nic0/1", vf: 1 },
      { kind: "vf", adapter: "nic0", port: "nic0/2", vf: 1 },
    ]);
  });

  it("keep one VF per VM across workloads", () => {
    const two =
      "workloads:\n" +
      "  - { name: a, on: h1/vm1, via: vf, to: lan, pattern: bulk, size: 1MiB }\n" +
      "  - { name: b, on: 'h1/vm[1..2]', via: vf, to: lan, pattern: bulk, size: 1MiB, outstanding: 2 }\n";
    const t = load(file(NODES, ALL_LINKS, two));
    expect(t.workloads.flatMap((w) => w.instances.map((i) => i.via))).toEqual([
      { kind: "vf", adapter: "nic0", port: "nic0/1", vf: 1 },
      { kind: "vf", adapter: "nic0", port: "nic0/1", vf: 1 },
      { kind: "vf", adapter: "nic0", port: "nic0/2", vf: 1 },
    ]);
  });

  it("send east-west to the other servers only", () => {
    const ew =
      "workloads:\n  - { name: ew, on: 'h[1..2]', via: [nic0/1, nic0/2], to: 'h[1..2]', pattern: bulk, size: 64KiB }\n";
    const t = load(file(NODES, ALL_LINKS, ew));
    expect(t.workloads[0]?.instances.map((i) => [i.host, i.via, i.to])).toEqual([
      ["h1", { kind: "ports", ports: ["nic0/1", "nic0/2"] }, { kind: "servers", nodes: ["h2"] }],
      ["h2", { kind: "ports", ports: ["nic0/1", "nic0/2"] }, { kind: "servers", nodes: ["h1"] }],
    ]);
  });

  it("take storage I/O to a storage array, with a read share", () => {
    const io =
      "workloads:\n  - { name: io, on: h1, via: hba0/1, to: array, pattern: iops, iops: 1000, read: 0.7, size: { exponential: 8KiB } }\n";
    expect(load(file(NODES, ALL_LINKS, io)).workloads[0]).toMatchObject({
      unit: "io",
      read: 0.7,
      iops: 1000,
      size: { kind: "exponential", mean: 8192 },
      instances: [{ host: "h1", vm: null, to: { kind: "storage-array", nodes: ["array"] } }],
    });
  });

  it("split a heavy I/O stream into lanes of at most 0.5 Gb/s, each naming the array again", () => {
    const io = (iops: number, size: string) =>
      `workloads:\n  - { name: io, on: h1, via: hba0/1, to: array, pattern: iops, iops: ${iops}, read: 0.7, size: ${size} }\n`;
    const lanes = (iops: number, size: string) =>
      load(file(NODES, ALL_LINKS, io(iops, size))).workloads[0]!.instances[0]!.to.nodes.length;
    // 1,000 x 8 KiB = 65.5 Mb/s: one lane; 25,000 x 8 KiB = 1.64 Gb/s: 4; 8,000 x 64 KiB = 4.19 Gb/s: 9, at most 8.
    expect(lanes(1000, "8KiB")).toBe(1);
    expect(lanes(25000, "8KiB")).toBe(4);
    expect(lanes(25000, "{ exponential: 8KiB }")).toBe(4);
    expect(lanes(8000, "64KiB")).toBe(8);
    expect(load(file(NODES, ALL_LINKS, io(25000, "8KiB"))).workloads[0]!.instances[0]!.to).toEqual({
      kind: "storage-array",
      nodes: ["array", "array", "array", "array"],
    });
  });

  it("compute lanes from the stream's rate: enough that none carries more than 0.5 Gb/s, 1 to 8", () => {
    expect(ioLanes(1000, 8192)).toBe(1);
    expect(ioLanes(7629, 8192)).toBe(1); // 499.98 Mb/s
    expect(ioLanes(7630, 8192)).toBe(2);
    expect(ioLanes(1e6, 65536)).toBe(MAX_IO_LANES);
    expect(ioLanes(0, 8192)).toBe(1);
    expect(ioLanes(1000, Number.NaN)).toBe(1);
    expect(IO_LANE_BPS).toBe(500e6);
  });

  it("read to: lan as the one lan node when none is named lan", () => {
    const nodes = NODES.replace("    lan: { kind: lan", "    internet: { kind: lan");
    const links = LINKS.replace('"lan:p1"', '"internet:p1"');
    const t = load(file(nodes, links, WORKLOAD("via: nic0/1")));
    expect(t.workloads[0]?.instances[0]?.to).toEqual({ kind: "lan", nodes: ["internet"] });
    const two = nodes.replace("    internet:", "    wan: { kind: lan, ports: { p: 1 } }\n    internet:");
    expect(problems(file(two, links, WORKLOAD("via: nic0/1")))).toEqual([
      "workloads[0].to: to: lan needs exactly one lan node (or a node named lan); the topology has 2",
    ]);
  });

  it("reject on, to and via that do not resolve", () => {
    const bad =
      "workloads:\n" +
      "  - { name: a, on: 'h[1..3]/vm4', via: nic0/1, to: lan, pattern: bulk, size: 1MiB }\n" +
      "  - { name: b, on: sw, via: nic0/1, to: lan, pattern: bulk, size: 1MiB }\n" +
      "  - { name: c, on: h1, via: nic9/1, to: sw, pattern: bulk, size: 1MiB }\n" +
      "  - { name: d, on: h1, via: vf, to: h1, pattern: bulk, size: 1MiB }\n";
    expect(problems(file(NODES, LINKS, bad))).toEqual([
      "workloads[0].on: h1 has 3 VMs (vm1 … vm3); no vm4",
      "workloads[0].on: h2 has 3 VMs (vm1 … vm3); no vm4",
      "workloads[0].on: no node named h3",
      "workloads[1].on: sw is an ethernet-switch; workloads run on servers",
      "workloads[2].via: h1 has no port or vif named nic9/1; its ports are nic0/1, nic0/2, hba0/1",
      "workloads[2].to: sw is an ethernet-switch; to takes lan, storage arrays or servers",
      "workloads[3].to: h1 would send only to itself",
    ]);
  });

  it("reject io without a read share, read on messages, and mismatched targets", () => {
    const bad =
      "workloads:\n" +
      "  - { name: a, on: h1, via: hba0/1, to: lan, pattern: iops, iops: 10, size: 4KiB }\n" +
      "  - { name: b, on: h1, via: nic0/1, to: array, pattern: poisson, rate: 1Mbps, size: 4KiB, read: 0.5 }\n";
    expect(problems(file(NODES, LINKS, bad))).toEqual([
      "workloads[0].read: io workloads need a read share, e.g. read: 0.7",
      "workloads[0].to: io workloads go to a storage-array, not lan",
      "workloads[1].to: storage-array targets take unit: io",
      "workloads[1].read: read applies to unit: io only",
    ]);
  });

  it("reject a read share outside [0, 1], a zero rate and an unknown pattern", () => {
    const bad =
      "workloads:\n" +
      "  - { name: a, on: h1, via: hba0/1, to: array, pattern: iops, iops: 10, size: 4KiB, read: 1.5 }\n" +
      "  - { name: b, on: h1, via: nic0/1, to: lan, pattern: poisson, rate: 0Gbps, size: 4KiB }\n" +
      "  - { name: c, on: h1, via: nic0/1, to: lan, pattern: poison, rate: 1Gbps, size: 4KiB }\n";
    expect(problems(file(NODES, LINKS, bad))).toEqual([
      "workloads[0].read: read share must be between 0 and 1, got the number 1.5",
      'workloads[1].rate: expected a rate above 0, got "0Gbps"',
      'workloads[2].pattern: unknown pattern "poison"; expected one of: poisson, onoff, bulk, iops',
    ]);
  });

  it("reject duplicate workload names", () => {
    const dup =
      "workloads:\n  - { name: a, on: h1, via: nic0/1, to: lan, pattern: bulk, size: 1MiB }\n" +
      "  - { name: a, on: h2, via: nic0/1, to: lan, pattern: bulk, size: 1MiB }\n";
    expect(problems(file(NODES, LINKS, dup))).toEqual(["workloads[1].name: duplicate workload name a"]);
  });
});

describe("SLA, faults and the experiment", () => {
  const W = "workloads:\n  - { name: w, on: h1, via: nic0/1, to: lan, pattern: bulk, size: 1MiB }\n";

  it("parse SLA targets by metric, with their bound", () => {
    const sla =
      "sla:\n  - { workload: w, metric: latency.mean, target: 50us }\n" +
      "  - { workload: w, metric: lossRatio, target: 0.01 }\n  - { workload: w, metric: deliveredBps, target: 2Gbps }\n";
    expect(load(file(NODES, LINKS, W + sla)).sla).toEqual([
      { workload: "w", metric: "latency.mean", target: 50_000_000, bound: "at-most" },
      { workload: "w", metric: "lossRatio", target: 0.01, bound: "at-most" },
      { workload: "w", metric: "deliveredBps", target: 2e9, bound: "at-least" },
    ]);
  });

  it("reject an SLA on a workload that does not exist, and a repeated one", () => {
    const sla =
      "sla:\n  - { workload: x, metric: lossRatio, target: 0.01 }\n" +
      "  - { workload: w, metric: lossRatio, target: 0.01 }\n  - { workload: w, metric: lossRatio, target: 0.1 }\n";
    expect(problems(file(NODES, LINKS, W + sla))).toEqual([
      "sla[0].workload: no workload named x; workloads are w",
      "sla[2].metric: w lossRatio already has a target in sla[1]",
    ]);
  });

  it("resolve fault targets (node, port, adapter), expanded and sorted by time", () => {
    const faults =
      "faults:\n  - { at: 5ms, action: restore, target: 'h[1..2]:nic0' }\n  - { at: 2ms, action: fail, target: sw }\n" +
      "  - { at: 3ms, action: fail, target: 'sw:up1' }\n";
    expect(load(file(NODES, LINKS, faults)).faults).toEqual([
      { atTicks: 2e9, action: "fail", target: { kind: "node", node: "sw" } },
      { atTicks: 3e9, action: "fail", target: { kind: "port", node: "sw", port: "up1" } },
      { atTicks: 5e9, action: "restore", target: { kind: "adapter", node: "h1", adapter: "nic0" } },
      { atTicks: 5e9, action: "restore", target: { kind: "adapter", node: "h2", adapter: "nic0" } },
    ]);
  });

  it("reject faults on unknown targets or after the run, with the schema's problems in the same pass", () => {
    const faults =
      "faults:\n  - { at: 50ms, action: fail, target: 'sw:nope' }\n  - { at: 1ms, action: break, target: x }\n";
    expect(problems(file(NODES, LINKS, faults))).toEqual([
      "faults[0].at: 50ms is not before the end of the run (warmup 1 ms + duration 10 ms = 11 ms)",
      "faults[0].target: sw has no port, adapter or module named nope",
      'faults[1].action: unknown action "break"; expected one of: fail, restore',
    ]);
    expect(problems(file(NODES, LINKS, faults.replace("break", "fail")))).toEqual([
      "faults[0].at: 50ms is not before the end of the run (warmup 1 ms + duration 10 ms = 11 ms)",
      "faults[0].target: sw has no port, adapter or module named nope",
      "faults[1].target: no node named x",
    ]);
  });

  it("accept a fault after the window's length but before warm-up + window ends (the run is 500 us + 1 ms)", () => {
    const extra =
      "experiment: { warmup: 500us, duration: 1ms }\nfaults:\n  - { at: 1.2ms, action: fail, target: sw }\n";
    expect(load(file(NODES, LINKS, extra)).faults).toEqual([
      { atTicks: 1.2e9, action: "fail", target: { kind: "node", node: "sw" } },
    ]);
    expect(problems(file(NODES, LINKS, extra.replace("1.2ms", "1.5ms")))).toEqual([
      "faults[0].at: 1.5ms is not before the end of the run (warmup 500 us + duration 1 ms = 1.5 ms)",
    ]);
  });

  it("default the experiment to 10ms, 1ms warm-up, 1 replication, seed 1", () => {
    expect(load(file(NODES, LINKS)).experiment).toEqual({
      durationTicks: 1e10,
      warmupTicks: 1e9,
      replications: 1,
      seed: 1,
    });
  });

  it("take duration as the window after warm-up: a warm-up longer than the window is fine", () => {
    expect(load(file(NODES, LINKS, "experiment: { duration: 1ms, warmup: 5ms }\n")).experiment).toMatchObject({
      durationTicks: 1e9,
      warmupTicks: 5e9,
    });
  });

  it("reject a warm-up and window that together pass an hour (the clock's range)", () => {
    expect(problems(file(NODES, LINKS, "experiment: { duration: 3000s, warmup: 1000s }\n"))).toEqual([
      "experiment.duration: warmup + duration (4000 s) is above 3600 s: the clock counts picoseconds in a double (2^53 ps, about 2.5 h); an hour leaves room for what is in flight",
    ]);
  });
});

describe("the resolved topology", () => {
  it("is frozen all the way down", () => {
    const t = load(file(NODES, LINKS));
    expect(Object.isFrozen(t)).toBe(true);
    expect(Object.isFrozen(t.nodes[0]?.ports[0])).toBe(true);
    expect(Object.isFrozen(t.links[0]?.a)).toBe(true);
  });

  it("survives a JSON round trip unchanged (plain data, no Maps or classes)", () => {
    const t = load(file(NODES, ALL_LINKS, WORKLOAD("via: vf")));
    expect(JSON.parse(JSON.stringify(t))).toEqual(t);
    expect(structuredClone(t)).toEqual(t);
  });
});
