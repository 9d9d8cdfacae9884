import { describe, expect, it } from "vitest";
import { design, GOODPUT_10G_1500, once, only, PAYLOAD_PER_WIRE, relErr, run } from "./helpers.js";

// Four hosts share one 10GbE port of an MR-IOV adapter in an MR-aware PCIe box; every host
// is backlogged to the LAN (workload hN on hostN; host N is queue N − 1 at the shared port).
const FILE = "mriov-4.yaml";
const HOSTS = ["h1", "h2", "h3", "h4"];
const SHARED = "sa1:eth1";
const SLOT = "pbox:slot1";
/** Adds lines under the shared adapter's `hosts:` line. */
const adapter = (lines: string) => (t: string) => t.replace("hosts: host[1..4]", `hosts: host[1..4]\n      ${lines}`);

describe("an MR-IOV adapter shared by 4 backlogged hosts", () => {
  const fair = once(() => run(design(FILE)));

  it("gives each host a quarter of the shared port (within 3 %)", () => {
    // 10 Gb/s · 1500/1538 / 4 = 2.438 Gb/s per host, and the port never idles.
    for (const h of HOSTS) expect(relErr(fair().goodput.get(h)!, GOODPUT_10G_1500 / 4)).toBeLessThan(0.03);
    expect(fair().utilization(SHARED)).toBeGreaterThan(0.999);
  });

  it("puts each host's frames in its own queue at the shared port (within 1 %)", () => {
    // Queue N − 1's wire rate · 1500/1538 = host N's delivered goodput (window edges: a frame or two).
    HOSTS.forEach((h, q) => {
      expect(relErr(fair().queueBps(SHARED, q) * PAYLOAD_PER_WIRE, fair().goodput.get(h)!)).toBeLessThan(0.01);
    });
  });

  it("never lets a host's traffic into another host's queue", () => {
    // Only host3 sends: it gets the whole port (9.753 Gb/s within 1 %); the other hosts' queues, at
    // the shared port and at the PCIe box's slot, send exactly 0 bytes.
    const alone = run(only(design(FILE), (w) => w === "h3"));
    expect(relErr(alone.goodput.get("h3")!, GOODPUT_10G_1500)).toBeLessThan(0.01);
    for (const q of [0, 1, 3]) {
      expect(alone.queueBps(SHARED, q)).toBe(0);
      expect(alone.queueBps(SLOT, q)).toBe(0);
    }
    expect(alone.queueBps(SHARED, 2)).toBeGreaterThan(0);
    expect(alone.queueBps(SLOT, 2)).toBeGreaterThan(0);
  });

  describe("with a 1 Gb/s limit on a noisy host1", () => {
    const LIMIT = 1e9;
    const noisy = once(() => run(design(FILE, adapter("limit: { host1: 1Gbps }"))));

    it("never lets host1 exceed its limit by more than one burst over the window", () => {
      // Line-rate bytes of host1 at the shared port ≤ 1 Gb/s · window / 8 + 64 KiB (the shaper's burst).
      const window = noisy().result.windowSeconds;
      const bytes = (noisy().queueBps(SHARED, 0) * window) / 8;
      expect(bytes).toBeLessThanOrEqual((LIMIT / 8) * window + 65536);
    });

    it("gives host1 its limit's goodput once the initial burst is spent (within 3 %)", () => {
      // 1 Gb/s of line rate · 1500/1538 = 0.975 Gb/s of goodput (the 1 ms warm-up spends the burst).
      expect(relErr(noisy().goodput.get("h1")!, LIMIT * PAYLOAD_PER_WIRE)).toBeLessThan(0.03);
    });

    it("lets the 3 other hosts share the rest of the port fairly (within 3 %)", () => {
      // (9.753 − 0.975) / 3 = 2.926 Gb/s each; host1's waiting frames hold up nobody, the port never idles.
      const rest = (GOODPUT_10G_1500 - LIMIT * PAYLOAD_PER_WIRE) / 3;
      for (const h of ["h2", "h3", "h4"]) expect(relErr(noisy().goodput.get(h)!, rest)).toBeLessThan(0.03);
      expect(noisy().utilization(SHARED)).toBeGreaterThan(0.999);
    });
  });

  it("splits the port 2:1:1:1 with weighted arbitration and weight 2 for host1 (within 3 %)", () => {
    // host1: 9.753 · 2/5 = 3.901 Gb/s; the others 9.753 / 5 = 1.951 Gb/s.
    const w = run(
      design(FILE, (t) =>
        adapter("weights: { host1: 2 }")(
          t.replace("hosts: host[1..4]", "hosts: host[1..4]\n      arbitration: weighted"),
        ),
      ),
    );
    expect(relErr(w.goodput.get("h1")!, (GOODPUT_10G_1500 * 2) / 5)).toBeLessThan(0.03);
    for (const h of ["h2", "h3", "h4"]) expect(relErr(w.goodput.get(h)!, GOODPUT_10G_1500 / 5)).toBeLessThan(0.03);
  });
});

describe("sharing an adapter needs an MR-aware PCIe switch", () => {
  it("rejects a shared adapter serving four hosts behind a plain PCIe switch, naming both", async () => {
    const { parseTopology } = await import("../../../src/topology/load.js");
    const { formatIssues } = await import("../../../src/topology/issues.js");
    const { readFileSync } = await import("node:fs");
    const text = readFileSync(new URL("../../fixtures/designs/mriov-4.yaml", import.meta.url), "utf8").replace(
      "mrAware: true",
      "mrAware: false",
    );
    const r = parseTopology(text, "mriov-4.yaml");
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(formatIssues(r.issues)).toMatchInlineSnapshot(
        `"mriov-4.yaml:23:14 topology.nodes.sa1.hosts: sa1 serves 4 hosts through pbox, which is not MR-aware (mrAware: false): behind a plain PCIe switch an adapter belongs to one host"`,
      );
    }
  });
});
