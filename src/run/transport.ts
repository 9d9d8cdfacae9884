import type { RandomStreams } from "../../sim/random.js";
import { type Route, Transfer } from "../fabric/transfer.js";
import type { FlowRoutes, Network } from "../network/build.js";
import type { StorageArray } from "../network/storage-array.js";
import type { WorkloadInstance } from "../topology/types.js";
import { DELIVERED, DROPPED, IN_FLIGHT, Message, SUPERSEDED } from "../workload/message.js";
import type { Source, Transport } from "../workload/source.js";
import { TcpFlow } from "./tcp-flow.js";
import { ACK_BYTES, DEFAULT_TCP, type TcpCounters, type TcpHost, type TcpParams, TSQ_MAX_BYTES } from "./tcp-params.js";

/** FCP command and response frames: small fixed payloads (FCP_CMND is 32 B + header; rounded up). */
export const COMMAND_BYTES = 64;
export const STATUS_BYTES = 64;
/** Attempts of one I/O before multipathing gives up (the first issue included). */
export const MAX_ATTEMPTS = 3;

/** How a workload's messages travel: open loop (UDP-like), TCP (Reno) or DCTCP. Storage I/O: null. */
export type TransportKind = "udp" | "tcp" | "dctcp";

export interface InstanceInfo {
  readonly spec: WorkloadInstance;
  readonly key: string;
  readonly unit: "message" | "io";
  /** Messages go over a TCP connection per target (`tcp`, `dctcp`) or open loop (`udp`, the default). */
  readonly transport?: TransportKind;
}

/** An instance's key, `workload:host` or `workload:host/vm`: unique in a topology, it names its streams and flows. */
export function instanceKey(spec: WorkloadInstance): string {
  return spec.vm === null ? `${spec.workload}:${spec.host}` : `${spec.workload}:${spec.host}/${spec.vm}`;
}

/**
 * A replication's instance: its key is built when asked for (once per route lookup), not
 * kept (a site's keys were about 100 B an instance).
 */
export class Instance implements InstanceInfo {
  constructor(
    readonly spec: WorkloadInstance,
    readonly unit: "message" | "io",
    readonly transport: TransportKind,
  ) {}

  get key(): string {
    return instanceKey(this.spec);
  }
}

/**
 * Moves workload messages over the fabric as transfers.
 * - A network message is one leg, source to target, split into transfers of the
 *   flow's MTU; it is delivered when its last transfer arrives.
 * - A storage I/O is two legs around the array's service: a read sends its
 *   command out and the data plus status back; a write sends command and data out
 *   and the status back. It completes when the status arrives.
 * - The first lost transfer drops the message (reason: where it was lost);
 *   transfers of a dropped message still on the wire are ignored on arrival.
 * Open loop (`udp`): all transfers of a leg are handed to the first port at once (the
 * host's bus queue), as a driver posts a whole send to its adapter; a lost transfer
 * loses its message. TCP and DCTCP (`tcp-flow.ts`): one connection per instance and
 * target carries its messages as a byte stream through a congestion window; congestion
 * losses are sent again, so the application sees delay and lower goodput instead of loss,
 * and a message completes when its bytes have arrived in order.
 * - Faults (src/run/faults.ts): a flow with no path drops its messages at once with
 *   `noPathReason()`. A message dropped while it is being sent (its first hop is down)
 *   does not tell its source until the routes change (`invalidateRoutes`), so an
 *   always-backlogged source waits instead of spinning on a dead path. A network message
 *   lost to a failure stays lost, also over TCP (its connection gives its bytes up).
 * - Storage I/O lost to a failure (a failed element, or no path) is retried by the
 *   host's multipath layer, as dm-multipath / MPIO do: the I/O waits, queued, until the
 *   routes change (failover or restore) and is re-issued from its command on the new
 *   path, up to MAX_ATTEMPTS attempts in all; its latency counts from the first issue.
 *   Other losses (buffer overflow) are not retried here.
 * Probe `workload.done` (msg, "delivered" | "dropped", reason) fires only when listened to.
 */
