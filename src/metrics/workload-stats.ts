import { QuantileSketch } from "../../sim/stats/quantile-sketch.js";
import { Tally } from "../../sim/stats/tally.js";
import { ticksToSeconds } from "../../sim/units.js";
import type { Message } from "../workload/message.js";
import { OutcomeSeries } from "./outcome-series.js";

/**
 * What one workload did in one replication. Counters cover the whole run
 * (from t = 0) so conservation can be checked; rates and latencies cover the
 * measurement window [warm-up end, run end]: offered bytes of messages created
 * in it, delivered bytes of messages completed in it, and the latency of
 * messages created in it (a message created during warm-up is not a sample).
 * With `clock`, every finished message is also kept in `series` (time, latency or drop,
 * bytes) for the SLA verdicts' steady-state analysis.
 */
export class WorkloadStats {
  sent = 0;
  delivered = 0;
  dropped = 0;
  readonly dropReasons = new Map<string, number>();
  offeredBytes = 0;
  deliveredBytes = 0;
  /** Latency samples in seconds. */
  readonly latency = new Tally();
  readonly latencySketch = new QuantileSketch(0.005);
  private windowStart = 0;
  /** Every finished message in finish order (null unless a clock was given). */
  readonly series: OutcomeSeries | null;

  constructor(
    readonly name: string,
    readonly unit: "message" | "io",
    /** The simulation's clock (ticks); given, the stats also record `series`. */
    private readonly clock: (() => number) | null = null,
  ) {
    this.series = clock === null ? null : new OutcomeSeries();
  }

  /** Starts the measurement window (end of warm-up). Counters keep counting. */
  startWindow(now: number): void {
    this.windowStart = now;
    this.offeredBytes = 0;
    this.deliveredBytes = 0;
    this.latency.reset();
    this.latencySketch.reset();
  }

  created(msg: Message): void {
    this.sent++;
    if (msg.createdAt >= this.windowStart) this.offeredBytes += msg.bytes;
  }

  completed(msg: Message, now: number): void {
    this.delivered++;
    if (now >= this.windowStart) this.deliveredBytes += msg.bytes;
    if (msg.createdAt >= this.windowStart) {
      const seconds = ticksToSeconds(now - msg.createdAt);
      this.latency.add(seconds);
      this.latencySketch.add(seconds);
    }
    this.series?.delivered(now, ticksToSeconds(now - msg.createdAt), msg.bytes);
  }

  lost(reason: string): void {
    if (this.series !== null) this.series.dropped(this.clock!());
    this.dropped++;
    this.dropReasons.set(reason, (this.dropReasons.get(reason) ?? 0) + 1);
  }
}
