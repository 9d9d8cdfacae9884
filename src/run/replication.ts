import { RandomStreams } from "../../sim/random.js";
import { Simulation, URGENT } from "../../sim/simulation.js";
import { QuantileSketch } from "../../sim/stats/quantile-sketch.js";
import type { PortStats } from "../fabric/egress-port.js";
import type { TcpResult } from "../metrics/result.js";
import { type SteadyEstimate, steadyEstimate } from "../metrics/steady-state.js";
import { WorkloadStats } from "../metrics/workload-stats.js";
import { buildNetwork, type Network } from "../network/build.js";
import { toDistribution } from "../network/distribution.js";
import type {
  FaultTarget,
  ResolvedFault,
  ResolvedTopology,
  ResolvedWorkload,
  TransportKind,
} from "../topology/types.js";
import { IN_FLIGHT, type Message } from "../workload/message.js";
import { type Pattern, Source, SourceGroup } from "../workload/source.js";
import { FaultManager, type FaultOptions, type FaultResult } from "./faults.js";
import { allFaults } from "./random-failures.js";
import { FabricTransport, Instance, type InstanceInfo } from "./transport.js";

/** What one replication measured, in plain data (structured-cloneable for worker threads). */
export interface ReplicationResult {
  replication: number;
  fingerprint: string;
  events: number;
  simulatedSeconds: number;
  windowSeconds: number;
  workloads: Array<{
    name: string;
    unit: "message" | "io";
    sent: number;
    delivered: number;
    dropped: number;
    inFlight: number;
    dropReasons: Record<string, number>;
    offeredBytes: number;
    deliveredBytes: number;
    latencyMean: number | null;
    latencyP99: number | null;
    /** Messages created in the window and unfinished at its end (stuck work, or just in flight). */
    unfinished: number;
    /**
     * Mean and p99 over the window's delivered messages and its unfinished ones counted at
     * their age at the end (a lower bound of their latency): work stuck behind a failure
     * raises them, a normal tail in flight barely moves them. Null without any.
     */
    censoredMean: number | null;
    censoredP99: number | null;
    /** The sketch's state for merging across replications. */
    latencyValues: { count: number; sum: number; max: number | null; quantiles: Record<string, number | null> };
    transport?: TransportKind | null;
    /** TCP/DCTCP workloads: segment counters (whole run), in-flight segments walked in the fabric; else null. */
    tcp?: TcpResult | null;
  }>;
  links: PortStats[];
  /** Per `fail` fault (empty without faults), sorted by time. */
  faults: FaultResult[];
  /** Per SLA row (topology order): its steady-state estimate after the detected warm-up. */
  steady: SteadyEstimate[];
}

export interface ReplicationOptions extends FaultOptions {
  /** Faults to apply instead of the topology's own (`iovsim blast`). */
  readonly faults?: ResolvedTopology["faults"];
  /** Measurement time after the file's warm-up, ticks, instead of its `duration` (longer runs for precision). */
  readonly durationTicks?: number;
}

function pattern(w: ResolvedWorkload): Pattern {
  const size = toDistribution(w.size);
  switch (w.pattern) {
    case "poisson":
      return { kind: "poisson", rateBps: w.rateBps, size };
    case "onoff":
      return {
        kind: "onoff",
        rateBps: w.rateBps,
        size,
        // Burst periods are in ticks in the file; the source wants seconds.
        on: scaled(toDistribution(w.burst.on)),
        off: scaled(toDistribution(w.burst.off)),
      };
    case "iops":
      return { kind: "iops", iops: w.iops, readShare: w.read ?? 0, size };
    case "bulk":
      return { kind: "bulk", outstanding: w.outstanding, size };
  }
}

function scaled(d: ReturnType<typeof toDistribution>): ReturnType<typeof toDistribution> {
  return {
    mean: d.mean / 1e12,
    sample: (rng) => d.sample(rng) / 1e12,
    describe: () => `${d.describe()} ticks`,
  };
}

/**
 * One replication of a topology: build, run through warm-up and the measurement
 * window, then read the metrics. `advanceTo` lets a caller run in slices (progress
 * bars, interruption) without changing the result.
 */