export class FabricTransport implements Transport {
  sources: Source[] = [];
  /**
   * Flow numbers: instance `source`'s flows are `flowBase[source] + target`. Per-flow tables
   * are flat arrays indexed by them (an array per instance cost about 150 B a flow).
   */
  private readonly flowBase: Int32Array;
  /**
   * Routes per flow, looked up once per change of the routes: the only copy of a flow's
   * routes (the network computes them on each call and keeps none), or the route a failure
   * holds it on (`hold`). Undefined: not looked up since the last `invalidateRoutes`.
   */
  private readonly routeCache: (FlowRoutes | null | undefined)[];
  /**
   * Reason for messages of a flow without a path, set by the fault manager. Without one
   * (no faults), a flow without a path is a topology error and throws, as it always did.
   */
  noPathReason: ((source: number, target: number) => string) | null = null;
  /**
   * A failure holds a flow on its broken path until the failover mechanism that protects it
   * moves it (src/run/faults.ts): the route it keeps, or undefined when the flow is not held.
   */
  hold: ((source: number, target: number) => FlowRoutes | undefined) | null = null;
  /** Told of every lost message's reason (the fault manager charges losses to faults). */
  onLose: ((reason: string) => void) | null = null;
  /** Told of every I/O re-queued for a retry, with the loss reason (the fault manager counts them). */
  onRetry: ((reason: string) => void) | null = null;
  /** Messages whose source is told of their loss once the routes change. */
  private parked: Message[] = [];
  /** I/Os waiting for the routes to change to be re-issued (multipath queueing). */
  private retrying: Message[] = [];
  /** TCP connections per flow; empty when no instance uses TCP. */
  private readonly tcpFlows: (TcpFlow | undefined)[];
  private readonly tcpHost: TcpHost;
  private sending = false;

  constructor(
    private readonly net: Network,
    private readonly instances: readonly InstanceInfo[],
    private readonly tcpParams: TcpParams = DEFAULT_TCP,
    /** Random streams for TCP's ACK jitter (one per connection); null: no jitter. */
    private readonly streams: RandomStreams | null = null,
  ) {
    const base = new Int32Array(instances.length + 1);
    let anyTcp = false;
    instances.forEach((info, i) => {
      base[i + 1] = base[i]! + info.spec.to.nodes.length;
      if (info.unit === "message" && (info.transport === "tcp" || info.transport === "dctcp")) anyTcp = true;
    });
    this.flowBase = base;
    const flows = base[instances.length]!;
    this.routeCache = new Array(flows);
    this.tcpFlows = anyTcp ? new Array(flows) : [];
    const sim = net.sim;
    this.tcpHost = {
      fabric: net.fabric,
      hAck: sim.handler((f: TcpFlow) => this.whileSending(() => f.ackArrived()), "tcp.ack"),
      hRto: sim.handler((f: TcpFlow) => this.whileSending(() => f.timeout()), "tcp.rto"),
      complete: (msg) => this.complete(msg),
    };
    net.fabric.onLeave = (t) => {
      const msg = t.owner as Message;
      this.whileSending(() => this.tcpFlows[this.flowOf(msg.source, msg.target)]!.leftHost(t));
    };
    net.fabric.onDeliver = (t) => this.delivered(t);
    net.fabric.onDrop = (t, reason) => this.dropped(t, reason);
  }

  /** The flow number of instance `source`'s target `target`. */
  private flowOf(source: number, target: number): number {
    return this.flowBase[source]! + target;
  }

  /** The transport of instance `source`'s messages. */
  kindOf(source: number): TransportKind | null {
    const info = this.instances[source]!;
    return info.unit === "io" ? null : (info.transport ?? "udp");
  }

  /** Whole-run segment counters over instance `source`'s connections (null for open-loop and I/O workloads). */
  tcpCounters(source: number): TcpCounters | null {
    const kind = this.kindOf(source);
    if (kind !== "tcp" && kind !== "dctcp") return null;
    const sum: TcpCounters = {
      segmentsSent: 0,
      retransmitted: 0,
      arrived: 0,
      duplicates: 0,
      dropped: 0,
      fastRetransmits: 0,
      timeouts: 0,
      ecnEchoes: 0,
      goodputBytes: 0,
    };
    for (const f of this.flowsOf(source)) {
      for (const k of Object.keys(sum) as (keyof TcpCounters)[]) sum[k] += f.counters[k];
    }
    return sum;
  }

  /** The current routes of flow (instance `source`, target `target`), or null without a path. */
  routeOf(source: number, target: number): FlowRoutes | null {
    const flow = this.flowOf(source, target);
    let r = this.routeCache[flow];
    if (r === undefined) {
      r = this.hold?.(source, target) ?? this.freshRoute(source, target);
      this.routeCache[flow] = r;
    }
    return r;
  }

  /** The flow's route from the network as the ports now are (no hold, computed afresh, not kept). */
  freshRoute(source: number, target: number): FlowRoutes | null {
    const info = this.instances[source]!;
    return this.noPathReason === null
      ? this.net.routes(info.spec, info.key, target, info.unit)
      : this.net.tryRoutes(info.spec, info.key, target, info.unit);
  }

