import { describe, expect, it } from "vitest";
import { linkProtocol, linkProtocolIds } from "../../../src/link/catalog.js";

describe("the link catalog", () => {
  it("resolves ids of every family", () => {
    expect(linkProtocol("eth-10g")).toMatchObject({ family: "ethernet", dataRateBps: 10e9 });
    expect(linkProtocol("fc-8g")).toMatchObject({ family: "fibre-channel", dataRateBps: 6.8e9 });
    expect(linkProtocol("ib-qdr-4x")).toMatchObject({ family: "infiniband", lanes: 4, dataRateBps: 32e9 });
    expect(linkProtocol("ib-fdr10-4x")).toMatchObject({ family: "infiniband", dataRateBps: 40e9 });
    expect(linkProtocol("pcie-gen3-x8")).toMatchObject({ family: "pcie", gen: 3, lanes: 8, mps: 256 });
  });

  it("names each protocol by its own id", () => {
    for (const id of linkProtocolIds()) expect(linkProtocol(id).id).toBe(id);
  });

  it("passes options to the family", () => {
    expect(linkProtocol("eth-10g", { mtu: 9000 }).maxPayloadBytes).toBe(9000);
    expect(linkProtocol("pcie-gen2-x4", { mps: 128 }).readTransfers(256).completions).toBe(2);
  });

  it("shares one frozen protocol per id and options, whatever the options' order", () => {
    const a = linkProtocol("pcie-gen2-x8", { mps: 128, carries: "read-completions" });
    expect(linkProtocol("pcie-gen2-x8", { carries: "read-completions", mps: 128 })).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    expect(linkProtocol("pcie-gen2-x8", { mps: 256, carries: "read-completions" })).not.toBe(a);
    expect(linkProtocol("pcie-gen2-x8", { mps: 128, updateFcEvery: Number.POSITIVE_INFINITY })).not.toBe(
      linkProtocol("pcie-gen2-x8", { mps: 128 }),
    );
    expect(linkProtocol("eth-10g", { mtu: 9000 }).maxPayloadBytes).toBe(9000);
    expect(linkProtocol("eth-10g").maxPayloadBytes).toBe(1500);
  });

  it("rejects an unknown id, listing the valid ones", () => {
    expect(() => linkProtocol("eth-11g")).toThrowErrorMatchingInlineSnapshot(
      `[RangeError: unknown link protocol "eth-11g"; valid ids: eth-1g, eth-10g, eth-25g, eth-40g, eth-100g; fc-1g, fc-2g, fc-4g, fc-8g, fc-16g, fc-32g; ib-{sdr,ddr,qdr,fdr10,fdr,edr}-{1x,4x,12x}; pcie-gen{1,2,3,4,5}-x{1,2,4,8,16}]`,
    );
  });

  it("rejects an option the family does not have", () => {
    expect(() => linkProtocol("pcie-gen3-x8", { mtu: 9000 })).toThrowErrorMatchingInlineSnapshot(
      `[RangeError: pcie-gen3-x8: unknown option "mtu"; valid: mps, mrrs, addr64, ecrc, ackEvery, updateFcEvery, completions, rcb, carries]`,
    );
  });
});
