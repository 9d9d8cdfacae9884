import { describe, expect, it } from "vitest";
import { Transfer } from "../../../src/fabric/index.js";
import { linkProtocol } from "../../../src/link/catalog.js";
import { aSwitch, endpoints, NS, newFabric, US } from "./helpers.js";

const eth10 = linkProtocol("eth-10g");
const FRAME_TICKS = 1538 * 800; // a 1500-byte frame at 10GbE: 1230.4 ns

describe("a credit-based port", () => {
  it("waits PAUSED for the credit of its first transfer to come back one propagation delay after delivery", () => {
    const { sim, fabric } = newFabric();
    endpoints(fabric, ["a", "b"]);
    const [p] = fabric.connect("a:p", "b:p", {
      protocol: eth10,
      flowControl: "credit",
      peerBufferBytes: 1538, // room for exactly one frame
      propagationTicks: 1 * US,
    });
    const route = fabric.route([p]);
    const delivered: number[] = [];
    fabric.onDeliver = () => delivered.push(sim.now);
    fabric.inject(new Transfer(null, 1500, route));
    fabric.inject(new Transfer(null, 1500, route));
    sim.run({ until: FRAME_TICKS + 1 });
    expect(p.stateName).toBe("PAUSED");
    expect(p.credit).toBe(0);
    sim.run();
    // Frame 1 lands at 2.2304 µs; its credit is back at 3.2304 µs, when frame 2 starts.
    expect(delivered).toEqual([FRAME_TICKS + US, FRAME_TICKS + US + US + FRAME_TICKS + US]);
    expect(p.stats().pausedSeconds).toBeCloseTo(2e-6, 15);
    expect(p.credit).toBe(1538);
  });

  it("refuses a transfer that could never get enough credit", () => {
    const { fabric } = newFabric();
    endpoints(fabric, ["a", "b"]);
    const [p] = fabric.connect("a:p", "b:p", { protocol: eth10, flowControl: "credit", peerBufferBytes: 1000 });
    expect(() => fabric.inject(new Transfer(null, 1500, fabric.route([p])))).toThrow(
      "port a:p: a 1538-byte transfer can never get credit from a 1000-byte receive buffer",
    );
  });
});

describe("a switch's shared buffer", () => {
  it("drops lossy transfers once the node's queued bytes would exceed it, naming node and port", () => {
    const { sim, fabric } = newFabric();
    endpoints(fabric, ["a", "x", "y"]);
    aSwitch(fabric, "s", { sharedBufferBytes: 4000 });
    const fast = { protocol: eth10 };
    const slow = { protocol: linkProtocol("eth-1g"), bufferBytes: 100_000 };
    fabric.connect("a:p", "s:a", fast);
    fabric.connect("s:x", "x:p", slow);
    fabric.connect("s:y", "y:p", slow);
    const reasons: string[] = [];
    fabric.onDrop = (_t, reason) => reasons.push(reason);
    // Six frames alternate to x and y: each port sends one at once and queues the rest;
    // the third queued frame would take the node to 3 × 1538 > 4000 bytes.
    const routes = [fabric.route(["a:p", "s:x"]), fabric.route(["a:p", "s:y"])];
    for (let i = 0; i < 6; i++) fabric.inject(new Transfer(null, 1500, routes[i % 2]!));
    sim.run();
    expect(reasons).toEqual(["shared buffer overflow at s (s:x)", "shared buffer overflow at s (s:y)"]);
    expect(fabric.delivered).toBe(4);
    expect(fabric.node("s").lossyQueuedBytes).toBe(0);
  });
});

describe("a lossy port whose queues share its buffer", () => {
  // Ten 1500-byte frames (1538 wire bytes each) arrive at once for queue 0, then one for queue 1, on a
  // port that holds 10,000 bytes waiting (the first frame goes straight to the wire).
  function burst(dynamicThreshold: number | undefined) {
    const { sim, fabric } = newFabric();
    endpoints(fabric, ["a", "b"]);
    const scheduler = dynamicThreshold === undefined ? { queues: 2 } : { queues: 2, dynamicThreshold };
    const [p] = fabric.connect("a:p", "b:p", { protocol: eth10, bufferBytes: 10_000, scheduler });
    const dropped: number[] = [];
    fabric.onDrop = (t) => dropped.push(t.route.queues[0]!);
    for (let i = 0; i < 10; i++) fabric.inject(new Transfer(null, 1500, fabric.route([p!], [0])));
    const waitingBefore = p!.scheduler.queueBytes(0);
    fabric.inject(new Transfer(null, 1500, fabric.route([p!], [1])));
    sim.run();
    return { dropped, waitingBefore, delivered: fabric.delivered };
  }

  it("without a threshold: the stream fills the buffer and the other queue's frame is dropped", () => {
    const r = burst(undefined);
    expect(r.waitingBefore).toBe(6 * 1538);
    expect(r.dropped).toEqual([0, 0, 0, 1]);
  });

  it("with the dynamic threshold (α = 1): the stream keeps at most half and the other queue's frame gets in", () => {
    const r = burst(1);
    // Queue 0 may grow while its bytes plus a frame stay within the free buffer: 3 × 1538 waiting
    // (a fourth would need 6,152 bytes against 5,386 free).
    expect(r.waitingBefore).toBe(3 * 1538);
    expect(r.dropped).toEqual([0, 0, 0, 0, 0, 0]);
    expect(r.delivered).toBe(5);
  });

  it("refuses a negative or infinite α", () => {
    const { fabric } = newFabric();
    endpoints(fabric, ["a", "b"]);
    expect(() =>
      fabric.connect("a:p", "b:p", { protocol: eth10, scheduler: { queues: 2, dynamicThreshold: -1 } }),
    ).toThrow("scheduler: dynamicThreshold must be >= 0 and finite, got -1");
  });
});

