/**
 * Flow-level evaluation of a topology: the fast model the planner searches with
 * (DESIGN.md §3, issue 5 item 4). It reuses the packet-level network's routes
 * (`buildNetwork`, nothing is simulated) and replaces the packets by fluid flows.
 *
 * Model and assumptions:
 * - A flow is one (workload instance, target) pair: the packet model's route key, so team
 *   hashing, pins and failover choices are identical. An instance with k targets sends
 *   1/k of its load to each.
 * - A flow's rate is in payload bits per second. At each egress port of its route it
 *   consumes `wire bits per payload bit` of that port's line rate (after encoding), from
 *   the port's `protocol.wireBytes` applied to the transfers the packet model sends:
 *   a message is split at the flow's transfer size (1500 B / 2048 B, or the route's
 *   smallest MTU); a PCIe link carries each transfer as TLPs (`segment`). The expected
 *   wire bytes are averaged over 2,048 deterministic draws of the size distribution.
 *   An I/O loads the forward route with its command (64 B) plus, for writes, its data,
 *   and the reverse route with the data of reads plus the status (64 B); reads and
 *   writes are mixed by the read share. PCIe SKP ordered sets reduce a PCIe port's capacity;
 *   DLLPs are not counted (the packet model charges them only to a busy reverse
 *   transmitter, about 1 % of a saturated x8 link).
 * - Demand: poisson / on-off: the mean rate (on-off flows are treated as always on at
 *   their long-run mean: no burst-level recomputation); iops: iops × E[size]; bulk:
 *   elastic (Infinity), always active through the window.
 * - Sharing: max-min fair by water-filling over every egress port's line rate, per flow
 *   (weight 1 each). Token-bucket shapers (vNIC peak rates, VF and per-host limits) are
 *   honoured as extra resources: each shaped scheduler queue caps the flows queued in it
 *   together. DRR weights between queues are NOT modelled (within a saturated port all
 *   flows are equal).
 * - Loss: a fluid flow loses nothing unless its non-elastic demand exceeds what it is
 *   given and its bottleneck is a lossy (finite drop-tail buffer) port: then the excess
 *   is lost (loss = 1 − delivered/offered). At a lossless bottleneck or a shaper the
 *   excess waits at the source (delivered < offered, no loss). The packet model's
 *   drop-tail losses of non-elastic flows sharing a lossy port that an elastic flow
 *   saturates are NOT predicted; such workloads are flagged `lossyContention`.
 * - Latency (seconds), per leg of a flow, summed over its ports p with capacity C_p:
 *     base  = Σ_p (w̄_p·8/C_p + prop_p + latency of the node p feeds)
 *             + max_p (W̄_p − w̄_p)·8/C_p            (the rest of the message at its slowest port)
 *     wait  = Σ_p λ_p E[S_p²] / (2(1 − ρ_p))          (Pollaczek–Khinchine: M/G/1 mean wait)
 *   W̄_p mean wire bytes of a message (leg) at p, w̄_p of one transfer, ρ_p the port's
 *   utilization. An I/O adds the array's mean service time (array queueing ignored:
 *   concurrency ≫ I/Os in service). p99: base plus the 99th percentile of the random part
 *   R = Σ_p W_p (+ service), its mean and variance summed over independent hops (M/G/1,
 *   Takács: E[W²] = 2E[W]² + λE[S³]/(3(1−ρ)); service: sampled) and moment-matched: for cv² ≥ 1 to an
 *   atom at 0 plus an exponential, P(R > t) = q·e^{−t/b}, b = E[R²]/(2E[R]), q = E[R]/b
 *   (exact for one M/M/1 hop: ρ·e^{−(1−ρ)t/S̄}), p99 = b·ln(100q); for cv² < 1 to a gamma
 *   distribution (Wilson–Hilferty quantile). The message-size tail adds, at the route's
 *   slowest port, the serialization of (p99 size − mean size), combined with the queueing
 *   tail as √(a² + b²) (heuristic: exact when one of them dominates).
 *   S_p is a message's wire time at p (its wire bytes · 8 / C_p; for an elastic, window-limited
 *   stream a transfer's, as it arrives transfer by transfer); its moments come from the
 *   same 2,048 draws of the size distribution, so fixed-size traffic waits half as long as
 *   exponential (M/D/1 vs M/M/1) and heavy-tailed sizes longer. λ_p E[S²] and λ_p E[S³] sum
 *   over the flows at p.
 *   Limits: Poisson messages, independent hops (Kleinrock); batch
 *   injection of a message's transfers, HOL blocking under credits/PFC and DRR weights
 *   are ignored; ρ ≥ 1 from non-elastic
 *   load gives latency null (unstable). A port saturated by elastic flows has a standing
 *   queue instead: the elastic windows' wire bytes there (capped by a lossy buffer),
 *   drained at C_p. At a port with several DRR queues (VF, vif or host queues) a flow
 *   waits for its own queue only (M/G/1 on that queue's load) plus, per other busy
 *   queue, one of its transfers times the probability it is busy (its load share; 1 for
 *   an elastic queue at a port elastic flows saturate). An elastic flow's own latency is
 *   Little's law: window bytes / rate.
 *   A workload's mean is the rate-weighted mean over its flows; its p99 is the worst
 *   flow's p99 (conservative). Inactive flows (`active`) give no latency sample.
 * - Cost: one water-filling solve (milliseconds); building the network and its routes
 *   dominates, and `network` lets a caller reuse them across solves of one topology.
 */
