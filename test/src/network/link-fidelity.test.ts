import { describe, expect, it } from "vitest";
import { RandomStreams } from "../../../sim/random.js";
import { Simulation } from "../../../sim/simulation.js";
import { linkProtocol } from "../../../src/link/catalog.js";
import { buildNetwork } from "../../../src/network/build.js";
import { parseTopology } from "../../../src/topology/load.js";
import type { ResolvedTopology } from "../../../src/topology/types.js";
import { relErr, run } from "./helpers.js";

function load(text: string): ResolvedTopology {
  const parsed = parseTopology(text, "t.yaml");
  if (!parsed.ok) throw new Error(parsed.issues.map((i) => `${i.path}: ${i.message}`).join("\n"));
  return parsed.topology;
}

function problems(text: string): string[] {
  const parsed = parseTopology(text, "t.yaml");
  return parsed.ok ? [] : parsed.issues.map((i) => `${i.path}: ${i.message}`);
}

const network = (t: ResolvedTopology) => buildNetwork(t, new Simulation(), new RandomStreams(1, 0), () => {});

/** One host, one 10GbE NIC, the LAN; `adapter`, `link` and `workloads` are spliced in. */
function oneHost(o: { adapter?: string; link?: string; workloads: string; duration?: string }): string {
  return `name: one
design: traditional
experiment: { duration: ${o.duration ?? "5ms"}, warmup: 500us, seed: 4 }
precision: off
topology:
  nodes:
    host1:
      kind: server
      vms: 2
      pcie: { slots: 1 }
      adapters:
        - { name: nic0, type: nic, link: eth-10g, ports: 1, bus: pcie-gen3-x8${o.adapter ?? ""} }
    lan: { kind: lan, ports: { p: 1 } }
  links:
    - { endpoints: ["host1:nic0/1", "lan:p1"], type: eth-10g${o.link ?? ""} }
workloads:
${o.workloads}
`;
}

const BULK = "  - { name: bulk, on: host1, via: nic0/1, to: lan, pattern: bulk, size: 1MiB, outstanding: 4 }";

describe("Ethernet MTU per link, adapter and vNIC", () => {
  it("sends jumbo frames from an adapter with mtu 9000: goodput 10 · 9000/9038 instead of 10 · 1500/1538 Gb/s", () => {
    // Payload through the NIC port over the window (1-MiB deliveries are too lumpy to count in 4.5 ms).
    const payload = (adapter: string) => {
      const r = run(load(oneHost({ adapter, workloads: BULK })));
      const port = r.result.links.find((l) => l.id === "host1:nic0/1")!;
      return (port.transmittedPayloadBytes * 8) / r.result.windowSeconds;
    };
    const standard = payload("");
    const jumbo = payload(", mtu: 9000");
    const eth = linkProtocol("eth-10g", { mtu: 9000 });
    expect(relErr(standard, eth.goodputBps(1500))).toBeLessThan(0.01);
    expect(relErr(jumbo, eth.goodputBps(9000))).toBeLessThan(0.01);
    expect(jumbo / standard).toBeGreaterThan(1.015);
  });

  it("caps a flow's frames at the smallest MTU on its path", () => {
    const routeMtu = (adapter: string, link: string) => {
      const t = load(oneHost({ adapter, link, workloads: BULK }));
      return network(t).routes(t.workloads[0]!.instances[0]!, "bulk:host1", 0, "message").mtu;
    };
    expect(routeMtu("", "")).toBe(1500);
    expect(routeMtu(", mtu: 9000", "")).toBe(9000);
    expect(routeMtu(", mtu: 9000", ", mtu: 4000")).toBe(4000);
  });

  it("lets a vNIC's mtu override its adapter's", () => {
    const t = load(`name: vic
design: ucs
experiment: { duration: 1ms, warmup: 100us }
precision: off
topology:
  nodes:
    host1:
      kind: server
      pcie: { slots: 1 }
      adapters:
        - name: vic0
          type: vic
          link: eth-10g
          ports: 1
          bus: pcie-gen2-x16
          mtu: 1500
          vifs:
            - { name: jumbo, type: vnic, port: vic0/1, mtu: 9000 }
            - { name: plain, type: vnic, port: vic0/1 }
    lan: { kind: lan, ports: { p: 1 } }
  links:
    - { endpoints: ["host1:vic0/1", "lan:p1"], type: eth-10g }
workloads:
  - { name: a, on: host1, via: jumbo, to: lan, pattern: bulk, size: 1MiB }
  - { name: b, on: host1, via: plain, to: lan, pattern: bulk, size: 1MiB }
`);
    const net = network(t);
    expect(net.routes(t.workloads[0]!.instances[0]!, "a:host1", 0, "message").mtu).toBe(9000);
    expect(net.routes(t.workloads[1]!.instances[0]!, "b:host1", 0, "message").mtu).toBe(1500);
  });

  it("rejects an MTU a link cannot carry, and one on a link without MTUs", () => {
    expect(problems(oneHost({ link: ", mtu: 10000", workloads: BULK }))).toEqual([
      "topology.links[0].mtu: Ethernet mtu must be an integer in [46, 9216], got 10000",
    ]);
  });
});