export class Replication {
  readonly sim = new Simulation();
  readonly net: Network;
  readonly stats: WorkloadStats[];
  readonly transport: FabricTransport;
  /** Applies the faults (null when there are none, so fault-free runs are unchanged). */
  private faultManager: FaultManager | null = null;
  private readonly instances: InstanceInfo[];
  /** Workload index of each instance. */
  private readonly instanceWorkload: readonly number[];
  private readonly options: ReplicationOptions;
  /** The end of the run: warm-up + window, or where `stopHere` cut it short. */
  private end: number;
  /** Start of the measurement window: the warm-up's end (0 when `stopHere` cut the run during warm-up). */
  private warmupTicks: number;
  /** Faults after t = 0: the SLA rows use the file's warm-up instead of detecting one. */
  private transientFaults: boolean;

  constructor(
    readonly topo: ResolvedTopology,
    readonly replication: number,
    seed: number = topo.experiment.seed,
    options: ReplicationOptions = {},
  ) {
    const streams = new RandomStreams(seed, replication);
    const instances: InstanceInfo[] = [];
    // Workloads with an SLA row keep every outcome for the steady-state analysis.
    const slaWorkloads = new Set(topo.sla.map((s) => s.workload));
    const clock = (): number => this.sim.now;
    this.stats = topo.workloads.map((w) => new WorkloadStats(w.name, w.unit, slaWorkloads.has(w.name) ? clock : null));
    let transport: FabricTransport | null = null;
    this.net = buildNetwork(topo, this.sim, streams, (array, msg) => transport!.served(array, msg));
    const arrive = this.sim.handler((s: Source) => s.arrive(), "workload.arrive");
    const sources: Source[] = [];
    const instanceWorkload: number[] = [];
    topo.workloads.forEach((w, wi) => {
      for (const inst of w.instances) {
        instanceWorkload.push(wi);
        instances.push(new Instance(inst, w.unit, w.transport ?? "udp"));
      }
    });
    const tcp = {
      congestion: "reno" as const,
      rtoMinTicks: topo.transport.rtoMinTicks,
      initialWindow: topo.transport.initialWindow,
    };
    transport = new FabricTransport(this.net, instances, tcp, streams);
    this.transport = transport;
    // One group per workload (its pattern, statistics, handler), shared by its instances.
    const groups = topo.workloads.map((w, wi) =>
      w.instances.length > 0 ? new SourceGroup(this.sim, arrive, pattern(w), this.stats[wi]!, transport) : null,
    );
    instances.forEach((inst, i) => {
      const w = topo.workloads[instanceWorkload[i]!]!;
      const targets = inst.spec.to.nodes.length;
      const key = inst.key;
      // Fetched once here (instance keys are unique): not remembered by name. A stream the
      // source never draws from is not made (a constant size draws nothing; one target and
      // no read/write choice draw no choice); any stream it makes gives the draws it did.
      sources.push(
        new Source(groups[instanceWorkload[i]!]!, i, targets, {
          arrivals: streams.detached(`${key}:arrivals`),
          sizes: w.size.kind === "constant" ? null : streams.detached(`${key}:sizes`),
          choices: w.pattern === "iops" || targets > 1 ? streams.detached(`${key}:choices`) : null,
        }),
      );
    });
    transport.sources = sources;
    const durationTicks = options.durationTicks ?? topo.experiment.durationTicks;
    if (!(Number.isSafeInteger(durationTicks) && durationTicks > 0)) {
      throw new RangeError(`durationTicks must be a positive whole number of ticks, got ${durationTicks}`);
    }
    const faults = options.faults ?? allFaults(topo, streams, topo.experiment.warmupTicks + durationTicks);
    // A failure during the run is a transient the verdicts must see, not a start-up to cut.
    this.transientFaults = faults.some((f) => f.atTicks > 0);
    this.instances = instances;
    this.instanceWorkload = instanceWorkload;
    this.options = options;
    if (faults.length > 0) {
      this.faultManager = new FaultManager(topo, this.sim, this.net.fabric, transport, instances, faults, options);
    }
    this.warmupTicks = topo.experiment.warmupTicks;
    this.end = topo.experiment.warmupTicks + durationTicks;
    const warm = this.sim.handler(() => {
      this.net.fabric.resetStats();
      for (const s of this.stats) s.startWindow(this.sim.now);
    }, "warmup.end");
    this.sim.schedule(this.warmupTicks, warm);
    for (const s of sources) s.start();
  }

  /** The fault manager, or null while the run has no faults. */
  get faults(): FaultManager | null {
    return this.faultManager;
  }

