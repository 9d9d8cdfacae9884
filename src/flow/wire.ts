/**
 * What one message or I/O of a workload puts on the wire, per link protocol, in the flow
 * model (see evaluate.ts for the assumptions): the workload's size distribution drawn
 * 2,048 times (deterministic, from its own stream), the mean and 99th percentile size,
 * and the expected wire bytes and transfers of a leg at a port of a given protocol.
 * An array's service time moments likewise.
 *
 * Caching: these depend only on the seed, the workload's own fields and the protocol,
 * never on the design, so they are kept across evaluations (the planner evaluates many
 * candidates of one study: their workloads draw the same sizes). The cache is bounded
 * and pure: a result is the same whether it came from the cache or not.
 */
import { Rng, streamSeed } from "../../sim/random.js";
import { TICKS_PER_SECOND } from "../../sim/units.js";
import type { LinkProtocol } from "../link/protocol.js";
import { toDistribution } from "../network/distribution.js";
import { mediaPreset } from "../network/storage-array.js";
import { COMMAND_BYTES, STATUS_BYTES } from "../run/transport.js";
import type { ResolvedTopology, ResolvedWorkload } from "../topology/types.js";
import type { Moments } from "./latency.js";

export interface LegWire {
  /** Expected wire bytes of one leg (message, or one direction of an I/O), and its 2nd and 3rd moments. */
  readonly wire: number;
  readonly wire2: number;
  readonly wire3: number;
  /** Expected transfers of one leg. */
  readonly transfers: number;
}

const MAX_CACHED = 4096;

function wireAt(p: LinkProtocol, payload: number): number {
  return payload <= p.maxPayloadBytes ? p.wireBytes(payload) : p.segment(payload).wireBytes;
}

/** Per protocol and transfer size: wire bytes of a transfer of 0 … mtu payload bytes (NaN until asked). */
const transferTables = new WeakMap<LinkProtocol, Map<number, Float64Array>>();

function transferTable(p: LinkProtocol, mtu: number): Float64Array {
  let byMtu = transferTables.get(p);
  if (byMtu === undefined) {
    byMtu = new Map();
    transferTables.set(p, byMtu);
  }
  let t = byMtu.get(mtu);
  if (t === undefined) {
    t = new Float64Array(mtu + 1).fill(Number.NaN);
    byMtu.set(mtu, t);
  }
  return t;
}

/** Largest integer whose cube is at most 2⁵³: cubes of integers up to it are exact doubles. */
const EXACT_CUBE = 208063;

/**
 * `x ** 3`, by two multiplications where that is exact (wire bytes are mostly whole numbers):
 * `**` calls the math library's pow, a third of the cost of the wire tables, and for these
 * integers it returns the exact cube too (checked for every one of them in the tests), so
 * the result is the same to the last bit.
 */
export function cube(x: number): number {
  return x >= 0 && x <= EXACT_CUBE && Number.isInteger(x) ? x * x * x : x ** 3;
}

/** Transfers of a leg of `bytes` split at `mtu`. */
function legTransfers(bytes: number, mtu: number): number {
  return Math.max(1, Math.ceil(bytes / mtu));
}

/** Wire bytes of a leg of `bytes` split at `mtu`, at a port of protocol `p` (`table`: its transfer table). */
function legBytes(p: LinkProtocol, table: Float64Array, bytes: number, mtu: number): number {
  const n = legTransfers(bytes, mtu);
  const last = bytes - (n - 1) * mtu;
  let full = table[mtu]!;
  if (Number.isNaN(full)) full = table[mtu] = wireAt(p, mtu);
  let tail = table[last]!;
  if (Number.isNaN(tail)) tail = table[last] = wireAt(p, last);
  return (n - 1) * full + tail;
}

/**
 * The `k`-th smallest of `values` (from 0): what sorting them and taking index `k` gives,
 * without the sort (a site has hundreds of workloads of 2,048 draws each): none when they
 * are all equal (a fixed size), else a quickselect on a copy, O(n) expected.
 */