import { RandomStreams, Rng, streamSeed } from "../../sim/random.js";
import { Simulation } from "../../sim/simulation.js";
import { TICKS_PER_SECOND } from "../../sim/units.js";
import type { EgressPort } from "../fabric/egress-port.js";
import { buildNetwork, type Network } from "../network/build.js";
import { toDistribution } from "../network/distribution.js";
import { mediaPreset } from "../network/storage-array.js";
import { COMMAND_BYTES, STATUS_BYTES } from "../run/transport.js";
import type { ResolvedTopology, ResolvedWorkload } from "../topology/types.js";
import { type FluidFlow, waterfill } from "./waterfill.js";

export interface FlowOptions {
  /** Draws of each size distribution for expected wire bytes (default 2048). */
  readonly sizeSamples?: number;
  /** Honour token-bucket shapers (default true). */
  readonly shapers?: boolean;
  /** A network already built for this topology (routes are reused); default: build one. */
  readonly network?: Network;
  /**
   * Which instances are active (default: all). An inactive instance's flows have demand 0.
   * A caller stepping through flow start/stop events (on/off periods, bulk transfers that
   * end) re-solves with the active set at each event: the issue's "recomputed when flows
   * start or stop". `key` is the packet model's instance key, `workload:host[/vm]`.
   */
  readonly active?: (workload: string, key: string) => boolean;
}

export interface FlowWorkloadResult {
  name: string;
  unit: "message" | "io";
  pattern: ResolvedWorkload["pattern"];
  elastic: boolean;
  /** Payload bits per second; Infinity for elastic workloads. */
  offeredBps: number;
  deliveredBps: number;
  lossRatio: number;
  latency: { mean: number | null; p99: number | null };
  /** Ports/shapers that limit some of its flows (sorted). */
  bottlenecks: string[];
  /** Some flow crosses a lossy port that elastic flows saturate: the packet model may drop here. */
  lossyContention: boolean;
  /**
   * An elastic flow of it is bottlenecked at a lossy port: at packet level drop-tail losses
   * there (a lost frame loses its whole message) can collapse its goodput below this model's.
   */
  lossyBottleneck: boolean;
  /** Flows with a path. */
  flows: number;
  /** Flows with no path (a failed element the routes avoid): their offered load counts as lost. */
  stranded: number;
}

export interface FlowLinkResult {
  id: string;
  to: string;
  capacityBps: number;
  /** Wire bits per second carried. */
  loadBps: number;
  utilization: number;
  lossy: boolean;
}