describe("PCIe MPS, MRRS and address width per link", () => {
  it("frame an adapter's bus by its mps, mrrs and addressing: writes up, read completions down", () => {
    const t = load(oneHost({ adapter: ", mps: 512, mrrs: 128, addressing: 64", workloads: BULK }));
    const fabric = network(t).fabric;
    const down = fabric.port("host1/host:nic0").protocol;
    const up = fabric.port("host1:nic0/bus").protocol;
    // Up: 64-bit MWr, 24 B per 512-B TLP.
    expect(up.maxPayloadBytes).toBe(512);
    expect(up.wireBytes(512)).toBe(536);
    expect(up.readRequests).toBeNull();
    // Down: completions keep 3DW headers (20 B); one 24-B MRd went up per 128 B asked for.
    expect(down.maxPayloadBytes).toBe(512);
    expect(down.wireBytes(512)).toBe(532);
    expect(down.readRequests).toEqual({ everyBytes: 128, bytes: 24 });
  });

  it("default to MPS 256, MRRS 512 and 32-bit addresses", () => {
    const fabric = network(load(oneHost({ workloads: BULK }))).fabric;
    expect(fabric.port("host1:nic0/bus").protocol.wireBytes(256)).toBe(276);
    expect(fabric.port("host1/host:nic0").protocol.readRequests).toEqual({ everyBytes: 512, bytes: 20 });
  });

  it("reject PCIe fields on other links and sizes that are not powers of two", () => {
    expect(problems(oneHost({ link: ", mps: 256", workloads: BULK }))).toEqual([
      "topology.links[0].mps: mps applies to PCIe links; this is eth-10g",
    ]);
    expect(problems(oneHost({ adapter: ", mrrs: 300", workloads: BULK }))[0]).toContain(
      "mrrs must be one of 128, 256, 512, 1024, 2048, 4096 bytes (a power of two), got the number 300",
    );
  });
});

describe("the host adapter's latency", () => {
  const light = "  - { name: w, on: host1, via: nic0/1, to: lan, pattern: poisson, rate: 10Mbps, size: 200B }";

  it("is 500 ns unless the adapter says otherwise, and adds to every message that crosses it", () => {
    const meanOf = (adapter: string) => {
      const v = run(load(oneHost({ adapter, workloads: light }))).result.workloads[0]!.latencyValues;
      return v.sum / v.count;
    };
    const implicit = run(load(oneHost({ workloads: light })));
    const explicit = run(load(oneHost({ adapter: ", latency: 500ns", workloads: light })));
    expect(explicit.result.fingerprint).toBe(implicit.result.fingerprint);
    // At 0.1 % load no message waits: each one crosses the adapter once on its way out.
    expect(meanOf(", latency: 2us") - meanOf("")).toBeCloseTo(1.5e-6, 12);
  });
});

describe("queue limits in packets", () => {
  it("drop at a host's queue once it holds queuePackets frames (txqueuelen), also on a lossless PCIe bus", () => {
    // 12 Gb/s offered to a 10GbE port: the frames back up in the host's queue for the adapter.
    const over = "  - { name: w, on: host1, via: nic0/1, to: lan, pattern: poisson, rate: 12Gbps, size: 1500B }";
    const limited = run(load(oneHost({ adapter: ", queuePackets: 100", workloads: over, duration: "2ms" })));
    const w = limited.result.workloads[0]!;
    expect(Object.keys(w.dropReasons)).toEqual(["queue full (packets) at host1/host:nic0"]);
    expect(w.dropped).toBeGreaterThan(0);
    // Without the limit the host queues everything.
    const unlimited = run(load(oneHost({ workloads: over, duration: "2ms" })));
    expect(unlimited.result.workloads[0]!.dropped).toBe(0);
  });

  it("drop at a switch port when its packet limit binds before its byte limit", () => {
    const t = (limit: string) =>
      load(`name: sw
design: traditional
experiment: { duration: 2ms, warmup: 200us, seed: 2 }
precision: off
topology:
  nodes:
    host[1..2]:
      kind: server
      pcie: { slots: 1 }
      adapters: [{ name: nic0, type: nic, link: eth-10g, ports: 1, bus: pcie-gen3-x8 }]
    tor: { kind: ethernet-switch, ports: { p: 3 }, buffer: 9MB${limit} }
    lan: { kind: lan, ports: { p: 1 } }
  links:
    - { endpoints: ["host[1..2]:nic0/1", "tor:p[1..2]"], type: eth-10g }
    - { endpoints: ["tor:p3", "lan:p1"], type: eth-10g }
workloads:
  - { name: w, on: "host[1..2]", via: nic0/1, to: lan, pattern: poisson, rate: 3Gbps, size: 64B }
`);
    // 2 × 3 Gb/s of 64-B messages (102 wire bytes each: 9.56 Gb/s) into one 10GbE port (ρ = 0.96).
    const limited = run(t(", queuePackets: 50")).result.workloads[0]!;
    expect(Object.keys(limited.dropReasons)).toEqual(["queue full (packets) at tor:p3"]);
    // 2.25 MB per port holds 22,000 such frames: bytes alone drop nothing.
    expect(run(t("")).result.workloads[0]!.dropped).toBe(0);
  });
});