export function kthSmallest(values: ArrayLike<number>, k: number): number {
  const n = values.length;
  if (!(k >= 0 && k < n)) throw new RangeError(`kthSmallest: no element ${k} of ${n}`);
  let same = true;
  for (let i = 1; i < n && same; i++) same = values[i] === values[0];
  if (same) return values[0]!;
  const a = Float64Array.from(values);
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    // Hoare partition around the median of three: a[lo … j] ≤ pivot ≤ a[i … hi], pivots between.
    const x = a[lo]!;
    const y = a[(lo + hi) >> 1]!;
    const z = a[hi]!;
    const pivot = Math.max(Math.min(x, y), Math.min(Math.max(x, y), z));
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k]!;
  }
  return a[k]!;
}

/** A workload's drawn sizes and its expected wire bytes per (protocol, MTU, direction). */
export class WorkloadWire {
  readonly meanBytes: number;
  /** 99th percentile of the payload bytes per message/I/O. */
  readonly p99Bytes: number;
  private readonly byProtocol = new Map<LinkProtocol, Map<number, LegWire>>();
  /**
   * The last few answers (protocol, key, answer), checked before the Maps: a route's legs
   * ask for the same few (a few per flow, hundreds of thousands in a site).
   */
  private readonly recentProtocol: (LinkProtocol | null)[] = [null, null, null, null];
  private readonly recentKey = [-1, -1, -1, -1];
  private readonly recentWire: (LegWire | null)[] = [null, null, null, null];
  private recentNext = 0;

  constructor(
    private readonly sizes: ArrayLike<number>,
    private readonly unit: "message" | "io",
    private readonly read: number,
  ) {
    let sum = 0;
    for (let i = 0; i < sizes.length; i++) sum += sizes[i]!;
    this.meanBytes = sum / sizes.length;
    this.p99Bytes = kthSmallest(sizes, Math.floor(0.99 * sizes.length));
  }

  /** Expected wire bytes and transfers at a port of `p` of the forward (0) or reverse (1) leg. */
  expected(p: LinkProtocol, mtu: number, dir: 0 | 1): LegWire {
    const key = mtu * 2 + dir;
    for (let j = 0; j < 4; j++) {
      if (this.recentProtocol[j] === p && this.recentKey[j] === key) return this.recentWire[j]!;
    }
    const r = this.lookUp(p, mtu, dir, key);
    const j = this.recentNext;
    this.recentProtocol[j] = p;
    this.recentKey[j] = key;
    this.recentWire[j] = r;
    this.recentNext = (j + 1) & 3;
    return r;
  }

