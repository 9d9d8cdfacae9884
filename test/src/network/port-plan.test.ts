import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { siteTopology } from "../../../bench/site.js";
import { expandStudy } from "../../../src/design/index.js";
import { autoEcnThreshold, portClasses } from "../../../src/network/classes.js";
import { ADAPTER_LATENCY, type Connection, planPorts } from "../../../src/network/port-plan.js";
import { protocolFor } from "../../../src/network/protocols.js";
import { scaleStudy } from "../../../src/planner/site-scale.js";
import { parseStudy } from "../../../src/study/load.js";
import { parseTopology } from "../../../src/topology/load.js";
import type { ResolvedNode, ResolvedTopology } from "../../../src/topology/types.js";

const DESIGNS = ["traditional", "director", "ucs", "mriov"] as const;

function load(path: string): ResolvedTopology {
  const loaded = parseTopology(readFileSync(new URL(`../../../${path}`, import.meta.url), "utf8"), path);
  if (!loaded.ok) throw new Error(`${path} does not load`);
  return loaded.topology;
}

/** `topo` with a packet limit on every node that may have one (no reference file sets one). */
function withPacketLimits(topo: ResolvedTopology): ResolvedTopology {
  return { ...topo, nodes: topo.nodes.map((n) => ("queuePackets" in n ? { ...n, queuePackets: 64 } : n)) };
}

/** The reference racks (two with packet limits), a lesson, and 96-host sites of every design. */
const TOPOLOGIES: [string, () => ResolvedTopology][] = [
  ...DESIGNS.map((d): [string, () => ResolvedTopology] => [`${d} rack`, () => load(`topologies/${d}-rack.yaml`)]),
  ["traditional rack with packet limits", () => withPacketLimits(load("topologies/traditional-rack.yaml"))],
  ["director rack with packet limits", () => withPacketLimits(load("topologies/director-rack.yaml"))],
  ["lesson 4", () => load("topologies/lessons/4-lossless.yaml")],
  ...DESIGNS.map((d): [string, () => ResolvedTopology] => [
    `96-host ${d} site`,
    () => siteTopology(d, { servers: 96 }).topology,
  ]),
];

/**
 * What a port's options must be, from the topology's own words: the lossy cap and packet
 * limit of a switch-like node's ports (searched by name among the node's ports and its
 * modules'), and the latency of the adapter a server's port leads into.
 */
function expected(topo: ResolvedTopology, node: string, port: string, peerNode: string, peerPort: string) {
  const n = topo.nodes.find((x) => x.name === node)!;
  const has = (x: ResolvedNode): boolean =>
    x.ports.some((p) => p.name === port) ||
    ((x.kind === "io-director" || x.kind === "fabric-interconnect") && x.modules.some((m) => m.ports.includes(port)));
  let cap: number | undefined;
  let packets: number | undefined;
  if (has(n)) {
    if (n.kind === "ethernet-switch" || n.kind === "fc-switch" || n.kind === "ib-switch") {
      cap = n.bufferBytes / 4;
      packets = n.queuePackets ?? undefined;
    } else if (n.kind === "pcie-switch" || n.kind === "io-director" || n.kind === "fabric-interconnect") {
      cap = n.bufferBytes === null ? 640 * 1024 : n.bufferBytes / 4;
      if (n.kind !== "pcie-switch") packets = n.queuePackets ?? undefined;
    }
  }
  const peer = topo.nodes.find((x) => x.name === peerNode)!;
  const adapter = peer.kind === "server" ? peer.adapters.find((a) => a.ports.includes(peerPort)) : undefined;
  const latency =
    adapter === undefined
      ? undefined
      : (adapter.latencyTicks ?? (adapter.type === "pcie-extender" ? ADAPTER_LATENCY / 5 : ADAPTER_LATENCY));
  return { cap, packets, latency };
}

