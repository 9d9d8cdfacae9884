import { describe, expect, it } from "vitest";
import { siteTopology } from "../../../bench/site.js";
import { ExactRoutes } from "../../../src/network/exact-routes.js";
import { buildFlowNetwork, type FlowPort } from "../../../src/network/flow-network.js";
import { routeRules } from "../../../src/network/route-rules.js";
import type { RoutedNode } from "../../../src/network/routed.js";

describe("the exhaustive route search", () => {
  it("keeps its distances until cleared: a port that went down stays on the route until then", () => {
    const topo = siteTopology("traditional", { servers: 32 }).topology;
    const ports = buildFlowNetwork(topo).fabric.ports;
    const incoming = new Map<RoutedNode<FlowPort>, Int32Array>();
    for (const node of new Set(ports.map((p) => p.peerNode)))
      incoming.set(node, Int32Array.from(ports.flatMap((p, i) => (p.peerNode === node ? [i] : []))));
    const exact = new ExactRoutes(
      ports,
      routeRules<FlowPort>(topo, new Map(topo.nodes.map((n) => [n.name, n]))),
      incoming,
    );
    const lan = ports.find((p) => p.peerNode.name === "lan")!.peerNode;
    const server = topo.nodes.find((n) => n.kind === "server")!.name;
    const start = ports.find((p) => p.node.name === server && p.peerNode.kind !== "host")!;
    const before = exact.path(start, lan, server, 12345, -1);
    expect(before).not.toBeNull();
    expect(before!.length).toBeGreaterThan(1);
    const middle = before![1]!;
    middle.routingDown = true;
    try {
      // Cached: the same route, through the port now down.
      expect(exact.path(start, lan, server, 12345, -1)).toEqual(before);
      exact.clear();
      const after = exact.path(start, lan, server, 12345, -1);
      expect(after === null || !after.includes(middle)).toBe(true);
    } finally {
      middle.routingDown = false;
    }
  });
});
