/**
 * The routes of a built network's flows (see build.ts's header: failover, pinning, MTUs):
 * where a workload instance may enter the fabric (team members, vifs and their partners,
 * a VF), the path from there to each target (routing.ts), the scheduler queue at each hop
 * (vif, VF or host queue, traffic class), and the flow's transfer size.
 *
 * Not cached per flow: each caller keeps the routes it asked for (the packet transport in a
 * flat per-flow table, the flow model packed), so a site's flows hold one copy of their
 * routes, not a second one here under a string key (about 300 B a flow). What many flows
 * share is cached: an instance's ways into the fabric per (host, way in), the ports and
 * queues of each way, and the router's distance tables.
 */
import type {
  ResolvedNode,
  ResolvedTopology,
  ResolvedWorkload,
  ServerNode,
  WorkloadInstance,
} from "../topology/types.js";
import type { FlowRoutes, RoutedNetwork } from "./build.js";
import { type FlowMarks, flowMarks, type PortClassPlan } from "./classes.js";
import { hostName, type PortPlan } from "./port-plan.js";
import type { PortGraph, PortRoute, PortView } from "./port-view.js";
import { IO_MTU, MESSAGE_MTU } from "./protocols.js";
import { routeRules, vnicTurns } from "./route-rules.js";
import { flowHash, flowHashMore, type RoutedNode, type RouteReads, Router, type RouterOptions } from "./routing.js";

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

  // The class plan and host queues of each port, by its number when the build numbers its
  // ports (made on first use: two string-keyed Map lookups per hop were 0.05 s of a site).
  let byIndex: { plans: (PortClassPlan | undefined)[]; hosts: (ReadonlyMap<string, number> | undefined)[] } | null =
    null;
  const numbered = (p: P): boolean => {
    if (p.index === undefined) return false;
    byIndex ??= fabric.ports.every((q, i) => q.index === i)
      ? {
          plans: fabric.ports.map((q) => classPlans.get(q.id)),
          hosts: fabric.ports.map((q) => hostQueues.get(q.id)),
        }
      : { plans: [], hosts: [] };
    return fabric.ports[p.index] === p;
  };
  const planAt = (p: P): PortClassPlan | undefined => (numbered(p) ? byIndex!.plans[p.index!] : classPlans.get(p.id));

  /** The queue of `p` for a flow marked `marks` whose own sub-queue there is `sub`. */
  const queueAt = (p: P, sub: number, marks: FlowMarks): number => {
    const plan = planAt(p);
    if (plan === undefined) return sub;
    const cls = plan.classOf[plan.bySl ? marks.sl : marks.cos] ?? 0;
    return p.scheduler.queueOf!(cls, sub);
  };
  /** Port `port` of node `node`, by the two names where the graph can (no "node:port" string per lookup). */
  const portAt = (node: string, port: string): P =>
    fabric.portAt === undefined ? fabric.port(`${node}:${port}`) : fabric.portAt(node, port);
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
  /**
   * The ways a flow may enter the fabric, preferred first (failover, see src/run/faults.ts):
   * a team's hash-chosen member, then its other members (rotated by the hash, so the
   * flows of a failed member spread over the survivors); a vif, then its partners (same
   * adapter and type, another port: an HA vNIC pair, UCS fabric failover, a vHBA's
   * multipath twin); a VF only its own port. A start whose bus or port is down is skipped.
   * Unrotated (`rotate`: start at the flow's hash mod their number). They depend only on the
   * instance's host and way in (`wayIn`), so the instances that leave a host the same way
   * (workloads, VMs) share one list: an object per option per instance was about 300 B an
   * instance.
   */
  function startOptions(inst: WorkloadInstance): InstanceStarts<P> {
    // Looked up per flow: by host, then the way in compared field by field (no key string
    // built per flow: about 500 B of garbage a flow).
    let known = byHost.get(inst.host);
    if (known === undefined) {
      known = [];
      byHost.set(inst.host, known);
    }
    for (let k = 0; k < known.length; k++) if (sameWayIn(known[k]!.via, inst.via)) return known[k]!.starts;
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
        bus: null,
        out: null,
        queue: 0,
        busQueue: 0,
        turn: queueKey === null ? -1 : (vnicTurn.get(inst.host)?.get(queueKey) ?? -1),
        pin: pinOf(inst, queueKey),
        messageMtu: messageMtu(inst, portName, via.kind === "vif" ? queueKey : null),
      })),
    };
    known.push({ via, starts });
    return starts;
  }
  /** Each host's ways in seen so far (a host has a few) and their start options. */
  const byHost = new Map<string, Array<{ via: WorkloadInstance["via"]; starts: InstanceStarts<P> }>>();

  /** Sets the option's bus and adapter ports and their queues (once per option: see `StartOption`). */
  function setStartPorts(inst: WorkloadInstance, option: StartOption<P>): void {
    const server = byName.get(inst.host) as ServerNode;
    const via = inst.via;
    const { portName, queueKey } = option;
    const adapter = server.adapters.find((a) => a.ports.includes(portName));
    if (adapter === undefined) throw new Error(`${inst.host}: no adapter has port ${portName}`);
    const bus = portAt(hostName(inst.host), adapter.name);
    const out = portAt(inst.host, portName);
    let queue = 0;
    if (queueKey !== null) {
      queue = queueIndex.get(out.id)?.get(queueKey) ?? (via.kind === "vf" ? via.vf - 1 : 0);
      if (queue >= out.scheduler.queueCount) queue = 0;
    }
    option.queue = queue;
    option.busQueue = bus.scheduler.queueCount > 1 ? (busOffset.get(out.id) ?? 0) + queue : 0;
    option.out = out;
    option.bus = bus;
  }

  /** A message flow's frame payload: the MTU of the vif it starts on, else its adapter's, else 1500 B. */
  function messageMtu(inst: WorkloadInstance, portName: string, vifName: string | null): number {
    const server = byName.get(inst.host) as ServerNode;
    const adapter = server.adapters.find((a) => a.ports.includes(portName));
    const vif = vifName === null ? undefined : adapter?.vifs.find((v) => v.name === vifName);
    return vif?.mtu ?? adapter?.mtu ?? MESSAGE_MTU;
  }

  /**
   * The pin of vif `vif` of the instance's server (the instance's own vif by default), or
   * null; the server's first vif of that name. Asked once per way in (no table per server).
   */
  function pinOf(inst: WorkloadInstance, vifName?: string | null): P | null {
    if (inst.via.kind !== "vif" && inst.via.kind !== "vifs") return null;
    const name = vifName ?? (inst.via.kind === "vif" ? inst.via.vif : null);
    if (name === null) return null;
    const server = byName.get(inst.host) as ServerNode;
    for (const a of server.adapters)
      for (const v of a.vifs) if (v.name === name) return v.pin ? portAt(v.pin.node, v.pin.port) : null;
    return null;
  }

  /** The ports after the start port of a path, written into `buf` (a scratch, copied out by the caller). */
  const buf: P[] = [];

  /** The path from `first` (its ports into `buf` from place 0): their number, or −1 for none. */
  function pathFrom(
    inst: WorkloadInstance,
    first: P,
    dst: RoutedNode<P>,
    hash: number,
    pin: P | null,
    turn: number,
    reads: RouteReads<P> | null,
  ): number {
    // A pin names the uplink for traffic leaving the fabric; east-west traffic is switched inside.
    if (pin !== null && inst.to.kind !== "servers") {
      reads?.ports.push(pin);
      if (pin.routingDown) return -1;
      let toPin = 1;
      if (pin.node === first.peerNode) buf[0] = first;
      else toPin = router.pathInto(first, pin.node, inst.host, hash, -1, reads, buf, 0);
      if (toPin < 0) return -1;
      const fromPin = router.pathInto(pin, dst, inst.host, hash, -1, reads, buf, toPin);
      return fromPin < 0 ? -1 : toPin + fromPin;
    }
    return router.pathInto(first, dst, inst.host, hash, turn, reads, buf, 0);
  }

  function tryRoutes(
    inst: WorkloadInstance,
    key: string,
    target: number,
    unit: "message" | "io",
    reads?: RouteReads<P>,
  ): FlowRoutes<P> | null {
    const tracked = reads ?? null;
    // flowHash(`${key}\u0000${target}`), without building that string per flow.
    const hash = flowHashMore(flowHashMore(flowHash(key), "\u0000"), target);
    const dstName = inst.to.nodes[target];
    if (dstName === undefined) throw new Error(`${key}: no target ${target}`);
    const dst = inst.to.kind === "servers" ? hostNode(dstName) : fabric.node(dstName);
    let start: StartOption<P> | null = null;
    let rest = -1;
    const starts = startOptions(inst);
    const count = starts.options.length;
    const first = starts.rotate ? hash % count : 0;
    // Failover: the first start whose bus is up and that reaches the target; a pin that is
    // down (or leads nowhere) is given up for any other path (multipathing), as a last resort.
    for (let pass = 0; pass < 2; pass++) {
      const usePin = pass === 0;
      for (let k = 0; k < count; k++) {
        const option = starts.options[(first + k) % count]!;
        if (option.bus === null) setStartPorts(inst, option);
        const bus = option.bus!;
        tracked?.ports.push(bus);
        if (bus.routingDown) continue;
        rest = pathFrom(inst, option.out!, dst, hash, usePin ? option.pin : null, option.turn, tracked);
        if (rest >= 0) {
          start = option;
          break;
        }
      }
      if (start !== null || (inst.via.kind !== "vif" && inst.via.kind !== "vifs")) break;
    }
    if (start === null || rest < 0) return null;
    // Plain loops: this runs once per flow, tens of thousands of times in a site. The port
    // array becomes the route's own (`route` keeps it): sized exactly (an array grown by
    // `push` keeps room for 17).
    const n = rest + 1;
    const ports = new Array<P>(n);
    const queues = new Array<number>(n);
    let mtu = unit === "io" ? IO_MTU : start.messageMtu;
    for (let i = 0; i < n; i++) {
      const p = i === 0 ? start.bus! : buf[i - 1]!;
      ports[i] = p;
      queues[i] = i === 0 ? start.busQueue : i === 1 ? start.queue : hostQueue(p, inst.host);
      if (p.protocol.family !== "pcie") mtu = Math.min(mtu, p.protocol.maxPayloadBytes);
    }
    const marks = classPlans.size > 0 ? marksOf(inst) : null;
    if (marks !== null) for (let i = 0; i < n; i++) queues[i] = queueAt(ports[i]!, queues[i]!, marks);
    return new Routes(fabric.route(ports, queues), mtu, hash, inst, marks);
  }

  /**
   * The queue of a flow from `host` at a port with host queues (into or out of a shared
   * adapter, out of a director's Ethernet module; 0 elsewhere). A host the port does not list
   * takes its spare last queue, if it has one (see `PortPlan.hostQueues`).
   */
  function hostQueue(p: P, host: string): number {
    if (hostQueues.size === 0) return 0;
    const queues = numbered(p) ? byIndex!.hosts[p.index!] : hostQueues.get(p.id);
    if (queues === undefined) return 0;
    return queues.get(host) ?? (p.scheduler.queueCount > queues.size ? queues.size : 0);
  }

  function marksOf(inst: WorkloadInstance): FlowMarks {
    return flowMarks(topo, workloadByName.get(inst.workload)!, inst, (name) => byName.get(name));
  }

  /** The way back of a flow of `inst` that goes out along `forward`: each port's reverse, in reverse order. */
  function reverseOf(forward: PortRoute<P>, inst: WorkloadInstance, marks: FlowMarks | null): PortRoute<P> {
    const there = forward.ports;
    const n = there.length;
    const ports = new Array<P>(n);
    const queues = new Array<number>(n);
    for (let i = 0; i < n; i++) {
      const back = there[n - 1 - i]!.reverse!;
      ports[i] = back;
      const q = hostQueue(back, inst.host);
      queues[i] = marks === null ? q : queueAt(back, q, marks);
    }
    return fabric.route(ports, queues);
  }

  /**
   * A flow's routes. Its way back is built when first asked for: at packet level only
   * storage I/O (data and status) and TCP (its ACKs' delay) use it, so the open-loop
   * message flows (half a site's) do without a second route (about 120 B a flow).
   */
  class Routes implements FlowRoutes<P> {
    private back: PortRoute<P> | null = null;
    /** The hash as a signed 32-bit integer: a small integer in V8, where a uint32 past 2³¹ is a 16-byte heap number. */
    private readonly signedHash: number;
    constructor(
      readonly forward: PortRoute<P>,
      readonly mtu: number,
      hash: number,
      private readonly inst: WorkloadInstance,
      /** The flow's markings (null: no port has classes), kept for the way back. */
      private readonly marks: FlowMarks | null,
    ) {
      this.signedHash = hash | 0;
    }

    get hash(): number {
      return this.signedHash >>> 0;
    }

    get reverse(): PortRoute<P> {
      this.back ??= reverseOf(this.forward, this.inst, this.marks);
      return this.back;
    }
  }

  function routes(inst: WorkloadInstance, key: string, target: number, unit: "message" | "io"): FlowRoutes<P> {
    const r = tryRoutes(inst, key, target, unit);
    if (r === null) throw new Error(`no path from ${inst.host} (via ${describeVia(inst)}) to ${inst.to.nodes[target]}`);
    return r;
  }

  function invalidateRoutes(): void {
    router.invalidate();
  }

  return { routes, tryRoutes, invalidateRoutes };
}

