import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { siteTopology } from "../../../bench/site.js";
import { RandomStreams } from "../../../sim/random.js";
import { Simulation } from "../../../sim/simulation.js";
import { evaluateFlows, FlowModel, type FlowOptions } from "../../../src/flow/index.js";
import { buildNetwork } from "../../../src/network/build.js";
import { buildFlowNetwork } from "../../../src/network/flow-network.js";
import type { AnyPort, PortGraph } from "../../../src/network/port-view.js";
import { sharedComponents } from "../../../src/run/blast.js";
import { faultLabel, faultPorts } from "../../../src/run/faults.js";
import { parseTopology } from "../../../src/topology/load.js";
import type { ResolvedTopology } from "../../../src/topology/types.js";

const DESIGNS = ["traditional", "director", "ucs", "mriov"] as const;

function load(path: string): ResolvedTopology {
  const loaded = parseTopology(readFileSync(new URL(`../../../${path}`, import.meta.url), "utf8"), path);
  if (!loaded.ok) throw new Error(`${path} does not load`);
  return loaded.topology;
}

/** The reference racks (vNIC shapers, UCS classes and InfiniBand VLs among them) and the lessons that are topologies. */
const FILES = [
  ...DESIGNS.map((d) => `topologies/${d}-rack.yaml`),
  ...["1-sr-iov", "2-mr-iov", "3-vnic-vhba", "4-lossless", "5-blast-radius"].map((f) => `topologies/lessons/${f}.yaml`),
];

function fullNetwork(topo: ResolvedTopology) {
  return buildNetwork(topo, new Simulation(), new RandomStreams(topo.experiment.seed, 0), () => {});
}

/** Everything routes and the flow level read of a port, as plain data. */
function view(p: AnyPort): unknown {
  const s = p.scheduler;
  const queues = Array.from({ length: s.queueCount }, (_, q) => s.shaperRateBps?.(q) ?? null);
  return {
    id: p.id,
    to: p.to,
    node: [p.node.name, p.node.ports.length],
    peer: p.peerNode.name,
    protocol: p.protocol,
    capacityBps: p.capacityBps,
    propagationTicks: p.propagationTicks,
    peerLatencyTicks: p.peerLatencyTicks,
    lossless: p.lossless,
    bufferBytes: p.bufferBytes,
    reverse: p.reverse?.id ?? null,
    queues,
    class1: s.queueOf?.(1, 0) ?? null,
    dynamicThreshold: s.dynamicThreshold ?? 0,
  };
}

/** The evaluation without its timings. */
function timeless(topo: ResolvedTopology, network?: FlowOptions["network"]) {
  const { wallSeconds: _w, phases: _p, ...r } = evaluateFlows(topo, network === undefined ? {} : { network });
  return r;
}

describe("the flow-only network build", () => {
  it("has every port of the packet build, with the same numbers the flow level reads", () => {
    let shaped = 0;
    let classed = 0;
    for (const file of FILES) {
      const topo = load(file);
      const full = fullNetwork(topo).fabric.ports;
      const flow = buildFlowNetwork(topo).fabric.ports;
      expect(flow.map(view), file).toEqual(full.map(view));
      for (const p of flow) {
        if (p.scheduler.queueOf !== undefined) classed++;
        for (let q = 0; q < p.scheduler.queueCount; q++) if (p.scheduler.shaperRateBps(q) !== null) shaped++;
      }
    }
    // The comparison covered shaped queues and traffic classes.
    expect(shaped).toBeGreaterThan(100);
    expect(classed).toBeGreaterThan(100);
  });

  it("numbers its ports by their place and finds each by id at its node; an unknown id is refused", () => {
    for (const file of FILES) {
      // The network's graph, as the route functions use it (the result's type shows its ports only).
      const graph = buildFlowNetwork(load(file)).fabric as unknown as PortGraph<AnyPort>;
      graph.ports.forEach((p, i) => {
        expect(p.index, p.id).toBe(i);
        expect(graph.port(p.id)).toBe(p);
        // By node and port name, as the route functions ask: the same port.
        expect(graph.portAt!(p.node.name, p.id.slice(p.node.name.length + 1))).toBe(p);
      });
      const some = graph.ports[0]!;
      expect(() => graph.port(`${some.node.name}:no-such-port`)).toThrow(/no port/);
      expect(() => graph.port("no-such-node:p1")).toThrow(/no port/);
      expect(() => graph.portAt!(some.node.name, "no-such-port")).toThrow(/no port/);
      expect(() => graph.portAt!("no-such-node", "p1")).toThrow(/no port/);
    }
  });

  it("gives the flow level the same results as the packet build on the reference racks and lessons", () => {
    for (const file of FILES) {
      const topo = load(file);
      expect(timeless(topo), file).toEqual(timeless(topo, fullNetwork(topo)));
    }
  });

  for (const design of DESIGNS) {
    it(`gives the same results on a 96-host ${design} site, also with each third shared component failed`, () => {
      const topo = siteTopology(design, { servers: 96 }).topology;
      expect(timeless(topo)).toEqual(timeless(topo, fullNetwork(topo)));
      const model = new FlowModel(topo);
      const components = sharedComponents(topo).filter((_, i) => i % 3 === 0);
      expect(components.length).toBeGreaterThan(1);
      for (const c of components) {
        const full = fullNetwork(topo);
        for (const p of faultPorts(topo, full.fabric, c.target)) p.routingDown = true;
        full.invalidateRoutes();
        const flow = buildFlowNetwork(topo);
        for (const p of faultPorts(topo, flow.fabric, c.target)) p.routingDown = true;
        flow.invalidateRoutes();
        const expected = evaluateFlows(topo, { network: full }).workloads;
        expect(evaluateFlows(topo, { network: flow }).workloads, faultLabel(c.target)).toEqual(expected);
        expect(model.withDown(faultPorts(topo, model.net.fabric, c.target)).workloads).toEqual(expected);
      }
    });
  }
});
