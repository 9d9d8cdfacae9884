/**
 * The hops of a solve's flows in packed form (typed arrays, one row per hop, flows in list
 * order): the port's local resource number, the scheduler queue, and which expected wire
 * figures of its leg apply there. Built once per solve and read by both of its passes (port
 * statistics, then latency), so that neither walks route objects, looks a port's number up
 * in a Map or calls a closure per hop, and the rows are not traced by the garbage collector.
 *
 * A hop's wire figures are not copied into its row: they are the same for every hop of a run
 * of one protocol and for every flow of a workload, so a row names them (`at`: the leg's
 * `LegWire` at the hop's protocol, `first`: at its first port, whose transfers the leg
 * arrives in) in a table of the distinct ones. Five doubles a hop were 20 MB of typed arrays
 * per solve on a 4,096-host site, and their backing stores count as external memory, whose
 * growth makes V8 collect the whole heap.
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
  /** The leg's expected wire figures at the hop's port (a row of `legs`). */
  readonly at: Int32Array;
  /** The leg's expected wire figures at its first port (a row of `legs`): its transfers are the leg's. */
  readonly first: Int32Array;
  /** 1 at the last hop of a leg (forward, then reverse for an I/O). */
  readonly legEnd: Uint8Array;
  /** The distinct wire figures the rows name: expected wire bytes, their 2nd and 3rd moments, transfers (LegWire). */
  readonly legs: LegTable;
}

/** Distinct `LegWire`s, one row each. */
export interface LegTable {
  readonly wire: number[];
  readonly wire2: number[];
  readonly wire3: number[];
  readonly transfers: number[];
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
  const legs: LegTable = { wire: [], wire2: [], wire3: [], transfers: [] };
  const hops: Hops = {
    start,
    local: new Int32Array(n),
    queue: new Int32Array(n),
    at: new Int32Array(n),
    first: new Int32Array(n),
    legEnd: new Uint8Array(n),
    legs,
  };
  const rowOf = new Map<LegWire, number>();
  const row = (e: LegWire): number => {
    let r = rowOf.get(e);
    if (r === undefined) {
      r = legs.wire.length;
      rowOf.set(e, r);
      legs.wire.push(e.wire);
      legs.wire2.push(e.wire2);
      legs.wire3.push(e.wire3);
      legs.transfers.push(e.transfers);
    }
    return r;
  };
  for (let k = 0; k < nF; k++) {
    const s = list[k]!;
    const slot = m.slots[s]!;
    const wire = m.wires[slot.workload]!;
    m.routes.at(s, c);
    const legCount = m.units[slot.workload] === "io" ? 2 : 1;
    let h = start[k]!;
    for (let dir = 0 as 0 | 1; dir < legCount; dir = (dir + 1) as 0 | 1) {
      const from = dir === 0 ? c.from : c.split;
      const to = dir === 0 ? c.split : c.to;
      if (to === from) continue;
      const first = row(wire.expected(m.ports[c.port[from]!]!.protocol, c.mtu, dir));
      // Consecutive hops mostly share a protocol: its wire bytes are looked up once per run.
      let protocol: AnyPort["protocol"] | null = null;
      let at = -1;
      for (let j = from; j < to; j++, h++) {
        const pi = c.port[j]!;
        const p = m.ports[pi]!;
        if (p.protocol !== protocol) {
          protocol = p.protocol;
          at = row(wire.expected(protocol, c.mtu, dir));
        }
        hops.local[h] = local[pi]!;
        hops.queue[h] = c.queue[j]!;
        hops.at[h] = at;
        hops.first[h] = first;
      }
      hops.legEnd[h - 1] = 1;
    }
  }
  return hops;
}
