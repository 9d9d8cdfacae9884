import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { TICKS_PER_SECOND } from "../../../sim/units.js";
import { blast } from "../../../src/run/blast.js";
import { Replication } from "../../../src/run/replication.js";
import { parseTopology } from "../../../src/topology/load.js";
import type { FaultTarget, ResolvedFault, ResolvedTopology } from "../../../src/topology/types.js";
import { once } from "../network/helpers.js";

const MS = TICKS_PER_SECOND / 1e3;

/** A reference rack (topologies/<name>-rack.yaml), shortened to a 1 ms warm-up and a 6 ms window. */
function rack(name: string): ResolvedTopology {
  const file = new URL(`../../../topologies/${name}-rack.yaml`, import.meta.url);
  const loaded = parseTopology(readFileSync(file, "utf8"), `${name}-rack.yaml`);
  if (!loaded.ok) throw new Error(loaded.issues.map((i) => `${i.path}: ${i.message}`).join("\n"));
  const t = loaded.topology;
  return { ...t, experiment: { ...t.experiment, warmupTicks: 1 * MS, durationTicks: 6 * MS } };
}

const node = (n: string): FaultTarget => ({ kind: "node", node: n });
const fail = (target: FaultTarget, at = 1 * MS): ResolvedFault => ({ atTicks: at, action: "fail", target });
const hosts = (from: number, to: number): string[] =>
  Array.from({ length: to - from + 1 }, (_, i) => `host${from + i}`);

function route(rep: Replication, workload: string, key: string, instance = 0): string[] {
  const w = rep.topo.workloads.find((x) => x.name === workload)!;
  return rep.net.routes(w.instances[instance]!, key, 0, w.unit).forward.ports.map((p) => p.id);
}

describe("director pair: dir-a fails", () => {
  const topo = rack("director");
  // 1 ms for the HA vNIC failover here (the design default, 1 s, is longer than this window).
  const rep = once(() => {
    const r = new Replication(topo, 0, topo.experiment.seed, { failoverTicks: 1 * MS, faults: [fail(node("dir-a"))] });
    return { r, result: r.result() };
  });

  it("has a blast radius of every server it serves: all 32 hosts, every workload", () => {
    const f = rep().result.faults[0]!;
    expect(f.affectedServers).toEqual(hosts(1, 32));
    expect(f.affectedWorkloads).toEqual(topo.workloads.map((w) => w.name).sort());
    expect(f.unprotectedServers).toEqual([]);
    expect(f.strandedFlows).toBe(0);
    expect(f.outageSeconds).toBeCloseTo(1e-3, 12);
  });

  it("moves vNICs and vHBAs to the partner: HCA port 2, ib-b, dir-b", () => {
    const lan = route(rep().r, "vm-lan", "vm-lan:host3/vm2");
    expect(lan[1]).toBe("host3:hca0/2");
    expect(lan.some((id) => id.startsWith("dir-b:"))).toBe(true);
    expect(lan.some((id) => id.startsWith("dir-a:") || id.startsWith("ib-a:"))).toBe(false);
    const disk = route(rep().r, "db-io", "db-io:host26");
    expect(disk[1]).toBe("host26:hca0/2");
    expect(disk).toContain(disk.find((id) => id.startsWith("dir-b:fc")));
    // Traffic flows again after failover: db-io completes I/Os after the 2 ms mark.
    const w = rep().result.workloads.find((x) => x.name === "db-io")!;
    expect(w.delivered).toBeGreaterThan(0);
    // I/Os caught on dir-a are re-issued by multipathing on the partner, not lost.
    expect(w.dropReasons["failed: dir-a"]).toBeUndefined();
    expect(rep().result.faults[0]!.retried).toBeGreaterThan(0);
  });

  it("reports the SLA of the affected workloads during the outage and after failover", () => {
    const sla = rep().result.faults[0]!.sla;
    expect(sla.map((s) => `${s.workload} ${s.metric}`)).toEqual(topo.sla.map((s) => `${s.workload} ${s.metric}`));
    const lan = sla.find((s) => s.workload === "vm-lan")!;
    expect(lan.during.status).toBe("missed");
    expect(lan.after?.status).toBe("met");
    expect(lan.after?.actual).toBe(0);
  });

  it("conserves messages with the fault (sent = delivered + dropped + in flight)", () => {
    for (const w of rep().result.workloads) expect(w.sent).toBe(w.delivered + w.dropped + w.inFlight);
  });

  it("the standby director dir-b has no blast radius", () => {
    const r = new Replication(topo, 0, topo.experiment.seed, { faults: [fail(node("dir-b"))] }).result();
    expect(r.faults[0]!.affectedServers).toEqual([]);
    expect(r.faults[0]!.lost).toBe(0);
  });
});

