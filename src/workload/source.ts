import type { Distribution } from "../../sim/distributions.js";
import type { Rng } from "../../sim/random.js";
import type { Simulation } from "../../sim/simulation.js";
import { small } from "../../sim/small.js";
import { secondsToTicks, TICKS_PER_SECOND } from "../../sim/units.js";
import type { WorkloadStats } from "../metrics/workload-stats.js";
import { Message } from "./message.js";

/** The longest delay posted (2^52 ticks, about 75 min): now + delay stays a safe integer for any run. */
export const MAX_DELAY_TICKS = 2 ** 52;

/** How an instance generates work. Sizes are in bytes, periods in ticks. */
export type Pattern =
  | { kind: "poisson"; rateBps: number; size: Distribution }
  | { kind: "onoff"; rateBps: number; size: Distribution; on: Distribution; off: Distribution }
  | { kind: "iops"; iops: number; readShare: number; size: Distribution }
  | { kind: "bulk"; outstanding: number; size: Distribution };

/** Where a source's messages go: the transport moves them and reports back through `done`. */
export interface Transport {
  send(msg: Message): void;
}

/**
 * A source's streams. `sizes` may be null when its size distribution draws nothing (a
 * constant), `choices` when it has one target and no read share to draw: a stream it would
 * never draw from need not exist (its other streams' draws are the same either way).
 */
export interface SourceStreams {
  arrivals: Rng;
  sizes: Rng | null;
  choices: Rng | null;
}

/**
 * What a workload's instances share: the clock, the arrival handler, the pattern, the
 * statistics, the transport and the pattern's gaps. One per workload rather than copies in
 * each source (a site has tens of thousands of sources; the shared part was about half of
 * each).
 */
export class SourceGroup {
  /** Mean inter-arrival gap while sending, ticks (0 for bulk). */
  readonly peakGap: number;

  constructor(
    readonly sim: Simulation,
    readonly handlerId: number,
    readonly pattern: Pattern,
    readonly stats: WorkloadStats,
    readonly transport: Transport,
  ) {
    const p = pattern;
    if (p.kind === "poisson" || p.kind === "onoff") {
      const meanGap = (p.size.mean * 8 * TICKS_PER_SECOND) / p.rateBps;
      this.peakGap = p.kind === "onoff" ? (meanGap * p.on.mean) / (p.on.mean + p.off.mean) : meanGap;
    } else if (p.kind === "iops") {
      this.peakGap = TICKS_PER_SECOND / p.iops;
    } else {
      this.peakGap = 0;
    }
  }
}

/** Message ids: instance `index`'s n-th message is `index · 2^32 + n` (unique in a run). */
const ID_STRIDE = 2 ** 32;

/**
 * One workload instance (a VM or a server) generating messages or I/Os.
 * Assumptions, per pattern:
 * - poisson: exponential inter-arrival times with mean E[size]·8/rate, so the
 *   offered rate is `rateBps` on average;
 * - onoff: alternating on and off periods (heavy-tailed on periods give bursts);
 *   Poisson arrivals during on periods at rate·(E[on]+E[off])/E[on], so the
 *   long-run offered rate is still `rateBps`; nothing is sent while off;
 * - iops: Poisson I/O arrivals at `iops`, each a read with probability readShare;
 * - bulk: always backlogged: keeps `outstanding` messages in flight and sends the
 *   next one the moment one completes (delivered or dropped), like a window-limited
 *   flow; it offers whatever the fabric can carry.
 * Destinations: uniformly random among `targets` (one target: always it).
 * Its own state is only what differs per instance (its streams, its next id, the end of
 * its on period); the rest is its workload's `SourceGroup`.
 */
export class Source {
  private nextId = 0;
  /** End of the current on period (onoff only). */
  private onEnd = 0;
  private readonly arrivals: Rng;
  private readonly sizes: Rng | null;
  private readonly choices: Rng | null;

  constructor(
    readonly group: SourceGroup,
    readonly index: number,
    readonly targets: number,
    streams: SourceStreams,
  ) {
    this.arrivals = streams.arrivals;
    this.sizes = streams.sizes;
    this.choices = streams.choices;
  }

  get pattern(): Pattern {
    return this.group.pattern;
  }

  get stats(): WorkloadStats {
    return this.group.stats;
  }

  /** Schedules the first arrivals. Call once, at time 0. */
  start(): void {
    const p = this.pattern;
    if (p.kind === "bulk") {
      for (let i = 0; i < p.outstanding; i++) this.emit();
      return;
    }
    if (p.kind === "onoff") this.onEnd = this.group.sim.now + this.period(p.on);
    this.scheduleNext();
  }

  /** Kernel callback: an arrival is due. */
  arrive(): void {
    this.emit();
    this.scheduleNext();
  }

  /**
   * Schedules the next arrival one gap from now. On/off: a gap that ends after the
   * on period means no more arrivals in it; the next on period starts after an off
   * period, and arrivals restart one fresh gap into it (memoryless), skipping whole
   * on periods too short for one. Decided now, so the arrival is never in the past.
   */
  private scheduleNext(): void {
    const { pattern: p, sim } = this.group;
    let at = sim.now + this.gap();
    if (p.kind === "onoff") {
      while (at > this.onEnd) {
        const onStart = this.onEnd + this.period(p.off);
        this.onEnd = onStart + this.period(p.on);
        at = onStart + this.gap();
      }
    }
    // A heavy-tailed draw may land past the clock's range; past the run's end (at most an
    // hour, src/topology/bounds.ts) every arrival is the same: it never comes.
    sim.post(Math.min(at - sim.now, MAX_DELAY_TICKS), this.group.handlerId, this);
  }

  /** The transport reports a message finished (delivered or dropped). */
  done(_msg: Message): void {
    if (this.pattern.kind === "bulk") this.emit();
  }

  private emit(): void {
    const { pattern: p, stats, sim } = this.group;
    // Null streams are never drawn from (see SourceStreams): a constant ignores its stream.
    const bytes = Math.max(1, Math.round(p.size.sample(this.sizes as Rng)));
    const isRead = p.kind === "iops" && this.choices!.random() < p.readShare;
    // small(): an index drawn in floating point would make every message's `target` a separate heap number.
    const target = this.targets > 1 ? small(this.choices!.int(this.targets)) : 0;
    const id = this.index * ID_STRIDE + this.nextId++;
    const msg = new Message(id, stats, this.index, bytes, sim.now, isRead, target);
    stats.created(msg);
    this.group.transport.send(msg);
  }

  private gap(): number {
    return Math.max(1, Math.round(-Math.log(1 - this.arrivals.random()) * this.group.peakGap));
  }

  private period(d: Distribution): number {
    return Math.max(1, secondsToTicks(d.sample(this.arrivals)));
  }
}