describe("uplink pinning per vNIC at a fabric interconnect (end-host mode)", () => {
  /** Four blades, one vNIC each on fabric A, 4 VMs each to the LAN through fi-a's 4 uplinks. */
  const ucs = (fi: string) =>
    load(`name: pin
design: ucs
experiment: { duration: 1ms, warmup: 100us }
precision: off
topology:
  nodes:
    host[1..4]:
      kind: server
      vms: 4
      pcie: { slots: 1 }
      adapters:
        - name: vic0
          type: vic
          link: eth-10g
          ports: 1
          bus: pcie-gen2-x16
          vifs: [{ name: vnic-a, type: vnic, port: vic0/1, fabric: A }]
    fi-a:
      kind: fabric-interconnect
      ports: { p: 4 }
      modules: [{ name: eth1, link: eth-10g, ports: 4 }]${fi}
    lan: { kind: lan, ports: { p: 4 } }
  links:
    - { endpoints: ["host[1..4]:vic0/1", "fi-a:p[1..4]"], type: eth-10g }
    - { endpoints: ["fi-a:eth1/[1..4]", "lan:p[1..4]"], type: eth-10g }
workloads:
  - { name: w, on: "host[1..4]/vm[1..4]", via: vnic-a, to: lan, pattern: poisson, rate: 10Mbps, size: 1500B }
`);
  /** The uplinks each host's flows leave fi-a through. */
  function uplinks(t: ResolvedTopology): Map<string, Set<string>> {
    const net = network(t);
    const out = new Map<string, Set<string>>();
    for (const inst of t.workloads[0]!.instances) {
      const key = `w:${inst.host}/${inst.vm}`;
      const ports = net.routes(inst, key, 0, "message").forward.ports.map((p) => p.id);
      const up = ports.find((id) => id.startsWith("fi-a:eth1/"))!;
      if (!out.has(inst.host)) out.set(inst.host, new Set());
      out.get(inst.host)!.add(up);
    }
    return out;
  }

  it("sends every flow of a vNIC through one uplink, the vNICs taking the uplinks in turn", () => {
    const m = uplinks(ucs(""));
    expect([...m.entries()].map(([h, s]) => [h, [...s]])).toEqual([
      ["host1", ["fi-a:eth1/1"]],
      ["host2", ["fi-a:eth1/2"]],
      ["host3", ["fi-a:eth1/3"]],
      ["host4", ["fi-a:eth1/4"]],
    ]);
  });

  it("hashes a pinned vNIC's flows only over the members of its port-channel", () => {
    const m = uplinks(ucs("\n      portChannels: [[eth1/1, eth1/2]]"));
    // Three uplink groups (the channel, eth1/3, eth1/4): host1 and host4 on the channel, spread over both.
    expect([...m.get("host1")!].sort()).toEqual(["fi-a:eth1/1", "fi-a:eth1/2"]);
    expect([...m.get("host2")!]).toEqual(["fi-a:eth1/3"]);
    expect([...m.get("host3")!]).toEqual(["fi-a:eth1/4"]);
    expect([...m.get("host4")!].every((p) => p === "fi-a:eth1/1" || p === "fi-a:eth1/2")).toBe(true);
  });

  it("spreads flows by hash over every uplink with flow-hash", () => {
    const m = uplinks(ucs("\n      uplinkPinning: flow-hash"));
    expect([...m.values()].some((s) => s.size > 1)).toBe(true);
  });

  it("rejects a port-channel member that is not an uplink", () => {
    const bad = problems(`name: pin
design: ucs
topology:
  nodes:
    fi-a: { kind: fabric-interconnect, ports: { p: 4 }, modules: [{ name: eth1, link: eth-10g, ports: 2 }], portChannels: [[eth1/1, p1]] }
`);
    expect(bad).toEqual([
      "topology.nodes.fi-a.portChannels[0]: p1 is not an uplink (module) port of this fabric interconnect",
    ]);
  });
});