  /** Forgets every route (here and in the network), tells sources of parked losses, re-issues queued I/Os. */
  invalidateRoutes(): void {
    this.net.invalidateRoutes();
    this.routeCache.fill(undefined);
    const parked = this.parked;
    this.parked = [];
    for (const msg of parked) this.sources[msg.source]!.done(msg);
    // TCP connections send (and send again) on the new route.
    for (let source = 0; source < this.instances.length && this.tcpFlows.length > 0; source++) {
      for (let target = 0; target < this.flowBase[source + 1]! - this.flowBase[source]!; target++) {
        const flow = this.tcpFlows[this.flowOf(source, target)];
        const r = flow === undefined ? null : this.routeOf(source, target);
        if (flow !== undefined && r !== null) flow.reroute(r.forward);
      }
    }
    const retrying = this.retrying;
    this.retrying = [];
    for (const msg of retrying) {
      // Still no path, or still held on the broken one: keep it queued until the next change (queue_if_no_path).
      if (this.hold?.(msg.source, msg.target) !== undefined || this.routeOf(msg.source, msg.target) === null)
        this.retrying.push(msg);
      else this.send(msg);
    }
  }

  /** I/Os queued for a retry and messages held by TCP connections (walked for the in-flight count). */
  forEachRetrying(fn: (msg: Message) => void): void {
    for (const m of this.retrying) fn(m);
    for (const flow of this.tcpFlows) {
      flow?.forEachWaiting(fn);
      flow?.forEachUnfinished(fn);
    }
  }

  /** TCP connections of instance `source` (walked for conservation checks). */
  flowsOf(source: number): readonly TcpFlow[] {
    return this.tcpFlows
      .slice(this.flowBase[source]!, this.flowBase[source + 1]!)
      .filter((f): f is TcpFlow => f !== undefined);
  }

  /** The TCP connection of `msg`'s flow (created on first use), or null for open-loop and I/O workloads. */
  private tcpFlowOf(msg: Message, r: FlowRoutes | null): TcpFlow | null {
    const kind = this.kindOf(msg.source);
    if (kind !== "tcp" && kind !== "dctcp") return null;
    const at = this.flowOf(msg.source, msg.target);
    let flow = this.tcpFlows[at];
    if (flow === undefined) {
      if (r === null) return null;
      const params =
        kind === this.tcpParams.congestion
          ? this.tcpParams
          : { ...this.tcpParams, congestion: kind === "dctcp" ? ("dctcp" as const) : ("reno" as const) };
      const info = this.instances[msg.source]!;
      const rng = this.streams === null ? null : this.streams.stream(`tcp:${info.key}>${msg.target}`);
      flow = new TcpFlow(this.tcpHost, r.forward, r.mtu, ackDelay(r.reverse), params, rng, hostLimit(r));
      this.tcpFlows[at] = flow;
    }
    return flow;
  }

  send(msg: Message): void {
    const info = this.instances[msg.source]!;
    const r = this.routeOf(msg.source, msg.target);
    const was = this.sending;
    this.sending = true;
    const flow = info.unit === "message" ? this.tcpFlowOf(msg, r) : null;
    if (r === null) this.fail(msg, this.noPathReason!(msg.source, msg.target));
    else if (flow !== null) flow.send(msg, msg.bytes);
    else if (info.unit === "message") this.leg(msg, r.forward, msg.bytes, r.mtu);
    else this.leg(msg, r.forward, msg.isRead ? COMMAND_BYTES : COMMAND_BYTES + msg.bytes, r.mtu);
    this.sending = was;
  }

  /** The array finished serving `msg`: send the data (reads) and status back. */
  served(_array: StorageArray, msg: Message): void {
    const r = this.routeOf(msg.source, msg.target);
    msg.phase = 2;
    const was = this.sending;
    this.sending = true;
    if (r === null) this.fail(msg, this.noPathReason!(msg.source, msg.target));
    else this.leg(msg, r.reverse, msg.isRead ? msg.bytes + STATUS_BYTES : STATUS_BYTES, r.mtu);
    this.sending = was;
  }

  private leg(msg: Message, route: Transfer["route"], bytes: number, mtu: number): void {
    const n = Math.ceil(bytes / mtu);
    msg.pending = n;
    const fabric = this.net.fabric;
    for (let i = 0; i < n; i++) {
      const payload = i < n - 1 ? mtu : bytes - (n - 1) * mtu;
      fabric.inject(new Transfer(msg, payload, route));
    }
  }