  /**
   * Fails or restores `target` while the run is paused between `advanceTo` calls (the
   * web visualizer). Every event at the current tick has already fired, so the fault
   * takes effect at the next tick (now + 1 ps), before any event due then: exactly where
   * a `faults:` entry at that time would act. Returns the fault as scheduled.
   *
   * The fault manager is created on the first call (not up front) so that a run with no
   * injection registers the same handlers as the CLI's and keeps its fingerprint; the
   * price is that an injected run's fingerprint (which hashes handler ids) differs from
   * the same fault given in `faults:`, while every count and measurement is the same.
   */
  inject(fault: { readonly action: "fail" | "restore"; readonly target: FaultTarget }): ResolvedFault {
    if (this.done) throw new Error("inject: the run has ended");
    const f: ResolvedFault = { atTicks: this.sim.now + 1, action: fault.action, target: fault.target };
    this.transientFaults = true;
    this.faultManager ??= new FaultManager(
      this.topo,
      this.sim,
      this.net.fabric,
      this.transport,
      this.instances,
      [],
      this.options,
    );
    this.faultManager.schedule(f, URGENT);
    return f;
  }

  get endTicks(): number {
    return this.end;
  }

  /**
   * Ends the run where it stands (a budget was hit, src/run/budget.ts): the window
   * closes now, so `result()` measures what ran, runs nothing more, and still counts
   * every message as delivered, dropped or in flight. The caller labels the result partial.
   */
  stopHere(): void {
    this.end = this.sim.now;
    // Stopped during warm-up: nothing was reset yet, so what was counted covers [0, now].
    if (this.end < this.warmupTicks) this.warmupTicks = 0;
  }

  /** The measurement window in ticks: [warm-up end, end], or [0, end] after `stopHere` during warm-up. */
  get windowTicks(): { readonly start: number; readonly end: number } {
    return { start: this.warmupTicks, end: this.end };
  }

  /** Runs up to `ticks` (capped at the end of the run). */
  advanceTo(ticks: number): void {
    this.sim.run({ until: Math.min(ticks, this.endTicks) });
  }

  get done(): boolean {
    return this.sim.now >= this.endTicks;
  }

  /** Unfinished messages, found by walking the fabric, the arrays and the multipath queues. */
  unfinishedMessages(): Message[] {
    const seen = new Set<Message>();
    const visit = (m: Message): void => {
      if (m.state === IN_FLIGHT) seen.add(m);
    };
    this.net.fabric.forEachTransferInFlight((t) => visit(t.owner as Message));
    for (const a of this.net.arrays.values()) a.forEach(visit);
    this.transport.forEachRetrying(visit);
    return [...seen];
  }

  /** Counts unfinished messages by walking the fabric and the arrays (not by difference). */
  inFlightByWorkload(messages: readonly Message[] = this.unfinishedMessages()): Map<WorkloadStats, number> {
    const counts = new Map<WorkloadStats, number>();
    for (const m of messages) counts.set(m.stats, (counts.get(m.stats) ?? 0) + 1);
    return counts;
  }

  /** Per workload: TCP segment counters summed over its instances, in-flight segments walked in the fabric; null if not TCP. */
  tcpByWorkload(): (TcpResult | null)[] {
    const out: (TcpResult | null)[] = this.topo.workloads.map((w) =>
      w.transport === "tcp" || w.transport === "dctcp"
        ? {
            segmentsSent: 0,
            retransmitted: 0,
            arrived: 0,
            duplicates: 0,
            dropped: 0,
            inFlight: 0,
            fastRetransmits: 0,
            timeouts: 0,
            ecnEchoes: 0,
            goodputBytes: 0,
          }
        : null,
    );
    const workloadOf = this.instanceWorkload;
    this.instances.forEach((_, i) => {
      const sum = out[workloadOf[i]!];
      const c = this.transport.tcpCounters(i);
      if (sum === null || sum === undefined || c === null) return;
      for (const k of Object.keys(c) as (keyof typeof c)[]) sum[k] += c[k];
    });
    this.net.fabric.forEachTransferInFlight((t) => {
      if (t.seq < 0) return;
      const sum = out[workloadOf[(t.owner as Message).source]!];
      if (sum !== null && sum !== undefined) sum.inFlight++;
    });
    return out;
  }

