/**
 * The hops of a solve's flows in packed form (typed arrays, one row per hop, flows in list
 * order): the port's local resource number, the scheduler queue, and the leg's expected wire
 * bytes there. Built once per solve and read by both of its passes (port statistics, then
 * latency), so that neither walks route objects, looks a port's number up in a Map or calls
 * a closure per hop, and the rows are not traced by the garbage collector.
 */
import type { AnyPort } from "../network/port-view.js";
import { routeCursor } from "./route-table.js";
import type { FlowSet } from "./solve.js";
import type { LegWire } from "./wire.js";

export interface Hops {
  /** Flow k's hops (k: its place in the list): rows start[k] … start[k + 1] − 1. */
  readonly start: Int32Array;
  /** The hop port's local resource number. */
  readonly local: Int32Array;
  readonly queue: Int32Array;
  /** The leg's expected wire bytes at the hop's port, their 2nd and 3rd moments, and transfers (LegWire). */
  readonly wire: Float64Array;
  readonly wire2: Float64Array;
  readonly wire3: Float64Array;
  readonly transfers: Float64Array;
  /** The leg's transfers at its first port. */
  readonly legTransfers: Float64Array;
  /** 1 at the last hop of a leg (forward, then reverse for an I/O). */
  readonly legEnd: Uint8Array;
}

/** The hops of flows `list` (slots with routes); `local`: a port's local resource number by port index. */
export function packHops(m: FlowSet, list: readonly number[], local: Int32Array): Hops {
  const nF = list.length;
  const c = routeCursor();
  const start = new Int32Array(nF + 1);
  for (let k = 0; k < nF; k++) {
    const s = list[k]!;
    m.routes.at(s, c);
    start[k + 1] = start[k]! + ((m.units[m.slots[s]!.workload] === "io" ? c.to : c.split) - c.from);
  }
  const n = start[nF]!;
  const hops: Hops = {
    start,
    local: new Int32Array(n),
    queue: new Int32Array(n),
    wire: new Float64Array(n),
    wire2: new Float64Array(n),
    wire3: new Float64Array(n),
    transfers: new Float64Array(n),
    legTransfers: new Float64Array(n),
    legEnd: new Uint8Array(n),
  };
  for (let k = 0; k < nF; k++) {
    const s = list[k]!;
    const slot = m.slots[s]!;
    const wire = m.wires[slot.workload]!;
    m.routes.at(s, c);
    const legs = m.units[slot.workload] === "io" ? 2 : 1;
    let h = start[k]!;
    for (let dir = 0 as 0 | 1; dir < legs; dir = (dir + 1) as 0 | 1) {
      const from = dir === 0 ? c.from : c.split;
      const to = dir === 0 ? c.split : c.to;
      if (to === from) continue;
      const legTransfers = wire.expected(m.ports[c.port[from]!]!.protocol, c.mtu, dir).transfers;
      // Consecutive hops mostly share a protocol: its wire bytes are looked up once per run.
      let protocol: AnyPort["protocol"] | null = null;
      let e: LegWire | null = null;
      for (let j = from; j < to; j++, h++) {
        const pi = c.port[j]!;
        const p = m.ports[pi]!;
        if (p.protocol !== protocol) {
          protocol = p.protocol;
          e = wire.expected(protocol, c.mtu, dir);
        }
        hops.local[h] = local[pi]!;
        hops.queue[h] = c.queue[j]!;
        hops.wire[h] = e!.wire;
        hops.wire2[h] = e!.wire2;
        hops.wire3[h] = e!.wire3;
        hops.transfers[h] = e!.transfers;
        hops.legTransfers[h] = legTransfers;
      }
      hops.legEnd[h - 1] = 1;
    }
  }
  return hops;
}
