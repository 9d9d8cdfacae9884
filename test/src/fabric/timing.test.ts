import { describe, expect, it } from "vitest";
import { Transfer } from "../../../src/fabric/index.js";
import { linkProtocol } from "../../../src/link/catalog.js";
import { aSwitch, endpoints, NS, newFabric } from "./helpers.js";

// One 1000-byte transfer from a host through a switch to a sink. At 10GbE it is
// 1038 wire bytes = 830.4 ns; a 64-byte head is 51.2 ns; at 100GbE the frame takes 83.04 ns.
const eth10 = linkProtocol("eth-10g");
const eth100 = linkProtocol("eth-100g");
const SER10 = 830_400;
const HEAD10 = 51_200;
const SER100 = 83_040;

function oneTransfer(forwarding: "store-and-forward" | "cut-through", latency: number, egress = eth10) {
  const { sim, fabric } = newFabric();
  endpoints(fabric, ["host", "sink"]);
  aSwitch(fabric, "sw", { latencyTicks: latency, forwarding });
  fabric.connect("host:p0", "sw:p1", { protocol: eth10, propagationTicks: 100 * NS });
  fabric.connect("sw:p2", "sink:p0", { protocol: egress, propagationTicks: 20 * NS });
  let deliveredAt = -1;
  fabric.onDeliver = () => {
    deliveredAt = sim.now;
  };
  fabric.inject(new Transfer(null, 1000, fabric.route(["host:p0", "sw:p2"])));
  sim.run();
  return deliveredAt;
}

describe("the latency of one transfer across two hops", () => {
  it("is the serialization and propagation times of both links plus the switch latency, store-and-forward", () => {
    expect(oneTransfer("store-and-forward", 500 * NS)).toBe(SER10 + 100 * NS + 500 * NS + SER10 + 20 * NS);
  });

  it("counts only the 64-byte head on the first link when the switch cuts through", () => {
    expect(oneTransfer("cut-through", 500 * NS)).toBe(HEAD10 + 100 * NS + 500 * NS + SER10 + 20 * NS);
  });

  it("starts a faster cut-through egress late, so that it finishes just as the ingress reception ends", () => {
    // Head in at 151.2 ns + 100 ns latency; the 100G egress would end at 334.24 ns, before the
    // 10G reception ends at 930.4 ns, so it runs from 847.36 ns to 930.4 ns.
    expect(oneTransfer("cut-through", 100 * NS, eth100)).toBe(SER10 + 100 * NS + 20 * NS);
    // With a long latency the rule does not bind: head + latency + 100G serialization.
    expect(oneTransfer("cut-through", 2000 * NS, eth100)).toBe(HEAD10 + 100 * NS + 2000 * NS + SER100 + 20 * NS);
  });

  it("occupies a link for all segments of a payload above its MTU: 4000 bytes as 1538 + 1538 + 1038", () => {
    const { sim, fabric } = newFabric();
    endpoints(fabric, ["a", "b"]);
    const [p] = fabric.connect("a:p", "b:p", { protocol: eth10 });
    let at = -1;
    fabric.onDeliver = () => {
      at = sim.now;
    };
    fabric.inject(new Transfer(null, 4000, fabric.route([p])));
    sim.run();
    expect(p.wireBytesOf(4000)).toBe(2 * 1538 + 1038);
    expect(at).toBe((2 * 1538 + 1038) * 800);
  });

  it("lengthens a busy PCIe transmitter by the DLLPs the other direction owes, but not an idle one", () => {
    // Gen3 x8 with DLLPs counted per TLP: a 256-byte MWr is 276 wire bytes; for each TLP
    // received the receiver sends 16 bytes of ACK + UpdateFC back. rc sends three TLPs while
    // ep sends a 1024-byte write (4 TLPs, 1104 wire bytes) and then one more TLP. (By the
    // spec's timers instead: test/src/fabric/pcie-throughput.test.ts.)
    const gen3 = linkProtocol("pcie-gen3-x8", { ackEvery: 1, updateFcEvery: 1 });
    const { sim, fabric } = newFabric();
    endpoints(fabric, ["rc", "ep"]);
    const [down, up] = fabric.connect("rc:p", "ep:p", { protocol: gen3 });
    for (let i = 0; i < 3; i++) fabric.inject(new Transfer(null, 256, fabric.route([down])));
    fabric.inject(new Transfer(null, 1024, fabric.route([up])));
    fabric.inject(new Transfer(null, 256, fabric.route([up])));
    sim.run();
    // ep is busy while rc's three TLPs arrive: their 48 DLLP bytes go out before ep's next TLP.
    const upBusy = gen3.serializationTicks(1104) + gen3.serializationTicks(276 + 48);
    expect(sim.now).toBe(upBusy);
    expect(up.stats().utilization).toBe(1);
    // rc was idle when ep's TLPs arrived: those DLLPs fit into its idle time.
    expect(down.stats().utilization).toBeCloseTo((3 * gen3.serializationTicks(276)) / upBusy, 12);
  });
});
