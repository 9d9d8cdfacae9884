import { describe, expect, it } from "vitest";
import { ethernet, ethernetWireBytes } from "../../../src/link/ethernet.js";

describe("Ethernet", () => {
  const eth10 = ethernet("10g");

  it("puts 1538 bytes on the wire for a 1500-byte payload", () => {
    expect(eth10.wireBytes(1500)).toBe(1538);
  });

  it("delivers 9.753 Gb/s of payload at 10G with 1500-byte frames", () => {
    expect(eth10.goodputBps()).toBeCloseTo(9.753e9, -6);
    expect((eth10.goodputBps() / 1e9).toPrecision(4)).toBe("9.753");
  });

  it("clocks out exactly 10 Gb/s while the 64b/66b line runs at 10.3125 GBd", () => {
    expect(eth10.dataRateBps).toBe(10e9);
    expect(eth10.signallingBaud).toBe(10.3125e9);
    expect(eth10.encoding.id).toBe("64b/66b");
  });

  it("runs 40G and 100G over four lanes", () => {
    expect(ethernet("40g")).toMatchObject({ lanes: 4, signallingBaud: 41.25e9, dataRateBps: 40e9 });
    expect(ethernet("100g")).toMatchObject({ lanes: 4, signallingBaud: 103.125e9, dataRateBps: 100e9 });
    expect(ethernet("1g")).toMatchObject({ lanes: 1, signallingBaud: 1.25e9, dataRateBps: 1e9 });
  });

  it("pads short payloads to the 64-byte minimum frame: 84 bytes on the wire", () => {
    expect(eth10.wireBytes(0)).toBe(84);
    expect(eth10.wireBytes(46)).toBe(84);
    expect(eth10.wireBytes(47)).toBe(85);
  });

  it("adds 4 bytes per VLAN tag but keeps the 64-byte minimum", () => {
    const tagged = ethernet("10g", { vlanTags: 1 });
    expect(tagged.wireBytes(1500)).toBe(1542);
    expect(tagged.wireBytes(42)).toBe(84);
    expect(ethernetWireBytes(1500, 2)).toBe(1546);
  });

  it("carries 9000-byte jumbo payloads in 9038 bytes, 9.958 Gb/s at 10G", () => {
    const jumbo = ethernet("10g", { mtu: 9000 });
    expect(jumbo.maxPayloadBytes).toBe(9000);
    expect(jumbo.wireBytes(9000)).toBe(9038);
    expect((jumbo.goodputBps() / 1e9).toPrecision(4)).toBe("9.958");
  });

  it("sends a 64-byte frame at 100G in 5.12 ns, and a full 10G frame in 1230.4 ns", () => {
    expect(ethernet("100g").serializationTicks(64)).toBe(5120);
    expect(eth10.serializationTicks(1538)).toBe(1_230_400);
  });

  it("splits a 4000-byte message into two full frames and one of 1000 bytes", () => {
    expect(eth10.segment(4000)).toEqual({ transfers: 3, lastPayload: 1000, wireBytes: 2 * 1538 + 1038 });
  });

  it("sends nothing back per frame", () => {
    expect(eth10.reverseBytesPerTransfer).toBe(0);
  });

  it("rejects a payload above the MTU and an MTU above 9216", () => {
    expect(() => eth10.wireBytes(1501)).toThrow("payload must be an integer in [0, 1500]");
    expect(() => ethernet("10g", { mtu: 10_000 })).toThrow("Ethernet mtu must be an integer in [46, 9216], got 10000");
  });
});
