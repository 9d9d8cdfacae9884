import { describe, expect, it } from "vitest";
import { type PortClassOptions, pfcThresholds, Transfer } from "../../../src/fabric/index.js";
import { linkProtocol } from "../../../src/link/catalog.js";
import { aSwitch, endpoints, MS, newFabric, US } from "./helpers.js";

const eth10 = linkProtocol("eth-10g");
const eth25 = linkProtocol("eth-25g");
const ib = linkProtocol("ib-qdr-4x");
const WARMUP = 1 * MS;
const WINDOW = 10 * MS;

describe("ETS (802.1Qaz)", () => {
  /** One 10GbE port, every class kept backlogged; wire bytes per class over the window. */
  function saturate(classes: PortClassOptions, payloads: readonly number[], backlogged = payloads.map(() => true)) {
    const { sim, fabric } = newFabric();
    endpoints(fabric, ["host", "net"]);
    const [port] = fabric.connect("host:p", "net:p", { protocol: eth10, classes });
    const routes = payloads.map((_, c) => fabric.route([port], [c]));
    fabric.onDeliver = (t) => fabric.inject(t);
    payloads.forEach((payload, c) => {
      if (backlogged[c]) for (let i = 0; i < 20; i++) fabric.inject(new Transfer(c, payload, routes[c]!));
    });
    sim.run({ until: WARMUP });
    fabric.resetStats();
    sim.run({ until: WARMUP + WINDOW });
    const stats = port.stats();
    const sent = stats.classes!.map((c) => c.transmittedBytes);
    const total = sent.reduce((a, b) => a + b, 0);
    return { shares: sent.map((b) => b / total), stats };
  }

  const ets = (weight: number, name = `c${weight}`) => ({ name, noDrop: false, tier: 1, weight });

  it("shares a saturated link by the configured percentages (50/30/20, within 2 %), whatever the frame sizes", () => {
    const r = saturate({ classes: [ets(50), ets(30), ets(20)].map((c) => ({ ...c, tier: 0 })) }, [1500, 200, 9000]);
    [0.5, 0.3, 0.2].forEach((want, c) => {
      expect(Math.abs(r.shares[c]! - want) / want).toBeLessThan(0.02);
    });
    expect(r.stats.utilization).toBeCloseTo(1, 6);
  });

  it("is work-conserving: a class with nothing to send leaves its share to the others", () => {
    const r = saturate(
      { classes: [ets(50), ets(30), ets(20)].map((c) => ({ ...c, tier: 0 })) },
      [1500, 1500, 1500],
      [true, false, true],
    );
    expect(Math.abs(r.shares[0]! - 50 / 70) / (50 / 70)).toBeLessThan(0.02);
    expect(r.stats.utilization).toBeCloseTo(1, 6);
  });

  it("serves a strict-priority class first and shares what is left by ETS", () => {
    // The strict class is backlogged too: it takes everything, the ETS classes starve.
    const strict = { name: "voice", noDrop: false, tier: 0, weight: 1 };
    const r = saturate({ classes: [strict, ets(50), ets(50)] }, [1500, 1500, 1500]);
    expect(r.shares[0]).toBe(1);
  });
});