export interface FlowResult {
  topology: string;
  design: string;
  workloads: FlowWorkloadResult[];
  links: FlowLinkResult[];
  flows: number;
  rounds: number;
  /** Wall time of the evaluation (network build included unless one was passed). */
  wallSeconds: number;
  /** Wall seconds of its phases: network build, flows and routes, water-filling and latency. */
  phases: { build: number; flows: number; solve: number };
}

interface Leg {
  /** Ports in route order with expected wire bytes per message (and its 2nd and 3rd moments) and per transfer there. */
  readonly hops: Array<{
    port: EgressPort;
    queue: number;
    wire: number;
    wire2: number;
    wire3: number;
    transferWire: number;
  }>;
  /** Messages (legs) per payload byte. */
  readonly perByte: number;
  readonly transfers: number;
}

interface Flow {
  readonly workload: number;
  readonly demand: number;
  readonly legs: Leg[];
  /** Payload bytes per message/I/O (mean). */
  readonly meanBytes: number;
  /** 99th percentile of the payload bytes per message/I/O. */
  readonly p99Bytes: number;
  /** Array service mean and variance (seconds, s²), I/O only. */
  readonly service: Moments | null;
  readonly windowBytes: number;
}

const now = (): number => (typeof performance === "undefined" ? Date.now() : performance.now());

function wireAt(port: EgressPort, payload: number): number {
  const p = port.protocol;
  return payload <= p.maxPayloadBytes ? p.wireBytes(payload) : p.segment(payload).wireBytes;
}

/** Wire bytes and transfers of a leg of `bytes` split at `mtu`, at `port`. */
function legWire(port: EgressPort, bytes: number, mtu: number): { wire: number; transfers: number } {
  const n = Math.max(1, Math.ceil(bytes / mtu));
  const last = bytes - (n - 1) * mtu;
  return { wire: (n - 1) * wireAt(port, mtu) + wireAt(port, last), transfers: n };
}

