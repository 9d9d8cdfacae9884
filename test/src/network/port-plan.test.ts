import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { siteTopology } from "../../../bench/site.js";
import { autoEcnThreshold, portClasses } from "../../../src/network/classes.js";
import { ADAPTER_LATENCY, type Connection, planPorts } from "../../../src/network/port-plan.js";
import { protocolFor } from "../../../src/network/protocols.js";
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

  it("hands the connections to `connect` in order instead of keeping them", () => {
    const topo = load("topologies/director-rack.yaml");
    const handed: Connection[] = [];
    const streamed = planPorts(topo, null, (c) => handed.push(c));
    expect(streamed.connections).toEqual([]);
    expect(handed).toEqual(planPorts(topo, null).connections);
  });
});
