/**
 * Turns a resolved topology into model objects on one Simulation: the fabric's
 * nodes and ports, storage arrays, and the routes of every workload instance.
 *
 * How the file's devices become fabric nodes (assumptions):
 * - A server is two nodes: `<server>/host` (CPU and memory: where messages start
 *   and end) and `<server>` (its adapters, so adapter ports keep their names,
 *   `host3:nic0/1`). Each adapter is joined to the host by its own PCIe bus link
 *   (`<server>/host:<adapter>` ↔ `<server>:<adapter>/bus`), credit-based.
 * - Adapters add 500 ns (NIC/HBA/CNA/VIC/HCA processing, a rough figure) and a PCIe
 *   extender 100 ns; switches, directors, fabric interconnects, fabric extenders
 *   and PCIe switches use the latency and forwarding mode from the file.
 * - Scheduler queues: an adapter port with SR-IOV VFs has one queue per VF (round
 *   robin); a port carrying virtual interfaces has one queue per vif, weighted by
 *   committed rate and shaped to its peak rate (for a director's vNICs this is
 *   applied at the host's HCA rather than in the director: same effect on the
 *   flow); a shared adapter's network ports have one queue per host it serves
 *   (its virtual hierarchies), weighted and rate-limited as the file says.
 * - Buffers: a switch's lossy queues share its buffer, each port capped at a
 *   quarter of it; ports at servers, arrays and the LAN never drop (hosts and
 *   arrays hold their own work). Lossless links' receive buffers (credits): FC
 *   16 frames (34,368 B), InfiniBand 64 KiB, PCIe 16 KiB, PFC 128 KiB, unless
 *   the link gives `buffer`.
 * - Ethernet links accept frames up to 9000 B; a flow's transfers are sized by its
 *   unit: 1500 B for network messages, 2048 B for storage I/O (FC frames; FCoE
 *   carries them whole — its extra 18 B of encapsulation is not counted), and never
 *   more than the smallest max payload on the route (PCIe links excepted: a frame
 *   crosses PCIe as several TLPs).
 */
import type { RandomStreams } from "../../sim/random.js";
import type { Simulation } from "../../sim/simulation.js";
import { TICKS_PER_SECOND } from "../../sim/units.js";
import type { EgressPort } from "../fabric/egress-port.js";
import { Fabric, type PortOptions } from "../fabric/fabric.js";
import type { FlowControl } from "../fabric/flow-control.js";
import { Node } from "../fabric/node.js";
import type { SchedulerOptions } from "../fabric/scheduler.js";
import { SwitchNode } from "../fabric/switch-node.js";
import type { Route } from "../fabric/transfer.js";
import { linkProtocol } from "../link/catalog.js";
import type { LinkProtocol } from "../link/protocol.js";
import type {
  ResolvedNode,
  ResolvedTopology,
  ServerNode,
  SharedAdapterNode,
  WorkloadInstance,
} from "../topology/types.js";
import type { Message } from "../workload/message.js";
import { toDistribution } from "./distribution.js";
import { flowHash, Router } from "./routing.js";
import { mediaPreset, StorageArray } from "./storage-array.js";

const NS = TICKS_PER_SECOND / 1e9;
const ADAPTER_LATENCY = 500 * NS;
const EXTENDER_LATENCY = 100 * NS;
const MESSAGE_MTU = 1500;
const IO_MTU = 2048;
const DEFAULT_CREDITS: Record<string, number> = { "fibre-channel": 16 * 2148, infiniband: 65536, pcie: 16384 };
const PFC_BUFFER = 131072;

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
  /** Routes of an instance to its target number `target` (cached). */
  routes(instance: WorkloadInstance, instanceKey: string, target: number, unit: "message" | "io"): FlowRoutes;
}

function protocolFor(id: string): LinkProtocol {
  return id.startsWith("eth-") ? linkProtocol(id, { mtu: 9000 }) : linkProtocol(id);
}

function hostName(server: string): string {
  return `${server}/host`;
}