describe("PFC per priority (802.1Qbb) on a converged link", () => {
  // host (25G) → switch → sink (10G): the switch's 10G egress is the bottleneck. Two classes
  // share every link: fc (no-drop) and best-effort (drop), ETS 50/50. A sender per class keeps
  // `outstanding` transfers in flight (a window), so no-drop traffic is bounded at its source.
  const PFC_BUFFER = 60_000;
  // The host holds its own backlog (no drops there); the switch drops best effort above 100 kB.
  const classes = (beBuffer = 100_000): PortClassOptions => ({
    classes: [
      { name: "fc", noDrop: true, tier: 0, weight: 50, peerBufferBytes: PFC_BUFFER },
      { name: "best-effort", noDrop: false, tier: 0, weight: 50, bufferBytes: beBuffer },
    ],
  });

  function run(opts: { classed: boolean; fcWindow: number; beWindow: number }) {
    const { sim, fabric } = newFabric();
    endpoints(fabric, ["host", "sink"]);
    aSwitch(fabric, "sw", { forwarding: "cut-through", latencyTicks: 500_000 });
    const common = opts.classed
      ? { flowControl: "pfc" as const, classes: classes() }
      : { flowControl: "pfc" as const, peerBufferBytes: PFC_BUFFER };
    const [up] = fabric.connect("host:p", "sw:p1", {
      protocol: eth25,
      propagationTicks: 1 * US,
      ...common,
      ...(opts.classed ? { aToB: { classes: classes(Number.POSITIVE_INFINITY) } } : {}),
    });
    const [down] = fabric.connect("sw:p2", "sink:p", { protocol: eth10, ...common });
    const fc = fabric.route([up, down], opts.classed ? [0, 0] : [0, 0]);
    const be = fabric.route([up, down], opts.classed ? [1, 1] : [0, 0]);
    const delivered = [0, 0];
    const resend = (t: Transfer) => {
      fabric.inject(new Transfer(t.owner, 1500, t.route));
    };
    fabric.onDeliver = (t) => {
      if (sim.now > WARMUP) delivered[t.owner as number]! += t.payload;
      resend(t);
    };
    fabric.onDrop = (t) => resend(t); // a window-limited sender sends again
    for (let i = 0; i < opts.fcWindow; i++) fabric.inject(new Transfer(0, 1500, fc));
    for (let i = 0; i < opts.beWindow; i++) fabric.inject(new Transfer(1, 1500, be));
    sim.run({ until: WARMUP });
    fabric.resetStats();
    sim.run({ until: WARMUP + WINDOW });
    return { up: up.stats(), down: down.stats(), delivered };
  }

  it("pauses only the no-drop class: best effort drops instead, and both get their ETS half", () => {
    const r = run({ classed: true, fcWindow: 200, beWindow: 200 });
    const [fc, be] = r.up.classes!;
    expect(fc!.pausedSeconds).toBeGreaterThan(0);
    expect(be!.pausedSeconds).toBe(0);
    // While FC is paused best effort keeps sending: the host's port never stands idle with work.
    expect(r.up.pausedSeconds).toBe(0);
    expect(r.up.utilization).toBeGreaterThan(0.3);
    expect(fc!.dropped + r.down.classes![0]!.dropped).toBe(0);
    expect(r.down.classes![1]!.dropped).toBeGreaterThan(0);
    // Never more than the class's buffer at the switch.
    expect(fc!.peakPeerBufferBytes!).toBeLessThanOrEqual(PFC_BUFFER);
    expect(fc!.peakPeerBufferBytes!).toBeGreaterThan(pfcThresholds(eth25, PFC_BUFFER, 1 * US, 500_000).xoff);
    const share = r.delivered[0]! / (r.delivered[0]! + r.delivered[1]!);
    expect(Math.abs(share - 0.5)).toBeLessThan(0.01);
    expect(r.down.utilization).toBeCloseTo(1, 3);
  });

  it("never pauses the no-drop class when only best effort overloads the link", () => {
    // FC keeps 8 frames in flight (well under its half of 10G); best effort saturates.
    const r = run({ classed: true, fcWindow: 8, beWindow: 400 });
    const [fc, be] = r.up.classes!;
    expect(fc!.pausedSeconds).toBe(0);
    expect(be!.pausedSeconds).toBe(0);
    expect(r.down.classes![1]!.dropped).toBeGreaterThan(0);
    expect(r.up.pausedSeconds).toBe(0);
  });

  it("without classes, link-level PFC pauses the whole link, FC included, when best effort overloads it", () => {
    const r = run({ classed: false, fcWindow: 8, beWindow: 400 });
    expect(r.up.classes).toBeNull();
    expect(r.up.pausedSeconds / (WINDOW / 1e12)).toBeGreaterThan(0.3);
  });
});

