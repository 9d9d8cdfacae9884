import { describe, expect, it } from "vitest";
import { flatness, type PacketRow, unmeasured } from "../../bench/scaling.js";
import type { Design } from "../../src/topology/types.js";

/** A row whose only figure that matters here is the CPU per simulated second per host. */
const row = (design: Design, hosts: number, perHost: number | null): PacketRow =>
  perHost === null
    ? unmeasured(design, hosts, "generator: refused")
    : { ...unmeasured(design, hosts, ""), note: null, cpuPerSimulatedSecondPerHost: perHost };

describe("the scaling bench's flatness line", () => {
  it("divides each design's largest measured size by its smallest, skipping refused sizes and single sizes", () => {
    const rows = [
      row("director", 256, 0.9),
      row("director", 128, 0.8),
      row("director", 4096, 1.0),
      row("director", 8192, null),
      row("ucs", 128, 1.0),
    ];
    expect(flatness(rows)).toEqual([{ design: "director", from: 128, to: 4096, growth: 1.25 }]);
  });
});