  result(): ReplicationResult {
    if (!this.done) this.advanceTo(this.endTicks);
    const unfinished = this.unfinishedMessages();
    const inFlight = this.inFlightByWorkload(unfinished);
    // Unfinished work of the window at its age: a censored sample (src/metrics/sla.ts).
    const ages = new Map<WorkloadStats, number[]>();
    for (const m of unfinished) {
      if (m.createdAt < this.warmupTicks) continue;
      const list = ages.get(m.stats);
      const age = (this.endTicks - m.createdAt) / 1e12;
      if (list === undefined) ages.set(m.stats, [age]);
      else list.push(age);
    }
    const tcp = this.tcpByWorkload();
    const windowSeconds = (this.endTicks - this.warmupTicks) / 1e12;
    void this.transport;
    return {
      replication: this.replication,
      fingerprint: this.sim.fingerprint(),
      events: this.sim.events,
      simulatedSeconds: this.sim.now / 1e12,
      windowSeconds,
      workloads: this.stats.map((s, wi) => {
        const samples = s.latency.count;
        const q = (p: number): number | null => (samples === 0 ? null : s.latencySketch.quantile(p));
        return {
          name: s.name,
          unit: s.unit,
          sent: s.sent,
          delivered: s.delivered,
          dropped: s.dropped,
          inFlight: inFlight.get(s) ?? 0,
          dropReasons: Object.fromEntries([...s.dropReasons.entries()].sort(([a], [b]) => (a < b ? -1 : 1))),
          offeredBytes: s.offeredBytes,
          deliveredBytes: s.deliveredBytes,
          latencyMean: samples === 0 ? null : s.latency.mean,
          latencyP99: q(0.99),
          ...censored(s, ages.get(s) ?? []),
          latencyValues: {
            count: samples,
            sum: samples === 0 ? 0 : s.latency.sum,
            max: samples === 0 ? null : s.latency.max,
            quantiles: { p50: q(0.5), p99: q(0.99), p999: q(0.999) },
          },
          transport: this.topo.workloads[wi]!.transport,
          tcp: tcp[wi] ?? null,
        };
      }),
      links: this.net.fabric.ports.map((p) => p.stats()),
      faults: this.faultManager === null ? [] : this.faultManager.results(this.endTicks, unfinished),
      steady: this.steady(tcp),
    };
  }

  /**
   * Each SLA row's estimate after the warm-up (detected by MSER-5, or the file's with faults).
   * A TCP workload's loss is its share of transmissions dropped (TCP resends them), counted
   * over the whole run: there is no per-segment series to cut a warm-up from.
   */
  private steady(tcp: readonly (TcpResult | null)[]): SteadyEstimate[] {
    const rule = { detect: !this.transientFaults, ticks: this.warmupTicks };
    return this.topo.sla.map((row) => {
      const wi = this.stats.findIndex((s) => s.name === row.workload);
      const series = this.stats[wi]?.series;
      if (series === undefined || series === null) throw new Error(`SLA row for unknown workload ${row.workload}`);
      const c = tcp[wi];
      if (row.metric === "lossRatio" && c !== null && c !== undefined) {
        const sent = c.segmentsSent + c.retransmitted;
        return {
          warmup: 0,
          window: this.endTicks / 1e12,
          method: "fixed",
          settled: null,
          estimate: sent === 0 ? null : c.dropped / sent,
          samples: sent,
          dropped: c.dropped,
          finished: sent,
          halves: null,
        };
      }
      return steadyEstimate(series, row.metric, this.endTicks, rule);
    });
  }
}

/** The window's latency with its unfinished messages counted at their age (lower bounds of their latency). */
function censored(
  s: WorkloadStats,
  ages: readonly number[],
): { unfinished: number; censoredMean: number | null; censoredP99: number | null } {
  const n = s.latency.count + ages.length;
  if (n === 0) return { unfinished: 0, censoredMean: null, censoredP99: null };
  if (ages.length === 0)
    return { unfinished: 0, censoredMean: s.latency.mean, censoredP99: s.latencySketch.quantile(0.99) };
  const sketch = new QuantileSketch(0.005);
  if (s.latency.count > 0) sketch.merge(s.latencySketch);
  let sum = s.latency.count > 0 ? s.latency.sum : 0;
  for (const a of ages) {
    sketch.add(a);
    sum += a;
  }
  return { unfinished: ages.length, censoredMean: sum / n, censoredP99: sketch.quantile(0.99) };
}
