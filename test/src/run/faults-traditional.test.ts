import { describe, expect, it } from "vitest";
import { TICKS_PER_SECOND } from "../../../sim/units.js";
import { Replication } from "../../../src/run/replication.js";
import { parseTopology } from "../../../src/topology/load.js";
import type { ResolvedTopology } from "../../../src/topology/types.js";
import type { Message } from "../../../src/workload/message.js";

const US = TICKS_PER_SECOND / 1e6;

/** One host, a dual-port 10GbE NIC teamed into one top-of-rack switch; 8 VMs send to the LAN. */
function team(faults: string): ResolvedTopology {
  const text = `
name: team
design: traditional
experiment: { duration: 4ms, warmup: 500us, seed: 7 }
topology:
  nodes:
    host1:
      kind: server
      vms: 8
      adapters:
        - { name: nic0, type: nic, link: eth-10g, ports: 2, bus: pcie-gen2-x8 }
    tor:
      kind: ethernet-switch
      ports: { eth: 2, up: 2 }
    lan:
      kind: lan
      ports: { p: 2 }
  links:
    - { endpoints: ["host1:nic0/[1..2]", "tor:eth[1..2]"], type: eth-10g }
    - { endpoints: ["tor:up[1..2]", "lan:p[1..2]"], type: eth-10g, length: 30m }
workloads:
  - { name: web, on: "host1/vm[1..8]", via: [nic0/1, nic0/2], to: lan, pattern: poisson, rate: 1500Mbps, size: 64KiB }
${faults}
`;
  const loaded = parseTopology(text, "team.yaml");
  if (!loaded.ok) throw new Error(loaded.issues.map((i) => `${i.path}: ${i.message}`).join("\n"));
  return loaded.topology;
}

const FAULTS = `faults:
  - { at: 1ms, action: fail, target: "host1:nic0/1" }
  - { at: 3ms, action: restore, target: "host1:nic0/1" }`;

function routeOf(rep: Replication, vm: number): string[] {
  const w = rep.topo.workloads[0]!;
  const inst = w.instances[vm - 1]!;
  return rep.net.routes(inst, `web:host1/vm${vm}`, 0, "message").forward.ports.map((p) => p.id);
}

describe("traditional: a NIC team loses one link", () => {
  it("moves the failed member's flows to the other port after the failover time, losing only what was on the failed path", () => {
    const topo = team(FAULTS);
    const rep = new Replication(topo, 0, topo.experiment.seed, { failoverTicks: 0 });
    // Just before the fault: the messages that will be lost are those with a transfer still to cross nic0/1.
    rep.advanceTo(1000 * US - 1);
    const failed = rep.net.fabric.port("host1:nic0/1");
    const onFailedPath = new Set<Message>();
    rep.net.fabric.forEachTransferInFlight((t) => {
      const at = t.route.ports.indexOf(failed);
      if (at >= t.hop) onFailedPath.add(t.owner as Message);
    });
    const movers = [1, 2, 3, 4, 5, 6, 7, 8].filter((vm) => routeOf(rep, vm).includes("host1:nic0/1"));
    expect(movers.length).toBeGreaterThan(0);
    expect(movers.length).toBeLessThan(8);
    expect(onFailedPath.size).toBeGreaterThan(0);
    rep.advanceTo(1000 * US + 1);
    // Failover (0 here) has re-routed them onto nic0/2; the others stay where they were.
    for (const vm of movers) expect(routeOf(rep, vm)).toContain("host1:nic0/2");
    rep.advanceTo(2000 * US);
    const r = rep.result();
    const f = r.faults[0]!;
    expect(f.lost).toBe(onFailedPath.size);
    expect(r.workloads[0]!.dropReasons).toEqual({ "failed: host1:nic0/1": onFailedPath.size });
    expect(f.affectedServers).toEqual(["host1"]);
    expect(f.outageSeconds).toBe(0);
    expect(f.restoredAt).toBeCloseTo(0.003, 12);
    const w = r.workloads[0]!;
    expect(w.sent).toBe(w.delivered + w.dropped + w.inFlight);
  });

  it("with the default 50 ms teaming failover, the outage lasts until the restore and drops traffic meanwhile", () => {
    const topo = team(FAULTS);
    const r = new Replication(topo, 0).result();
    const f = r.faults[0]!;
    // The restore at 3 ms comes before the 50 ms failover: the affected flows were without a path 2 ms.
    expect(f.outageSeconds).toBeCloseTo(0.002, 9);
    expect(f.lost).toBeGreaterThan(0);
    expect(f.lost).toBe(r.workloads[0]!.dropReasons["failed: host1:nic0/1"]);
  });

  it("is deterministic with faults: same seed, same fingerprint and fault timeline", () => {
    const topo = team(FAULTS);
    const a = new Replication(topo, 0, 7, { failoverTicks: 200 * US }).result();
    const b = new Replication(topo, 0, 7, { failoverTicks: 200 * US }).result();
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(a.faults).toEqual(b.faults);
    expect(a.workloads).toEqual(b.workloads);
    expect(a.faults[0]!.outageSeconds).toBeCloseTo(200e-6, 12);
  });
});
