import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { siteTopology } from "../../../bench/site.js";
import { RandomStreams } from "../../../sim/random.js";
import { Simulation } from "../../../sim/simulation.js";
import type { Route } from "../../../src/fabric/transfer.js";
import { buildNetwork } from "../../../src/network/build.js";
import { TABLES_KEPT } from "../../../src/network/distance-table.js";
import { buildFlowNetwork, type FlowPort } from "../../../src/network/flow-network.js";
import { hostName } from "../../../src/network/port-plan.js";
import { routeRules } from "../../../src/network/route-rules.js";
import { Router } from "../../../src/network/routing.js";
import { sharedComponents } from "../../../src/run/blast.js";
import { faultLabel, faultPorts } from "../../../src/run/faults.js";
import { Replication } from "../../../src/run/replication.js";
import { parseTopology } from "../../../src/topology/load.js";
import type { FaultTarget, ResolvedTopology } from "../../../src/topology/types.js";

/** The routes (port ids) of every instance of `workload` in a reference rack to every target. */
function routes(rack: string, workload: string): string[][] {
  const text = readFileSync(new URL(`../../../topologies/${rack}-rack.yaml`, import.meta.url), "utf8");
  const loaded = parseTopology(text, `${rack}-rack.yaml`);
  if (!loaded.ok) throw new Error(`${rack} does not load`);
  const w = loaded.topology.workloads.find((x) => x.name === workload)!;
  const rep = new Replication(loaded.topology, 0);
  return w.instances.flatMap((inst) =>
    inst.to.nodes.map((_, target) =>
      rep.net.routes(inst, `${w.name}:${inst.host}/${inst.vm ?? ""}`, target, w.unit).forward.ports.map((p) => p.id),
    ),
  );
}

/** The route of the first instance to its first target. */
function route(rack: string, workload: string): string[] {
  return routes(rack, workload)[0]!;
}

describe("routes on the reference racks", () => {
  it("takes UCS blade-to-blade traffic up to the fabric interconnect: an IOM does no local switching", () => {
    const ports = route("ucs", "latency-sensitive");
    expect(ports.some((p) => p.startsWith("fi-a:"))).toBe(true);
    expect(ports.filter((p) => p.startsWith("iom")).length).toBe(2); // up through one IOM, down through another
  });

  it("turns director vNIC traffic between hosts at the I/O director, not in the InfiniBand switch", () => {
    expect(route("director", "latency-sensitive").some((p) => p.startsWith("dir-a:"))).toBe(true);
  });

  it("switches MR-IOV host-to-host traffic in a shared adapter's VF switch, never across PCIe hierarchies", () => {
    const ports = route("mriov", "latency-sensitive");
    expect(ports.some((p) => p.endsWith(":bus") && p.startsWith("sa-"))).toBe(true);
  });

  it("sends traditional host-to-host traffic through the access switches, between access pairs across the aggregation", () => {
    // host36 (1GbE pair 3) to the databases (10GbE pair): its access switch, the aggregation, theirs.
    for (const ports of routes("traditional", "latency-sensitive")) {
      expect(ports.some((p) => p.startsWith("sw1g-"))).toBe(true);
      expect(ports.some((p) => p.startsWith("lan:"))).toBe(true);
      expect(ports.some((p) => p.startsWith("sw10g-"))).toBe(true);
    }
  });

  it("pins UCS blades to IOM uplinks statically: blade 1 on uplink 1", () => {
    const ports = route("ucs", "vm-lan");
    expect(ports).toContain("iom1a:fabric1");
  });
});

describe("shared adapters", () => {
  it("never turn host-to-host traffic in an FC adapter: only an Ethernet adapter has a VF switch", () => {
    for (const ports of routes("mriov", "latency-sensitive")) {
      const turning = ports.filter((p) => p.startsWith("sa-") && p.endsWith(":bus"));
      expect(turning.length).toBe(1);
      expect(turning[0]).toMatch(/^sa-eth-/);
    }
  });
});

/** Every flow's routes (port ids and queues both ways, MTU) of `topo`, with the ports of `down` failed. */
function allRoutes(topo: ResolvedTopology, tables: boolean, down: FaultTarget | null): string[] {
  const net = buildNetwork(topo, new Simulation(), new RandomStreams(topo.experiment.seed, 0), () => {}, { tables });
  if (down !== null) {
    for (const p of faultPorts(topo, net.fabric, down)) p.routingDown = true;
    net.invalidateRoutes();
  }
  const out: string[] = [];
  for (const w of topo.workloads)
    for (const inst of w.instances) {
      const key = `${w.name}:${inst.host}${inst.vm === null ? "" : `/${inst.vm}`}`;
      inst.to.nodes.forEach((_, t) => {
        const r = net.tryRoutes(inst, key, t, w.unit);
        const leg = (x: Route) => x.ports.map((p, h) => `${p.id}#${x.queues[h]}`).join(" ");
        out.push(r === null ? `${key} ${t}: none` : `${key} ${t}: ${leg(r.forward)} | ${leg(r.reverse)} mtu ${r.mtu}`);
      });
    }
  return out;
}