export function evaluateFlows(topo: ResolvedTopology, options: FlowOptions = {}): FlowResult {
  const t0 = now();
  const nSamples = options.sizeSamples ?? 2048;
  const net =
    options.network ?? buildNetwork(topo, new Simulation(), new RandomStreams(topo.experiment.seed, 0), () => {});
  const tBuilt = now();
  const ports = net.fabric.ports;
  const portIndex = new Map<EgressPort, number>(ports.map((p, i) => [p, i]));
  // PCIe SKP ordered sets take their share of the line (src/link/pcie.ts); 0 elsewhere.
  const capacities = ports.map((p) => p.capacityBps * (1 - p.protocol.orderedSetFraction));
  const resourceNames = ports.map((p) => p.id);
  const shaperIndex = new Map<string, number>();
  const byName = new Map(topo.nodes.map((n) => [n.name, n]));
  const flows: Flow[] = [];
  const fluid: FluidFlow[] = [];

  /** Per workload: flows with no path, and the demand they offer (bits per second). */
  const stranded = topo.workloads.map(() => ({ flows: 0, demand: 0 }));
  topo.workloads.forEach((w, wi) => {
    const size = toDistribution(w.size);
    const rng = new Rng(streamSeed(topo.experiment.seed, 0, `flow:${w.name}:sizes`));
    const sizes = Array.from({ length: nSamples }, () => Math.max(1, Math.round(size.sample(rng))));
    const meanBytes = sizes.reduce((a, b) => a + b, 0) / sizes.length;
    const p99Bytes = [...sizes].sort((a, b) => a - b)[Math.floor(0.99 * sizes.length)]!;
    const read = w.unit === "io" ? (w.read ?? 0) : 0;
    /** Expected wire bytes (with its 2nd and 3rd moments) and transfers at `port` of the forward (0) or reverse (1) leg. */
    type Expected = { wire: number; wire2: number; wire3: number; transfers: number };
    const cache = new Map<string, Expected>();
    const expected = (port: EgressPort, mtu: number, dir: 0 | 1): Expected => {
      const key = `${port.protocol.id}|${port.protocol.maxPayloadBytes}|${mtu}|${dir}`;
      const hit = cache.get(key);
      if (hit !== undefined) return hit;
      let wire = 0;
      let wire2 = 0;
      let wire3 = 0;
      let transfers = 0;
      for (const s of sizes) {
        if (w.unit === "message") {
          const l = legWire(port, s, mtu);
          wire += l.wire;
          wire2 += l.wire ** 2;
          wire3 += l.wire ** 3;
          transfers += l.transfers;
        } else {
          const small = legWire(port, dir === 0 ? COMMAND_BYTES : STATUS_BYTES, mtu);
          const big = legWire(port, s + (dir === 0 ? COMMAND_BYTES : STATUS_BYTES), mtu);
          // Forward: reads send the command, writes command + data; reverse: the opposite.
          const pBig = dir === 0 ? 1 - read : read;
          wire += pBig * big.wire + (1 - pBig) * small.wire;
          wire2 += pBig * big.wire ** 2 + (1 - pBig) * small.wire ** 2;
          wire3 += pBig * big.wire ** 3 + (1 - pBig) * small.wire ** 3;
          transfers += pBig * big.transfers + (1 - pBig) * small.transfers;
        }
      }
      const n = sizes.length;
      const r = { wire: wire / n, wire2: wire2 / n, wire3: wire3 / n, transfers: transfers / n };
      cache.set(key, r);
      return r;
    };
    let service: Moments | null = null;
    for (const inst of w.instances) {
      const key = `${w.name}:${inst.host}${inst.vm === null ? "" : `/${inst.vm}`}`;
      const targets = inst.to.nodes.length;
      for (let t = 0; t < targets; t++) {
        const on = options.active === undefined || options.active(w.name, key);
        const demand = !on
          ? 0
          : w.pattern === "bulk"
            ? Number.POSITIVE_INFINITY
            : w.pattern === "iops"
              ? (w.iops * meanBytes * 8) / targets
              : w.rateBps / targets;
        const r = net.tryRoutes(inst, key, t, w.unit);
        if (r === null) {
          // No path (a failed element the routes avoid): everything it offers is lost.
          const st = stranded[wi]!;
          st.flows++;
          if (Number.isFinite(demand)) st.demand += demand;
          continue;
        }
        if (w.unit === "io" && service === null) service = arrayService(byName.get(inst.to.nodes[t]!), read, topo);
        const legs: Leg[] = [];
        const dirs: Array<[0 | 1, typeof r.forward]> =
          w.unit === "io"
            ? [
                [0, r.forward],
                [1, r.reverse],
              ]
            : [[0, r.forward]];
        const uses = new Map<number, number>();
        for (const [dir, route] of dirs) {
          const hops = route.ports.map((port, h) => {
            const e = expected(port, r.mtu, dir);
            return {
              port,
              queue: route.queues[h] ?? 0,
              wire: e.wire,
              wire2: e.wire2,
              wire3: e.wire3,
              transferWire: e.wire / e.transfers,
            };
          });
          const transfers = expected(route.ports[0]!, r.mtu, dir).transfers;
          legs.push({ hops, perByte: 1 / meanBytes, transfers });
          for (const hop of hops) {
            const coeff = hop.wire / meanBytes; // wire bits per payload bit
            const pi = portIndex.get(hop.port)!;
            uses.set(pi, (uses.get(pi) ?? 0) + coeff);
            const rate = options.shapers === false ? null : shaperRate(hop.port, hop.queue);
            if (rate !== null) {
              const sk = `${hop.port.id}#${hop.queue}`;
              let si = shaperIndex.get(sk);
              if (si === undefined) {
                si = capacities.length;
                capacities.push(rate);
                resourceNames.push(`shaper ${sk}`);
                shaperIndex.set(sk, si);
              }
              uses.set(si, (uses.get(si) ?? 0) + coeff);
            }
          }
        }
        const windowBytes = w.pattern === "bulk" ? (w.outstanding * meanBytes) / targets : 0;
        flows.push({ workload: wi, demand, legs, meanBytes, p99Bytes, service, windowBytes });
        fluid.push({ demand, uses: [...uses].map(([resource, coeff]) => ({ resource, coeff })) });
      }
    }
  });

  const tFlows = now();
  const alloc = waterfill(capacities, fluid);
  const nP = ports.length;
  const rho = ports.map((_, i) => alloc.load[i]! / capacities[i]!);
  const lossy = ports.map((p) => !p.lossless && Number.isFinite(p.bufferBytes));
  // λ·E[S²] and λ·E[S³] of the messages' wire times (s², s³), and elastic window bytes per port.
  const lambdaS2 = new Float64Array(nP);
  const lambdaS3 = new Float64Array(nP);
  const elasticWindow = new Float64Array(nP);
  const elasticSat = new Uint8Array(nP);
  /** Per scheduler queue of a multi-queue port ("port|queue"): wire load (bits/s), messages/s, λE[S²], λE[S³], largest transfer. */
  const queueStats = new Map<
    string,
    { load: number; msgRate: number; s2: number; s3: number; transfer: number; elastic: boolean }
  >();
  flows.forEach((f, i) => {
    const x = alloc.rates[i]!;
    const elastic = f.demand === Number.POSITIVE_INFINITY;
    for (const leg of f.legs) {
      for (const hop of leg.hops) {
        const pi = portIndex.get(hop.port)!;
        const lambda = (x / 8) * leg.perByte;
        const secondsPerByte = 8 / capacities[pi]!;
        // A window-limited (elastic) stream arrives transfer by transfer, not as whole messages.
        const perTransfer = lambda * leg.transfers;
        const s2 = elastic
          ? perTransfer * hop.transferWire ** 2 * secondsPerByte ** 2
          : lambda * hop.wire2 * secondsPerByte ** 2;
        const s3 = elastic
          ? perTransfer * hop.transferWire ** 3 * secondsPerByte ** 3
          : lambda * hop.wire3 * secondsPerByte ** 3;
        lambdaS2[pi]! += s2;
        lambdaS3[pi]! += s3;
        if (hop.port.scheduler.queueCount > 1) {
          const k = `${pi}|${hop.queue}`;
          let q = queueStats.get(k);
          if (q === undefined) {
            q = { load: 0, msgRate: 0, s2: 0, s3: 0, transfer: 0, elastic: false };
            queueStats.set(k, q);
          }
          q.load += (x * hop.wire) / f.meanBytes;
          q.msgRate += lambda;
          q.s2 += s2;
          q.s3 += s3;
          q.transfer = Math.max(q.transfer, hop.transferWire);
          q.elastic ||= elastic;
        }
        if (elastic) {
          elasticWindow[pi]! += (f.windowBytes * hop.wire) / f.meanBytes;
        }
      }
    }
    const b = alloc.bottleneck[i];
    if (f.demand === Number.POSITIVE_INFINITY && b !== null && b !== undefined && b < nP) elasticSat[b] = 1;
  });

  /**
   * Mean and variance of the M/G/1 wait at utilization r, from λE[S²] and λE[S³]:
   * Pollaczek–Khinchine E[W] = λE[S²]/(2(1 − r)), Takács E[W²] = 2E[W]² + λE[S³]/(3(1 − r)).
   */
  const mg1 = (r: number, s2: number, s3: number): Moments => {
    if (r <= 0 || s2 <= 0) return { mean: 0, variance: 0 };
    if (r >= 1 - 1e-9) return { mean: Number.POSITIVE_INFINITY, variance: Number.POSITIVE_INFINITY };
    const mean = s2 / (2 * (1 - r));
    return { mean, variance: mean * mean + s3 / (3 * (1 - r)) };
  };
  /** Wait (seconds) at port `pi` for a flow in scheduler queue `queue`: random part and fixed part. */
  const wait = (pi: number, queue: number): Moments & { fixed: number } => {
    const port = ports[pi]!;
    const c = capacities[pi]!;
    const own = queueStats.get(`${pi}|${queue}`);
    if (port.scheduler.queueCount > 1 && own !== undefined && !(elasticSat[pi] && own.elastic)) {
      // DRR: it waits for its own queue's traffic (M/G/1 on that load) plus, per other busy
      // queue, one transfer with the probability that queue is busy (1 for an elastic one here).
      let extra = 0;
      for (let q = 0; q < port.scheduler.queueCount; q++) {
        const other = q === queue ? undefined : queueStats.get(`${pi}|${q}`);
        if (other === undefined) continue;
        const busy = elasticSat[pi] && other.elastic ? 1 : Math.min(1, other.load / c);
        extra += (busy * other.transfer * 8) / c;
      }
      return { ...mg1(own.load / c, own.s2, own.s3), fixed: extra };
    }
    if (elasticSat[pi]) {
      const bytes = lossy[pi] ? Math.min(port.bufferBytes, elasticWindow[pi]!) : elasticWindow[pi]!;
      return { mean: 0, variance: 0, fixed: (bytes * 8) / c };
    }
    return { ...mg1(rho[pi]!, lambdaS2[pi]!, lambdaS3[pi]!), fixed: 0 };
  };

  const workloads: FlowWorkloadResult[] = topo.workloads.map((w, wi) => {
    let offered = 0;
    let delivered = 0;
    let lost = 0;
    let latSum = 0;
    let latWeight = 0;
    let p99: number | null = 0;
    let unstable = false;
    let contention = false;
    let lossyBottleneck = false;
    let count = 0;
    const bottlenecks = new Set<string>();
    flows.forEach((f, i) => {
      if (f.workload !== wi) return;
      count++;
      const x = alloc.rates[i]!;
      const idle = f.demand === 0;
      offered += f.demand;
      delivered += x;
      const b = alloc.bottleneck[i];
      if (b !== null && b !== undefined) {
        bottlenecks.add(resourceNames[b]!);
        if (b < nP && lossy[b] && f.demand !== Number.POSITIVE_INFINITY) lost += f.demand - x;
        if (b < nP && lossy[b] && f.demand === Number.POSITIVE_INFINITY) lossyBottleneck = true;
      }
      /** Deterministic part, and the random part's moments. */
      let fixed = 0;
      const rand: Moments = { mean: 0, variance: 0 };
      /** Extra serialization of a p99-size message over a mean-size one, at its slowest port. */
      let sizeTail = 0;
      for (const leg of f.legs) {
        let base = 0;
        let rest = 0;
        for (const hop of leg.hops) {
          const pi = portIndex.get(hop.port)!;
          const c = capacities[pi]!;
          base +=
            (hop.transferWire * 8) / c +
            hop.port.propagationTicks / TICKS_PER_SECOND +
            hop.port.peerLatencyTicks / TICKS_PER_SECOND;
          rest = Math.max(rest, ((hop.wire - hop.transferWire) * 8) / c);
          sizeTail = Math.max(sizeTail, (((f.p99Bytes - f.meanBytes) * hop.wire) / f.meanBytes / c) * 8);
          if (lossy[pi] && elasticSat[pi] && f.demand !== Number.POSITIVE_INFINITY) contention = true;
          const wq = wait(pi, hop.queue);
          fixed += wq.fixed;
          rand.mean += wq.mean;
          rand.variance += wq.variance;
        }
        fixed += base + rest;
      }
      if (f.service !== null) {
        rand.mean += f.service.mean;
        rand.variance += f.service.variance;
      }
      let mean = fixed + rand.mean;
      // Independent tails, combined as a root sum of squares (a heuristic: exact when one dominates).
      let tail = fixed + Math.hypot(quantile99(rand), sizeTail);
      if (f.demand === Number.POSITIVE_INFINITY) {
        // Closed loop: the window's bytes over the flow's rate (Little's law).
        mean = x > 0 ? (f.windowBytes * 8) / x : Number.POSITIVE_INFINITY;
        tail = mean;
      }
      if (idle) return; // inactive: no latency sample
      if (!Number.isFinite(mean)) unstable = true;
      latSum += mean * Math.max(x, 1e-9);
      latWeight += Math.max(x, 1e-9);
      p99 = Math.max(p99 ?? 0, tail);
    });
    const elastic = w.pattern === "bulk";
    const st = stranded[wi]!;
    offered += st.demand;
    lost += st.demand;
    return {
      name: w.name,
      unit: w.unit,
      pattern: w.pattern,
      elastic,
      offeredBps: offered,
      deliveredBps: delivered,
      lossRatio: elastic || offered === 0 ? 0 : lost / offered,
      latency: unstable || latWeight === 0 ? { mean: null, p99: null } : { mean: latSum / latWeight, p99 },
      bottlenecks: [...bottlenecks].sort(),
      lossyContention: contention,
      lossyBottleneck,
      flows: count,
      stranded: st.flows,
    };
  });

  const links: FlowLinkResult[] = ports.map((p, i) => ({
    id: p.id,
    to: p.to,
    capacityBps: p.capacityBps,
    loadBps: alloc.load[i]!,
    utilization: rho[i]!,
    lossy: lossy[i]!,
  }));
  return {
    topology: topo.name,
    design: topo.design,
    workloads,
    links,
    flows: flows.length,
    rounds: alloc.rounds,
    wallSeconds: (now() - t0) / 1000,
    phases: { build: (tBuilt - t0) / 1000, flows: (tFlows - tBuilt) / 1000, solve: (now() - tFlows) / 1000 },
  };
}

