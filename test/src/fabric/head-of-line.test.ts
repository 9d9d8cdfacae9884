import { describe, expect, it } from "vitest";
import { type FlowControl, Transfer } from "../../../src/fabric/index.js";
import { linkProtocol } from "../../../src/link/catalog.js";
import { aSwitch, bps, endpoints, MS, newFabric } from "./helpers.js";

// Host A sends two flows through switch S over one 10GbE link: flow "congested" to X behind
// a 1GbE link, flow "victim" to Y over 10GbE. Each offers 4 Gb/s of wire bytes in
// 1500-byte frames (one every 3.076 µs, the two interleaved), so the shared link has
// room for both and only X's link is overloaded.
const FRAME = 1500;
const PERIOD = (1538 * 8 * 1e12) / 4e9; // ticks between frames of one flow
const WARMUP = 1 * MS;
const WINDOW = 10 * MS;

function scenario(flowControl: FlowControl) {
  const { sim, fabric } = newFabric();
  endpoints(fabric, ["a", "x", "y"]);
  aSwitch(fabric, "s", { forwarding: "store-and-forward", latencyTicks: 0 });
  const lossless = flowControl !== "none";
  const link = (protocol: string) =>
    lossless
      ? { protocol: linkProtocol(protocol), flowControl, peerBufferBytes: 16_000 }
      : { protocol: linkProtocol(protocol), bufferBytes: 100_000 };
  const [upstream] = fabric.connect("a:p", "s:a", link("eth-10g"));
  const [toX] = fabric.connect("s:x", "x:p", link("eth-1g"));
  fabric.connect("s:y", "y:p", link("eth-10g"));
  const routes = [fabric.route(["a:p", "s:x"]), fabric.route(["a:p", "s:y"])];

  const delivered = [0, 0];
  const reasons = new Map<string, number>();
  fabric.onDeliver = (t) => {
    if (sim.now >= WARMUP) delivered[t.owner as number]! += t.payload;
  };
  fabric.onDrop = (_t, reason) => reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  for (const flow of [0, 1]) {
    const send = sim.handler(() => {
      fabric.inject(new Transfer(flow, FRAME, routes[flow]!));
      sim.schedule(PERIOD, send);
    }, `flow${flow}`);
    sim.schedule(flow * (PERIOD / 2), send);
  }
  sim.run({ until: WARMUP });
  fabric.resetStats();
  sim.run({ until: WARMUP + WINDOW });
  return {
    congestedBps: bps(delivered[0]!, WINDOW),
    victimBps: bps(delivered[1]!, WINDOW),
    upstream: upstream.stats(),
    toX: toX.stats(),
    reasons,
  };
}

const offeredPayloadBps = (4e9 * FRAME) / 1538;
const oneGigGoodput = linkProtocol("eth-1g").goodputBps();

describe("lossless back-pressure", () => {
  it("blocks the victim flow behind the congested one in the shared upstream FIFO (head-of-line blocking)", () => {
    const r = scenario("credit");
    // The victim gets through only as fast as the congested flow drains: about 1 Gb/s, far
    // below the 3.9 Gb/s it offers (and its fair share of the 10G upstream link).
    expect(r.victimBps).toBeLessThan(0.5 * offeredPayloadBps);
    expect(r.victimBps / oneGigGoodput).toBeGreaterThan(0.8);
    expect(r.victimBps / oneGigGoodput).toBeLessThan(1.2);
    expect(r.congestedBps / oneGigGoodput).toBeGreaterThan(0.98);
    expect(r.upstream.pausedSeconds).toBeGreaterThan(0.5 * (WINDOW / 1e12));
    expect(r.upstream.dropped + r.toX.dropped).toBe(0);
    expect(r.reasons.size).toBe(0);
    // The receive buffer is never overrun.
    expect(r.upstream.peakPeerBufferBytes).toBeLessThanOrEqual(16_000);
  });

  it("does the same under PFC, pausing the whole upstream port", () => {
    const r = scenario("pfc");
    expect(r.victimBps).toBeLessThan(0.5 * offeredPayloadBps);
    expect(r.upstream.pausedSeconds).toBeGreaterThan(0.5 * (WINDOW / 1e12));
    expect(r.upstream.dropped + r.toX.dropped).toBe(0);
    expect(r.upstream.peakPeerBufferBytes).toBeLessThanOrEqual(16_000);
  });

  it("drops the congested flow's frames instead when the ports are lossy, and the victim runs at its full rate", () => {
    const r = scenario("none");
    expect(r.victimBps / offeredPayloadBps).toBeGreaterThan(0.98);
    expect(r.victimBps / offeredPayloadBps).toBeLessThan(1.02);
    expect(r.congestedBps / oneGigGoodput).toBeGreaterThan(0.98);
    expect(r.upstream.pausedSeconds).toBe(0);
    expect(r.toX.dropped).toBeGreaterThan(0);
    expect([...r.reasons.keys()]).toEqual(["buffer overflow at s:x"]);
  });
});
