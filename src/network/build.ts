/**
 * Turns a resolved topology into model objects on one Simulation: the fabric's
 * nodes and ports, storage arrays, and the routes of every workload instance.
 *
 * How the file's devices become fabric nodes (assumptions):
 * - A server is two nodes: `<server>/host` (CPU and memory: where messages start
 *   and end) and `<server>` (its adapters, so adapter ports keep their names,
 *   `host3:nic0/1`). Each adapter is joined to the host by its own PCIe bus link
 *   (`<server>/host:<adapter>` ↔ `<server>:<adapter>/bus`), credit-based.
 * - An adapter adds its `latency` (default 500 ns for NIC/HBA/CNA/VIC/HCA processing, a
 *   rough figure; 100 ns for a PCIe extender: src/topology/link-fields.ts) to what arrives
 *   at it, from the host or from the network; a shared adapter adds 500 ns. Switches,
 *   directors, fabric interconnects, fabric extenders and PCIe switches use the latency and
 *   forwarding mode from the file.
 * - Scheduler queues: an adapter port with SR-IOV VFs has one queue per VF (round
 *   robin; VF n is queue n − 1; `vfLimit` shapes each VF); a port carrying virtual interfaces has one queue per
 *   vif, weighted by committed rate and shaped to its peak rate (for a director's
 *   vNICs this is applied at the host's HCA rather than in the director: same
 *   effect on the flow); a shared adapter's network ports have one queue per host
 *   it serves (its virtual hierarchies), weighted and rate-limited as the file says.
 * - Where that arbitration acts: an adapter fetches each queue's data over PCIe by
 *   DMA, so a queue that must wait (shaped out, or behind in the round) holds no
 *   buffer in the adapter. The PCIe port that feeds the adapter (the host's bus
 *   port; for a shared adapter, the PCIe switch port into its slot) therefore has
 *   the same queues and weights (committed Mb/s; a VF or a plain port weighs its
 *   share of the line rate) and carries the shapers; the adapter's network ports
 *   keep the queues and weights, unshaped. (A shaper at the network port behind one
 *   credit-limited FIFO would let a shaped queue fill the adapter's receive buffer
 *   and stall every other queue: head-of-line blocking across VFs, vNICs or hosts.)
 *   A shaper's rate and burst are converted to the PCIe link's wire bytes at a
 *   full-size transfer (1500 B messages, 2048 B I/O), so a limit is exact for
 *   full-size frames and approximate (PCIe vs network per-frame overhead) for
 *   smaller ones. The adapter's ports still share one credit pool on the bus, so
 *   queues on different ports are weighed against each other there.
 * - Buffers: a switch's lossy queues share its buffer, each port capped at a
 *   quarter of it (a director or fabric interconnect without a `buffer`: 640 KiB
 *   per port, rough); ports at servers, arrays and the LAN never drop (hosts and
 *   arrays hold their own work). Lossless links' receive buffers (credits): FC
 *   16 frames (34,368 B), InfiniBand 64 KiB, PCIe 16 KiB (an adapter's buffer for what
 *   the host sends it: at least two of its largest frames), PFC 128 KiB, unless the link
 *   gives `buffer`.
 * - Failover (src/run/faults.ts): routes avoid ports that are `routingDown`; a flow
 *   starts from its preferred team member or vif and falls back to the others (see
 *   `startOptions`), and a flow with no path left gets none (`tryRoutes` → null).
 * - Ethernet links accept frames up to their `mtu` (default 9000 B); a flow's transfers
 *   are sized by its unit: for network messages the MTU of its vNIC or adapter (default
 *   1500 B; jumbo 9000), 2048 B for storage I/O (FC frames; FCoE carries them whole — its
 *   extra 18 B of encapsulation is not counted), and never more than the smallest max
 *   payload on the route (PCIe links excepted: a frame crosses PCIe as several TLPs).
 * - PCIe links take their `mps`, `mrrs` and `addressing` from the file (an adapter's bus
 *   from the adapter). Data going down to an adapter (host → adapter, host → PCIe switch →
 *   shared adapter) is what the adapter's DMA engine reads: read completions, whose read
 *   requests go up; data going up is posted writes. Between two PCIe switches: writes.
 * - Queue limits in packets (`queuePackets`): per egress queue of a switch, director or
 *   fabric interconnect beside the byte limit; for an adapter, the host's queue in front of
 *   it (its bus port: frames the host holds for the adapter, e.g. txqueuelen), which drops
 *   what it cannot hold.
 * - A fabric interconnect in end-host mode pins each vNIC's traffic to the LAN to one
 *   uplink (or port-channel), in turn: the n-th vNIC of a fabric (topology order) takes
 *   uplink group n mod groups, a port-channel spreading its vNICs' flows by hash
 *   (`uplinkPinning: per-vnic`, the default; UCS assigns the turns as vNICs come up, not in
 *   file order). `flow-hash` spreads every flow over all uplinks.
 */
