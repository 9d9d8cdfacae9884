import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type FlowControl, type LinkOptions, type Route, Transfer } from "../../../src/fabric/index.js";
import { linkProtocol } from "../../../src/link/catalog.js";
import { aSwitch, endpoints, NS, newFabric, US } from "./helpers.js";

// Random small fabrics: two hosts and two sinks around one switch, every link with its own
// protocol, flow control and buffers, traffic both ways, stopped at a random time.

const PROTOCOLS = ["eth-10g", "eth-1g", "pcie-gen2-x4"] as const;

const linkArb = fc.record({
  protocol: fc.constantFrom(...PROTOCOLS),
  flowControl: fc.constantFrom<FlowControl>("none", "credit", "pfc"),
  propagationNs: fc.integer({ min: 0, max: 500 }),
  bufferBytes: fc.integer({ min: 0, max: 12_000 }),
  peerBufferBytes: fc.integer({ min: 14_000, max: 40_000 }),
  queues: fc.integer({ min: 1, max: 3 }),
  shapedMbps: fc.option(fc.integer({ min: 100, max: 5000 }), { nil: undefined }),
});

const scenarioArb = fc.record({
  forwarding: fc.constantFrom("store-and-forward" as const, "cut-through" as const),
  latencyNs: fc.integer({ min: 0, max: 500 }),
  sharedBufferBytes: fc.option(fc.integer({ min: 0, max: 30_000 }), { nil: undefined }),
  links: fc.array(linkArb, { minLength: 4, maxLength: 4 }),
  transfers: fc.array(
    fc.record({
      atNs: fc.integer({ min: 0, max: 20_000 }),
      host: fc.integer({ min: 0, max: 1 }),
      sink: fc.integer({ min: 0, max: 1 }),
      outbound: fc.boolean(),
      payload: fc.integer({ min: 0, max: 3000 }),
      queue: fc.integer({ min: 0, max: 2 }),
    }),
    { maxLength: 80, size: "max" },
  ),
  stopNs: fc.integer({ min: 0, max: 40_000 }),
});

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

function build(s: Scenario) {
  const { sim, fabric } = newFabric();
  endpoints(fabric, ["h0", "h1", "d0", "d1"]);
  aSwitch(fabric, "s", {
    forwarding: s.forwarding,
    latencyTicks: s.latencyNs * NS,
    ...(s.sharedBufferBytes === undefined ? {} : { sharedBufferBytes: s.sharedBufferBytes }),
  });
  const ends = [
    ["h0:p", "s:h0"],
    ["h1:p", "s:h1"],
    ["s:d0", "d0:p"],
    ["s:d1", "d1:p"],
  ] as const;
  s.links.forEach((l, i) => {
    const options: LinkOptions = {
      protocol: linkProtocol(l.protocol),
      flowControl: l.flowControl,
      propagationTicks: l.propagationNs * NS,
      bufferBytes: l.bufferBytes,
      peerBufferBytes: l.peerBufferBytes,
      scheduler: {
        queues: l.queues,
        shapers: l.shapedMbps === undefined ? [] : [{ rateBps: l.shapedMbps * 1e6, burstBytes: 4000 }],
      },
    };
    fabric.connect(ends[i]![0], ends[i]![1], options);
  });
  const routes = new Map<string, Route>();
  const routeFor = (host: number, sink: number, outbound: boolean, queue: number): Route => {
    const key = `${host}${sink}${outbound}${queue}`;
    let r = routes.get(key);
    if (r === undefined) {
      const ports = outbound ? [`h${host}:p`, `s:d${sink}`] : [`d${sink}:p`, `s:h${host}`];
      const qs = ports.map((id) => Math.min(queue, fabric.port(id).scheduler.queueCount - 1));
      r = fabric.route(ports, qs);
      routes.set(key, r);
    }
    return r;
  };
  const inject = sim.handler((t: Transfer) => fabric.inject(t), "inject");
  for (const x of s.transfers) {
    sim.schedule(x.atNs * NS, inject, new Transfer(null, x.payload, routeFor(x.host, x.sink, x.outbound, x.queue)));
  }
  const dropPorts: string[] = [];
  fabric.onDrop = (_t, reason) => dropPorts.push(reason);
  return { sim, fabric, dropPorts };
}

function inFlight(fabric: ReturnType<typeof build>["fabric"]): Set<Transfer> {
  const seen = new Set<Transfer>();
  fabric.forEachTransferInFlight((t) => {
    expect(seen.has(t)).toBe(false); // each transfer is in exactly one place
    seen.add(t);
  });
  return seen;
}

describe("conservation of transfers", () => {
  it("finds every injected transfer delivered, dropped or in flight, at any stopping time; lossless ports never drop", () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const { sim, fabric, dropPorts } = build(s);
        sim.run({ until: s.stopNs * NS });
        const flying = inFlight(fabric);
        expect(fabric.injected).toBe(fabric.delivered + fabric.dropped + flying.size);
        expect(fabric.countInFlight()).toBe(flying.size);

        // Run to the end: nothing is stuck (no credit or PFC deadlock on a tree).
        sim.run({ until: sim.now + 100 * 1000 * US });
        expect(fabric.countInFlight()).toBe(0);
        expect(fabric.injected).toBe(s.transfers.length);
        expect(fabric.injected).toBe(fabric.delivered + fabric.dropped);
        for (const reason of dropPorts) {
          const portId = /\(([^)]+)\)$|at (\S+)$/.exec(reason);
          const id = portId?.[1] ?? portId?.[2] ?? "";
          expect(fabric.port(id).lossless).toBe(false);
        }
        for (const p of fabric.ports) {
          if (p.creditBased) expect(p.credit).toBe(p.peerBufferBytes); // all credit came back
          if (p.lossless) expect(p.peerHeldBytes).toBe(0);
          expect(p.stateName).toBe("READY");
        }
        expect(fabric.nodes.every((n) => n.lossyQueuedBytes === 0)).toBe(true);
      }),
      { numRuns: 300, seed: 20261125 },
    );
  });
});