describe("the port plan", () => {
  for (const [name, make] of TOPOLOGIES) {
    it(`gives each linked port its node's lossy cap and packet limit, and the adapter latency behind it, on the ${name}`, () => {
      const topo = make();
      const plan = planPorts(topo, null);
      const links = plan.connections.slice(plan.connections.length - topo.links.length);
      topo.links.forEach((l, k) => {
        const c = links[k]!;
        expect([c.a, c.b]).toEqual([`${l.a.node}:${l.a.port}`, `${l.b.node}:${l.b.port}`]);
        for (const [from, to, o] of [
          [l.a, l.b, c.options.aToB!],
          [l.b, l.a, c.options.bToA!],
        ] as const) {
          const e = expected(topo, from.node, from.port, to.node, to.port);
          const where = `${from.node}:${from.port}`;
          expect(o.bufferBytes, where).toBe(e.cap !== undefined && Number.isFinite(e.cap) ? e.cap : undefined);
          expect(o.bufferPackets, where).toBe(e.packets);
          expect(o.peerLatencyTicks, where).toBe(e.latency);
        }
      });
    });
  }

  it("makes each distinct class plan once and shares it, equal to a plan made per port (the UCS rack's classes)", () => {
    const topo = load("topologies/ucs-rack.yaml");
    const plan = planPorts(topo, null);
    const links = plan.connections.slice(plan.connections.length - topo.links.length);
    const setting = topo.transport.ecnThresholdBytes;
    let classed = 0;
    topo.links.forEach((l, k) => {
      const c = links[k]!;
      const ecn =
        l.family !== "ethernet"
          ? undefined
          : setting === "auto"
            ? autoEcnThreshold(protocolFor(l.protocol, l.framing))
            : (setting ?? undefined);
      for (const [from, to, id] of [
        [l.a, l.b, c.a],
        [l.b, l.a, c.b],
      ] as const) {
        const got = plan.classPlans.get(id);
        const cap = expected(topo, from.node, from.port, to.node, to.port).cap;
        expect(got ?? null, id).toEqual(portClasses(topo, l, cap, ecn));
        if (got !== undefined) classed++;
      }
    });
    expect(classed).toBeGreaterThan(4);
    expect(new Set(plan.classPlans.values()).size).toBeLessThan(plan.classPlans.size / 2);
  });

  it("gives a director's Ethernet module ports a queue per server behind it, and a spare, under the dynamic threshold", () => {
    // The study at 128 servers on two director pairs (6 IB uplinks per leaf: a pair serves four 30-host leaves per side).
    const study = parseStudy(
      readFileSync(new URL("../../../topologies/studies/last-mile.yaml", import.meta.url), "utf8"),
      "s",
    );
    if (!study.ok) throw new Error("the study does not load");
    const parsed = parseTopology(expandStudy(scaleStudy(study.study, 128), "director", { ibUplinks: 6 }), "d.yaml");
    if (!parsed.ok) throw new Error("the director site does not load");
    const topo = parsed.topology;
    const plan = planPorts(topo, null);
    const links = plan.connections.slice(plan.connections.length - topo.links.length);
    const directors = topo.nodes.filter((n) => n.kind === "io-director");
    expect(directors.length).toBeGreaterThan(2);
    const servers = topo.nodes.filter((n) => n.kind === "server").map((n) => n.name);
    const behind = new Map<string, string[]>();
    // The servers each director reaches: its leaves' hosts.
    for (const d of directors) {
      const leaves = topo.links.filter((l) => l.b.node === d.name && l.family === "infiniband").map((l) => l.a.node);
      const hosts = topo.links
        .filter((l) => leaves.includes(l.b.node) && servers.includes(l.a.node))
        .map((l) => l.a.node);
      behind.set(
        d.name,
        servers.filter((h) => hosts.includes(h)),
      );
    }
    let ethernet = 0;
    topo.links.forEach((l, k) => {
      const c = links[k]!;
      for (const [from, o] of [
        [l.a, c.options.aToB!],
        [l.b, c.options.bToA!],
      ] as const) {
        const d = directors.find((n) => n.name === from.node);
        if (d === undefined || !from.port.startsWith("eth")) {
          expect(o.scheduler?.dynamicThreshold, `${from.node}:${from.port}`).toBeUndefined();
          continue;
        }
        ethernet++;
        const hosts = behind.get(d.name)!;
        expect(hosts.length).toBeGreaterThan(0);
        expect(o.scheduler).toEqual({ queues: hosts.length + 1, dynamicThreshold: 1 });
        expect([...plan.hostQueues.get(`${from.node}:${from.port}`)!]).toEqual(hosts.map((h, i) => [h, i]));
      }
    });
    expect(ethernet).toBeGreaterThan(0);
  });

  it("hands the connections to `connect` in order instead of keeping them", () => {
    const topo = load("topologies/director-rack.yaml");
    const handed: Connection[] = [];
    const streamed = planPorts(topo, null, (c) => handed.push(c));
    expect(streamed.connections).toEqual([]);
    expect(handed).toEqual(planPorts(topo, null).connections);
  });
});