import type { RandomStreams } from "../../sim/random.js";
import type { Simulation } from "../../sim/simulation.js";
import { TICKS_PER_SECOND } from "../../sim/units.js";
import type { ClassScheduler } from "../fabric/class-scheduler.js";
import type { EgressPort } from "../fabric/egress-port.js";
import { Fabric, type PortOptions } from "../fabric/fabric.js";
import type { FlowControl } from "../fabric/flow-control.js";
import { Node } from "../fabric/node.js";
import type { SchedulerOptions, ShaperOptions } from "../fabric/scheduler.js";
import { hashSelect, SwitchNode } from "../fabric/switch-node.js";
import type { Route } from "../fabric/transfer.js";
import { linkProtocol } from "../link/catalog.js";
import type { LinkProtocol } from "../link/protocol.js";
import { framingOptions } from "../topology/link-fields.js";
import type {
  DirectorNode,
  LinkFraming,
  ResolvedLink,
  ResolvedNode,
  ResolvedTopology,
  ResolvedWorkload,
  ServerNode,
  SharedAdapterNode,
  WorkloadInstance,
} from "../topology/types.js";
import type { Message } from "../workload/message.js";
import { autoEcnThreshold, type FlowMarks, flowMarks, type PortClassPlan, portClasses } from "./classes.js";
import { toDistribution } from "./distribution.js";
import { flowHash, type RouteReads, Router, type RouterOptions } from "./routing.js";
import { mediaPreset, StorageArray } from "./storage-array.js";

const NS = TICKS_PER_SECOND / 1e9;
const ADAPTER_LATENCY = 500 * NS;
const MESSAGE_MTU = 1500;
/** Ethernet links accept jumbo frames unless their `mtu` says otherwise. */
const LINK_MTU = 9000;
const IO_MTU = 2048;
const DEFAULT_CREDITS: Record<string, number> = { "fibre-channel": 16 * 2148, infiniband: 65536, pcie: 16384 };
const PFC_BUFFER = 131072;
const SHAPER_BURST = 65536;
const DEFAULT_PORT_BUFFER = 640 * 1024;
const NO_PATH = null;
/** IEEE 802.3 transmit clock tolerance, ±100 ppm (e.g. clause 52.5.x for 10GBASE-R PMDs). */
const CLOCK_PPM = 100;

/** The two routes of a flow: out to its target and back (I/O completions travel back). */
export interface FlowRoutes {
  readonly forward: Route;
  readonly reverse: Route;
  /** Payload bytes per transfer for this flow. */
  readonly mtu: number;
  readonly hash: number;
}

export interface Network {
  readonly sim: Simulation;
  readonly fabric: Fabric;
  readonly arrays: ReadonlyMap<string, StorageArray>;
  /** Routes of an instance to its target number `target` (cached). Throws when there is no path. */
  routes(instance: WorkloadInstance, instanceKey: string, target: number, unit: "message" | "io"): FlowRoutes;
  /**
   * Like `routes`, but null when no path avoids the ports that are down (faults). Cached too.
   * With `reads`, computed afresh and the ports whose `routingDown` the answer depends on
   * are added to it (the flow model re-routes only the flows a failure can change).
   */
  tryRoutes(
    instance: WorkloadInstance,
    instanceKey: string,
    target: number,
    unit: "message" | "io",
    reads?: RouteReads,
  ): FlowRoutes | null;
  /** Forgets every cached route (ports went down or came back: failover, restore). */
  invalidateRoutes(): void;
}

/** Protocols are immutable: one object per id and options, shared by every network built (and the caches keyed by it). */
const protocols = new Map<string, LinkProtocol>();
function cachedProtocol(id: string, options: Record<string, number | boolean | string>): LinkProtocol {
  const key = `${id} ${JSON.stringify(options)}`;
  let p = protocols.get(key);
  if (p === undefined) {
    p = linkProtocol(id, options);
    protocols.set(key, p);
  }
  return p;
}

/** A link's protocol with its framing from the file (Ethernet: 9000-B MTU unless given). */
function protocolFor(id: string, framing: LinkFraming | null = null): LinkProtocol {
  const family = cachedProtocol(id, {}).family;
  const options: Record<string, number | boolean | string> = framing === null ? {} : framingOptions(framing, family);
  if (family === "ethernet" && options.mtu === undefined) options.mtu = LINK_MTU;
  return cachedProtocol(id, options);
}

/** A PCIe link's downstream direction: the completions of the reads its far end makes. */
function readCompletions(id: string, framing: LinkFraming | null): LinkProtocol {
  return cachedProtocol(id, {
    ...(framing === null ? {} : framingOptions(framing, "pcie")),
    carries: "read-completions",
  });
}

