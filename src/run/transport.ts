import { Transfer } from "../fabric/transfer.js";
import type { FlowRoutes, Network } from "../network/build.js";
import type { StorageArray } from "../network/storage-array.js";
import type { WorkloadInstance } from "../topology/types.js";
import { DELIVERED, DROPPED, IN_FLIGHT, type Message } from "../workload/message.js";
import type { Source, Transport } from "../workload/source.js";

/** FCP command and response frames: small fixed payloads (FCP_CMND is 32 B + header; rounded up). */
export const COMMAND_BYTES = 64;
export const STATUS_BYTES = 64;

export interface InstanceInfo {
  readonly spec: WorkloadInstance;
  readonly key: string;
  readonly unit: "message" | "io";
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
 * queue), as a driver posts a whole send to its adapter.
 * Probe `workload.done` (msg, "delivered" | "dropped", reason) fires only when listened to.
 */
export class FabricTransport implements Transport {
  sources: Source[] = [];
  /** Routes per instance and target, looked up once (the network's cache is keyed by strings). */
  private readonly routeCache: (FlowRoutes | undefined)[][];

  constructor(
    private readonly net: Network,
    private readonly instances: readonly InstanceInfo[],
  ) {
    this.routeCache = instances.map(() => []);
    net.fabric.onDeliver = (t) => this.delivered(t);
    net.fabric.onDrop = (t, reason) => this.dropped(t, reason);
  }

  private routesOf(msg: Message, info: InstanceInfo): FlowRoutes {
    const row = this.routeCache[msg.source]!;
    let r = row[msg.target];
    if (r === undefined) {
      r = this.net.routes(info.spec, info.key, msg.target, info.unit);
      row[msg.target] = r;
    }
    return r;
  }

  send(msg: Message): void {
    const info = this.instances[msg.source]!;
    const r = this.routesOf(msg, info);
    if (info.unit === "message") this.leg(msg, r.forward, msg.bytes, r.mtu, r.hash);
    else this.leg(msg, r.forward, msg.isRead ? COMMAND_BYTES : COMMAND_BYTES + msg.bytes, r.mtu, r.hash);
  }

  /** The array finished serving `msg`: send the data (reads) and status back. */
  served(_array: StorageArray, msg: Message): void {
    const info = this.instances[msg.source]!;
    const r = this.routesOf(msg, info);
    msg.phase = 2;
    this.leg(msg, r.reverse, msg.isRead ? msg.bytes + STATUS_BYTES : STATUS_BYTES, r.mtu, r.hash);
  }

  private leg(msg: Message, route: Transfer["route"], bytes: number, mtu: number, hash: number): void {
    const n = Math.ceil(bytes / mtu);
    msg.pending = n;
    const fabric = this.net.fabric;
    for (let i = 0; i < n; i++) {
      const payload = i < n - 1 ? mtu : bytes - (n - 1) * mtu;
      fabric.inject(new Transfer(msg, payload, route, hash));
    }
  }

  private delivered(t: Transfer): void {
    const msg = t.owner as Message;
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
    if (msg.state !== IN_FLIGHT) return;
    msg.state = DROPPED;
    msg.stats.lost(reason);
    const probes = this.net.sim.probes;
    if (probes.listenerCount("workload.done") > 0) probes.emit("workload.done", msg, "dropped", reason);
    this.sources[msg.source]!.done(msg);
  }
}