/** A way into the fabric of an instance, with what its flows need of it. */
interface StartOption<P> {
  readonly portName: string;
  readonly queueKey: string | null;
  /**
   * Its bus (the host's PCIe link to the adapter) and adapter port, and their queues; set
   * when first asked for (null until then). Kept in the option itself: an object and an
   * array per option were about 100 B.
   */
  bus: P | null;
  out: P | null;
  queue: number;
  busQueue: number;
  /** Its vNIC's turn at a fabric interconnect (−1: none). */
  readonly turn: number;
  /** The port its vif is pinned to, or null. */
  readonly pin: P | null;
  /** A message flow's transfer payload leaving this way. */
  readonly messageMtu: number;
}

/** The ways into the fabric (unrotated) of the instances that leave a host one way. */
interface InstanceStarts<P> {
  readonly options: readonly StartOption<P>[];
  /** A team or vif set: each flow starts at its hash mod the options. */
  readonly rotate: boolean;
}

/**
 * What an instance's ways into the fabric depend on: its host and its way in (the `via` of
 * its workload on that host). Instances with the same key have the same start options
 * (`startOptions` compares the ways in with `sameWayIn`, which agrees with this key).
 */
export function wayIn(inst: WorkloadInstance): string {
  const v = inst.via;
  if (v.kind === "ports") return `${inst.host}\u0000ports\u0000${v.ports.join("\u0000")}`;
  if (v.kind === "vifs")
    return `${inst.host}\u0000vifs\u0000${v.vifs.map((x) => `${x.adapter}\u0001${x.port}\u0001${x.vif}`).join("\u0000")}`;
  if (v.kind === "vf") return `${inst.host}\u0000vf\u0000${v.adapter}\u0001${v.port}\u0001${v.vf}`;
  return `${inst.host}\u0000vif\u0000${v.adapter}\u0001${v.port}\u0001${v.vif}`;
}

