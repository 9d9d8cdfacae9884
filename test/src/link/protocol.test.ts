import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { linkProtocol, linkProtocolIds } from "../../../src/link/catalog.js";
import { ethernet } from "../../../src/link/ethernet.js";
import type { LinkProtocol } from "../../../src/link/protocol.js";

const ids = linkProtocolIds();

/** Catalog protocols with defaults, plus Ethernet and PCIe with random MTU / MPS. */
const protocols: fc.Arbitrary<LinkProtocol> = fc.oneof(
  fc.constantFrom(...ids).map((id) => linkProtocol(id)),
  fc
    .record({ mtu: fc.integer({ min: 46, max: 9216 }), vlanTags: fc.integer({ min: 0, max: 2 }) })
    .map((o) => ethernet("10g", o)),
  fc.constantFrom(128, 256, 512, 1024, 2048, 4096).map((mps) => linkProtocol("pcie-gen3-x8", { mps })),
);

describe("segmentation", () => {
  it("conserves payload: full transfers plus the last add up to the message, none above the max", () => {
    fc.assert(
      fc.property(protocols, fc.integer({ min: 0, max: 50_000_000 }), (p, n) => {
        const s = p.segment(n);
        const max = p.maxPayloadBytes;
        expect((s.transfers - 1) * max + s.lastPayload).toBe(n);
        expect(s.lastPayload).toBeLessThanOrEqual(max);
        expect(s.lastPayload > 0 || n === 0).toBe(true);
        expect(s.wireBytes).toBe((s.transfers - 1) * p.wireBytes(max) + p.wireBytes(s.lastPayload));
        expect(s.wireBytes).toBeGreaterThan(n);
      }),
    );
  });

  it("sends one transfer for an empty message", () => {
    expect(linkProtocol("eth-10g").segment(0)).toEqual({ transfers: 1, lastPayload: 0, wireBytes: 84 });
  });

  it("rejects a negative or fractional message size", () => {
    expect(() => linkProtocol("fc-8g").segment(-1)).toThrow("non-negative integer");
    expect(() => linkProtocol("fc-8g").segment(1.5)).toThrow("non-negative integer");
  });
});

describe("serialization", () => {
  it("takes wireBytes · 8 / (dataRate · (1 − ordered-set share)) seconds, to the nearest picosecond", () => {
    fc.assert(
      fc.property(protocols, fc.integer({ min: 0, max: 1_000_000_000 }), (p, bytes) => {
        const exact = (bytes * 8 * 1e12) / (p.dataRateBps * (1 - p.orderedSetFraction));
        const ticks = p.serializationTicks(bytes);
        expect(Number.isSafeInteger(ticks)).toBe(true);
        expect(Math.abs(ticks - exact)).toBeLessThanOrEqual(0.5 + exact * 1e-12);
      }),
    );
  });
});

describe("ordered sets", () => {
  it("take link time only on PCIe (SKP): 0.260 % at 8b/10b, 0.266 % at 128b/130b", () => {
    for (const id of ids) {
      const p = linkProtocol(id);
      const expected = !id.startsWith("pcie-") ? 0 : p.encoding.id === "8b/10b" ? 4 / 1538 : 1 / 376;
      expect(p.orderedSetFraction, id).toBe(expected);
    }
  });
});

describe("goodput", () => {
  it("is the data rate, less ordered sets, scaled by payload over wire bytes, and never above the data rate", () => {
    for (const id of ids) {
      const p = linkProtocol(id);
      const full = p.maxPayloadBytes;
      expect(p.goodputBps()).toBe((p.dataRateBps * (1 - p.orderedSetFraction) * full) / p.wireBytes(full));
      expect(p.goodputBps()).toBeLessThan(p.dataRateBps);
    }
  });
});
