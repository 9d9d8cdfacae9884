import { Transfer } from "../fabric/transfer.js";
import type { FlowRoutes, Network } from "../network/build.js";
import type { StorageArray } from "../network/storage-array.js";
import type { WorkloadInstance } from "../topology/types.js";
import { DELIVERED, DROPPED, IN_FLIGHT, Message, SUPERSEDED } from "../workload/message.js";
import type { Source, Transport } from "../workload/source.js";
import { TcpFlow } from "./tcp-flow.js";

/** FCP command and response frames: small fixed payloads (FCP_CMND is 32 B + header; rounded up). */
export const COMMAND_BYTES = 64;
export const STATUS_BYTES = 64;
/** Attempts of one I/O before multipathing gives up (the first issue included). */
export const MAX_ATTEMPTS = 3;

export interface InstanceInfo {
  readonly spec: WorkloadInstance;
  readonly key: string;
  readonly unit: "message" | "io";
  /** Sent through a TCP-like window (always-backlogged bulk flows). */
  readonly tcp?: boolean;
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
 * All transfers of a leg are handed to the first port at once (the host's bus
 * queue), as a driver posts a whole send to its adapter — except those of bulk
 * flows, which go through a TCP-like window (`tcp-flow.ts`): congestion losses are
 * sent again and the window backs off, so a backup shares a lossy bottleneck.
 * - Faults (src/run/faults.ts): a flow with no path drops its messages at once with
 *   `noPathReason()`. A message dropped while it is being sent (its first hop is down)
 *   does not tell its source until the routes change (`invalidateRoutes`), so an
 *   always-backlogged source waits instead of spinning on a dead path. A lost network
 *   message stays lost (TCP retransmission is not modelled).
 * - Storage I/O lost to a failure (a failed element, or no path) is retried by the
 *   host's multipath layer, as dm-multipath / MPIO do: the I/O waits, queued, until the
 *   routes change (failover or restore) and is re-issued from its command on the new
 *   path, up to MAX_ATTEMPTS attempts in all; its latency counts from the first issue.
 *   Other losses (buffer overflow) are not retried here.
 * Probe `workload.done` (msg, "delivered" | "dropped", reason) fires only when listened to.
 */
export class FabricTransport implements Transport {
  sources: Source[] = [];
  /** Routes per instance and target, looked up once (the network's cache is keyed by strings). */
  private readonly routeCache: (FlowRoutes | null | undefined)[][];
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
  /** Window-limited senders of bulk flows, per instance and target. */
  private readonly tcpFlows: (TcpFlow | undefined)[][];
  private readonly rtoHandler: number;
  private sending = false;

  constructor(
    private readonly net: Network,
    private readonly instances: readonly InstanceInfo[],
  ) {
    this.routeCache = instances.map(() => []);
    this.tcpFlows = instances.map(() => []);
    this.rtoHandler = net.sim.handler((f: TcpFlow) => this.whileSending(() => f.timeout()), "tcp.rto");
    net.fabric.onDeliver = (t) => this.delivered(t);
    net.fabric.onDrop = (t, reason) => this.dropped(t, reason);
  }

  /** The current routes of flow (instance `source`, target `target`), or null without a path. */
  routeOf(source: number, target: number): FlowRoutes | null {
    const row = this.routeCache[source]!;
    let r = row[target];
    if (r === undefined) {
      r = this.hold?.(source, target) ?? this.freshRoute(source, target);
      row[target] = r;
    }
    return r;
  }

  /** The flow's route from the network as the ports now are (no hold, no cache of this transport's). */
  freshRoute(source: number, target: number): FlowRoutes | null {
    const info = this.instances[source]!;
    return this.noPathReason === null
      ? this.net.routes(info.spec, info.key, target, info.unit)
      : this.net.tryRoutes(info.spec, info.key, target, info.unit);
  }