describe("MR-IOV: a shared adapter or a PCIe box fails", () => {
  const topo = rack("mriov");

  it("losing shared FC adapter sa-fc-a1 affects exactly the hosts whose hierarchies use it, and they fail over", () => {
    const r = new Replication(topo, 0, topo.experiment.seed, {
      failoverTicks: 1 * MS,
      faults: [fail(node("sa-fc-a1"))],
    });
    const result = r.result();
    const f = result.faults[0]!;
    // vhba0 of hosts 1–8 is pinned to sa-fc-a1 (hosts 9–16 to sa-fc-a2); only vm-disk runs there.
    const users = topo.nodes
      .filter((n) => n.kind === "server" && n.adapters[0]!.vifs.some((v) => v.pin?.node === "sa-fc-a1"))
      .map((n) => n.name);
    expect(users).toEqual(hosts(1, 8));
    expect(f.affectedServers).toEqual(users);
    expect(f.affectedWorkloads).toEqual(["vm-disk"]);
    // Failover: another shared FC adapter in the same box serves them (the pin is given up).
    expect(f.unprotectedServers).toEqual([]);
    const after = route(r, "vm-disk", "vm-disk:host2/vm1", 8);
    expect(after.some((id) => id.startsWith("sa-fc-a2:fc"))).toBe(true);
    expect(after.some((id) => id.startsWith("sa-fc-a1:"))).toBe(false);
    for (const w of result.workloads) expect(w.sent).toBe(w.delivered + w.dropped + w.inFlight);
  });

  it("losing PCIe box pbox-a strands exactly its 16 hosts: no path, messages dropped with that reason", () => {
    const r = new Replication(topo, 0, topo.experiment.seed, {
      failoverTicks: 1 * MS,
      faults: [fail(node("pbox-a"))],
    }).result();
    const f = r.faults[0]!;
    expect(f.affectedServers).toEqual(hosts(1, 16));
    expect(f.unprotectedServers).toEqual(hosts(1, 16));
    expect(f.strandedFlows).toBeGreaterThan(0);
    expect(f.outageSeconds).toBeCloseTo(6e-3, 12);
    const reasons = r.workloads.find((w) => w.name === "vm-lan")!.dropReasons;
    expect(reasons["no path after pbox-a failed"]).toBeGreaterThan(0);
    expect(reasons["failed: pbox-a"]).toBeGreaterThan(0);
    // Network messages are lost; storage I/Os wait for a path (multipath queueing), in flight, never lost.
    expect(f.lost).toBe(reasons["no path after pbox-a failed"]! + reasons["failed: pbox-a"]!);
    const disk = r.workloads.find((w) => w.name === "vm-disk")!;
    expect(disk.dropped).toBe(0);
    expect(f.retried).toBeGreaterThan(0);
    expect(disk.sent).toBe(disk.delivered + disk.inFlight);
    for (const w of r.workloads) expect(w.sent).toBe(w.delivered + w.dropped + w.inFlight);
  });
});

