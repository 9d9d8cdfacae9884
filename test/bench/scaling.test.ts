import { describe, expect, it } from "vitest";
import { flatness, type PacketRow } from "../../bench/scaling.js";
import type { Design } from "../../src/topology/types.js";

/** A measured row whose only figure that matters here is the CPU per simulated second per host. */
const row = (design: Design, hosts: number, perHost: number | null): PacketRow => ({
  design,
  hosts,
  note: perHost === null ? "generator: refused" : null,
  flows: null,
  events: null,
  eventsPerSecond: null,
  cpuMicrosPerEvent: null,
  wallPerSimulatedMs: null,
  cpuPerSimulatedMs: null,
  cpuPerSimulatedSecondPerHost: perHost,
  buildCpuSeconds: null,
  peakRssMiB: null,
  heapBytesPerFlow: null,
});

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