/** A shaped scheduler queue's rate in wire bits per second, or null (read from the DRR scheduler). */
function shaperRate(port: EgressPort, queue: number): number | null {
  const s = port.scheduler as unknown as { shaped?: Uint8Array; rate?: Float64Array };
  if (s.shaped === undefined || s.rate === undefined || !s.shaped[queue]) return null;
  return s.rate[queue]! * 8 * TICKS_PER_SECOND;
}

/** Mean and variance (seconds, s²) of an I/O's service time at array `node`, mixed by the read share. */
function arrayService(
  node: ResolvedTopology["nodes"][number] | undefined,
  read: number,
  topo: ResolvedTopology,
): Moments {
  if (node === undefined || node.kind !== "storage-array") return { mean: 0, variance: 0 };
  const d =
    node.service === null
      ? mediaPreset(node.media ?? "flash")
      : { read: toDistribution(node.service.read), write: toDistribution(node.service.write) };
  const rng = new Rng(streamSeed(topo.experiment.seed, 0, `flow:${node.name}:service`));
  const n = 4000;
  const xs = Array.from({ length: n }, () => (rng.random() < read ? d.read : d.write).sample(rng) / TICKS_PER_SECOND);
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  return { mean, variance: xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1) };
}

export interface Moments {
  mean: number;
  variance: number;
}

/**
 * 99th percentile of a non-negative random variable known by its mean and variance:
 * cv² ≥ 1 → an atom at 0 plus an exponential (P(X > t) = q·e^{−t/b}); cv² < 1 → a gamma
 * distribution (Wilson–Hilferty approximation of its quantile).
 */
export function quantile99(m: Moments): number {
  const { mean, variance } = m;
  if (!(mean > 0)) return 0;
  if (!Number.isFinite(mean) || !Number.isFinite(variance)) return Number.POSITIVE_INFINITY;
  const second = variance + mean * mean;
  if (variance >= mean * mean) {
    const b = second / (2 * mean);
    const q = mean / b;
    return q > 0.01 ? b * Math.log(100 * q) : 0;
  }
  if (variance <= 0) return mean;
  const k = (mean * mean) / variance;
  const z = 2.3263478740408408;
  const h = 1 / (9 * k);
  return mean * Math.max(0, 1 - h + z * Math.sqrt(h)) ** 3;
}