  private lookUp(p: LinkProtocol, mtu: number, dir: 0 | 1, key: number): LegWire {
    let byKey = this.byProtocol.get(p);
    if (byKey === undefined) {
      byKey = new Map();
      this.byProtocol.set(p, byKey);
    }
    const hit = byKey.get(key);
    if (hit !== undefined) return hit;
    let wire = 0;
    let wire2 = 0;
    let wire3 = 0;
    let transfers = 0;
    // Consecutive equal sizes (a fixed size: all of them) reuse the last leg's arithmetic;
    // the sums run in draw order as before, so the result is the same to the last bit.
    let lastSize = -1;
    let dw = 0;
    let dw2 = 0;
    let dw3 = 0;
    let dt = 0;
    const table = transferTable(p, mtu);
    const sizes = this.sizes;
    // Numbers, not {wire, transfers} objects, and the I/O's small leg worked out once: this
    // loop runs 2,048 times per (workload, protocol, MTU, direction).
    if (this.unit === "message") {
      for (let i = 0; i < sizes.length; i++) {
        const s = sizes[i]!;
        if (s !== lastSize) {
          lastSize = s;
          dw = legBytes(p, table, s, mtu);
          dw2 = dw ** 2;
          dw3 = cube(dw);
          dt = legTransfers(s, mtu);
        }
        wire += dw;
        wire2 += dw2;
        wire3 += dw3;
        transfers += dt;
      }
    } else {
      // Forward: reads send the command, writes command + data; reverse: the opposite.
      const extra = dir === 0 ? COMMAND_BYTES : STATUS_BYTES;
      const pBig = dir === 0 ? 1 - this.read : this.read;
      const small = legBytes(p, table, extra, mtu);
      const smallTransfers = legTransfers(extra, mtu);
      const smallCube = cube(small);
      for (let i = 0; i < sizes.length; i++) {
        const s = sizes[i]!;
        if (s !== lastSize) {
          lastSize = s;
          const big = legBytes(p, table, s + extra, mtu);
          dw = pBig * big + (1 - pBig) * small;
          dw2 = pBig * big ** 2 + (1 - pBig) * small ** 2;
          dw3 = pBig * cube(big) + (1 - pBig) * smallCube;
          dt = pBig * legTransfers(s + extra, mtu) + (1 - pBig) * smallTransfers;
        }
        wire += dw;
        wire2 += dw2;
        wire3 += dw3;
        transfers += dt;
      }
    }
    const n = this.sizes.length;
    const r = { wire: wire / n, wire2: wire2 / n, wire3: wire3 / n, transfers: transfers / n };
    byKey.set(key, r);
    return r;
  }
}

const wireCache = new Map<string, WorkloadWire>();
const serviceCache = new Map<string, Moments>();

function remember<V>(cache: Map<string, V>, key: string, make: () => V): V {
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const v = make();
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(key, v);
  return v;
}

/** The workload's sizes (`samples` draws of its stream `flow:<name>:sizes`) and wire table. */
export function workloadWire(w: ResolvedWorkload, seed: number, samples: number): WorkloadWire {
  const read = w.unit === "io" ? (w.read ?? 0) : 0;
  const key = `${seed}\u0000${w.name}\u0000${samples}\u0000${w.unit}\u0000${read}\u0000${JSON.stringify(w.size)}`;
  return remember(wireCache, key, () => {
    // A typed array: its numbers live outside the JS heap (a site has hundreds of
    // workloads of 2,048 draws, which every young-generation collection would copy).
    const sizes = new Float64Array(samples);
    if (w.size.kind === "constant") {
      // What drawing a constant gives, without the draws.
      sizes.fill(Math.max(1, Math.round(w.size.value)));
    } else {
      const size = toDistribution(w.size);
      const rng = new Rng(streamSeed(seed, 0, `flow:${w.name}:sizes`));
      for (let i = 0; i < samples; i++) sizes[i] = Math.max(1, Math.round(size.sample(rng)));
    }
    return new WorkloadWire(sizes, w.unit, read);
  });
}

/** Mean and variance (seconds, s²) of an I/O's service time at array `node`, mixed by the read share. */
export function arrayService(node: ResolvedTopology["nodes"][number] | undefined, read: number, seed: number): Moments {
  if (node === undefined || node.kind !== "storage-array") return { mean: 0, variance: 0 };
  const key = `${seed}\u0000${node.name}\u0000${read}\u0000${node.media}\u0000${JSON.stringify(node.service)}`;
  return remember(serviceCache, key, () => {
    const d =
      node.service === null
        ? mediaPreset(node.media ?? "flash")
        : { read: toDistribution(node.service.read), write: toDistribution(node.service.write) };
    const rng = new Rng(streamSeed(seed, 0, `flow:${node.name}:service`));
    const n = 4000;
    const xs = Array.from({ length: n }, () => (rng.random() < read ? d.read : d.write).sample(rng) / TICKS_PER_SECOND);
    const mean = xs.reduce((a, b) => a + b, 0) / n;
    return { mean, variance: xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1) };
  });
}
