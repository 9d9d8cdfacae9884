/**
 * The routes of a built network's flows (see build.ts's header: failover, pinning, MTUs):
 * where a workload instance may enter the fabric (team members, vifs and their partners,
 * a VF), the path from there to each target (routing.ts), the scheduler queue at each hop
 * (vif, VF or host queue, traffic class), and the flow's transfer size. Cached per flow.
 */
import type {
  ResolvedNode,
  ResolvedTopology,
  ResolvedWorkload,
  ServerNode,
  WorkloadInstance,
} from "../topology/types.js";
import type { FlowRoutes, RoutedNetwork } from "./build.js";
import { type FlowMarks, flowMarks } from "./classes.js";
import { hostName, type PortPlan } from "./port-plan.js";
import type { PortGraph, PortView } from "./port-view.js";
import { IO_MTU, MESSAGE_MTU } from "./protocols.js";
import { routeRules, vnicTurns } from "./route-rules.js";
import { flowHash, type RoutedNode, type RouteReads, Router, type RouterOptions } from "./routing.js";

const NO_PATH = null;

/** The route functions of a network on `fabric`, built from `topo` as `plan` says. */
export function flowRouter<P extends PortView<P>>(
  topo: ResolvedTopology,
  fabric: PortGraph<P>,
  plan: PortPlan,
  routing: RouterOptions,
): Omit<RoutedNetwork<P>, "fabric"> {
  const byName = new Map<string, ResolvedNode>(topo.nodes.map((n) => [n.name, n]));
  const workloadByName = new Map<string, ResolvedWorkload>(topo.workloads.map((w) => [w.name, w]));
  const { queueIndex, hostQueues, busOffset, classPlans } = plan;
  const vnicTurn = vnicTurns(topo);
  const router = new Router<P>(fabric.ports, routeRules<P>(topo, byName), routing);

  /** The queue of `p` for a flow marked `marks` whose own sub-queue there is `sub`. */
  const queueAt = (p: P, sub: number, marks: FlowMarks): number => {
    const plan = classPlans.get(p.id);
    if (plan === undefined) return sub;
    const cls = plan.classOf[plan.bySl ? marks.sl : marks.cos] ?? 0;
    return p.scheduler.queueOf!(cls, sub);
  };
  /** Each server's host node, by server name. */
  const hostNodes = new Map<string, RoutedNode<P>>();
  const hostNode = (server: string): RoutedNode<P> => {
    let n = hostNodes.get(server);
    if (n === undefined) {
      n = fabric.node(hostName(server));
      hostNodes.set(server, n);
    }
    return n;
  };
  /** Routes per flow; NO_PATH marks a flow that has none while ports are down. */
  const cache = new Map<string, FlowRoutes<P> | typeof NO_PATH>();

  /**
   * The ways a flow may enter the fabric, preferred first (failover, see src/run/faults.ts):
   * a team's hash-chosen member, then its other members (rotated by the hash, so the
   * flows of a failed member spread over the survivors); a vif, then its partners (same
   * adapter and type, another port: an HA vNIC pair, UCS fabric failover, a vHBA's
   * multipath twin); a VF only its own port. A start whose bus or port is down is skipped.
   * Kept per instance, unrotated (`rotate`: start at the flow's hash mod their number).
   */
  function startOptions(inst: WorkloadInstance): InstanceStarts<P> {
    const hit = byInstance.get(inst);
    if (hit !== undefined) return hit;
    const server = byName.get(inst.host) as ServerNode;
    const via = inst.via;
    let list: Array<{ portName: string; queueKey: string | null }>;
    if (via.kind === "ports") list = via.ports.map((portName) => ({ portName, queueKey: null }));
    else if (via.kind === "vifs") list = via.vifs.map((v) => ({ portName: v.port, queueKey: v.vif as string | null }));
    else if (via.kind === "vf") list = [{ portName: via.port, queueKey: `vf${via.vf}` }];
    else {
      list = [{ portName: via.port, queueKey: via.vif as string | null }];
      const adapter = server.adapters.find((a) => a.name === via.adapter);
      const self = adapter?.vifs.find((v) => v.name === via.vif);
      if (adapter !== undefined && self !== undefined) {
        for (const v of adapter.vifs)
          if (v.type === self.type && v.port !== self.port) list.push({ portName: v.port, queueKey: v.name });
      }
    }
    const starts: InstanceStarts<P> = {
      rotate: via.kind === "ports" || via.kind === "vifs",
      options: list.map(({ portName, queueKey }) => ({
        portName,
        queueKey,
        start: null,
        turn: queueKey === null ? -1 : (vnicTurn.get(`${inst.host}|${queueKey}`) ?? -1),
        pin: pinOf(inst, queueKey),
        messageMtu: messageMtu(inst, portName, via.kind === "vif" ? queueKey : null),
      })),
      marks: null,
    };
    byInstance.set(inst, starts);
    return starts;
  }
  const byInstance = new Map<WorkloadInstance, InstanceStarts<P>>();

  /** startPorts per (host, port, queue key): the same for every flow that leaves that way. */
  const starts = new Map<string, { ports: P[]; queue: number; busQueue: number }>();

  function startPorts(
    inst: WorkloadInstance,
    option: { portName: string; queueKey: string | null },
  ): { ports: P[]; queue: number; busQueue: number } {
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
  ): { ports: P[]; queue: number; busQueue: number } {
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
  const pins = new Map<string, Map<string, P | null>>();

  /** A message flow's frame payload: the MTU of the vif it starts on, else its adapter's, else 1500 B. */
  function messageMtu(inst: WorkloadInstance, portName: string, vifName: string | null): number {
    const server = byName.get(inst.host) as ServerNode;
    const adapter = server.adapters.find((a) => a.ports.includes(portName));
    const vif = vifName === null ? undefined : adapter?.vifs.find((v) => v.name === vifName);
    return vif?.mtu ?? adapter?.mtu ?? MESSAGE_MTU;
  }

  /** The pin of vif `vif` of the instance's server (the instance's own vif by default), or null. */
  function pinOf(inst: WorkloadInstance, vifName?: string | null): P | null {
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
    first: P,
    dst: RoutedNode<P>,
    hash: number,
    pin: P | null,
    turn: number,
    reads: RouteReads<P> | null,
  ): P[] | null {
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
    reads?: RouteReads<P>,
    keep = true,
  ): FlowRoutes<P> | null {
    const cacheKey = `${key}\u0000${target}`;
    if (reads === undefined && keep) {
      const hit = cache.get(cacheKey);
      if (hit !== undefined) return hit === NO_PATH ? null : hit;
    }
    const tracked = reads ?? null;
    const hash = flowHash(cacheKey);
    const dstName = inst.to.nodes[target];
    if (dstName === undefined) throw new Error(`${key}: no target ${target}`);
    const dst = inst.to.kind === "servers" ? hostNode(dstName) : fabric.node(dstName);
    let start: ReturnType<typeof startPorts> | null = null;
    let startOption: StartOption<P> | null = null;
    let rest: P[] | null = null;
    const starts = startOptions(inst);
    const count = starts.options.length;
    const first = starts.rotate ? hash % count : 0;
    // Failover: the first start whose bus is up and that reaches the target; a pin that is
    // down (or leads nowhere) is given up for any other path (multipathing), as a last resort.
    for (const usePin of [true, false]) {
      for (let k = 0; k < count; k++) {
        const option = starts.options[(first + k) % count]!;
        option.start ??= startPorts(inst, option);
        const s = option.start;
        tracked?.ports.push(s.ports[0]!);
        if (s.ports[0]!.routingDown) continue;
        rest = pathFrom(inst, s.ports[1]!, dst, hash, usePin ? option.pin : null, option.turn, tracked);
        if (rest !== null) {
          start = s;
          startOption = option;
          break;
        }
      }
      if (start !== null || (inst.via.kind !== "vif" && inst.via.kind !== "vifs")) break;
    }
    if (start === null || rest === null) {
      if (keep) cache.set(cacheKey, NO_PATH);
      return null;
    }
    // Plain loops: this runs once per flow, tens of thousands of times in a site.
    const n = rest.length + 1;
    const ports = new Array<P>(n);
    const queues = new Array<number>(n);
    const reversePorts = new Array<P>(n);
    const reverseQueues = new Array<number>(n);
    let mtu = unit === "io" ? IO_MTU : startOption!.messageMtu;
    // Host queues exist only at ports into and out of shared adapters.
    const hostQueue = (p: P): number => (hostQueues.size === 0 ? 0 : (hostQueues.get(p.id)?.get(inst.host) ?? 0));
    for (let i = 0; i < n; i++) {
      const p = i === 0 ? start.ports[0]! : rest[i - 1]!;
      ports[i] = p;
      queues[i] = i === 0 ? start.busQueue : i === 1 ? start.queue : hostQueue(p);
      const back = p.reverse!;
      reversePorts[n - 1 - i] = back;
      reverseQueues[n - 1 - i] = hostQueue(back);
      if (p.protocol.family !== "pcie") mtu = Math.min(mtu, p.protocol.maxPayloadBytes);
    }
    if (classPlans.size > 0) {
      starts.marks ??= flowMarks(topo, workloadByName.get(inst.workload)!, inst, (name) => byName.get(name));
      const marks = starts.marks;
      for (let i = 0; i < n; i++) {
        queues[i] = queueAt(ports[i]!, queues[i]!, marks);
        reverseQueues[i] = queueAt(reversePorts[i]!, reverseQueues[i]!, marks);
      }
    }
    const r: FlowRoutes<P> = {
      forward: fabric.route(ports, queues),
      reverse: fabric.route(reversePorts, reverseQueues),
      mtu,
      hash,
    };
    if (keep) cache.set(cacheKey, r);
    return r;
  }

  function routes(inst: WorkloadInstance, key: string, target: number, unit: "message" | "io"): FlowRoutes<P> {
    const r = tryRoutes(inst, key, target, unit);
    if (r === null) throw new Error(`no path from ${inst.host} (via ${describeVia(inst)}) to ${inst.to.nodes[target]}`);
    return r;
  }

  function invalidateRoutes(): void {
    cache.clear();
    router.invalidate();
  }

  return { routes, tryRoutes, invalidateRoutes };
}

/** A way into the fabric of an instance, with what its flows need of it. */
interface StartOption<P> {
  readonly portName: string;
  readonly queueKey: string | null;
  /** Its bus and adapter ports and queues, once asked for. */
  start: { ports: P[]; queue: number; busQueue: number } | null;
  /** Its vNIC's turn at a fabric interconnect (−1: none). */
  readonly turn: number;
  /** The port its vif is pinned to, or null. */
  readonly pin: P | null;
  /** A message flow's transfer payload leaving this way. */
  readonly messageMtu: number;
}

/** An instance's ways into the fabric (unrotated) and its flows' markings, once asked for. */
interface InstanceStarts<P> {
  readonly options: readonly StartOption<P>[];
  /** A team or vif set: each flow starts at its hash mod the options. */
  readonly rotate: boolean;
  marks: FlowMarks | null;
}

function describeVia(inst: WorkloadInstance): string {
  const v = inst.via;
  if (v.kind === "vifs") return v.vifs.map((x) => x.vif).join(", ");
  return v.kind === "ports" ? v.ports.join(", ") : v.kind === "vif" ? v.vif : `vf ${v.vf} on ${v.port}`;
}