export function buildNetwork(
  topo: ResolvedTopology,
  sim: Simulation,
  streams: RandomStreams,
  onServed: (array: StorageArray, msg: Message) => void,
): Network {
  const fabric = new Fabric(sim);
  const byName = new Map<string, ResolvedNode>(topo.nodes.map((n) => [n.name, n]));
  const arrays = new Map<string, StorageArray>();
  /** Scheduler options per port id ("node:port") that are not the default single FIFO. */
  const schedulers = new Map<string, SchedulerOptions>();
  /** Queue index at a port for (vif or vf or host) keys: `${portId}|${key}`. */
  const queueIndex = new Map<string, number>();
  const lossyCap = new Map<string, number>();

  for (const n of topo.nodes) {
    switch (n.kind) {
      case "server": {
        fabric.addNode(new Node(hostName(n.name), { kind: "host" }));
        const extenderOnly = n.adapters.every((a) => a.type === "pcie-extender");
        fabric.addNode(
          new Node(n.name, { kind: "adapter", latencyTicks: extenderOnly ? EXTENDER_LATENCY : ADAPTER_LATENCY }),
        );
        for (const a of n.adapters) {
          for (const port of a.ports) {
            const id = `${n.name}:${port}`;
            const vifs = a.vifs.filter((v) => v.port === port);
            if (vifs.length > 0) {
              const rate = linkProtocol(a.link).dataRateBps;
              schedulers.set(id, {
                queues: vifs.length,
                weights: vifs.map((v) => (v.committedBps ?? rate / vifs.length) / 1e6),
                shapers: vifs.map((v) => (v.peakBps === null ? null : { rateBps: v.peakBps, burstBytes: 65536 })),
              });
              vifs.forEach((v, i) => {
                queueIndex.set(`${id}|${v.name}`, i);
              });
            } else if (a.vfs > 1) {
              schedulers.set(id, { queues: a.vfs });
            }
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
        break;
      case "pcie-switch":
      case "io-director":
      case "fabric-interconnect": {
        const buffer = n.bufferBytes ?? Number.POSITIVE_INFINITY;
        fabric.addNode(
          new SwitchNode(n.name, {
            kind: n.kind,
            latencyTicks: n.latencyTicks,
            forwarding: "cut-through",
            sharedBufferBytes: buffer,
          }),
        );
        for (const p of n.ports) lossyCap.set(`${n.name}:${p.name}`, buffer / 4);
        break;
      }
      case "fabric-extender":
        fabric.addNode(
          new SwitchNode(n.name, { kind: n.kind, latencyTicks: n.latencyTicks, forwarding: "cut-through" }),
        );
        break;
      case "shared-adapter": {
        fabric.addNode(new Node(n.name, { kind: n.kind, latencyTicks: ADAPTER_LATENCY }));
        for (const p of n.ports) {
          if (p.name === "bus") continue;
          const id = `${n.name}:${p.name}`;
          schedulers.set(id, sharedAdapterScheduler(n));
          n.hosts.forEach((h, i) => {
            queueIndex.set(`${id}|host:${h}`, i);
          });
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

  // PCIe bus links between each server's host and its adapters.
  for (const n of topo.nodes) {
    if (n.kind !== "server") continue;
    for (const a of n.adapters) {
      const protocol = linkProtocol(a.bus);
      fabric.connect(`${hostName(n.name)}:${a.name}`, `${n.name}:${a.name}/bus`, {
        protocol,
        flowControl: "credit",
        peerBufferBytes: DEFAULT_CREDITS.pcie!,
      });
    }
  }

  for (const l of topo.links) {
    const protocol = protocolFor(l.protocol);
    const flowControl: FlowControl = !l.lossless ? "none" : l.family === "ethernet" ? "pfc" : "credit";
    const peerBuffer = l.lossless
      ? (l.bufferBytes ?? (l.family === "ethernet" ? PFC_BUFFER : DEFAULT_CREDITS[l.family]!))
      : undefined;
    const a = `${l.a.node}:${l.a.port}`;
    const b = `${l.b.node}:${l.b.port}`;
    const dir = (id: string): PortOptions => {
      const o: { -readonly [K in keyof PortOptions]: PortOptions[K] } = {};
      const s = schedulers.get(id);
      if (s !== undefined) o.scheduler = s;
      const cap = lossyCap.get(id);
      if (cap !== undefined && Number.isFinite(cap)) o.bufferBytes = cap;
      if (peerBuffer !== undefined) o.peerBufferBytes = peerBuffer;
      return o;
    };
    fabric.connect(a, b, {
      protocol,
      propagationTicks: l.propagationTicks,
      flowControl,
      aToB: dir(a),
      bToA: dir(b),
    });
  }

  const rules = {
    transit(node: Node, sourceHost: string, dst: Node): boolean {
      const r = byName.get(node.name);
      if (r === undefined) return false; // a server's host node
      // A server's adapters carry only traffic ending at that server.
      if (r.kind === "server") return dst.name === hostName(r.name);
      if (r.kind === "storage-array" || r.kind === "lan") return false;
      if (r.kind === "shared-adapter") return r.hosts.includes(sourceHost);
      return true;
    },
    pinnedUplink(node: Node, ingress: EgressPort | null, candidates: readonly EgressPort[]): EgressPort | null {
      const r = byName.get(node.name);
      if (r?.kind !== "fabric-extender" || r.pinning !== "static" || ingress === null) return null;
      // Static pinning: host port i uses uplink (i − 1) mod uplinks.
      const port = ingress.to.slice(ingress.to.indexOf(":") + 1);
      const rp = r.ports.find((p) => p.name === port);
      if (rp === undefined || rp.group === "fabric" || candidates.length === 0) return null;
      return candidates[(rp.index - 1) % candidates.length]!;
    },
  };
  const router = new Router(fabric.ports, rules);
  const cache = new Map<string, FlowRoutes>();

  function startPorts(inst: WorkloadInstance, hash: number): { ports: EgressPort[]; queue: number } {
    const server = byName.get(inst.host) as ServerNode;
    const via = inst.via;
    let portName: string;
    let queueKey: string | null = null;
    if (via.kind === "ports") portName = via.ports[hash % via.ports.length]!;
    else if (via.kind === "vif") {
      portName = via.port;
      queueKey = via.vif;
    } else {
      portName = via.port;
      queueKey = `vf${via.vf}`;
    }
    const adapter = server.adapters.find((a) => a.ports.includes(portName));
    if (adapter === undefined) throw new Error(`${inst.host}: no adapter has port ${portName}`);
    const bus = fabric.port(`${hostName(inst.host)}:${adapter.name}`);
    const out = fabric.port(`${inst.host}:${portName}`);
    let queue = 0;
    if (queueKey !== null) {
      queue = queueIndex.get(`${out.id}|${queueKey}`) ?? (via.kind === "vf" ? via.vf : 0);
      if (queue >= out.scheduler.queueCount) queue = 0;
    }
    return { ports: [bus, out], queue };
  }

  function pinOf(inst: WorkloadInstance): EgressPort | null {
    if (inst.via.kind !== "vif") return null;
    const via = inst.via;
    const server = byName.get(inst.host) as ServerNode;
    const vif = server.adapters.flatMap((a) => a.vifs).find((v) => v.name === via.vif);
    return vif?.pin ? fabric.port(`${vif.pin.node}:${vif.pin.port}`) : null;
  }

  function routes(inst: WorkloadInstance, key: string, target: number, unit: "message" | "io"): FlowRoutes {
    const cacheKey = `${key}\u0000${target}`;
    const hit = cache.get(cacheKey);
    if (hit !== undefined) return hit;
    const hash = flowHash(cacheKey);
    const dstName = inst.to.nodes[target];
    if (dstName === undefined) throw new Error(`${key}: no target ${target}`);
    const dst = inst.to.kind === "servers" ? fabric.node(hostName(dstName)) : fabric.node(dstName);
    const start = startPorts(inst, hash);
    const pin = pinOf(inst);
    let rest: EgressPort[] | null;
    const first = start.ports[1]!;
    if (pin !== null) {
      const toPin = pin.node === first.peerNode ? [first] : router.path(first, pin.node, inst.host, hash);
      const fromPin = toPin === null ? null : router.path(pin, dst, inst.host, hash);
      rest = toPin === null || fromPin === null ? null : [...toPin, ...fromPin];
    } else rest = router.path(first, dst, inst.host, hash);
    if (rest === null) {
      throw new Error(`no path from ${inst.host} (via ${describeVia(inst)}) to ${dstName}`);
    }
    const ports = [start.ports[0]!, ...rest];
    const queues = ports.map((p, i) => {
      if (i === 1) return start.queue;
      const q = queueIndex.get(`${p.id}|host:${inst.host}`);
      return q ?? 0;
    });
    const reversePorts = [...ports].reverse().map((p) => p.reverse!);
    const reverseQueues = reversePorts.map((p) => queueIndex.get(`${p.id}|host:${inst.host}`) ?? 0);
    let mtu = unit === "io" ? IO_MTU : MESSAGE_MTU;
    for (const p of ports) if (p.protocol.family !== "pcie") mtu = Math.min(mtu, p.protocol.maxPayloadBytes);
    const r: FlowRoutes = {
      forward: fabric.route(ports, queues),
      reverse: fabric.route(reversePorts, reverseQueues),
      mtu,
      hash,
    };
    cache.set(cacheKey, r);
    return r;
  }

  return { sim, fabric, arrays, routes };
}

function describeVia(inst: WorkloadInstance): string {
  const v = inst.via;
  return v.kind === "ports" ? v.ports.join(", ") : v.kind === "vif" ? v.vif : `vf ${v.vf} on ${v.port}`;
}

function sharedAdapterScheduler(n: SharedAdapterNode): SchedulerOptions {
  return {
    queues: n.hosts.length,
    weights: n.hosts.map((h) => (n.arbitration === "weighted" ? (n.weights[h] ?? 1) : 1)),
    shapers: n.hosts.map((h) => {
      const limit = n.limitBps[h];
      return limit === undefined ? null : { rateBps: limit, burstBytes: 65536 };
    }),
  };
}
