import { describe, expect, it } from "vitest";
import {
  ackLatencySymbols,
  largeWriteGoodputBps,
  PCIE_GENS,
  type PcieGen,
  type PcieWidth,
  pcie,
} from "../../../src/link/pcie.js";

const WIDTHS: readonly PcieWidth[] = [1, 2, 4, 8, 16];
const MPS = [128, 256, 512] as const;

/**
 * The hand derivation (src/link/pcie.ts header), written out again from the spec's constants
 * rather than from the link object: a rate per direction R = GT/s · W · encoding; SKP share
 * f = 4/1538 (8b/10b) or 1/376 (128b/130b); a TLP of w = MPS + 20 wire bytes; the Ack/UpdateFC
 * period T = ⌊(MPS + 28) · factor / W + delay⌋ symbol times of 4, 2, 1, 0.5, 0.25 ns; one way
 * BW = R(1 − f)·MPS/w; both ways x = 16wτ/(T − 16τ) bytes of DLLPs per TLP, BW = R(1 − f)·MPS/(w + x).
 */
function byHand(gen: PcieGen, width: PcieWidth, mps: number): { oneWay: number; bothWays: number; T: number } {
  const gts = { 1: 2.5, 2: 5, 3: 8, 4: 16, 5: 32 }[gen];
  const encoding = gen <= 2 ? 8 / 10 : 128 / 130;
  const skp = gen <= 2 ? 4 / 1538 : 1 / 376;
  const rate = gts * 1e9 * width * encoding * (1 - skp);
  const symbolNs = gen <= 2 ? 10 / gts : 8 / gts;
  const delay = { 1: 19, 2: 70, 3: 115, 4: 115, 5: 115 }[gen];
  const factor = mps <= 256 ? (width <= 4 ? 1.4 : width === 8 ? 2.5 : 3) : width <= 8 ? 1 : 2;
  const T = Math.floor(((mps + 28) * factor) / width + delay);
  const w = mps + 20;
  const tauNs = 8 / (rate / 1e9);
  const x = (16 * w * tauNs) / (T * symbolNs - 16 * tauNs);
  return { oneWay: (rate * mps) / w, bothWays: (rate * mps) / (w + x), T };
}

describe("PCIe data-link overheads (spec-derived rates)", () => {
  // PCIe Base Spec r3.0 Tables 3-7, 3-8, 3-9 (Ack latency limits, symbol times), as pcie-model
  // transcribes them (model/pcie.py `Ack_Limits`): a sample across generations, widths and MPS.
  it.each([
    [1, 1, 128, 237],
    [1, 8, 256, 107],
    [1, 16, 128, 48],
    [1, 4, 512, 154],
    [2, 4, 512, 205],
    [2, 16, 256, 123],
    [3, 8, 128, 163],
    [3, 8, 256, 203],
    [3, 16, 128, 144],
    [3, 16, 512, 182],
    [3, 1, 256, 512],
  ] as const)("puts Gen%i x%i MPS %i's Ack latency limit at %i symbol times, as the spec's table", (g, w, m, table) => {
    expect(ackLatencySymbols(g, w, m)).toBe(table);
  });

  const grid = PCIE_GENS.flatMap((g) => WIDTHS.flatMap((w) => MPS.map((m) => [g, w, m] as const)));

  it.each(grid)("give Gen%i x%i MPS %i large writes the hand-derived bandwidth, one way and both ways", (g, w, m) => {
    const link = pcie(g, w, { mps: m });
    const hand = byHand(g, w, m);
    expect(link.ackLatencySymbols).toBe(hand.T);
    expect(largeWriteGoodputBps(link, "one-way") / hand.oneWay - 1).toBeCloseTo(0, 12);
    expect(largeWriteGoodputBps(link, "both-ways") / hand.bothWays - 1).toBeCloseTo(0, 12);
    expect(link.goodputBps()).toBeCloseTo(hand.oneWay, 3);
  });

  it("works out Gen3 x8 MPS 256 by hand: 58.29 Gb/s one way, 57.71 Gb/s both ways", () => {
    // R(1 − f) = 64e9 · 128/130 · 375/376 = 62.8478 Gb/s; τ = 0.127292 ns; w = 276; T = 203 ns;
    // x = 16 · 276 · 0.127292 / (203 − 16 · 0.127292) = 2.7970 B.
    const link = pcie(3, 8, { mps: 256 });
    expect(largeWriteGoodputBps(link, "one-way") / 1e9).toBeCloseTo(62.8478 * (256 / 276), 3);
    expect(largeWriteGoodputBps(link, "both-ways") / 1e9).toBeCloseTo(62.8478 * (256 / 278.797), 3);
  });

  it("costs narrow links most: Gen1 x1 MPS 128 loses 6.8 % to DLLPs when both directions write", () => {
    // T = 237 × 4 ns = 948 ns; τ = 4.0104 ns; x = 16 · 148 · 4.0104 / (948 − 64.17) = 10.745 B per 148-B TLP.
    const link = pcie(1, 1, { mps: 128 });
    const loss = 1 - largeWriteGoodputBps(link, "both-ways") / largeWriteGoodputBps(link, "one-way");
    expect(loss).toBeCloseTo(10.745 / 158.745, 4);
  });
});
