import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { FlowRoutes, Network } from "../../../src/network/build.js";
import { sameWayIn, wayIn } from "../../../src/network/flow-routes.js";
import { flowHash, flowHashMore } from "../../../src/network/routing.js";
import { Replication } from "../../../src/run/replication.js";
import { instanceKey } from "../../../src/run/transport.js";
import { parseTopology } from "../../../src/topology/load.js";
import type { ResolvedTopology, WorkloadInstance } from "../../../src/topology/types.js";

const DESIGNS = ["traditional", "director", "ucs", "mriov"] as const;

function rack(name: string): ResolvedTopology {
  const file = new URL(`../../../topologies/${name}-rack.yaml`, import.meta.url);
  const loaded = parseTopology(readFileSync(file, "utf8"), `${name}-rack.yaml`);
  if (!loaded.ok) throw new Error(`${name}-rack does not load`);
  return loaded.topology;
}

function plain(r: FlowRoutes | null) {
  if (r === null) return null;
  return {
    forward: r.forward.ports.map((p) => `${p.id}#${r.forward.queues[r.forward.ports.indexOf(p)]}`),
    reverse: r.reverse.ports.map((p) => `${p.id}#${r.reverse.queues[r.reverse.ports.indexOf(p)]}`),
    mtu: r.mtu,
    hash: r.hash,
  };
}

/** Every flow's routes from `net`, asked in `order` (flows in topology order or reversed), listed in topology order. */
function allRoutes(topo: ResolvedTopology, net: Network, order: "forward" | "backward") {
  const asks: Array<() => FlowRoutes | null> = [];
  for (const w of topo.workloads)
    for (const inst of w.instances)
      for (let t = 0; t < inst.to.nodes.length; t++) asks.push(() => net.tryRoutes(inst, instanceKey(inst), t, w.unit));
  const out = new Array<ReturnType<typeof plain>>(asks.length);
  const idx = asks.map((_, i) => i);
  if (order === "backward") idx.reverse();
  for (const i of idx) out[i] = plain(asks[i]!());
  return out;
}

const inst = (host: string, via: WorkloadInstance["via"], workload = "w", vm: string | null = null): WorkloadInstance =>
  ({ workload, host, vm, via, to: { kind: "lan", nodes: ["lan"] } }) as WorkloadInstance;

