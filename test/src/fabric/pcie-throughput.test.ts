import { describe, expect, it } from "vitest";
import { Transfer } from "../../../src/fabric/index.js";
import { largeWriteGoodputBps, PCIE_GENS, type PcieWidth, pcie } from "../../../src/link/pcie.js";
import { endpoints, newFabric } from "./helpers.js";

const WIDTHS: readonly PcieWidth[] = [1, 2, 4, 8, 16];
const MPS = [128, 256, 512] as const;
/** TLPs per direction: the first few (no DLLPs yet owed) weigh < 0.05 %. */
const TLPS = 2000;

/**
 * Large writes at packet level: `TLPS` MPS-sized TLPs queued at once at one end (one way) or
 * both ends (both ways) of a credit-based PCIe link with room for all of them; goodput is
 * the payload over the time the last one finishes transmitting.
 */
function measured(link: ReturnType<typeof pcie>, bothWays: boolean): number {
  const { sim, fabric } = newFabric();
  endpoints(fabric, ["rc", "ep"]);
  const [down, up] = fabric.connect("rc:p", "ep:p", {
    protocol: link,
    flowControl: "credit",
    peerBufferBytes: 1e12,
    propagationTicks: 1000,
  });
  let lastEnd = 0;
  for (let i = 0; i < TLPS; i++) {
    fabric.inject(new Transfer(null, link.mps, fabric.route([down])));
    if (bothWays) fabric.inject(new Transfer(null, link.mps, fabric.route([up])));
  }
  fabric.onTransmit = (port, _t, _begin, end) => {
    if (port === down) lastEnd = Math.max(lastEnd, end);
  };
  sim.run();
  expect(fabric.delivered).toBe(bothWays ? 2 * TLPS : TLPS);
  return (TLPS * link.mps * 8 * 1e12) / lastEnd;
}

describe("packet-level PCIe throughput of large writes", () => {
  const grid = PCIE_GENS.flatMap((g) => WIDTHS.flatMap((w) => MPS.map((m) => [g, w, m] as const)));

  it.each(grid)("agrees with the link arithmetic within 0.5 % on Gen%i x%i MPS %i", (g, w, m) => {
    const link = pcie(g, w, { mps: m });
    for (const direction of ["one-way", "both-ways"] as const) {
      const sim = measured(link, direction === "both-ways");
      expect(Math.abs(sim / largeWriteGoodputBps(link, direction) - 1), direction).toBeLessThan(0.005);
    }
  });

  it("charges the DLLPs on the wire: writes both ways are slower than one way by the DLLP share", () => {
    // Gen1 x1 MPS 128: 10.7 B of DLLPs per 148-B TLP, 6.8 % (src/link/pcie.ts). Without them both would be equal.
    const link = pcie(1, 1, { mps: 128 });
    const ratio = measured(link, true) / measured(link, false);
    expect(ratio).toBeGreaterThan(0.925);
    expect(ratio).toBeLessThan(0.94);
  });
});
