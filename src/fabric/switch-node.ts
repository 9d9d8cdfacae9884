/**
 * A switch: a node with a forwarding latency, cut-through or store-and-forward, and an
 * optional buffer shared by all its lossy egress queues.
 *
 * Assumptions:
 * - Shared buffer: a lossy transfer is admitted while the node's queued lossy bytes plus
 *   its own stay ≤ `sharedBufferBytes` and its port's queued bytes plus its own stay ≤ the
 *   port's `bufferBytes` (a static per-port cap, not dynamic thresholds). Lossless
 *   transfers are bounded by credits/PFC upstream instead and are not counted.
 * - Only waiting bytes count; the transfer being transmitted has left the queue.
 * - Routes are precomputed; `hashSelect` is the helper route builders use to spread flows
 *   over parallel uplinks (ECMP / port channels) deterministically.
 * - PCIe switches (incl. MR-aware ones) are switches whose links use credit flow control;
 *   keeping each host's virtual hierarchy apart is a routing matter (per-host routes and
 *   scheduler queues), not a switch mechanism here.
 */

import { Node, type NodeOptions } from "./node.js";

export interface SwitchOptions extends Omit<NodeOptions, "kind"> {
  /** Default "switch"; e.g. "pcie-switch", "fabric-interconnect". */
  readonly kind?: string;
}

export class SwitchNode extends Node {
  constructor(name: string, options: SwitchOptions = {}) {
    super(name, { ...options, kind: options.kind ?? "switch" });
  }
}

/**
 * Picks one of `candidates` by a flow hash: the same flow always takes the same member.
 * Mixes the hash first (a 32-bit finalizer) so that consecutive flow ids spread evenly.
 */
export function hashSelect<T>(candidates: readonly T[], flowHash: number): T {
  if (candidates.length === 0) throw new RangeError("hashSelect: no candidates");
  let h = flowHash | 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  h ^= h >>> 16;
  return candidates[(h >>> 0) % candidates.length]!;
}