  /** Forgets every route (here and in the network), tells sources of parked losses, re-issues queued I/Os. */
  invalidateRoutes(): void {
    this.net.invalidateRoutes();
    for (const row of this.routeCache) row.length = 0;
    const parked = this.parked;
    this.parked = [];
    for (const msg of parked) this.sources[msg.source]!.done(msg);
    // Transfers still waiting in a bulk flow's window take the new route.
    this.tcpFlows.forEach((row, source) => {
      row.forEach((flow, target) => {
        const r = flow === undefined ? null : this.routeOf(source, target);
        if (flow !== undefined && r !== null)
          flow.forEachWaiting((t) => {
            t.route = r.forward;
          });
      });
    });
    const retrying = this.retrying;
    this.retrying = [];
    for (const msg of retrying) {
      // Still no path, or still held on the broken one: keep it queued until the next change (queue_if_no_path).
      if (this.hold?.(msg.source, msg.target) !== undefined || this.routeOf(msg.source, msg.target) === null)
        this.retrying.push(msg);
      else this.send(msg);
    }
  }

  /** I/Os queued for a retry and messages with transfers waiting in a bulk flow's window (walked for the in-flight count). */
  forEachRetrying(fn: (msg: Message) => void): void {
    for (const m of this.retrying) fn(m);
    for (const row of this.tcpFlows) for (const flow of row) flow?.forEachWaiting((t) => fn(t.owner as Message));
  }

  /** The window-limited sender of a bulk message's flow, or null for other workloads. */
  private tcpFlowOf(msg: Message): TcpFlow | null {
    if (this.instances[msg.source]!.tcp !== true) return null;
    const row = this.tcpFlows[msg.source]!;
    let flow = row[msg.target];
    if (flow === undefined) {
      flow = new TcpFlow(this.net.fabric, this.rtoHandler);
      row[msg.target] = flow;
    }
    return flow;
  }

  send(msg: Message): void {
    const info = this.instances[msg.source]!;
    const r = this.routeOf(msg.source, msg.target);
    const was = this.sending;
    this.sending = true;
    if (r === null) this.fail(msg, this.noPathReason!(msg.source, msg.target));
    else if (info.unit === "message") this.leg(msg, r.forward, msg.bytes, r.mtu, r.hash);
    else this.leg(msg, r.forward, msg.isRead ? COMMAND_BYTES : COMMAND_BYTES + msg.bytes, r.mtu, r.hash);
    this.sending = was;
  }

  /** The array finished serving `msg`: send the data (reads) and status back. */
  served(_array: StorageArray, msg: Message): void {
    const r = this.routeOf(msg.source, msg.target);
    msg.phase = 2;
    const was = this.sending;
    this.sending = true;
    if (r === null) this.fail(msg, this.noPathReason!(msg.source, msg.target));
    else this.leg(msg, r.reverse, msg.isRead ? msg.bytes + STATUS_BYTES : STATUS_BYTES, r.mtu, r.hash);
    this.sending = was;
  }

  private leg(msg: Message, route: Transfer["route"], bytes: number, mtu: number, hash: number): void {
    const n = Math.ceil(bytes / mtu);
    msg.pending = n;
    const fabric = this.net.fabric;
    const flow = this.tcpFlowOf(msg);
    for (let i = 0; i < n; i++) {
      const payload = i < n - 1 ? mtu : bytes - (n - 1) * mtu;
      const t = new Transfer(msg, payload, route, hash);
      if (flow === null) fabric.inject(t);
      else flow.send(t);
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
    const flow = this.tcpFlowOf(msg);
    if (flow !== null) this.whileSending(() => flow.acked());
    if (msg.state !== IN_FLIGHT || --msg.pending > 0) return;
    const info = this.instances[msg.source]!;
    if (info.unit === "io" && msg.phase === 0) {
      msg.phase = 1;
      const array = this.net.arrays.get(info.spec.to.nodes[msg.target]!);
      if (array === undefined) throw new Error(`${info.key}: I/O target is not a storage array`);
      array.accept(msg);
      return;
    }
    msg.state = DELIVERED;
    msg.stats.completed(msg, this.net.sim.now);
    const probes = this.net.sim.probes;
    if (probes.listenerCount("workload.done") > 0) probes.emit("workload.done", msg, "delivered", null);
    this.sources[msg.source]!.done(msg);
  }

  private dropped(t: Transfer, reason: string): void {
    const msg = t.owner as Message;
    const flow = this.tcpFlowOf(msg);
    if (flow !== null) {
      // Congestion loss on a bulk flow: TCP sends the segment again; the message goes on.
      if (msg.state === IN_FLIGHT && !isFailure(reason)) {
        flow.lost(new Transfer(msg, t.payload, t.route, t.flowHash));
        return;
      }
      this.whileSending(() => flow.released());
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
