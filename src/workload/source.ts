import type { Distribution } from "../../sim/distributions.js";
import type { Rng } from "../../sim/random.js";
import type { Simulation } from "../../sim/simulation.js";
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

export interface SourceStreams {
  arrivals: Rng;
  sizes: Rng;
  choices: Rng;
}

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
 */
export class Source {
  private nextId = 0;
  /** End of the current on period (onoff only). */
  private onEnd = 0;
  private readonly meanGap: number;
  private readonly peakGap: number;

  constructor(
    private readonly sim: Simulation,
    private readonly handlerId: number,
    readonly index: number,
    readonly pattern: Pattern,
    readonly stats: WorkloadStats,
    readonly targets: number,
    private readonly streams: SourceStreams,
    private readonly transport: Transport,
    private readonly idBase: number,
  ) {
    const p = pattern;
    if (p.kind === "poisson" || p.kind === "onoff") {
      this.meanGap = (p.size.mean * 8 * TICKS_PER_SECOND) / p.rateBps;
      this.peakGap = p.kind === "onoff" ? (this.meanGap * p.on.mean) / (p.on.mean + p.off.mean) : this.meanGap;
    } else if (p.kind === "iops") {
      this.meanGap = TICKS_PER_SECOND / p.iops;
      this.peakGap = this.meanGap;
    } else {
      this.meanGap = 0;
      this.peakGap = 0;
    }
  }

  /** Schedules the first arrivals. Call once, at time 0. */
  start(): void {
    const p = this.pattern;
    if (p.kind === "bulk") {
      for (let i = 0; i < p.outstanding; i++) this.emit();
      return;
    }
    if (p.kind === "onoff") this.onEnd = this.sim.now + this.period(p.on);
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
    const p = this.pattern;
    let at = this.sim.now + this.gap();
    if (p.kind === "onoff") {
      while (at > this.onEnd) {
        const onStart = this.onEnd + this.period(p.off);
        this.onEnd = onStart + this.period(p.on);
        at = onStart + this.gap();
      }
    }
    // A heavy-tailed draw may land past the clock's range; past the run's end (at most an
    // hour, src/topology/bounds.ts) every arrival is the same: it never comes.
    this.sim.post(Math.min(at - this.sim.now, MAX_DELAY_TICKS), this.handlerId, this);
  }

  /** The transport reports a message finished (delivered or dropped). */
  done(_msg: Message): void {
    if (this.pattern.kind === "bulk") this.emit();
  }

  private emit(): void {
    const p = this.pattern;
    const bytes = Math.max(1, Math.round(p.size.sample(this.streams.sizes)));
    const isRead = p.kind === "iops" && this.streams.choices.random() < p.readShare;
    const target = this.targets > 1 ? this.streams.choices.int(this.targets) : 0;
    const msg = new Message(this.idBase + this.nextId++, this.stats, this.index, bytes, this.sim.now, isRead, target);
    this.stats.created(msg);
    this.transport.send(msg);
  }

  private gap(): number {
    return Math.max(1, Math.round(-Math.log(1 - this.streams.arrivals.random()) * this.peakGap));
  }

  private period(d: Distribution): number {
    return Math.max(1, secondsToTicks(d.sample(this.streams.arrivals)));
  }
}
