import { describe, expect, it } from "vitest";
import { flatness, flatnessLine } from "../../bench/scaling-report.js";
import { type PacketRow, unmeasured } from "../../bench/scaling-rows.js";
import type { Design } from "../../src/topology/types.js";

/** A measured row: µs of CPU per event (the main thread's, if given) and events per simulated ms per host. */
const row = (
  design: Design,
  hosts: number,
  perEvent: number,
  work: number,
  mainPerEvent: number | null = null,
): PacketRow => ({
  ...unmeasured(design, hosts, ""),
  note: null,
  cpuMicrosPerEvent: perEvent,
  mainCpuMicrosPerEvent: mainPerEvent,
  eventsPerSimulatedMsPerHost: work,
  // What a measurement gives: CPU per event × events per simulated second per host.
  cpuPerSimulatedSecondPerHost: perEvent * 1e-6 * work * 1000,
});

describe("the scaling bench's flatness line", () => {
  it("compares each design's largest measured size with its smallest, skipping refused sizes and single sizes", () => {
    const rows = [
      row("director", 256, 0.9, 1000),
      row("director", 128, 0.8, 1000),
      row("director", 4096, 1.0, 1000),
      unmeasured("director", 8192, "generator: refused"),
      row("ucs", 128, 1.0, 1000),
    ];
    expect(flatness(rows)).toEqual([
      { design: "director", from: 128, to: 4096, perEvent: 1.25, mainPerEvent: null, perHost: 1.25, work: 1 },
    ]);
  });

  it("judges the CPU per event, so a site that does half the work per host is not flattered", () => {
    // Twice the CPU per event, half the events per host: per host it looks flat.
    const [f] = flatness([row("mriov", 128, 1, 4000, 0.5), row("mriov", 4096, 2, 2000, 0.75)]);
    expect(f).toEqual({ design: "mriov", from: 128, to: 4096, perEvent: 2, mainPerEvent: 1.5, perHost: 1, work: 0.5 });
    expect(flatnessLine(f!)).toContain("main-thread CPU per event 1.50× (process 2.00×) (target ≤ 1.25×: missed");
    expect(flatnessLine(f!)).toContain("per simulated second per host 1.00× with 0.50× the work per host");
  });

  it("judges the main thread's CPU, not V8's helpers beside it, and the process's where the main thread is unknown", () => {
    const [f] = flatness([row("traditional", 128, 2, 1000, 1), row("traditional", 4096, 2.4, 1000, 1.2)]);
    expect(flatnessLine(f!)).toContain("main-thread CPU per event 1.20× (process 1.20×) (target ≤ 1.25×: met");
    const [g] = flatness([row("traditional", 128, 1, 1000, 1), row("traditional", 4096, 1.2, 1000, 1.5)]);
    expect(flatnessLine(g!)).toContain("target ≤ 1.25×: missed");
    const [h] = flatness([row("traditional", 128, 1, 1000), row("traditional", 4096, 1.2, 1000)]);
    expect(flatnessLine(h!)).toContain("CPU per event 1.20× (target ≤ 1.25×: met");
  });

  it("gives a verdict only over the target's range", () => {
    const [f] = flatness([row("ucs", 32, 1, 1000), row("ucs", 128, 1.1, 1000)]);
    expect(flatnessLine(f!)).toContain("the target is judged from 128 to 4096 hosts");
    const [g] = flatness([row("ucs", 128, 1, 1000), row("ucs", 4096, 1.2, 1000)]);
    expect(flatnessLine(g!)).toContain("target ≤ 1.25×: met");
  });
});