describe("port statistics", () => {
  it("count only the part of a transmission inside the window, and the time-weighted queue", () => {
    const { sim, fabric } = newFabric();
    endpoints(fabric, ["a", "b"]);
    const [p] = fabric.connect("a:p", "b:p", { protocol: eth10 });
    const route = fabric.route([p]);
    fabric.inject(new Transfer(null, 1500, route));
    fabric.inject(new Transfer(null, 1500, route));
    sim.run({ until: FRAME_TICKS / 2 });
    fabric.resetStats();
    sim.run({ until: FRAME_TICKS / 2 + 2 * FRAME_TICKS });
    const s = p.stats();
    // Busy for 1.5 frames of a 2-frame window; one frame waited for half of it.
    expect(s.utilization).toBeCloseTo(0.75, 12);
    expect(s.meanQueueBytes).toBeCloseTo(1538 / 4, 9);
    expect(s.maxQueueBytes).toBe(1538);
    expect(s.transmittedTransfers).toBe(2);
    expect(s.transmittedBytes).toBe(2 * 1538);
    expect(s.transmittedPayloadBytes).toBe(3000);
    expect(s.capacityBps).toBe(10e9);
    expect(s.peakPeerBufferBytes).toBeNull();
  });

  it("emit a drop probe only when someone listens, with the reason", () => {
    const { sim, fabric } = newFabric();
    endpoints(fabric, ["a", "b"]);
    const [p] = fabric.connect("a:p", "b:p", { protocol: eth10, bufferBytes: 0 });
    const seen: string[] = [];
    sim.probes.on("fabric.drop", (_t: Transfer, reason: string) => seen.push(reason));
    fabric.inject(new Transfer(null, 100, fabric.route([p])));
    expect(seen).toEqual(["buffer overflow at a:p"]);
    expect(p.stats().dropped).toBe(1);
  });

  it("build their drop-reason texts at their first drop, not with every port of a site", () => {
    const { fabric } = newFabric();
    endpoints(fabric, ["a", "b"]);
    const [p, back] = fabric.connect("a:p", "b:p", { protocol: eth10, bufferBytes: 0 });
    const texts = (port: unknown) => (port as { reasons: readonly string[] | null }).reasons;
    expect(texts(p)).toBeNull();
    fabric.inject(new Transfer(null, 100, fabric.route([p!])));
    expect(texts(p)).toEqual([
      "buffer overflow at a:p",
      "queue full (packets) at a:p",
      "shared buffer overflow at a (a:p)",
    ]);
    expect(texts(back)).toBeNull();
  });
});

describe("building a fabric", () => {
  it("rejects routes whose ports do not follow each other, and unknown queues", () => {
    const { fabric } = newFabric();
    endpoints(fabric, ["a", "b", "c"]);
    fabric.connect("a:p", "b:p", { protocol: eth10 });
    fabric.connect("b:q", "c:p", { protocol: eth10, scheduler: { queues: 2 } });
    expect(() => fabric.route(["a:p", "c:p"])).toThrow("fabric.route: a:p leads to b, but the next port is c:p");
    expect(() => fabric.route(["a:p", "b:q"], [0, 2])).toThrow("port b:q has no queue 2 (it has 2)");
    expect(fabric.route(["a:p", "b:q"], [0, 1]).ports.map((p) => p.id)).toEqual(["a:p", "b:q"]);
  });

  it("rejects reused ports, unknown nodes, and lossless links without a receive buffer", () => {
    const { fabric } = newFabric();
    endpoints(fabric, ["a", "b"]);
    fabric.connect("a:p", "b:p", { protocol: eth10 });
    expect(() => fabric.connect("a:p", "b:q", { protocol: eth10 })).toThrow('port "a:p" is already connected');
    expect(() => fabric.connect("a:r", "z:q", { protocol: eth10 })).toThrow('no node "z"');
    expect(() => fabric.connect("a:r", "b:r", { protocol: eth10, flowControl: "credit" })).toThrow(
      "port a:r: credit flow control needs the receiver's buffer (peerBufferBytes)",
    );
  });

  it("gives each direction its own settings and pairs the two directions", () => {
    const { fabric } = newFabric();
    endpoints(fabric, ["a", "b"]);
    const [ab, ba] = fabric.connect("a:p", "b:p", {
      protocol: eth10,
      propagationTicks: 5 * NS,
      bufferBytes: 10_000,
      bToA: { bufferBytes: 20_000, scheduler: { queues: 4 } },
    });
    expect([ab.bufferBytes, ba.bufferBytes]).toEqual([10_000, 20_000]);
    expect([ab.scheduler.queueCount, ba.scheduler.queueCount]).toEqual([1, 4]);
    expect(ab.reverse).toBe(ba);
    expect(ba.reverse).toBe(ab);
    expect([ab.to, ba.to, ab.propagationTicks]).toEqual(["b:p", "a:p", 5000]);
    expect(fabric.node("a").ports).toEqual([ab]);
  });
});