/** The two ways in are the same (as `wayIn` keys, for one host): field by field, no string built. */
export function sameWayIn(a: WorkloadInstance["via"], b: WorkloadInstance["via"]): boolean {
  if (a === b) return true;
  if (a.kind === "ports") {
    if (b.kind !== "ports" || a.ports.length !== b.ports.length) return false;
    for (let i = 0; i < a.ports.length; i++) if (a.ports[i] !== b.ports[i]) return false;
    return true;
  }
  if (a.kind === "vifs") {
    if (b.kind !== "vifs" || a.vifs.length !== b.vifs.length) return false;
    for (let i = 0; i < a.vifs.length; i++) {
      const x = a.vifs[i]!;
      const y = b.vifs[i]!;
      if (x.adapter !== y.adapter || x.port !== y.port || x.vif !== y.vif) return false;
    }
    return true;
  }
  if (a.kind === "vf") return b.kind === "vf" && a.adapter === b.adapter && a.port === b.port && a.vf === b.vf;
  return b.kind === "vif" && a.adapter === b.adapter && a.port === b.port && a.vif === b.vif;
}

function describeVia(inst: WorkloadInstance): string {
  const v = inst.via;
  if (v.kind === "vifs") return v.vifs.map((x) => x.vif).join(", ");
  return v.kind === "ports" ? v.ports.join(", ") : v.kind === "vif" ? v.vif : `vf ${v.vf} on ${v.port}`;
}