describe("InfiniBand virtual lanes", () => {
  // Two senders into one switch port: a bulk stream on VL1 from h1 and latency-sensitive
  // 32 KiB messages (16 packets of 2 KiB, one every 100 µs) on VL0 from h2, both to `sink`
  // over an SDR link (8 Gb/s of data) that the bulk stream alone fills. VL0 is in the
  // high-priority arbitration table with no limit (LimitOfHighPriority 255), VL1 in the low one.
  const MTU = 2048;
  const sdr = linkProtocol("ib-sdr-4x");
  function run(opts: { vls: boolean; bulk: boolean }) {
    const { sim, fabric } = newFabric();
    endpoints(fabric, ["h1", "h2", "sink"]);
    aSwitch(fabric, "sw", { forwarding: "cut-through", latencyTicks: 150_000 });
    const credits = 16_384;
    const vls: PortClassOptions = {
      classes: [
        { name: "vl0", noDrop: true, tier: 0, weight: 4, peerBufferBytes: credits },
        { name: "vl1", noDrop: true, tier: 1, weight: 4, peerBufferBytes: credits },
      ],
    };
    const common = opts.vls
      ? { flowControl: "credit" as const, classes: vls }
      : { flowControl: "credit" as const, peerBufferBytes: credits };
    const [a] = fabric.connect("h1:p", "sw:p1", { protocol: ib, ...common });
    const [b] = fabric.connect("h2:p", "sw:p2", { protocol: ib, ...common });
    const [out] = fabric.connect("sw:p3", "sink:p", { protocol: sdr, ...common });
    const bulk = fabric.route([a, out], opts.vls ? [1, 1] : [0, 0]);
    const probe = fabric.route([b, out], [0, 0]);
    const latencies: number[] = [];
    const parts = new Map<number, number>();
    fabric.onDeliver = (t) => {
      if (t.owner === "bulk") {
        fabric.inject(new Transfer("bulk", MTU, bulk));
        return;
      }
      const start = t.owner as number;
      const left = parts.get(start)! - 1;
      parts.set(start, left);
      if (left === 0 && start > WARMUP) latencies.push(sim.now - start);
    };
    if (opts.bulk) for (let i = 0; i < 64; i++) fabric.inject(new Transfer("bulk", MTU, bulk));
    const every = 100 * US;
    const hMessage = sim.handler(() => {
      parts.set(sim.now, 16);
      for (let i = 0; i < 16; i++) fabric.inject(new Transfer(sim.now, MTU, probe));
      sim.post(every, hMessage, null);
    });
    sim.post(every, hMessage, null);
    sim.run({ until: WARMUP + 5 * WINDOW });
    latencies.sort((x, y) => x - y);
    return { p99: latencies[Math.floor(0.99 * latencies.length)]!, samples: latencies.length, out };
  }

  it("keep a latency VL's p99 within 10 % of unloaded next to a bulk stream on its own VL", () => {
    const unloaded = run({ vls: true, bulk: false });
    const loaded = run({ vls: true, bulk: true });
    expect(unloaded.samples).toBeGreaterThan(400);
    expect(loaded.p99 / unloaded.p99).toBeLessThan(1.1);
    // Arbitration is per packet: what the bulk VL adds is at most the packet in progress.
    expect(loaded.p99 - unloaded.p99).toBeLessThanOrEqual(sdr.serializationTicks(sdr.wireBytes(MTU)));
    // And the bulk stream still fills the link.
    expect(loaded.out.stats().classes![1]!.transmittedBytes).toBeGreaterThan(0);
  });

  it("without VLs, the same bulk stream head-of-line-blocks the latency traffic (one credit pool)", () => {
    const unloaded = run({ vls: false, bulk: false });
    const loaded = run({ vls: false, bulk: true });
    // Measured: 33.4 µs unloaded, 77.3 µs next to the bulk stream.
    expect(loaded.p99 / unloaded.p99).toBeGreaterThan(2);
  });

  it("share a link by the arbitration weights when both VLs are backlogged, with the high table limited", () => {
    // LimitOfHighPriority 0: one high-priority packet, then one low-priority packet.
    const { sim, fabric } = newFabric();
    endpoints(fabric, ["h", "sink"]);
    const [port] = fabric.connect("h:p", "sink:p", {
      protocol: ib,
      flowControl: "credit",
      classes: {
        classes: [
          { name: "vl0", noDrop: true, tier: 0, weight: 4, peerBufferBytes: 65_536 },
          { name: "vl1", noDrop: true, tier: 1, weight: 4, peerBufferBytes: 65_536 },
          { name: "vl2", noDrop: true, tier: 1, weight: 12, peerBufferBytes: 65_536 },
        ],
        tierLimitBytes: 0,
      },
    });
    const routes = [0, 1, 2].map((c) => fabric.route([port], [c]));
    fabric.onDeliver = (t) => fabric.inject(t);
    for (const r of routes) for (let i = 0; i < 20; i++) fabric.inject(new Transfer(null, MTU, r));
    sim.run({ until: WARMUP });
    fabric.resetStats();
    sim.run({ until: WARMUP + WINDOW });
    const sent = port.stats().classes!.map((c) => c.transmittedBytes);
    const total = sent.reduce((x, y) => x + y, 0);
    // Half to the high table (alternating packets); the low half split 1:3 by weight.
    [0.5, 0.125, 0.375].forEach((want, c) => {
      expect(Math.abs(sent[c]! / total - want) / want).toBeLessThan(0.02);
    });
  });
});