function hostName(server: string): string {
  return `${server}/host`;
}

export function buildNetwork(
  topo: ResolvedTopology,
  sim: Simulation,
  streams: RandomStreams,
  onServed: (array: StorageArray, msg: Message) => void,
  /** How routes are found (default: distance tables; tests compare them with the plain search). */
  routing: RouterOptions = {},
): Network {
  const fabric = new Fabric(sim);
  const byName = new Map<string, ResolvedNode>(topo.nodes.map((n) => [n.name, n]));
  /** The egress port id of a PCIe link's downstream direction (toward an adapter), or null between switches. */
  const downstream = (l: ResolvedLink): string | null => {
    const ka = byName.get(l.a.node)?.kind;
    const kb = byName.get(l.b.node)?.kind;
    if (ka === "server" || kb === "shared-adapter") return `${l.a.node}:${l.a.port}`;
    if (kb === "server" || ka === "shared-adapter") return `${l.b.node}:${l.b.port}`;
    return null;
  };
  const arrays = new Map<string, StorageArray>();
  /** Scheduler options per port id ("node:port") that are not the default single FIFO. */
  const schedulers = new Map<string, SchedulerOptions>();
  /** Queue index at a port for (vif or vf) keys: `${portId}|${key}`. */
  const queueIndex = new Map<string, number>();
  /** Per port id, the queue of each host a shared adapter serves (its virtual hierarchies). */
  const hostQueues = new Map<string, Map<string, number>>();
  const lossyCap = new Map<string, number>();
  /** Packet limits per port id (`queuePackets`). */
  const packetCap = new Map<string, number>();
  /** Latency of the adapter a port id leads into (ports into a server's adapter node). */
  const intoAdapter = new Map<string, number>();
  /** Traffic classes per port id ("node:port"), for the ports that have them. */
  const classPlans = new Map<string, PortClassPlan>();
  const workloadByName = new Map<string, ResolvedWorkload>(topo.workloads.map((w) => [w.name, w]));
  /** First queue of each adapter network port ("server:port") at its adapter's bus port. */
  const busOffset = new Map<string, number>();

  for (const n of topo.nodes) {
    switch (n.kind) {
      case "server": {
        fabric.addNode(new Node(hostName(n.name), { kind: "host" }));
        // The adapters share one node; each adapter's latency is set on the ports into it (below).
        fabric.addNode(new Node(n.name, { kind: "adapter", latencyTicks: ADAPTER_LATENCY }));
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
              schedulers.set(id, { queues: vifs.length, weights });
              vifs.forEach((v, i) => {
                queueIndex.set(`${id}|${v.name}`, i);
              });
              arbitrated = true;
            } else if (a.vfs > 1 || a.vfLimitBps !== null) {
              const vfs = Math.max(1, a.vfs);
              weights = new Array<number>(vfs).fill(rate / vfs / 1e6);
              // Per-VF rate limiter: a shaper per VF queue where the adapter fetches over PCIe.
              const limit = a.vfLimitBps;
              shapers = weights.map(() =>
                limit === null ? null : upstreamShaper(limit, fullTransfer(net, "message"), net, bus),
              );
              schedulers.set(id, { queues: vfs });
              arbitrated = true;
            }
            busOffset.set(id, busWeights.length);
            busWeights.push(...weights);
            busShapers.push(...shapers);
          }
          if (arbitrated) {
            schedulers.set(`${hostName(n.name)}:${a.name}`, {
              queues: busWeights.length,
              weights: busWeights,
              shapers: busShapers,
            });
          }
        }
        break;
      }
      case "ethernet-switch":
      case "fc-switch":
      case "ib-switch":
        fabric.addNode(
          new SwitchNode(n.name, {
            kind: n.kind,
            latencyTicks: n.latencyTicks,
            forwarding: n.forwarding,
            sharedBufferBytes: n.bufferBytes,
          }),
        );
        for (const p of n.ports) lossyCap.set(`${n.name}:${p.name}`, n.bufferBytes / 4);
        if (n.queuePackets !== null) for (const p of n.ports) packetCap.set(`${n.name}:${p.name}`, n.queuePackets);
        break;
      case "pcie-switch":
      case "io-director":
      case "fabric-interconnect": {
        // No buffer in the file: each port may queue 640 KiB (a Nexus 5500-class unified port,
        // a rough figure; PCIe switches are credit-based, so it never applies to them).
        const buffer = n.bufferBytes ?? Number.POSITIVE_INFINITY;
        const perPort = n.bufferBytes === null ? DEFAULT_PORT_BUFFER : buffer / 4;
        fabric.addNode(
          new SwitchNode(n.name, {
            kind: n.kind,
            latencyTicks: n.latencyTicks,
            forwarding: "cut-through",
            sharedBufferBytes: buffer,
          }),
        );
        for (const p of n.ports) lossyCap.set(`${n.name}:${p.name}`, perPort);
        for (const m of n.kind === "pcie-switch" ? [] : n.modules)
          for (const port of m.ports) lossyCap.set(`${n.name}:${port}`, perPort);
        if (n.kind !== "pcie-switch" && n.queuePackets !== null)
          for (const p of n.ports) packetCap.set(`${n.name}:${p.name}`, n.queuePackets);
        break;
      }
      case "fabric-extender":
        fabric.addNode(
          new SwitchNode(n.name, { kind: n.kind, latencyTicks: n.latencyTicks, forwarding: "cut-through" }),
        );
        break;
      case "shared-adapter": {
        fabric.addNode(new Node(n.name, { kind: n.kind, latencyTicks: ADAPTER_LATENCY }));
        const net = protocolFor(n.link);
        for (const p of n.ports) {
          // The port feeding the adapter's slot arbitrates and limits the hosts (see the header).
          const feed = p.name === "bus" ? p.peer : { node: n.name, port: p.name };
          const link = p.link === null ? undefined : topo.links[p.link];
          if (feed === null || link === undefined) continue;
          const id = `${feed.node}:${feed.port}`;
          schedulers.set(
            id,
            sharedAdapterScheduler(n, p.name === "bus" ? { net, bus: protocolFor(link.protocol) } : null),
          );
          const queues = new Map<string, number>();
          n.hosts.forEach((h, i) => {
            queues.set(h, i);
          });
          hostQueues.set(id, queues);
        }
        break;
      }
      case "storage-array": {
        fabric.addNode(new Node(n.name, { kind: n.kind }));
        const service =
          n.service === null
            ? mediaPreset(n.media ?? "flash")
            : { read: toDistribution(n.service.read), write: toDistribution(n.service.write) };
        const array: StorageArray = new StorageArray(
          n.name,
          sim,
          n.concurrency,
          service.read,
          service.write,
          streams.stream(`array:${n.name}`),
          (msg) => onServed(array, msg),
        );
        arrays.set(n.name, array);
        break;
      }
      case "lan":
        fabric.addNode(new Node(n.name, { kind: n.kind }));
        break;
    }
  }

  // PCIe bus links between each server's host and its adapters: the adapter reads what it
  // sends (completions down) and writes what it receives (writes up).
  for (const n of topo.nodes) {
    if (n.kind !== "server") continue;
    for (const a of n.adapters) {
      const framing = a.busFraming ?? null;
      const busId = `${hostName(n.name)}:${a.name}`;
      const scheduler = schedulers.get(busId);
      const latency = adapterLatency(a);
      for (const port of a.ports) intoAdapter.set(`${n.name}:${port}`, latency);
      const down = readCompletions(a.bus, framing);
      // The adapter buffers at least two of its largest frames from the host (double buffering), so
      // jumbo frames do not starve its port while the next one crosses the bus.
      const largest = Math.max(a.mtu ?? MESSAGE_MTU, IO_MTU, ...a.vifs.map((v) => v.mtu ?? 0));
      fabric.connect(busId, `${n.name}:${a.name}/bus`, {
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
      });
    }
  }

  const ecnSetting = topo.transport.ecnThresholdBytes;
  const clocks = streams.stream("link-clocks");
  for (const l of topo.links) {
    const protocol = protocolFor(l.protocol, l.framing);
    const down = l.family === "pcie" ? downstream(l) : null;
    const ecn =
      l.family !== "ethernet"
        ? undefined
        : ecnSetting === "auto"
          ? autoEcnThreshold(protocol)
          : (ecnSetting ?? undefined);
    const plans = [l.a, l.b].map((e) => {
      const id = `${e.node}:${e.port}`;
      const cap = lossyCap.get(id);
      return portClasses(topo, l, cap, ecn);
    });
    const classed = plans[0] !== null;
    const flowControl: FlowControl = classed
      ? l.family === "ethernet"
        ? "pfc"
        : "credit"
      : !l.lossless
        ? "none"
        : l.family === "ethernet"
          ? "pfc"
          : "credit";
    const peerBuffer =
      l.lossless && !classed
        ? (l.bufferBytes ?? (l.family === "ethernet" ? PFC_BUFFER : DEFAULT_CREDITS[l.family]!))
        : undefined;
    const a = `${l.a.node}:${l.a.port}`;
    const b = `${l.b.node}:${l.b.port}`;
    const dir = (id: string, plan: PortClassPlan | null): PortOptions => {
      const o: { -readonly [K in keyof PortOptions]: PortOptions[K] } = {};
      const s = schedulers.get(id);
      if (s !== undefined) o.scheduler = s;
      const cap = lossyCap.get(id);
      if (cap !== undefined && Number.isFinite(cap)) o.bufferBytes = cap;
      const packets = packetCap.get(id);
      if (packets !== undefined) o.bufferPackets = packets;
      if (peerBuffer !== undefined) o.peerBufferBytes = peerBuffer;
      // What arrives at an adapter's port from the network waits its latency.
      const peerLatency = intoAdapter.get(id === a ? b : a);
      if (peerLatency !== undefined) o.peerLatencyTicks = peerLatency;
      if (down === id) o.protocol = readCompletions(l.protocol, l.framing);
      if (plan !== null) {
        o.classes = plan.options;
        classPlans.set(id, plan);
      } else if (ecn !== undefined && cap !== undefined && !l.lossless && l.family === "ethernet") {
        o.ecnThresholdBytes = ecn;
      }
      // Each Ethernet transmitter runs on its own clock, within IEEE 802.3's ±100 ppm
      // (one stream for every clock, drawn in link order: the topology fixes the order).
      if (l.family === "ethernet") o.clockPpm = clocks.uniform(-CLOCK_PPM, CLOCK_PPM);
      return o;
    };
    fabric.connect(a, b, {
      protocol,
      propagationTicks: l.propagationTicks,
      flowControl,
      aToB: dir(a, plans[0]!),
      bToA: dir(b, plans[1]!),
    });
  }

  /** The queue of `p` for a flow marked `marks` whose own sub-queue there is `sub`. */
  const queueAt = (p: EgressPort, sub: number, marks: FlowMarks): number => {
    const plan = classPlans.get(p.id);
    if (plan === undefined) return sub;
    const cls = plan.classOf[plan.bySl ? marks.sl : marks.cos] ?? 0;
    return (p.scheduler as ClassScheduler).queueOf(cls, sub);
  };

  const isServer = (n: Node): boolean => byName.get(n.name)?.kind === "server";
  // Transit depends on the source host only through the shared adapters serving it: hosts served by
  // the same adapters route alike (one distance table per destination for a whole PCIe box).
  const servedBy = new Map<string, string[]>();
  for (const n of topo.nodes)
    if (n.kind === "shared-adapter") for (const h of n.hosts) servedBy.set(h, [...(servedBy.get(h) ?? []), n.name]);
  const sourceKeys = new Map([...servedBy].map(([h, list]) => [h, list.sort().join(",")]));
  const rules = {
    sourceKey(sourceHost: string): string {
      return sourceKeys.get(sourceHost) ?? "";
    },
    transit(node: Node, sourceHost: string, dst: Node): boolean {
      const r = byName.get(node.name);
      if (r === undefined) return false; // a server's host node
      // A server's adapters carry only traffic ending at that server.
      if (r.kind === "server") return dst.name === hostName(r.name);
      if (r.kind === "storage-array") return false;
      // The LAN (the site's aggregation and core) carries traffic between the fabric's own
      // elements only: east-west between two access pairs, UCS fabrics A and B, two directors.
      if (r.kind === "lan") return dst.name.endsWith("/host");
      if (r.kind === "shared-adapter") return r.hosts.includes(sourceHost);
      return true;
    },
    forwardsOnlyTo(node: Node): string | null | undefined {
      const r = byName.get(node.name);
      if (r === undefined || r.kind === "storage-array") return null; // as transit says
      return r.kind === "server" ? hostName(r.name) : undefined;
    },
    bySource(node: Node): boolean {
      return byName.get(node.name)?.kind === "shared-adapter";
    },
    turn(node: Node, ingress: EgressPort, egress: EgressPort, dst: Node): boolean {
      const r = byName.get(node.name);
      const fromServer = isServer(ingress.node);
      const toServer = isServer(egress.peerNode);
      switch (r?.kind) {
        // An IOM does no local switching: host ports go up, fabric ports come down.
        case "fabric-extender":
          return fromServer !== toServer;
        // No host-to-host paths through a PCIe switch (non-transparent bridging is not modelled).
        case "pcie-switch":
          return !(fromServer && toServer);
        // Director design: vNIC/vHBA traffic is tunnelled to the I/O director, never turned in the IB fabric.
        case "ib-switch":
          return topo.design !== "director" || !(fromServer && toServer);
        // A shared adapter is not a switch: between its network ports nothing passes; host to host
        // only through its embedded VF switch (VEB), and only to a host it serves.
        case "shared-adapter": {
          const busIn = ingress.peerNode === node && ingress.to.endsWith(":bus");
          const busOut = egress.id.endsWith(":bus");
          if (!busIn && !busOut) return false;
          // Only an Ethernet adapter has a VF switch; an FC HBA never turns traffic between hosts.
          if (busIn && busOut)
            return r.link.startsWith("eth-") && r.hosts.includes(dst.name.slice(0, dst.name.length - "/host".length));
          return true;
        }
        default:
          return true;
      }
    },
    pinnedUplink(
      node: Node,
      ingress: EgressPort | null,
      candidates: readonly EgressPort[],
      pin: number,
      hash: number,
    ): EgressPort | null {
      const r = byName.get(node.name);
      if (r?.kind === "fabric-interconnect")
        return r.uplinkPinning === "per-vnic" ? vnicUplink(r, candidates, pin, hash) : null;
      if (r?.kind !== "fabric-extender" || r.pinning !== "static" || ingress === null) return null;
      // Static pinning: host port i uses uplink (i − 1) mod uplinks.
      const port = ingress.to.slice(ingress.to.indexOf(":") + 1);
      const rp = r.ports.find((p) => p.name === port);
      if (rp === undefined || rp.group === "fabric" || candidates.length === 0) return null;
      return candidates[(rp.index - 1) % candidates.length]!;
    },
  };
  /**
   * End-host mode: the uplink of vNIC turn `pin` among `candidates` when they are all uplinks
   * (module ports): uplink groups (a port-channel, or a port alone) in the candidates' order,
   * group `pin` mod groups, a member by hash.
   */
  function vnicUplink(
    fi: DirectorNode,
    candidates: readonly EgressPort[],
    pin: number,
    hash: number,
  ): EgressPort | null {
    if (pin < 0 || candidates.length < 2) return null;
    const modulePorts = new Set(fi.modules.flatMap((m) => m.ports));
    const portOf = (p: EgressPort): string => p.id.slice(p.id.indexOf(":") + 1);
    if (!candidates.every((p) => modulePorts.has(portOf(p)))) return null;
    const groups: EgressPort[][] = [];
    const byChannel = new Map<number, EgressPort[]>();
    for (const p of candidates) {
      const c = fi.portChannels.findIndex((members) => members.includes(portOf(p)));
      if (c < 0) groups.push([p]);
      else {
        let g = byChannel.get(c);
        if (g === undefined) {
          g = [];
          byChannel.set(c, g);
          groups.push(g);
        }
        g.push(p);
      }
    }
    const group = groups[pin % groups.length]!;
    return group.length === 1 ? group[0]! : hashSelect(group, hash);
  }
  /** Each vNIC's turn among the vNICs of its fabric (its `fabric`, else its port), in topology order. */
  const vnicTurn = new Map<string, number>();
  {
    const next = new Map<string, number>();
    for (const n of topo.nodes) {
      if (n.kind !== "server") continue;
      for (const a of n.adapters)
        for (const v of a.vifs) {
          if (v.type !== "vnic") continue;
          const fabricKey = v.fabric ?? v.port;
          const turn = next.get(fabricKey) ?? 0;
          vnicTurn.set(`${n.name}|${v.name}`, turn);
          next.set(fabricKey, turn + 1);
        }
    }
  }
  const router = new Router(fabric.ports, rules, routing);
  /** Routes per flow; NO_PATH marks a flow that has none while ports are down. */
  const cache = new Map<string, FlowRoutes | typeof NO_PATH>();

  /**
   * The ways a flow may enter the fabric, preferred first (failover, see src/run/faults.ts):
   * a team's hash-chosen member, then its other members (rotated by the hash, so the
   * flows of a failed member spread over the survivors); a vif, then its partners (same
   * adapter and type, another port: an HA vNIC pair, UCS fabric failover, a vHBA's
   * multipath twin); a VF only its own port. A start whose bus or port is down is skipped.
   */
  function startOptions(inst: WorkloadInstance, hash: number): Array<{ portName: string; queueKey: string | null }> {
    const server = byName.get(inst.host) as ServerNode;
    const via = inst.via;
    if (via.kind === "ports") {
      const n = via.ports.length;
      const first = hash % n;
      return via.ports.map((_, i) => ({ portName: via.ports[(first + i) % n]!, queueKey: null }));
    }
    if (via.kind === "vifs") {
      const n = via.vifs.length;
      const first = hash % n;
      return via.vifs.map((_, i) => {
        const v = via.vifs[(first + i) % n]!;
        return { portName: v.port, queueKey: v.vif as string | null };
      });
    }
    if (via.kind === "vf") return [{ portName: via.port, queueKey: `vf${via.vf}` }];
    const out = [{ portName: via.port, queueKey: via.vif as string | null }];
    const adapter = server.adapters.find((a) => a.name === via.adapter);
    const self = adapter?.vifs.find((v) => v.name === via.vif);
    if (adapter !== undefined && self !== undefined) {
      for (const v of adapter.vifs)
        if (v.type === self.type && v.port !== self.port) out.push({ portName: v.port, queueKey: v.name });
    }
    return out;
  }

  /** startPorts per (host, port, queue key): the same for every flow that leaves that way. */
  const starts = new Map<string, { ports: EgressPort[]; queue: number; busQueue: number }>();

  function startPorts(
    inst: WorkloadInstance,
    option: { portName: string; queueKey: string | null },
  ): { ports: EgressPort[]; queue: number; busQueue: number } {
    const key = `${inst.host}\u0000${option.portName}\u0000${option.queueKey}\u0000${inst.via.kind}`;
    let hit = starts.get(key);
    if (hit === undefined) {
      hit = startPortsOf(inst, option);
      starts.set(key, hit);
    }
    return hit;
  }

  function startPortsOf(
    inst: WorkloadInstance,
    option: { portName: string; queueKey: string | null },
  ): { ports: EgressPort[]; queue: number; busQueue: number } {
    const server = byName.get(inst.host) as ServerNode;
    const via = inst.via;
    const { portName, queueKey } = option;
    const adapter = server.adapters.find((a) => a.ports.includes(portName));
    if (adapter === undefined) throw new Error(`${inst.host}: no adapter has port ${portName}`);
    const bus = fabric.port(`${hostName(inst.host)}:${adapter.name}`);
    const out = fabric.port(`${inst.host}:${portName}`);
    let queue = 0;
    if (queueKey !== null) {
      queue = queueIndex.get(`${out.id}|${queueKey}`) ?? (via.kind === "vf" ? via.vf - 1 : 0);
      if (queue >= out.scheduler.queueCount) queue = 0;
    }
    const busQueue = bus.scheduler.queueCount > 1 ? (busOffset.get(out.id) ?? 0) + queue : 0;
    return { ports: [bus, out], queue, busQueue };
  }

  /** Per server, each vif's pinned port (null: no pin), the first vif of a name as before. */
  const pins = new Map<string, Map<string, EgressPort | null>>();

  /** A message flow's frame payload: the MTU of the vif it starts on, else its adapter's, else 1500 B. */
  function messageMtu(inst: WorkloadInstance, portName: string, vifName: string | null): number {
    const server = byName.get(inst.host) as ServerNode;
    const adapter = server.adapters.find((a) => a.ports.includes(portName));
    const vif = vifName === null ? undefined : adapter?.vifs.find((v) => v.name === vifName);
    return vif?.mtu ?? adapter?.mtu ?? MESSAGE_MTU;
  }

  /** The pin of vif `vif` of the instance's server (the instance's own vif by default), or null. */
  function pinOf(inst: WorkloadInstance, vifName?: string | null): EgressPort | null {
    if (inst.via.kind !== "vif" && inst.via.kind !== "vifs") return null;
    const name = vifName ?? (inst.via.kind === "vif" ? inst.via.vif : null);
    if (name === null) return null;
    let byVif = pins.get(inst.host);
    if (byVif === undefined) {
      byVif = new Map();
      const server = byName.get(inst.host) as ServerNode;
      for (const a of server.adapters)
        for (const v of a.vifs)
          if (!byVif.has(v.name)) byVif.set(v.name, v.pin ? fabric.port(`${v.pin.node}:${v.pin.port}`) : null);
      pins.set(inst.host, byVif);
    }
    return byVif.get(name) ?? null;
  }

  function pathFrom(
    inst: WorkloadInstance,
    first: EgressPort,
    dst: Node,
    hash: number,
    pin: EgressPort | null,
    turn: number,
    reads: RouteReads | null,
  ): EgressPort[] | null {
    // A pin names the uplink for traffic leaving the fabric; east-west traffic is switched inside.
    if (pin !== null && inst.to.kind !== "servers") {
      reads?.ports.push(pin);
      if (pin.routingDown) return null;
      const toPin = pin.node === first.peerNode ? [first] : router.path(first, pin.node, inst.host, hash, -1, reads);
      const fromPin = toPin === null ? null : router.path(pin, dst, inst.host, hash, -1, reads);
      return toPin === null || fromPin === null ? null : [...toPin, ...fromPin];
    }
    return router.path(first, dst, inst.host, hash, turn, reads);
  }

  function tryRoutes(
    inst: WorkloadInstance,
    key: string,
    target: number,
    unit: "message" | "io",
    reads?: RouteReads,
  ): FlowRoutes | null {
    const cacheKey = `${key}\u0000${target}`;
    if (reads === undefined) {
      const hit = cache.get(cacheKey);
      if (hit !== undefined) return hit === NO_PATH ? null : hit;
    }
    const tracked = reads ?? null;
    const hash = flowHash(cacheKey);
    const dstName = inst.to.nodes[target];
    if (dstName === undefined) throw new Error(`${key}: no target ${target}`);
    const dst = inst.to.kind === "servers" ? fabric.node(hostName(dstName)) : fabric.node(dstName);
    let start: ReturnType<typeof startPorts> | null = null;
    let startOption: { portName: string; queueKey: string | null } | null = null;
    let rest: EgressPort[] | null = null;
    // Failover: the first start whose bus is up and that reaches the target; a pin that is
    // down (or leads nowhere) is given up for any other path (multipathing), as a last resort.
    for (const usePin of [true, false]) {
      for (const option of startOptions(inst, hash)) {
        const s = startPorts(inst, option);
        tracked?.ports.push(s.ports[0]!);
        if (s.ports[0]!.routingDown) continue;
        const turn = option.queueKey === null ? -1 : (vnicTurn.get(`${inst.host}|${option.queueKey}`) ?? -1);
        rest = pathFrom(inst, s.ports[1]!, dst, hash, usePin ? pinOf(inst, option.queueKey) : null, turn, tracked);
        if (rest !== null) {
          start = s;
          startOption = option;
          break;
        }
      }
      if (start !== null || (inst.via.kind !== "vif" && inst.via.kind !== "vifs")) break;
    }
    if (start === null || rest === null) {
      cache.set(cacheKey, NO_PATH);
      return null;
    }
    // Plain loops: this runs once per flow, tens of thousands of times in a site.
    const n = rest.length + 1;
    const ports = new Array<EgressPort>(n);
    const queues = new Array<number>(n);
    const reversePorts = new Array<EgressPort>(n);
    const reverseQueues = new Array<number>(n);
    const { portName, queueKey } = startOption!;
    let mtu = unit === "io" ? IO_MTU : messageMtu(inst, portName, inst.via.kind === "vif" ? queueKey : null);
    for (let i = 0; i < n; i++) {
      const p = i === 0 ? start.ports[0]! : rest[i - 1]!;
      ports[i] = p;
      queues[i] = i === 0 ? start.busQueue : i === 1 ? start.queue : (hostQueues.get(p.id)?.get(inst.host) ?? 0);
      const back = p.reverse!;
      reversePorts[n - 1 - i] = back;
      reverseQueues[n - 1 - i] = hostQueues.get(back.id)?.get(inst.host) ?? 0;
      if (p.protocol.family !== "pcie") mtu = Math.min(mtu, p.protocol.maxPayloadBytes);
    }
    if (classPlans.size > 0) {
      const marks = flowMarks(topo, workloadByName.get(inst.workload)!, inst, (name) => byName.get(name));
      for (let i = 0; i < n; i++) {
        queues[i] = queueAt(ports[i]!, queues[i]!, marks);
        reverseQueues[i] = queueAt(reversePorts[i]!, reverseQueues[i]!, marks);
      }
    }
    const r: FlowRoutes = {
      forward: fabric.route(ports, queues),
      reverse: fabric.route(reversePorts, reverseQueues),
      mtu,
      hash,
    };
    cache.set(cacheKey, r);
    return r;
  }

  function routes(inst: WorkloadInstance, key: string, target: number, unit: "message" | "io"): FlowRoutes {
    const r = tryRoutes(inst, key, target, unit);
    if (r === null) throw new Error(`no path from ${inst.host} (via ${describeVia(inst)}) to ${inst.to.nodes[target]}`);
    return r;
  }

  function invalidateRoutes(): void {
    cache.clear();
    router.invalidate();
  }

  return { sim, fabric, arrays, routes, tryRoutes, invalidateRoutes };
}

