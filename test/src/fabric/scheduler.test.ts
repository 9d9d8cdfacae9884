import { describe, expect, it } from "vitest";
import { DrrScheduler, type SchedulerOptions, Transfer } from "../../../src/fabric/index.js";
import { drrSlots } from "../../../src/fabric/scheduler.js";
import { linkProtocol } from "../../../src/link/catalog.js";
import { endpoints, MS, newFabric } from "./helpers.js";

const eth10 = linkProtocol("eth-10g");
const WARMUP = 1 * MS;
const WINDOW = 20 * MS;

/**
 * One 10GbE port whose queues are kept backlogged (each delivery re-injects the transfer
 * into its queue, 20 outstanding per queue). Returns wire bytes sent per queue in the window.
 */
function saturate(scheduler: SchedulerOptions, payloads: readonly number[], backlogged = payloads.map(() => true)) {
  const { sim, fabric } = newFabric();
  endpoints(fabric, ["vm", "net"]);
  const [port] = fabric.connect("vm:p", "net:p", { protocol: eth10, scheduler });
  const routes = payloads.map((_, q) => fabric.route([port], [q]));
  fabric.onDeliver = (t) => fabric.inject(t);
  payloads.forEach((payload, q) => {
    if (!backlogged[q]) return;
    for (let i = 0; i < 20; i++) fabric.inject(new Transfer(q, payload, routes[q]!));
  });
  sim.run({ until: WARMUP });
  fabric.resetStats();
  const eventsBefore = sim.events;
  sim.run({ until: WARMUP + WINDOW });
  const sent = payloads.map((_, q) => port.scheduler.queueTxBytes(q));
  const total = sent.reduce((a, b) => a + b, 0);
  return { sent, shares: sent.map((b) => b / total), stats: port.stats(), events: sim.events - eventsBefore };
}

describe("deficit round robin", () => {
  it("shares a port equally, by bytes, among 4 saturated queues with equal weights (within 2 %)", () => {
    // Different frame sizes per queue: DRR is fair in bytes, not in frames.
    const r = saturate({ queues: 4 }, [1500, 100, 700, 4000]);
    for (const share of r.shares) expect(Math.abs(share - 0.25) / 0.25).toBeLessThan(0.02);
    expect(r.stats.utilization).toBeCloseTo(1, 6);
  });

  it("splits 25/75 with weights 1:3 (within 2 %)", () => {
    const r = saturate({ queues: 2, weights: [1, 3] }, [1500, 300]);
    expect(Math.abs(r.shares[0]! - 0.25) / 0.25).toBeLessThan(0.02);
    expect(Math.abs(r.shares[1]! - 0.75) / 0.75).toBeLessThan(0.02);
  });

  it("never lets a shaped queue exceed its rate over a long window (by more than one burst), and gives the rest away", () => {
    const rateBps = 2e9;
    const burstBytes = 16_000;
    const r = saturate({ queues: 2, shapers: [{ rateBps, burstBytes }, null] }, [1500, 1500]);
    const allowed = (rateBps / 8) * (WINDOW / 1e12);
    expect(r.sent[0]!).toBeLessThanOrEqual(allowed + burstBytes);
    expect(r.sent[0]!).toBeGreaterThan(0.98 * allowed);
    expect(r.stats.utilization).toBeCloseTo(1, 6); // the unshaped queue takes the rest
  });

  it("wakes up once when every queue is shaped out, and sends at the shaped rate", () => {
    const rateBps = 3e9;
    const r = saturate({ queues: 1, shapers: [{ rateBps, burstBytes: 3076 }] }, [1500]);
    const allowed = (rateBps / 8) * (WINDOW / 1e12);
    expect(r.sent[0]!).toBeLessThanOrEqual(allowed + 3076);
    expect(r.sent[0]!).toBeGreaterThan(0.98 * allowed);
    expect(r.stats.utilization).toBeCloseTo(0.3, 2);
    // Per transfer: transmit-complete, arrival, and at most one wake-up.
    expect(r.events / r.stats.transmittedTransfers).toBeLessThanOrEqual(3.01);
  });

  it("serves an unshaped queue at once while the shaped one waits for tokens", () => {
    const { sim, fabric } = newFabric();
    endpoints(fabric, ["vm", "net"]);
    const [port] = fabric.connect("vm:p", "net:p", {
      protocol: eth10,
      scheduler: { queues: 2, shapers: [{ rateBps: 1e6, burstBytes: 1538 }, null] },
    });
    const at: number[] = [];
    fabric.onDeliver = (t) => at.push(t.owner as number, sim.now);
    // Two frames in the shaped queue: the second must wait 1538·8 bits / 1 Mb/s = 12.304 ms.
    fabric.inject(new Transfer(0, 1500, fabric.route([port], [0])));
    fabric.inject(new Transfer(0, 1500, fabric.route([port], [0])));
    sim.schedule(
      1 * MS,
      sim.handler(() => fabric.inject(new Transfer(1, 1500, fabric.route([port], [1])))),
    );
    sim.run();
    const frame = 1538 * 800;
    expect(at).toEqual([0, frame, 1, 1 * MS + frame, 0, 12_304 * 1_000_000 + frame]);
  });
});