  /**
   * Runs `fn` as part of sending: a message lost inside it (a window opening onto a
   * failed first hop) is parked until the routes change, so a backlogged source does
   * not loop on a dead path within one instant.
   */
  private whileSending(fn: () => void): void {
    const was = this.sending;
    this.sending = true;
    fn();
    this.sending = was;
  }

  private delivered(t: Transfer): void {
    const msg = t.owner as Message;
    if (t.seq >= 0) {
      // A TCP segment: the connection delivers in order and completes messages (`complete`).
      this.tcpFlows[this.flowOf(msg.source, msg.target)]!.arrived(t);
      return;
    }
    if (msg.state !== IN_FLIGHT || --msg.pending > 0) return;
    const info = this.instances[msg.source]!;
    if (info.unit === "io" && msg.phase === 0) {
      msg.phase = 1;
      const array = this.net.arrays.get(info.spec.to.nodes[msg.target]!);
      if (array === undefined) throw new Error(`${info.key}: I/O target is not a storage array`);
      array.accept(msg);
      return;
    }
    this.complete(msg);
  }

  /** `msg` has arrived whole (its last transfer, or a TCP connection's in-order delivery). */
  private complete(msg: Message): void {
    msg.state = DELIVERED;
    msg.stats.completed(msg, this.net.sim.now);
    const probes = this.net.sim.probes;
    if (probes.listenerCount("workload.done") > 0) probes.emit("workload.done", msg, "delivered", null);
    this.sources[msg.source]!.done(msg);
  }

  private dropped(t: Transfer, reason: string): void {
    const msg = t.owner as Message;
    if (t.seq >= 0) {
      // A TCP segment: congestion losses are found by the sender and sent again; a loss to a
      // failure loses its message (the connection gives its bytes up).
      const flow = this.tcpFlows[this.flowOf(msg.source, msg.target)]!;
      flow.dropped(t);
      if (msg.state === IN_FLIGHT && isFailure(reason)) {
        this.fail(msg, reason);
        this.whileSending(() => flow.abandon(msg));
      }
      return;
    }
    if (msg.state !== IN_FLIGHT) return;
    this.fail(msg, reason);
  }

  /** A part of `msg` was lost: retry an I/O lost to a failure, else lose it. */
  private fail(msg: Message, reason: string): void {
    const byFailure = isFailure(reason);
    if (this.instances[msg.source]!.unit !== "io" || !byFailure || msg.attempt >= MAX_ATTEMPTS) {
      this.lose(msg, reason);
      return;
    }
    // The old attempt's transfers still travelling belong to a superseded object and are ignored.
    msg.state = SUPERSEDED;
    const retry = new Message(msg.id, msg.stats, msg.source, msg.bytes, msg.createdAt, msg.isRead, msg.target);
    retry.attempt = msg.attempt + 1;
    if (this.onRetry !== null) this.onRetry(reason);
    this.retrying.push(retry);
  }

  private lose(msg: Message, reason: string): void {
    if (this.onLose !== null) this.onLose(reason);
    msg.state = DROPPED;
    msg.stats.lost(reason);
    const probes = this.net.sim.probes;
    if (probes.listenerCount("workload.done") > 0) probes.emit("workload.done", msg, "dropped", reason);
    if (this.sending) this.parked.push(msg);
    else this.sources[msg.source]!.done(msg);
  }
}

/** Lost to a failed element or a missing path (not to congestion). */
function isFailure(reason: string): boolean {
  return reason.startsWith("failed: ") || reason.startsWith("no path");
}

/** Unloaded one-way delay of a pure ACK along `reverse`: propagation, forwarding latency and one ACK frame per hop. */
function ackDelay(reverse: Route): number {
  let ticks = 0;
  for (const p of reverse.ports) {
    ticks += p.propagationTicks + p.peerNode.latencyTicks + p.protocol.serializationTicks(p.wireBytesOf(ACK_BYTES));
  }
  return Math.max(1, ticks);
}

/** TCP small queues: about 1 ms (2^-10 s) of the host adapter's line rate, at least two segments, at most TSQ_MAX_BYTES. */
function hostLimit(r: FlowRoutes): number {
  const ports = r.forward.ports;
  const nic = ports[Math.min(1, ports.length - 1)]!;
  return Math.min(TSQ_MAX_BYTES, Math.max(2 * r.mtu, nic.capacityBps / 8 / 1024));
}
