import { describe, expect, it } from "vitest";
import { pfcThresholds, Transfer } from "../../../src/fabric/index.js";
import { linkProtocol } from "../../../src/link/catalog.js";
import { aSwitch, bps, endpoints, MS, newFabric, US } from "./helpers.js";

const eth10 = linkProtocol("eth-10g");
const eth25 = linkProtocol("eth-25g");

describe("PFC thresholds", () => {
  it("keep headroom for two propagation delays, the receiver's latency and three frames", () => {
    // 10GbE moves 1.25 bytes/ns: (2 × 1 µs + 0.5 µs) × 1.25 = 3125 bytes, plus 3 × 1538.
    expect(pfcThresholds(eth10, 100_000, 1 * US, 0.5 * US)).toEqual({
      headroom: 3125 + 3 * 1538,
      xoff: 100_000 - 7739,
      xon: 100_000 - 7739 - 2 * 1538,
    });
  });

  it("refuse a buffer too small to hold the headroom and a frame", () => {
    expect(() => pfcThresholds(eth10, 6000, 0, 0)).toThrow(/needs 4614 bytes of headroom .* at least 6152 bytes/);
  });
});

describe("a lossless (PFC) Ethernet link under overload", () => {
  // A host offers its full 25 Gb/s line rate through a switch to a 10 Gb/s port. 2 µs of
  // propagation on the host link makes the headroom matter: 2 × 2 µs × 3.125 B/ns = 12.5 kB.
  const BUFFER = 40_000;
  const WARMUP = 1 * MS;
  const WINDOW = 5 * MS;

  function run() {
    const { sim, fabric } = newFabric();
    endpoints(fabric, ["host", "sink"]);
    aSwitch(fabric, "sw", { forwarding: "cut-through", latencyTicks: 300_000 });
    const [up] = fabric.connect("host:p", "sw:p1", {
      protocol: eth25,
      flowControl: "pfc",
      propagationTicks: 2 * US,
      peerBufferBytes: BUFFER,
    });
    const [down] = fabric.connect("sw:p2", "sink:p", { protocol: eth10, flowControl: "pfc", peerBufferBytes: BUFFER });
    const route = fabric.route([up, down]);
    let deliveredBytes = 0;
    fabric.onDeliver = (t) => {
      if (sim.now > WARMUP) deliveredBytes += t.payload;
      fabric.inject(t); // keep the host backlogged: a lossless source queue never drops
    };
    for (let i = 0; i < 200; i++) fabric.inject(new Transfer(null, 1500, route));
    sim.run({ until: WARMUP });
    fabric.resetStats();
    sim.run({ until: WARMUP + WINDOW });
    return { up: up.stats(), down: down.stats(), fabric, deliveredBps: bps(deliveredBytes, WINDOW) };
  }

  it("pauses the host for the excess share of the time (15 of 25 Gb/s), loses nothing and never overruns the buffer", () => {
    const r = run();
    expect(r.fabric.dropped).toBe(0);
    expect(r.up.dropped + r.down.dropped).toBe(0);
    const excessShare = (25 - 10) / 25;
    const windowSeconds = WINDOW / 1e12;
    expect(Math.abs(r.up.pausedSeconds / windowSeconds - excessShare)).toBeLessThan(0.02);
    expect(r.up.utilization! + r.up.pausedSeconds / windowSeconds).toBeCloseTo(1, 2);
    // The bottleneck stays busy: PAUSE/RESUME never starves it.
    expect(r.down.utilization).toBeCloseTo(1, 3);
    expect(r.deliveredBps / eth10.goodputBps()).toBeGreaterThan(0.999);
    // The switch used its headroom but stayed within its buffer.
    const { xoff } = pfcThresholds(eth25, BUFFER, 2 * US, 300_000);
    expect(r.up.peakPeerBufferBytes!).toBeGreaterThan(xoff);
    expect(r.up.peakPeerBufferBytes!).toBeLessThanOrEqual(BUFFER);
  });
});
