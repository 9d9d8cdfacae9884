import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { siteTopology } from "../../../bench/site.js";
import { RandomStreams } from "../../../sim/random.js";
import { Simulation } from "../../../sim/simulation.js";
import { portNumbers, RouteTable, routeCursor } from "../../../src/flow/route-table.js";
import type { FlowRoutes } from "../../../src/network/build.js";
import { buildNetwork } from "../../../src/network/build.js";
import { buildFlowNetwork } from "../../../src/network/flow-network.js";
import type { AnyPort } from "../../../src/network/port-view.js";
import { parseTopology } from "../../../src/topology/load.js";
import type { ResolvedTopology } from "../../../src/topology/types.js";

const DESIGNS = ["traditional", "director", "ucs", "mriov"] as const;

function load(path: string): ResolvedTopology {
  const loaded = parseTopology(readFileSync(new URL(`../../../${path}`, import.meta.url), "utf8"), path);
  if (!loaded.ok) throw new Error(`${path} does not load`);
  return loaded.topology;
}

/** Every (instance, target) route of `topo`, in the flow model's slot order (null: no path). */
function routesOf(topo: ResolvedTopology) {
  const net = buildFlowNetwork(topo);
  const routes: (FlowRoutes<AnyPort> | null)[] = [];
  for (const w of topo.workloads)
    for (const inst of w.instances) {
      const key = `${w.name}:${inst.host}${inst.vm === null ? "" : `/${inst.vm}`}`;
      for (let t = 0; t < inst.to.nodes.length; t++) routes.push(net.tryRoutes(inst, key, t, w.unit));
    }
  const index = new Map<AnyPort, number>(net.fabric.ports.map((p, i) => [p, i]));
  return { net, routes, index };
}

/** A route as port ids and queues per leg, read back from the table. */
function unpacked(table: RouteTable, s: number, ports: readonly AnyPort[]) {
  const c = routeCursor();
  if (!table.at(s, c)) return null;
  const leg = (from: number, to: number) => ({
    ports: Array.from(c.port.subarray(from, to), (i) => ports[i]!.id),
    queues: Array.from(c.queue.subarray(from, to)),
  });
  return { forward: leg(c.from, c.split), reverse: leg(c.split, c.to), mtu: c.mtu };
}

function asIds(r: FlowRoutes<AnyPort> | null) {
  if (r === null) return null;
  const leg = (l: FlowRoutes<AnyPort>["forward"]) => ({
    ports: l.ports.map((p) => p.id),
    queues: l.ports.map((_, h) => l.queues[h] ?? 0),
  });
  return { forward: leg(r.forward), reverse: leg(r.reverse), mtu: r.mtu };
}

describe("the flow model's packed routes", () => {
  const cases = [
    ...DESIGNS.map((d) => [`the ${d} rack`, () => load(`topologies/${d}-rack.yaml`)] as const),
    ...DESIGNS.map((d) => [`a 96-host ${d} site`, () => siteTopology(d, { servers: 96 }).topology] as const),
  ];
  for (const [name, topology] of cases) {
    it(`keep every route's ports, queues and transfer size on ${name}`, () => {
      const topo = topology();
      const { net, routes, index } = routesOf(topo);
      const table = new RouteTable(routes.length, index);
      for (const r of routes) table.add(r);
      const ports = net.fabric.ports;
      expect(routes.some((r) => r !== null)).toBe(true);
      routes.forEach((r, s) => {
        expect(table.has(s)).toBe(r !== null);
        expect(unpacked(table, s, ports)).toEqual(asIds(r));
      });
    });
  }

  it("reads a replaced route (a failure's re-route, or none) until restored", () => {
    const { net, routes, index } = routesOf(load("topologies/ucs-rack.yaml"));
    const table = new RouteTable(routes.length, index);
    for (const r of routes) table.add(r);
    const ports = net.fabric.ports;
    const [a, b] = [
      0,
      routes.findIndex((r, s) => s > 0 && asIds(r)?.forward.ports.join() !== asIds(routes[0]!)?.forward.ports.join()),
    ];
    expect(b).toBeGreaterThan(0);
    table.replace(a, routes[b]!);
    table.replace(b, null);
    expect(unpacked(table, a, ports)).toEqual(asIds(routes[b]!));
    expect(table.has(b)).toBe(false);
    expect(unpacked(table, b, ports)).toBeNull();
    table.restore();
    expect(unpacked(table, a, ports)).toEqual(asIds(routes[a]!));
    expect(unpacked(table, b, ports)).toEqual(asIds(routes[b]!));
  });
});

describe("port numbers", () => {
  it("are a port's own index in a build that numbers its ports, else a Map; a foreign port has none", () => {
    const topo = load("topologies/director-rack.yaml");
    const flow = buildFlowNetwork(topo).fabric.ports;
    const packet = buildNetwork(topo, new Simulation(), new RandomStreams(topo.experiment.seed, 0), () => {}).fabric
      .ports as readonly AnyPort[];
    const own = portNumbers(flow);
    expect(own).not.toBeInstanceOf(Map);
    expect(portNumbers(packet)).toBeInstanceOf(Map);
    flow.forEach((p, i) => {
      expect(own.get(p)).toBe(i);
    });
    // A port of another build of the same topology has the same index but is not one of these.
    expect(own.get(buildFlowNetwork(topo).fabric.ports[3]!)).toBeUndefined();
    expect(own.get(packet[3]!)).toBeUndefined();
  });
});