/** A stand-in for a queued transfer: the scheduler reads only its wire bytes. */
const frame = (wire: number, tag: number) => ({ wire, tag }) as unknown as Transfer & { tag: number };

describe("DRR round", () => {
  it("visits the queues in the order they became active, and wraps its ring when every queue is active", () => {
    const drr = new DrrScheduler({ queues: 3 }, 1000);
    const order = [2, 0, 1, 2, 0, 1];
    order.forEach((q, i) => {
      drr.enqueue(frame(1000, i), q);
    });
    const served: number[] = [];
    for (let i = 0; i < 6; i++) {
      drr.peek(0);
      served.push((drr.pop(0) as Transfer & { tag: number }).tag);
    }
    // One full-size frame per visit: queue 2, 0, 1, then round again.
    expect(served).toEqual([0, 1, 2, 3, 4, 5]);
    // A queue that empties leaves the ring; one that fills again joins at the back.
    drr.enqueue(frame(1000, 10), 1);
    drr.enqueue(frame(1000, 11), 0);
    drr.enqueue(frame(1000, 12), 1);
    const again: number[] = [];
    while (drr.length > 0) {
      drr.peek(0);
      again.push((drr.pop(0) as Transfer & { tag: number }).tag);
    }
    expect(again).toEqual([10, 11, 12]);
  });
});

describe("DRR numbers", () => {
  it("keeps a DRR port's per-queue numbers in the fabric's slab, next to the port's own", () => {
    const { fabric } = newFabric();
    endpoints(fabric, ["vm", "net"]);
    const asked: number[] = [];
    const slots = fabric.slots.bind(fabric);
    fabric.slots = (n: number) => {
      asked.push(n);
      return slots(n);
    };
    fabric.connect("vm:p", "net:p", { protocol: eth10, scheduler: { queues: 5 } });
    // Each direction (the link's scheduler applies to both): the port's 16 slots, then its scheduler's.
    expect(asked).toEqual([16, drrSlots(5), 16, drrSlots(5)]);
  });

  it("writes its numbers into the slots it is given, not an array of its own", () => {
    const slab = new Float64Array(8 + drrSlots(2));
    const drr = new DrrScheduler({ queues: 2, weights: [1, 2] }, 1000, (n) => {
      expect(n).toBe(drrSlots(2));
      return { slab, base: 8 };
    });
    expect(slab.subarray(0, 8).every((x) => x === 0)).toBe(true);
    expect([...slab.subarray(8)]).toContain(2000); // queue 1's quantum
    drr.enqueue(frame(700, 0), 1);
    expect([...slab.subarray(8)]).toContain(700); // its head's wire bytes
  });
});
