/**
 * Flow-level evaluation of a topology: the fast model the planner searches with
 * (docs/architecture.md §3, issue 5 item 4). It reuses the packet-level network's routes
 * (built by `buildFlowNetwork`: the same ports and routes as `buildNetwork`, without their
 * packet state; nothing is simulated) and replaces the packets by fluid flows.
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
 *   saturates are NOT predicted; such workloads are flagged `lossyContention` (at a port
 *   whose queues each hold a dynamic share of the buffer, a director's Ethernet module port,
 *   only the flows in a queue the elastic flow shares).
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
 *   queue instead: the elastic windows' wire bytes there (capped by a lossy buffer, or by
 *   an elastic queue's dynamic share of it, α/(1 + α)),
 *   drained at C_p. At a port with several DRR queues (VF, vif or host queues) a flow
 *   waits for its own queue only (M/G/1 on that queue's load) plus, per other busy
 *   queue, one of its transfers times the probability it is busy (its load share; 1 for
 *   an elastic queue at a port elastic flows saturate). An elastic flow's own latency is
 *   Little's law: window bytes / rate.
 *   A workload's mean is the rate-weighted mean over its flows; its p99 is the worst
 *   flow's p99 (conservative). Inactive flows (`active`) give no latency sample.
 *
 * Cost, for F flows with routes of h hops (E = F·h), P ports, W workloads (documented
 * because sites of thousands of servers are planned with it; issue 16):
 * - network build O(P) (flow-only: each port its few numbers); routes O(F · h · c) with c the equal-cost candidates per hop, plus
 *   one breadth-first search per destination, grown only as far as its flows' sources
 *   (src/network/routing.ts; once per destination while the tables kept fit the router's
 *   budget, 64 MiB: a site's flows visit their destinations in turn);
 * - wire tables: 2,048 size draws per workload and protocol (kept across evaluations);
 * - water-filling O(E log E) (waterfill.ts), per independent component;
 * - port statistics, latency and per-workload results O(E + W): each flow is visited a
 *   bounded number of times, the waits once per (port, queue);
 * so O(E log E + P) in all: n log n in flows. `FlowModel.withDown` re-solves only what a
 * failure changes (failure.ts).
 */
import type { RoutedNetwork } from "../network/build.js";
import type { AnyPort } from "../network/port-view.js";
import type { ResolvedTopology, ResolvedWorkload } from "../topology/types.js";
import { FlowModel } from "./model.js";

export { type Moments, quantile99 } from "./latency.js";

export interface FlowOptions {
  /** Draws of each size distribution for expected wire bytes (default 2048). */
  readonly sizeSamples?: number;
  /** Honour token-bucket shapers (default true). */
  readonly shapers?: boolean;
  /**
   * A network already built for this topology (routes are reused): the packet-level
   * `buildNetwork` or the flow-only `buildFlowNetwork`; default: a flow-only one.
   */
  readonly network?: RoutedNetwork<AnyPort>;
  /**
   * Which instances are active (default: all). An inactive instance's flows have demand 0.
   * A caller stepping through flow start/stop events (on/off periods, bulk transfers that
   * end) re-solves with the active set at each event: the "recomputed when flows
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
  /** Water-filling rounds, summed over the independent components. */
  rounds: number;
  /** Wall time of the evaluation (network build included unless one was passed). */
  wallSeconds: number;
  /** Wall seconds of its phases: network build, flows and routes, water-filling and latency. */
  phases: { build: number; flows: number; solve: number };
}

export function evaluateFlows(topo: ResolvedTopology, options: FlowOptions = {}): FlowResult {
  return new FlowModel(topo, options).result();
}
