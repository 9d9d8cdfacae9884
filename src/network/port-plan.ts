/**
 * What each port of a built network is, before any port exists (see build.ts's header for
 * the assumptions): scheduler queues, weights and shapers (vifs, VFs, a shared adapter's
 * hosts, and the PCIe port that feeds each adapter), lossy and packet buffer limits,
 * adapter latencies, traffic classes and ECN thresholds, and the links to connect in order
 * (each server's adapter buses, then the file's links).
 */
import type { Rng } from "../../sim/random.js";
import { TICKS_PER_SECOND } from "../../sim/units.js";
import type { LinkOptions } from "../fabric/fabric.js";
import type { SchedulerOptions, ShaperOptions } from "../fabric/scheduler.js";
import type { LinkProtocol } from "../link/protocol.js";
import type { DirectorNode, ResolvedNode, ResolvedTopology, ServerNode, SharedAdapterNode } from "../topology/types.js";
import type { PortClassPlan } from "./classes.js";
import { classPlanCache, DEFAULT_CREDITS, PortMap, planLink } from "./link-plan.js";
import { fullTransfer, IO_MTU, MESSAGE_MTU, protocolFor, readCompletions, upstreamShaper } from "./protocols.js";

const NS = TICKS_PER_SECOND / 1e9;
/** Processing latency of an adapter (NIC, HBA, CNA, VIC, HCA) or a shared adapter: a rough figure. */
export const ADAPTER_LATENCY = 500 * NS;

/** A server's host node (CPU and memory), beside its adapters' node. */
export function hostName(server: string): string {
  return `${server}/host`;
}

/** One link to connect: its two ports ("node:port") and settings. */
export interface Connection {
  readonly a: string;
  readonly b: string;
  /** The nodes of `a` and `b`. */
  readonly nodes: readonly [string, string];
  readonly options: LinkOptions;
}

export interface PortPlan {
  /**
   * In the order to connect: each server's adapter buses (topology order), then the file's
   * links (empty when `planPorts` was given a `connect` to hand them to instead).
   */
  readonly connections: readonly Connection[];
  /** Queue index at a port (by port id) for each vif name (no "port|vif" string built per lookup). */
  readonly queueIndex: ReadonlyMap<string, ReadonlyMap<string, number>>;
  /**
   * Per port id, the queue of each host a shared adapter serves (its virtual hierarchies), or
   * that sends through a director's Ethernet module port; a host not listed takes the port's
   * last queue when the port has one more queue than hosts, else queue 0.
   */
  readonly hostQueues: ReadonlyMap<string, ReadonlyMap<string, number>>;
  /** First queue of each adapter network port ("server:port") at its adapter's bus port. */
  readonly busOffset: ReadonlyMap<string, number>;
  /** Traffic classes per port id ("node:port"), for the ports that have them. */
  readonly classPlans: ReadonlyMap<string, PortClassPlan>;
}

/**
 * The topology's ports. `clocks`: the stream each Ethernet transmitter's clock offset is
 * drawn from, in link order (null: every clock nominal, for a build that never serializes).
 * `connect`: called with each connection in order instead of keeping them in `connections`
 * (a site has 50,000 links: their options then die young instead of living through the
 * plan, where every young-generation collection would copy them).
 */
export function planPorts(
  topo: ResolvedTopology,
  clocks: Rng | null,
  connect: ((c: Connection) => void) | null = null,
): PortPlan {
  const byName = new Map<string, ResolvedNode>(topo.nodes.map((n) => [n.name, n]));
  // Keyed by node, then port name (a site has 100,000 ports: no "node:port" string is built
  // or hashed to look a port up; the nodes' names are the topology's own strings).
  /** Scheduler options of the ports that are not the default single FIFO. */
  const schedulers = new PortMap<SchedulerOptions>();
  const queueIndex = new Map<string, Map<string, number>>();
  const hostQueues = new Map<string, Map<string, number>>();
  /** Latency of the adapter a server's port leads into. */
  const intoAdapter = new PortMap<number>();
  const classPlans = new Map<string, PortClassPlan>();
  const busOffset = new Map<string, number>();
  const connections: Connection[] = [];
  const add = connect ?? ((c: Connection) => connections.push(c));

  const tables: PlanTables = { schedulers, queueIndex, hostQueues, intoAdapter, classPlans, busOffset };
  // Each loop's body is a function of its own: planPorts runs once, and a site's loops
  // (100,000 links) would have it compiled on stack replacement, again for each loop.
  for (const n of topo.nodes) planQueues(topo, n, tables, byName);

  // PCIe bus links between each server's host and its adapters: the adapter reads what it
  // sends (completions down) and writes what it receives (writes up).
  for (const n of topo.nodes) if (n.kind === "server") planBuses(n, tables, add);

  const ecnSetting = topo.transport.ecnThresholdBytes;
  const classPlan = classPlanCache(topo);
  for (const l of topo.links) planLink(l, byName, ecnSetting, classPlan, clocks, tables, add);

  return { connections, queueIndex, hostQueues, busOffset, classPlans };
}

