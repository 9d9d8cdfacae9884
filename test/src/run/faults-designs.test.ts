import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { TICKS_PER_SECOND } from "../../../sim/units.js";
import { blast } from "../../../src/run/blast.js";
import { Replication } from "../../../src/run/replication.js";
import { instanceKey } from "../../../src/run/transport.js";
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

/** The current route of the instance of `workload` whose key is `key` (to its first target). */
function route(rep: Replication, workload: string, key: string): string[] {
  const w = rep.topo.workloads.find((x) => x.name === workload)!;
  const inst = w.instances.find((i) => instanceKey(i) === key);
  if (inst === undefined) throw new Error(`no instance ${key}`);
  return rep.net.routes(inst, key, 0, w.unit).forward.ports.map((p) => p.id);
}

describe("director pair: dir-a fails", () => {
  const topo = rack("director");
  // 1 ms for every failover here (the defaults, 1 s for an HA vNIC and 5 s for multipathing, outlast this window).
  const rep = once(() => {
    const r = new Replication(topo, 0, topo.experiment.seed, { failoverTicks: 1 * MS, faults: [fail(node("dir-a"))] });
    return { r, result: r.result() };
  });

  it("has a blast radius of every server (the LAN's HA vNICs are active on side A), none left without a path", () => {
    const f = rep().result.faults[0]!;
    expect(f.affectedServers).toEqual(hosts(1, 40));
    expect(f.unprotectedServers).toEqual([]);
    expect(f.strandedFlows).toBe(0);
    expect(f.outageSeconds).toBeCloseTo(1e-3, 12);
    // LAN flows move by HA vNIC switch-over, storage flows by multipathing.
    expect(f.failover.map((x) => x.mechanism).sort()).toEqual(["haVnic", "multipath"]);
  });

  it("moves vNICs to their standby on HCA port 2 and vHBAs to the B path: ib-b, dir-b", () => {
    const lan = route(rep().r, "vm-lan", "vm-lan:host3/vm2");
    expect(lan[1]).toBe("host3:hca0/2");
    expect(lan.some((id) => id.startsWith("dir-b:"))).toBe(true);
    expect(lan.some((id) => id.startsWith("dir-a:") || id.startsWith("ib-a"))).toBe(false);
    const disk = route(rep().r, "db-io", "db-io:host37");
    expect(disk[1]).toBe("host37:hca0/2");
    expect(disk.some((id) => id.startsWith("dir-b:fc"))).toBe(true);
    // Traffic flows again after failover: db-io completes I/Os.
    const w = rep().result.workloads.find((x) => x.name === "db-io")!;
    expect(w.delivered).toBeGreaterThan(0);
    // I/Os caught on dir-a are re-issued by multipathing on the other path, not lost.
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

  it("dir-b (standby for the LAN, active for half the storage paths) reaches storage workloads only", () => {
    const r = new Replication(topo, 0, topo.experiment.seed, { faults: [fail(node("dir-b"))] }).result();
    const f = r.faults[0]!;
    expect(f.affectedWorkloads.every((w) => ["vm-disk", "db-io", "storage-heavy"].includes(w))).toBe(true);
    expect(f.failover.map((x) => x.mechanism)).toEqual(["multipath"]);
    expect(f.unprotectedServers).toEqual([]);
  });
});

describe("MR-IOV box pairs: a shared adapter or a PCIe box fails", () => {
  const topo = rack("mriov");

  it("losing shared FC adapter sa-fc-a1-1 affects the storage flows pinned to it; multipathing moves them to box B", () => {
    const r = new Replication(topo, 0, topo.experiment.seed, {
      failoverTicks: 1 * MS,
      faults: [fail(node("sa-fc-a1-1"))],
    });
    const result = r.result();
    const f = result.faults[0]!;
    // Box A1's vHBAs (hosts 1-16, vhba1 on ext0) are all pinned to its one FC adapter.
    expect(f.affectedWorkloads).toEqual(["vm-disk"]);
    expect(f.affectedServers.every((h) => hosts(1, 16).includes(h))).toBe(true);
    expect(f.unprotectedServers).toEqual([]);
    expect(f.failover.map((x) => x.mechanism)).toEqual(["multipath"]);
    for (const h of f.affectedServers) {
      const after = route(r, "vm-disk", `vm-disk:${h}/vm1`);
      expect(after[1]).toBe(`${h}:ext1/1`);
      expect(after.some((id) => id.startsWith("sa-fc-a1-1:"))).toBe(false);
    }
    for (const w of result.workloads) expect(w.sent).toBe(w.delivered + w.dropped + w.inFlight);
  });

  it("losing PCIe box pbox-a1 strands nobody: its 16 servers' flows move to box B (teaming, multipathing)", () => {
    const r = new Replication(topo, 0, topo.experiment.seed, {
      failoverTicks: 1 * MS,
      faults: [fail(node("pbox-a1"))],
    }).result();
    const f = r.faults[0]!;
    expect(f.affectedServers).toEqual(hosts(1, 16));
    expect(f.unprotectedServers).toEqual([]);
    expect(f.strandedFlows).toBe(0);
    expect(f.outageSeconds).toBeCloseTo(1e-3, 12);
    expect(f.failover.map((x) => x.mechanism).sort()).toEqual(["multipath", "teaming"]);
    // Network messages sent into the dead box are lost; storage I/Os wait for the other path, never lost.
    const disk = r.workloads.find((w) => w.name === "vm-disk")!;
    expect(disk.dropped).toBe(0);
    expect(f.retried).toBeGreaterThan(0);
    for (const w of r.workloads) expect(w.sent).toBe(w.delivered + w.dropped + w.inFlight);
  });

  it("without failover the box's flows wait on it to the end: stuck storage, counted", () => {
    const r = new Replication(topo, 0, topo.experiment.seed, {
      failoverTicks: null,
      faults: [fail(node("pbox-a1"))],
    }).result();
    const f = r.faults[0]!;
    expect(f.unprotectedServers).toEqual(hosts(1, 16));
    expect(f.stuck["vm-disk"]).toBeGreaterThan(0);
  });
});

describe("UCS: a fabric interconnect fails", () => {
  const topo = rack("ucs");

  it("fi-a down: with failover no flow loses its path (teaming and multipathing over fabric B); without, every affected flow waits", () => {
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
    expect(on.faults[0]!.failover.map((x) => x.mechanism).sort()).toEqual(["multipath", "teaming"]);
    expect(off.faults[0]!.unprotectedWorkloads).toEqual(off.faults[0]!.affectedWorkloads);
    expect(off.faults[0]!.affectedWorkloads.length).toBeGreaterThanOrEqual(5);
  });

  it("with fabric failover instead of host teaming, the LAN moves by UCS fabric failover", () => {
    // The same rack with each LAN workload on its first vNIC alone (partners on fabric B): fabric failover.
    const t = {
      ...topo,
      workloads: topo.workloads.map((w) => ({
        ...w,
        instances: w.instances.map((i) =>
          i.via.kind === "vifs" && i.via.vifs[0]!.vif.startsWith("vnic")
            ? { ...i, via: { kind: "vif" as const, ...i.via.vifs[0]! } }
            : i,
        ),
      })),
    };
    const r = new Replication(t, 0, t.experiment.seed, { faults: [fail(node("fi-a"))] }).result();
    expect(r.faults[0]!.failover.map((x) => x.mechanism)).toContain("fabricFailover");
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

describe("iovsim blast on the reference racks: no server left without a path by any single component", () => {
  for (const design of ["mriov", "ucs", "director", "traditional"]) {
    it(`${design}: every component has a twin; the rows say the window is shorter than the failover`, async () => {
      const r = await blast(rack(design));
      expect(r.rows.every((x) => x.unprotectedServers.length === 0)).toBe(true);
      expect(r.rows.length).toBeGreaterThanOrEqual(6);
      expect(r.redundancy).toBeNull();
      // The 6 ms window is shorter than every mechanism's default: rows show the outage, and say so.
      expect(r.notes.join(" ")).toMatch(/window ends before the failover of/);
      expect(r.rows.some((x) => Object.keys(x.stuck).length > 0)).toBe(true);
      expect(r.rows[0]!.affectedServers.length).toBeGreaterThanOrEqual(r.rows.at(-1)!.affectedServers.length);
    }, 120_000);
  }
});
