import { describe, expect, it } from "vitest";
import { evaluateFlows } from "../../../src/flow/index.js";
import { design, GOODPUT_10G_1500, PAYLOAD_PER_WIRE, relErr, run } from "../network/helpers.js";

// Four backlogged hosts share one 10GbE port of an MR-IOV adapter (test/fixtures/designs/mriov-4.yaml).
const FILE = "mriov-4.yaml";
const HOSTS = ["h1", "h2", "h3", "h4"];
const limited = (t: string) => t.replace("hosts: host[1..4]", "hosts: host[1..4]\n      limit: { host1: 1Gbps }");

function delivered(r: ReturnType<typeof evaluateFlows>, name: string): number {
  return r.workloads.find((w) => w.name === name)!.deliveredBps;
}

describe("flow level on a shared MR-IOV adapter", () => {
  it("gives 4 elastic hosts a quarter of the shared port each, in goodput (1500/1538 of line rate)", () => {
    const r = evaluateFlows(design(FILE));
    for (const h of HOSTS) expect(relErr(delivered(r, h), GOODPUT_10G_1500 / 4)).toBeLessThan(1e-9);
    expect(r.links.find((l) => l.id === "sa1:eth1")!.utilization).toBeCloseTo(1, 9);
    for (const h of HOSTS) expect(r.workloads.find((w) => w.name === h)!.bottlenecks).toEqual(["sa1:eth1"]);
  });

  it("honours a per-host shaper: host1 at its 1 Gb/s limit, the others share the rest (agrees with packet level within 3 %)", () => {
    const topo = design(FILE, limited);
    const r = evaluateFlows(topo);
    const h1 = 1e9 * PAYLOAD_PER_WIRE;
    const rest = (GOODPUT_10G_1500 - h1) / 3;
    expect(relErr(delivered(r, "h1"), h1)).toBeLessThan(1e-6);
    expect(r.workloads.find((w) => w.name === "h1")!.bottlenecks[0]).toMatch(/^shaper /);
    for (const h of ["h2", "h3", "h4"]) expect(relErr(delivered(r, h), rest)).toBeLessThan(1e-6);
    const packet = run(topo);
    for (const h of HOSTS) expect(relErr(delivered(r, h), packet.goodput.get(h)!), h).toBeLessThan(0.03);
  });

  it("without shapers the limit is ignored (option)", () => {
    const r = evaluateFlows(design(FILE, limited), { shapers: false });
    expect(relErr(delivered(r, "h1"), GOODPUT_10G_1500 / 4)).toBeLessThan(1e-9);
  });

  it("re-solves for the active set: a host alone gets the whole port", () => {
    const r = evaluateFlows(design(FILE), { active: (w) => w === "h3" });
    expect(relErr(delivered(r, "h3"), GOODPUT_10G_1500)).toBeLessThan(1e-9);
    for (const h of ["h1", "h2", "h4"]) expect(delivered(r, h)).toBe(0);
  });

  it("is deterministic", () => {
    const a = evaluateFlows(design(FILE, limited));
    const b = evaluateFlows(design(FILE, limited));
    expect(a.workloads).toEqual(b.workloads);
    expect(a.links).toEqual(b.links);
  });
});
