import { describe, expect, it } from "vitest";
import { Transfer } from "../../../src/fabric/index.js";
import { linkProtocol } from "../../../src/link/catalog.js";
import { aSwitch, endpoints, newFabric, US } from "./helpers.js";

const eth10 = linkProtocol("eth-10g");
const FRAME_TICKS = 1538 * 800; // a 1500-byte frame at 10GbE: 1230.4 ns

describe("a failed port (fault injection)", () => {
  it("drops what is queued now, what is on the link when it arrives, and what is enqueued while failed", () => {
    const { sim, fabric } = newFabric();
    endpoints(fabric, ["a", "b"]);
    const [p, back] = fabric.connect("a:p", "b:p", { protocol: eth10, propagationTicks: 1 * US });
    const route = fabric.route([p]);
    const drops: Array<[number, string]> = [];
    let delivered = 0;
    fabric.onDrop = (_t, reason) => drops.push([sim.now, reason]);
    fabric.onDeliver = () => delivered++;
    for (let i = 0; i < 3; i++) fabric.inject(new Transfer(null, 1500, route));
    // Mid-way through the first frame: frame 1 is on the wire, frames 2 and 3 queued.
    sim.run({ until: FRAME_TICKS / 2 });
    p.fail("failed: a:p");
    back!.fail("failed: a:p");
    expect(drops).toEqual([
      [FRAME_TICKS / 2, "failed: a:p"],
      [FRAME_TICKS / 2, "failed: a:p"],
    ]);
    fabric.inject(new Transfer(null, 1500, route));
    expect(drops).toHaveLength(3);
    sim.run();
    // Frame 1 is lost when it would have arrived (end of transmission + propagation).
    expect(drops[3]).toEqual([FRAME_TICKS + US, "failed: a:p"]);
    expect(delivered).toBe(0);
    expect(fabric.injected).toBe(fabric.delivered + fabric.dropped + fabric.countInFlight());
    p.restore();
    back!.restore();
    fabric.inject(new Transfer(null, 1500, route));
    sim.run();
    expect(delivered).toBe(1);
  });

  it("returns credit for lost transfers, so a restored credit-based link is not starved", () => {
    const { sim, fabric } = newFabric();
    endpoints(fabric, ["a", "c"]);
    aSwitch(fabric, "s");
    const [ab] = fabric.connect("a:p", "s:p1", { protocol: eth10, flowControl: "credit", peerBufferBytes: 2 * 1538 });
    const [sc, cs] = fabric.connect("s:p2", "c:p", { protocol: eth10, flowControl: "credit", peerBufferBytes: 1538 });
    const route = fabric.route([ab!, sc!]);
    let delivered = 0;
    fabric.onDeliver = () => delivered++;
    for (let i = 0; i < 4; i++) fabric.inject(new Transfer(null, 1500, route));
    sim.run({ until: 3 * FRAME_TICKS });
    sc!.fail("failed: s:p2");
    cs!.fail("failed: s:p2");
    sim.run();
    sc!.restore();
    cs!.restore();
    expect(ab!.credit).toBe(2 * 1538);
    expect(sc!.credit).toBe(1538);
    for (let i = 0; i < 4; i++) fabric.inject(new Transfer(null, 1500, route));
    sim.run();
    expect(fabric.injected).toBe(fabric.delivered + fabric.dropped);
    expect(delivered).toBeGreaterThanOrEqual(4);
  });
});
