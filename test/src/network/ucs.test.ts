import { describe, expect, it } from "vitest";
import { design, ETH10, GOODPUT_10G_1500, once, only, PAYLOAD_PER_WIRE, relErr, run } from "./helpers.js";

// One UCS chassis: 8 blades, a VIC each (vic0/1 to IOM A, vic0/2 to IOM B), 2 IOMs with 4 × 10G uplinks
// each and static pinning, FIs A and B with one 10G LAN uplink per blade (pinned). Workload aN is
// bladeN backlogged via vnic-a (fabric A), bN via vnic-b (fabric B).
const topo = design("ucs-chassis.yaml");
const BLADES = [1, 2, 3, 4, 5, 6, 7, 8];
const UPLINKS = [1, 2, 3, 4];
/**
 * 10GbE line rate, 10 Gb/s. Frame-overhead factor: a 1500-B payload takes 1538 B on the wire (preamble 8,
 * header 14, FCS 4, gap 12), so goodput = line rate · 1500/1538 = line rate · 0.9753 (PAYLOAD_PER_WIRE).
 */
const LINE = ETH10.dataRateBps;

describe("a UCS chassis with every blade backlogged on fabric A only", () => {
  const a = once(() => run(only(topo, (w) => w.startsWith("a"))));

  it("gives each blade a 4 × 10G / 8 = 5 Gb/s share of the IOM uplinks: 2:1 oversubscription (within 5 %)", () => {
    // 5 Gb/s of line rate · 1500/1538 = 4.877 Gb/s of goodput per blade.
    for (const b of BLADES)
      expect(relErr(a().goodput.get(`a${b}`)!, ((4 * LINE) / 8) * PAYLOAD_PER_WIRE)).toBeLessThan(0.05);
  });

  it("pins blade i to IOM uplink ((i − 1) mod 4) + 1", () => {
    // Static pinning, not hashing: blades 1 and 5 on uplink 1, 2 and 6 on uplink 2, … (exact).
    for (const b of BLADES) {
      const w = a().rep.topo.workloads.find((x) => x.name === `a${b}`)!;
      const route = a()
        .rep.net.routes(w.instances[0]!, `a${b}:blade${b}`, 0, "message")
        .forward.ports.map((p) => p.id);
      const uplinks = route.filter((id) => id.startsWith("iom1a:fabric"));
      expect(uplinks).toEqual([`iom1a:fabric${((b - 1) % 4) + 1}`]);
    }
  });

  it("keeps all 4 IOM-A uplinks busy (utilization within 1 % of 1) and fabric B idle", () => {
    // Two backlogged blades per uplink: each uplink saturated, none idle, none favoured.
    for (const u of UPLINKS) expect(a().utilization(`iom1a:fabric${u}`)).toBeGreaterThan(0.99);
    for (const u of UPLINKS) expect(a().utilization(`iom1b:fabric${u}`)).toBe(0);
    // The FI's LAN uplinks are not the bottleneck: each carries one blade's 5 Gb/s, half its capacity.
    for (const b of BLADES) expect(Math.abs(a().utilization(`fi-a:eth1/${b}`) - 0.5)).toBeLessThan(0.025);
  });

  it("shows the pinning in throughput: blades 1 and 5 share uplink 1, blades 1 and 2 do not", () => {
    // Same uplink: 10 Gb/s / 2 = 4.877 Gb/s goodput each; different uplinks: 9.753 Gb/s each (within 5 %).
    const shared = run(only(topo, (w) => w === "a1" || w === "a5"));
    for (const w of ["a1", "a5"]) expect(relErr(shared.goodput.get(w)!, GOODPUT_10G_1500 / 2)).toBeLessThan(0.05);
    expect(shared.utilization("iom1a:fabric2")).toBe(0);
    const apart = run(only(topo, (w) => w === "a1" || w === "a2"));
    for (const w of ["a1", "a2"]) expect(relErr(apart.goodput.get(w)!, GOODPUT_10G_1500)).toBeLessThan(0.05);
  });
});

describe("a UCS chassis with half the workloads on each fabric (active-active)", () => {
  const ab = once(() => run(topo));

  it("gives each blade 2 × 4 × 10G / 8 = 10 Gb/s in total: 1:1 (within 5 %)", () => {
    // 5 Gb/s of line rate on each fabric: 10 Gb/s · 1500/1538 = 9.753 Gb/s of goodput per blade.
    for (const b of BLADES) {
      const total = ab().goodput.get(`a${b}`)! + ab().goodput.get(`b${b}`)!;
      expect(relErr(total, GOODPUT_10G_1500)).toBeLessThan(0.05);
    }
  });

  it("keeps all 8 IOM uplinks, A and B, busy (utilization within 1 % of 1)", () => {
    // 16 backlogged vNICs, two per uplink on each fabric: 8 × 10G of uplink capacity all in use.
    for (const f of ["a", "b"])
      for (const u of UPLINKS) expect(ab().utilization(`iom1${f}:fabric${u}`)).toBeGreaterThan(0.99);
  });
});