/** An adapter's latency in ticks (the file's, or the default for its type). */
function adapterLatency(a: ServerNode["adapters"][number]): number {
  return a.latencyTicks ?? (a.type === "pcie-extender" ? 100 * NS : ADAPTER_LATENCY);
}

function describeVia(inst: WorkloadInstance): string {
  const v = inst.via;
  if (v.kind === "vifs") return v.vifs.map((x) => x.vif).join(", ");
  return v.kind === "ports" ? v.ports.join(", ") : v.kind === "vif" ? v.vif : `vf ${v.vf} on ${v.port}`;
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

/** Payload bytes of a full-size transfer of `unit` on a `net` link. */
function fullTransfer(net: LinkProtocol, unit: "message" | "io"): number {
  return Math.min(unit === "io" ? IO_MTU : MESSAGE_MTU, net.maxPayloadBytes);
}

/**
 * A shaper for `rateBps` of `net` line rate, counted instead in the wire bytes of the
 * upstream link `up`: both hold a stream of full-size (`payload`) transfers to the same rate.
 */
function upstreamShaper(rateBps: number, payload: number, net: LinkProtocol, up: LinkProtocol): ShaperOptions {
  const ratio = up.segment(payload).wireBytes / net.segment(payload).wireBytes;
  return { rateBps: rateBps * ratio, burstBytes: SHAPER_BURST * ratio };
}