describe("the router's distance tables", () => {
  // The tables leave start ports out and skip nodes with nothing left to find: each route
  // must still be the one the plain per-(destination, source) search gives.
  const cases: Array<[string, () => ResolvedTopology]> = [
    ...["traditional", "director", "ucs", "mriov"].map((d): [string, () => ResolvedTopology] => [
      `the ${d} rack`,
      () => {
        const text = readFileSync(new URL(`../../../topologies/${d}-rack.yaml`, import.meta.url), "utf8");
        const loaded = parseTopology(text, `${d}-rack.yaml`);
        if (!loaded.ok) throw new Error(`${d} does not load`);
        return loaded.topology;
      },
    ]),
    ...(["traditional", "director", "ucs", "mriov"] as const).map((d): [string, () => ResolvedTopology] => [
      `a 96-host ${d} site`,
      () => siteTopology(d, { servers: 96 }).topology,
    ]),
  ];
  for (const [name, load] of cases) {
    it(`give the plain search's route for every flow of ${name}, also with each shared component down`, () => {
      const topo = load();
      expect(allRoutes(topo, true, null)).toEqual(allRoutes(topo, false, null));
      const components = sharedComponents(topo);
      // Every shared component on the racks; on the sites every seventh (their kinds repeat per block).
      const step = topo.nodes.length > 100 ? 7 : 1;
      for (let i = 0; i < components.length; i += step) {
        const target = components[i]!.target;
        expect(allRoutes(topo, true, target), faultLabel(target)).toEqual(allRoutes(topo, false, target));
      }
    });
  }
});

describe("the router's table cache", () => {
  // A site's flows visit their destinations in turn (VMs placed round-robin over the hosts, each
  // reverse leg to its own host): a cycle longer than a count-bounded cache missed on every route.
  const topo = siteTopology("mriov", { servers: 96 }).topology;
  const ports = buildFlowNetwork(topo).fabric.ports;
  const rules = () => routeRules<FlowPort>(topo, new Map(topo.nodes.map((n) => [n.name, n])));
  const servers = topo.nodes.filter((n) => n.kind === "server").map((n) => n.name);
  const lan = ports.filter((p) => p.node.name === "lan");
  const host = (server: string) => ports.find((p) => p.peerNode.name === hostName(server))!.peerNode;
  // Each host's route from the first LAN port that reaches it.
  const cycle = (router: Router<FlowPort>) =>
    servers.map((s, i) => {
      for (const start of lan) {
        const r = router.path(start, host(s), s, Math.imul(i, 0x9e3779b1) >>> 0, -1);
        if (r !== null) return r.map((p) => p.id);
      }
      return null;
    });

  it("builds each destination's table once when flows visit more destinations in turn than the least it keeps", () => {
    const router = new Router(ports, rules());
    const first = cycle(router);
    const again = cycle(router);
    expect(first.filter((r) => r !== null).length).toBeGreaterThan(TABLES_KEPT);
    expect(again).toEqual(first);
    expect(router.tableStats()).toMatchObject({ built: servers.length, kept: servers.length });
  });

  it("keeps only the least number of tables past its byte budget, and routes the same", () => {
    const router = new Router(ports, rules(), { tableBudget: 0 });
    const first = cycle(router);
    expect(cycle(router)).toEqual(first);
    expect(first).toEqual(cycle(new Router(ports, rules())));
    const stats = router.tableStats();
    expect(stats.kept).toBe(TABLES_KEPT);
    // The least recently used goes first: a cycle longer than the cache misses every time.
    expect(stats.built).toBe(2 * servers.length);
    expect(stats.bytes).toBeGreaterThan(0);
  });
});

describe("Router.pathInto", () => {
  it("writes path's ports after what is already there, leaves that as it was, and says −1 where path says null", () => {
    const topo = siteTopology("mriov", { servers: 32 }).topology;
    const ports = buildFlowNetwork(topo).fabric.ports;
    const node = (name: string) => ports.find((p) => p.peerNode.name === name)!.peerNode;
    const router = new Router(ports, routeRules<FlowPort>(topo, new Map(topo.nodes.map((n) => [n.name, n]))));
    const servers = topo.nodes.filter((n) => n.kind === "server").map((n) => n.name);
    let compared = 0;
    let unreachable = 0;
    for (let i = 0; i < ports.length; i += 7) {
      const start = ports[i]!;
      const source = servers[i % servers.length]!;
      for (const dst of [node(hostName(servers[(i * 5) % servers.length]!)), node("lan")]) {
        const hash = Math.imul(i, 0x9e3779b1) >>> 0;
        const whole = router.path(start, dst, source, hash, -1);
        const into = [ports[0]!, ports[1]!, ports[2]!];
        const n = router.pathInto(start, dst, source, hash, -1, null, into, 2);
        if (whole === null) {
          expect(n).toBe(-1);
          unreachable++;
          continue;
        }
        expect(n).toBe(whole.length);
        expect(into.slice(0, 2)).toEqual([ports[0], ports[1]]);
        expect(into.slice(2, 2 + n)).toEqual(whole);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(20);
    expect(unreachable).toBeGreaterThan(0);
  });
});
