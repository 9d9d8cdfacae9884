import { describe, expect, it } from "vitest";
import { infiniband, infinibandWireBytes } from "../../../src/link/infiniband.js";

describe("InfiniBand", () => {
  const qdr = infiniband("qdr", 4);

  it("clocks 8, 16 and 32 Gb/s out of 4x SDR, DDR and QDR (8b/10b)", () => {
    expect(infiniband("sdr", 4).dataRateBps).toBe(8e9);
    expect(infiniband("ddr", 4).dataRateBps).toBe(16e9);
    expect(qdr.dataRateBps).toBe(32e9);
    expect(qdr.signallingBaud).toBe(40e9);
  });

  it("clocks 54.55 Gb/s out of 4x FDR and 100 Gb/s out of 4x EDR (64b/66b)", () => {
    expect(infiniband("fdr", 4).dataRateBps / 1e9).toBeCloseTo(54.545, 3);
    expect(infiniband("edr", 4).dataRateBps).toBe(100e9);
    expect(infiniband("fdr10", 4).dataRateBps).toBe(40e9);
  });

  it("puts a 2048-byte payload in 2076 bytes: delimiters, LRH, BTH, ICRC and VCRC", () => {
    expect(qdr.maxPayloadBytes).toBe(2048);
    expect(qdr.wireBytes(2048)).toBe(2048 + 1 + 8 + 12 + 4 + 2 + 1);
  });

  it("delivers 31.57 Gb/s of payload at QDR 4x with a 2048-byte MTU, 31.78 with 4096", () => {
    expect((qdr.goodputBps() / 1e9).toFixed(2)).toBe("31.57");
    expect((infiniband("qdr", 4, { mtu: 4096 }).goodputBps() / 1e9).toFixed(2)).toBe("31.78");
  });

  it("pads the payload to a multiple of 4 and adds 40 bytes for a GRH", () => {
    expect(qdr.wireBytes(1)).toBe(32);
    expect(infinibandWireBytes(2048, true)).toBe(2116);
    expect(infiniband("qdr", 4, { grh: true }).wireBytes(0)).toBe(68);
  });

  it("rejects an MTU that is not a power of two from 256 to 4096", () => {
    expect(() => infiniband("qdr", 4, { mtu: 3000 })).toThrow("mtu must be one of 256, 512, 1024, 2048, 4096");
  });
});
