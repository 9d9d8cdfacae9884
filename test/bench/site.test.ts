import { describe, expect, it } from "vitest";
import { PACKET_SITE } from "../../bench/scaling.js";
import { siteStudy, siteTopology } from "../../bench/site.js";
import { Replication } from "../../src/run/replication.js";

describe("the scaling bench's sites", () => {
  it("offer the built-in study's workloads by default, with bulk backups and one array of 128", () => {
    const text = siteStudy({ servers: 64 });
    expect(text).toContain("concurrency: 128 }");
    expect(text).toContain("rate: 40Mbps, size: { lognormal");
    expect(text).toContain("iops: 15000, read: 0.7");
    expect(text).toContain("{ name: backup-2, to: lan, pattern: bulk, size: 1MiB, outstanding: 2 }");
    expect(text).toContain("director: { parameters: {} }");
  });

  it("scale every rate and I/O rate by the load, and backups too once they are not elastic", () => {
    const text = siteStudy({ servers: 32, load: 0.25, elastic: false });
    expect(text).toContain("rate: 10Mbps, size: { lognormal");
    expect(text).toContain("iops: 37.5, read: 0.7");
    expect(text).toContain("iops: 3750, read: 0.7");
    expect(text).toContain("iops: 1500, read: 0.5");
    expect(text).toContain("rate: 75Mbps, size: { exponential");
    expect(text).toContain("{ name: backup-1, to: lan, pattern: poisson, rate: 250Mbps, size: 1MiB }");
    expect(() => siteStudy({ servers: 32, load: 0 })).toThrow(/load must be a positive number/);
  });

  it("scale the SAN with the site when asked: 32 I/Os per block, an array port per fabric per two blocks (4 … 64), 16 ISLs but in the traditional design", () => {
    expect(siteStudy({ servers: 4096, scaledSan: true })).toContain("concurrency: 4096 }");
    expect(siteStudy({ servers: 4096, scaledSan: true })).toContain(
      "mriov: { parameters: { sanArrayPorts: 64, sanIsl: 16 } }",
    );
    expect(siteStudy({ servers: 1024, scaledSan: true })).toContain(
      "ucs: { parameters: { sanArrayPorts: 16, sanIsl: 16 } }",
    );
    expect(siteStudy({ servers: 128, scaledSan: true })).toContain("traditional: { parameters: { sanArrayPorts: 4 } }");
  });

  it("keep every host's hardware but run workloads on the active hosts only", () => {
    const site = (active: number) =>
      siteTopology("director", { ...PACKET_SITE, servers: 128, active, warmup: "0.5ms", duration: "1ms" }).topology;
    const all = site(128);
    const some = site(64);
    expect(some.nodes.map((n) => n.name)).toEqual(all.nodes.map((n) => n.name));
    expect(some.links.length).toBe(all.links.length);
    const hostsOf = (t: typeof all) => new Set(t.workloads.flatMap((w) => w.instances.map((i) => i.host)));
    expect(hostsOf(all).size).toBe(128);
    expect(hostsOf(some).size).toBe(64);
    expect(some.workloads.map((w) => w.name)).toEqual(all.workloads.map((w) => w.name).filter((n) => /-[12]$/.test(n)));
    expect(() => siteStudy({ servers: 64, active: 48 })).toThrow(/active must be a positive multiple of 32 up to 64/);
    expect(() => siteStudy({ servers: 64, active: 96 })).toThrow(/active must be/);
  });

  it("do the same work per host at two sizes with the packet-level bench's settings", () => {
    const perHost = (servers: number): number => {
      const { topology } = siteTopology("director", { ...PACKET_SITE, servers, warmup: "0.5ms", duration: "2ms" });
      const rep = new Replication(topology, 0);
      rep.advanceTo(rep.endTicks);
      return rep.sim.events / servers;
    };
    const small = perHost(64);
    const large = perHost(256);
    expect(large / small).toBeGreaterThan(0.9);
    expect(large / small).toBeLessThan(1.1);
  });
});