/** The plan's tables, filled node by node and link by link (link-plan.ts). */
export interface PlanTables {
  /** Scheduler options of the ports that are not the default single FIFO. */
  readonly schedulers: PortMap<SchedulerOptions>;
  readonly queueIndex: Map<string, Map<string, number>>;
  readonly hostQueues: Map<string, Map<string, number>>;
  /** Latency of the adapter a server's port leads into. */
  readonly intoAdapter: PortMap<number>;
  readonly classPlans: Map<string, PortClassPlan>;
  readonly busOffset: Map<string, number>;
}

/**
 * The queues of node `n`'s adapters (a server's vifs and VFs, a shared adapter's hosts) and of
 * an I/O director's Ethernet module ports (a queue per server behind it, see `directorQueues`).
 */
function planQueues(
  topo: ResolvedTopology,
  n: ResolvedNode,
  tables: PlanTables,
  byName: ReadonlyMap<string, ResolvedNode>,
): void {
  const { schedulers, queueIndex, hostQueues, busOffset } = tables;
  switch (n.kind) {
    case "server": {
      for (const a of n.adapters) {
        const net = protocolFor(a.link);
        const bus = protocolFor(a.bus);
        const busWeights: number[] = [];
        const busShapers: (ShaperOptions | null)[] = [];
        let arbitrated = false;
        for (const port of a.ports) {
          const id = `${n.name}:${port}`;
          const vifs = a.vifs.filter((v) => v.port === port);
          // Weights in Mb/s of committed rate (a VF or a plain port: its share of the line rate).
          const rate = net.dataRateBps;
          let weights = [rate / 1e6];
          let shapers: (ShaperOptions | null)[] = [null];
          if (vifs.length > 0) {
            weights = vifs.map((v) => (v.committedBps ?? rate / vifs.length) / 1e6);
            shapers = vifs.map((v) =>
              v.peakBps === null
                ? null
                : upstreamShaper(v.peakBps, fullTransfer(net, v.type === "vhba" ? "io" : "message"), net, bus),
            );
            schedulers.set(n.name, port, { queues: vifs.length, weights });
            let byVif = queueIndex.get(id);
            if (byVif === undefined) {
              byVif = new Map();
              queueIndex.set(id, byVif);
            }
            for (let i = 0; i < vifs.length; i++) byVif.set(vifs[i]!.name, i);
            arbitrated = true;
          } else if (a.vfs > 1 || a.vfLimitBps !== null) {
            const vfs = Math.max(1, a.vfs);
            weights = new Array<number>(vfs).fill(rate / vfs / 1e6);
            // Per-VF rate limiter: a shaper per VF queue where the adapter fetches over PCIe.
            const limit = a.vfLimitBps;
            shapers = weights.map(() =>
              limit === null ? null : upstreamShaper(limit, fullTransfer(net, "message"), net, bus),
            );
            schedulers.set(n.name, port, { queues: vfs });
            arbitrated = true;
          }
          busOffset.set(id, busWeights.length);
          busWeights.push(...weights);
          busShapers.push(...shapers);
        }
        if (arbitrated) {
          schedulers.set(hostName(n.name), a.name, {
            queues: busWeights.length,
            weights: busWeights,
            shapers: busShapers,
          });
        }
      }
      break;
    }
    case "shared-adapter": {
      const net = protocolFor(n.link);
      for (const p of n.ports) {
        // The port feeding the adapter's slot arbitrates and limits the hosts (see the header).
        const feed = p.name === "bus" ? p.peer : { node: n.name, port: p.name };
        const link = p.link === null ? undefined : topo.links[p.link];
        if (feed === null || link === undefined) continue;
        schedulers.set(
          feed.node,
          feed.port,
          sharedAdapterScheduler(n, p.name === "bus" ? { net, bus: protocolFor(link.protocol) } : null),
        );
        const queues = new Map<string, number>();
        n.hosts.forEach((h, i) => {
          queues.set(h, i);
        });
        hostQueues.set(`${feed.node}:${feed.port}`, queues);
      }
      break;
    }
    case "io-director":
      directorQueues(topo, n, tables, byName);
      break;
  }
}

/**
 * Dynamic-threshold α at a director's Ethernet module ports (scheduler.ts): 1, a common
 * default of shared-memory switch buffers (Choudhury and Hahne 1998); the module's own buffer
 * management is not published, so this is an assumption.
 */
export const DIRECTOR_QUEUE_ALPHA = 1;

