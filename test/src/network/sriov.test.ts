import { describe, expect, it } from "vitest";
import { design, GOODPUT_10G_1500, once, only, PAYLOAD_PER_WIRE, relErr, run } from "./helpers.js";

// One server, one 10GbE port with 4 SR-IOV VFs, one VM per VF, every VM always backlogged
// (`bulk`, 1500-B messages) to the LAN; workload vmN runs on vmN, which gets VF N.
const topo = design("sriov.yaml");
const VMS = ["vm1", "vm2", "vm3", "vm4"];
const PORT = "host1:nic0/1";

describe("an SR-IOV NIC port with 4 backlogged VFs", () => {
  const fair = once(() => run(topo));

  it("gives each VF a quarter of the port's goodput (within 3 %)", () => {
    // 10 Gb/s · 1500/1538 / 4 = 2.438 Gb/s per VF.
    for (const vm of VMS) expect(relErr(fair().goodput.get(vm)!, GOODPUT_10G_1500 / 4)).toBeLessThan(0.03);
  });

  it("delivers the port's full goodput for 1500-B frames in total (within 1 %)", () => {
    // Σ = 10 Gb/s · 1500/1538 = 9.753 Gb/s; the port is never idle.
    const total = VMS.reduce((a, vm) => a + fair().goodput.get(vm)!, 0);
    expect(relErr(total, GOODPUT_10G_1500)).toBeLessThan(0.01);
    expect(fair().utilization(PORT)).toBeGreaterThan(0.999);
  });

  it("sends VF n's frames from queue n − 1 of the port and nowhere else (within 1 %)", () => {
    // Queue n − 1's wire rate · 1500/1538 = VM n's delivered goodput (window edges: a frame or two).
    VMS.forEach((vm, i) => {
      expect(relErr(fair().queueBps(PORT, i) * PAYLOAD_PER_WIRE, fair().goodput.get(vm)!)).toBeLessThan(0.01);
    });
  });

  it("keeps a VF's share when another VM keeps 16 times as much work outstanding at once (within 3 %)", () => {
    // VF arbitration, not the order the host posts in, decides: vm1 keeps 32 messages of 15000 B
    // outstanding, vm2–vm4 keep 2; each still gets 9.753 / 4 = 2.438 Gb/s.
    const deep = {
      ...topo,
      workloads: topo.workloads.map((w) =>
        w.pattern === "bulk"
          ? { ...w, size: { kind: "constant", value: 15000 } as const, outstanding: w.name === "vm1" ? 32 : 2 }
          : w,
      ),
    };
    const d = run(deep);
    for (const vm of VMS) expect(relErr(d.goodput.get(vm)!, GOODPUT_10G_1500 / 4)).toBeLessThan(0.03);
  });

  it("gives one backlogged VF the whole port and leaves the other queues empty", () => {
    // Alone, vm3 gets 9.753 Gb/s (within 1 %); queues 0, 1 and 3 send not one byte.
    const alone = run(only(topo, (w) => w === "vm3"));
    expect(relErr(alone.goodput.get("vm3")!, GOODPUT_10G_1500)).toBeLessThan(0.01);
    for (const q of [0, 1, 3]) expect(alone.queueBps(PORT, q)).toBe(0);
  });
});

describe("an SR-IOV NIC port with a per-VF rate limit", () => {
  // vfLimit: 1Gbps on every VF: each backlogged VM gets its 1 Gb/s (line rate, wire bytes)
  // and no more, i.e. 1 Gb/s · 1500/1538 = 0.975 Gb/s of goodput, though the port could give 2.4 each.
  const limited = once(() =>
    run(design("sriov.yaml", (t) => t.replace("maxVfs: 64 }", "maxVfs: 64, vfLimit: 1Gbps }"))),
  );

  it("holds every VF to its limit and gives it that much (within 3 %)", () => {
    for (const vm of VMS) {
      const g = limited().goodput.get(vm)!;
      expect(g).toBeLessThanOrEqual(1e9 * PAYLOAD_PER_WIRE * 1.01);
      expect(relErr(g, 1e9 * PAYLOAD_PER_WIRE)).toBeLessThan(0.03);
    }
  });
});