describe("flow routes", () => {
  it("keys an instance's ways into the fabric by its host and way in, not by workload or VM", () => {
    const vifs = (...names: string[]): WorkloadInstance["via"] => ({
      kind: "vifs",
      vifs: names.map((vif, i) => ({ vif, adapter: "vic0", port: `p${i + 1}` })),
    });
    expect(wayIn(inst("h1", vifs("a", "b"), "web", "vm1"))).toBe(wayIn(inst("h1", vifs("a", "b"), "db", "vm2")));
    expect(wayIn(inst("h1", vifs("a", "b")))).not.toBe(wayIn(inst("h2", vifs("a", "b"))));
    expect(wayIn(inst("h1", vifs("a", "b")))).not.toBe(wayIn(inst("h1", vifs("a", "c"))));
    expect(wayIn(inst("h1", vifs("a", "b")))).not.toBe(wayIn(inst("h1", vifs("b", "a"))));
    const vif = (vif: string, adapter = "hca0", port = "1"): WorkloadInstance["via"] => ({
      kind: "vif",
      vif,
      adapter,
      port,
    });
    expect(wayIn(inst("h1", vif("lan0")))).not.toBe(wayIn(inst("h1", vif("lan1"))));
    expect(wayIn(inst("h1", vif("lan0")))).not.toBe(wayIn(inst("h1", vif("lan0", "hca1"))));
    expect(wayIn(inst("h1", vif("lan0")))).not.toBe(wayIn(inst("h1", vif("lan0", "hca0", "2"))));
    const vf = (n: number): WorkloadInstance["via"] => ({ kind: "vf", adapter: "nic0", port: "1", vf: n });
    expect(wayIn(inst("h1", vf(1)))).not.toBe(wayIn(inst("h1", vf(2))));
    const ports = (...p: string[]): WorkloadInstance["via"] => ({ kind: "ports", ports: p });
    expect(wayIn(inst("h1", ports("nic0/1", "nic0/2")))).not.toBe(wayIn(inst("h1", ports("nic0/2", "nic0/1"))));
    expect(wayIn(inst("h1", ports("nic0/1")))).not.toBe(wayIn(inst("h1", vif("nic0/1"))));
  });

  it("compares two ways in field by field exactly as their keys compare", () => {
    const vias: WorkloadInstance["via"][] = [
      { kind: "vifs", vifs: [{ vif: "a", adapter: "vic0", port: "p1" }] },
      { kind: "vifs", vifs: [{ vif: "a", adapter: "vic0", port: "p1" }] },
      { kind: "vifs", vifs: [{ vif: "a", adapter: "vic1", port: "p1" }] },
      { kind: "vifs", vifs: [{ vif: "a", adapter: "vic0", port: "p2" }] },
      { kind: "vifs", vifs: [{ vif: "b", adapter: "vic0", port: "p1" }] },
      {
        kind: "vifs",
        vifs: [
          { vif: "a", adapter: "vic0", port: "p1" },
          { vif: "b", adapter: "vic0", port: "p2" },
        ],
      },
      { kind: "vif", vif: "a", adapter: "vic0", port: "p1" },
      { kind: "vif", vif: "a", adapter: "vic0", port: "p1" },
      { kind: "vif", vif: "a", adapter: "vic0", port: "p2" },
      { kind: "vif", vif: "a", adapter: "vic1", port: "p1" },
      { kind: "vif", vif: "b", adapter: "vic0", port: "p1" },
      { kind: "vf", adapter: "nic0", port: "1", vf: 1 },
      { kind: "vf", adapter: "nic0", port: "1", vf: 1 },
      { kind: "vf", adapter: "nic0", port: "1", vf: 2 },
      { kind: "vf", adapter: "nic0", port: "2", vf: 1 },
      { kind: "vf", adapter: "nic1", port: "1", vf: 1 },
      { kind: "ports", ports: ["nic0/1", "nic0/2"] },
      { kind: "ports", ports: ["nic0/1", "nic0/2"] },
      { kind: "ports", ports: ["nic0/2", "nic0/1"] },
      { kind: "ports", ports: ["nic0/1"] },
      { kind: "ports", ports: ["p1"] },
    ];
    let same = 0;
    for (const a of vias) {
      for (const b of vias) {
        const keys = wayIn(inst("h1", a)) === wayIn(inst("h1", b));
        expect(sameWayIn(a, b), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`).toBe(keys);
        if (keys && a !== b) same++;
      }
    }
    expect(same).toBe(8);
  });

  it("hashes a key and then more text as it hashes the two joined", () => {
    for (const key of ["", "vm-lan-1:host1/vm1", "db-io-1:host4096", "\u00ff\u1234x"]) {
      for (const t of [0, 1, 17, 4095]) {
        expect(flowHashMore(flowHashMore(flowHash(key), "\u0000"), t)).toBe(flowHash(`${key}\u0000${t}`));
      }
    }
  });

  it("finds the same routes whichever instance of a shared way asks first", () => {
    for (const design of DESIGNS) {
      const topo = rack(design);
      const shared = new Map<string, number>();
      for (const w of topo.workloads)
        for (const i of w.instances) shared.set(wayIn(i), (shared.get(wayIn(i)) ?? 0) + 1);
      // The racks do share ways (several VMs or workloads per host and way in).
      expect([...shared.values()].some((n) => n > 1)).toBe(true);
      const ahead = allRoutes(topo, new Replication(topo, 0).net, "forward");
      const behind = allRoutes(topo, new Replication(topo, 0).net, "backward");
      expect(behind).toEqual(ahead);
      expect(ahead.every((r) => r !== null)).toBe(true);
    }
  });

  it("spreads a database's I/O lanes over both host paths (A and B) and over the array's ports", () => {
    for (const design of DESIGNS) {
      const topo = rack(design);
      const net = new Replication(topo, 0).net;
      const w = topo.workloads.find((x) => x.name === "db-io")!;
      const i = w.instances[0]!;
      expect(i.to.nodes).toEqual(["array1", "array1", "array1", "array1"]);
      const routes = i.to.nodes.map((_, t) => net.tryRoutes(i, instanceKey(i), t, w.unit)!);
      // Port 1 of the route: the host's adapter port (its vHBA's or HBA's side); the last: the array's port.
      const starts = new Set(routes.map((r) => r.forward.ports[1]!.id));
      const arrayPorts = new Set(routes.map((r) => r.forward.ports.at(-1)!.id));
      expect(starts.size, `${design}: ${[...starts].join(", ")}`).toBe(2);
      expect(arrayPorts.size, `${design}: ${[...arrayPorts].join(", ")}`).toBeGreaterThan(1);
    }
  });

  it("builds a flow's way back once, when first asked, as its way out reversed", () => {
    for (const design of DESIGNS) {
      const topo = rack(design);
      const net = new Replication(topo, 0).net;
      for (const w of topo.workloads) {
        for (const i of w.instances) {
          const r = net.routes(i, instanceKey(i), 0, w.unit);
          const back = r.reverse;
          expect(r.reverse).toBe(back);
          expect(back.ports.map((p) => p.id)).toEqual([...r.forward.ports].reverse().map((p) => p.reverse!.id));
          expect(back.queues.length).toBe(back.ports.length);
        }
      }
    }
  });

  it("gives each flow the unsigned hash of its key and target (kept as a signed integer)", () => {
    const topo = rack("mriov");
    const net = new Replication(topo, 0).net;
    let high = 0;
    for (const w of topo.workloads) {
      for (const i of w.instances) {
        for (let t = 0; t < i.to.nodes.length; t++) {
          const r = net.routes(i, instanceKey(i), t, w.unit);
          expect(r.hash).toBe(flowHash(`${instanceKey(i)}\u0000${t}`));
          if (r.hash >= 2 ** 31) high++;
        }
      }
    }
    expect(high).toBeGreaterThan(0);
  });
});