/**
 * An I/O director's Ethernet module ports: a queue per server whose HCA reaches this
 * director (directly or through InfiniBand expansion switches), served round robin, each
 * under a dynamic share of the port's buffer, plus a last queue for everything else (the
 * way back of traffic from servers behind another director). The XgOS User's Guide
 * (September 2014, ch. 10, "Network QoS for vNICs") gives each vNIC eight traffic queues on
 * the 10GbE module, weighted fair, all of the same priority; here a server's vNICs on the
 * module share one queue (a server sends its LAN traffic through one HA vNIC per side).
 */
function directorQueues(
  topo: ResolvedTopology,
  n: DirectorNode,
  tables: PlanTables,
  byName: ReadonlyMap<string, ResolvedNode>,
): void {
  const ethernet = n.modules.filter((m) => protocolFor(m.link).family === "ethernet");
  if (ethernet.length === 0) return;
  const servers = serversBehind(topo, n, byName);
  if (servers.length === 0) return;
  const queues = new Map<string, number>();
  servers.forEach((h, i) => {
    queues.set(h, i);
  });
  const options: SchedulerOptions = { queues: servers.length + 1, dynamicThreshold: DIRECTOR_QUEUE_ALPHA };
  for (const m of ethernet)
    for (const port of m.ports) {
      tables.schedulers.set(n.name, port, options);
      tables.hostQueues.set(`${n.name}:${port}`, queues);
    }
}

/** The servers whose adapter ports reach director `n` over InfiniBand, directly or through IB switches, in topology order. */
function serversBehind(topo: ResolvedTopology, n: ResolvedNode, byName: ReadonlyMap<string, ResolvedNode>): string[] {
  const found = new Set<string>();
  const seen = new Set<string>([n.name]);
  const stack: ResolvedNode[] = [n];
  while (stack.length > 0) {
    const at = stack.pop()!;
    for (const p of at.ports) {
      if (p.peer === null || p.link === null || topo.links[p.link]?.family !== "infiniband") continue;
      const peer = byName.get(p.peer.node);
      if (peer === undefined || seen.has(peer.name)) continue;
      seen.add(peer.name);
      if (peer.kind === "server") found.add(peer.name);
      else if (peer.kind === "ib-switch") stack.push(peer);
    }
  }
  return topo.nodes.filter((x) => found.has(x.name)).map((x) => x.name);
}

/** Server `n`'s bus links, one per adapter, with the adapter's latency into its ports. */
function planBuses(n: ServerNode, tables: PlanTables, add: (c: Connection) => void): void {
  const { schedulers, intoAdapter } = tables;
  for (const a of n.adapters) {
    const framing = a.busFraming ?? null;
    const host = hostName(n.name);
    const scheduler = schedulers.get(host, a.name);
    const latency = adapterLatency(a);
    for (const port of a.ports) intoAdapter.set(n.name, port, latency);
    const down = readCompletions(a.bus, framing);
    // The adapter buffers at least two of its largest frames from the host (double buffering), so
    // jumbo frames do not starve its port while the next one crosses the bus.
    const largest = Math.max(a.mtu ?? MESSAGE_MTU, IO_MTU, ...a.vifs.map((v) => v.mtu ?? 0));
    add({
      a: `${host}:${a.name}`,
      b: `${n.name}:${a.name}/bus`,
      nodes: [host, n.name],
      options: {
        protocol: protocolFor(a.bus, framing),
        flowControl: "credit",
        peerBufferBytes: DEFAULT_CREDITS.pcie!,
        aToB: {
          protocol: down,
          peerBufferBytes: Math.max(DEFAULT_CREDITS.pcie!, 2 * down.segment(largest).wireBytes),
          peerLatencyTicks: latency,
          ...(scheduler === undefined ? {} : { scheduler }),
          ...(a.queuePackets === undefined || a.queuePackets === null ? {} : { bufferPackets: a.queuePackets }),
        },
      },
    });
  }
}

/** An adapter's latency in ticks (the file's, or the default for its type). */
function adapterLatency(a: ServerNode["adapters"][number]): number {
  return a.latencyTicks ?? (a.type === "pcie-extender" ? 100 * NS : ADAPTER_LATENCY);
}

/** Per-host queues of a shared adapter: weighted, and rate-limited when `limits` gives the two protocols. */
function sharedAdapterScheduler(
  n: SharedAdapterNode,
  limits: { net: LinkProtocol; bus: LinkProtocol } | null,
): SchedulerOptions {
  const weights = n.hosts.map((h) => (n.arbitration === "weighted" ? (n.weights[h] ?? 1) : 1));
  if (limits === null) return { queues: n.hosts.length, weights };
  const payload = fullTransfer(limits.net, limits.net.family === "fibre-channel" ? "io" : "message");
  return {
    queues: n.hosts.length,
    weights,
    shapers: n.hosts.map((h) => {
      const limit = n.limitBps[h];
      return limit === undefined ? null : upstreamShaper(limit, payload, limits.net, limits.bus);
    }),
  };
}