describe("UCS rack: fabric failover on and off", () => {
  const topo = rack("ucs");

  it("fi-a down: no workload loses its path with failover; the fabric-A vNIC workloads do without", () => {
    const on = new Replication(topo, 0, topo.experiment.seed, {
      failoverTicks: 1 * MS,
      faults: [fail(node("fi-a"))],
    }).result();
    const off = new Replication(topo, 0, topo.experiment.seed, {
      failoverTicks: null,
      faults: [fail(node("fi-a"))],
    }).result();
    expect(on.faults[0]!.unprotectedWorkloads).toEqual([]);
    expect(on.faults[0]!.strandedFlows).toBe(0);
    // Without failover: every workload riding vnic-a (fabric A) loses its path; the vhba-b ones do not.
    const viaA = topo.workloads.filter(
      (w) => w.instances[0]!.via.kind === "vif" && w.instances[0]!.via.vif === "vnic-a",
    );
    expect(off.faults[0]!.unprotectedWorkloads).toEqual(viaA.map((w) => w.name).sort());
    expect(off.faults[0]!.affectedWorkloads).toEqual(viaA.map((w) => w.name).sort());
  });
});

describe("faults are deterministic", () => {
  it("same seed, same timeline and fingerprint (fail + restore on the UCS rack)", () => {
    const topo = rack("ucs");
    const faults: ResolvedFault[] = [
      fail(node("iom2a"), 2 * MS),
      { atTicks: 4 * MS, action: "restore", target: node("iom2a") },
    ];
    const a = new Replication(topo, 0, 5, { failoverTicks: 500 * (MS / 1000), faults }).result();
    const b = new Replication(topo, 0, 5, { failoverTicks: 500 * (MS / 1000), faults }).result();
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(a.faults).toEqual(b.faults);
    expect(a.faults[0]!.restoredAt).toBeCloseTo(0.004, 12);
    expect(a.faults[0]!.outageSeconds).toBeCloseTo(0.0005, 12);
    for (const w of a.workloads) expect(w.sent).toBe(w.delivered + w.dropped + w.inFlight);
  });
});

describe("iovsim blast on the reference racks", () => {
  it("MR-IOV: the two PCIe boxes rank first (single points of failure for 16 hosts each)", async () => {
    const r = await blast(rack("mriov"));
    expect(
      r.rows
        .slice(0, 2)
        .map((x) => x.target)
        .sort(),
    ).toEqual(["pbox-a", "pbox-b"]);
    expect(r.rows[0]!.unprotectedServers).toHaveLength(16);
    expect(r.rows.slice(2).every((x) => x.unprotectedServers.length === 0)).toBe(true);
  });

  it("UCS: fabric interconnect A ranks first; no component is a single point of failure with fabric failover", async () => {
    const r = await blast(rack("ucs"));
    expect(r.rows[0]!.target).toBe("fi-a");
    expect(r.rows[0]!.affectedServers).toHaveLength(31);
    expect(r.rows.every((x) => x.unprotectedServers.length === 0)).toBe(true);
  });

  it("director: dir-a and ib-a (the active side) rank first, each reaching all 32 servers; the B side reaches none", async () => {
    const r = await blast(rack("director"));
    expect(
      r.rows
        .slice(0, 2)
        .map((x) => x.target)
        .sort(),
    ).toEqual(["dir-a", "ib-a"]);
    for (const x of r.rows.slice(0, 2)) expect(x.affectedServers).toEqual(hosts(1, 32));
    for (const x of r.rows.filter((y) => y.target.startsWith("dir-b") || y.target === "ib-b"))
      expect(x.affectedServers).toEqual([]);
  });

  it("traditional: a SAN switch or a teamed ToR ranks first; the idle ToRs last, nothing unprotected", async () => {
    const r = await blast(rack("traditional"));
    expect(["tor3", "tor4", "tor5", "tor6", "san-a", "san-b"]).toContain(r.rows[0]!.target);
    expect(
      r.rows
        .slice(-4)
        .map((x) => x.target)
        .sort(),
    ).toEqual(["tor1", "tor2", "tor7", "tor8"]);
    expect(r.rows.every((x) => x.unprotectedServers.length === 0)).toBe(true);
  });
});
