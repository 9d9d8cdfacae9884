/**
 * Per-phase statistics of a fault (src/run/faults.ts): what the messages created in
 * one phase (during the outage, after failover) did, per workload, enough to judge
 * the affected workloads' SLA rows per phase. Work still unfinished at the end of the
 * run counts at its age (a censored latency, src/metrics/sla.ts).
 */

import { QuantileSketch } from "../../sim/stats/quantile-sketch.js";
import { TICKS_PER_SECOND } from "../../sim/units.js";
import type { WorkloadResult } from "../metrics/result.js";
import type { Message } from "../workload/message.js";

/** What messages created (latency, loss) or completed (bytes) in one phase of a fault did, per workload. */
export class PhaseStats {
  readonly delivered = new Map<string, number>();
  readonly dropped = new Map<string, number>();
  readonly bytes = new Map<string, number>();
  readonly sum = new Map<string, number>();
  readonly sketch = new Map<string, QuantileSketch>();
  /** Ages at the end of the run of messages created in the phase and still unfinished (censored latencies). */
  readonly ages = new Map<string, number[]>();
  constructor(
    readonly from: number,
    readonly to: number,
  ) {}

  /** An unfinished message at the end of the run (`end`): counted at its age if created in the phase. */
  unfinished(msg: Message, end: number): void {
    if (msg.createdAt < this.from || msg.createdAt >= this.to) return;
    const w = msg.stats.name;
    const list = this.ages.get(w);
    const age = (end - msg.createdAt) / TICKS_PER_SECOND;
    if (list === undefined) this.ages.set(w, [age]);
    else list.push(age);
  }

  done(msg: Message, delivered: boolean, now: number): void {
    const w = msg.stats.name;
    if (delivered && now >= this.from && now < this.to) this.bytes.set(w, (this.bytes.get(w) ?? 0) + msg.bytes);
    if (msg.createdAt < this.from || msg.createdAt >= this.to) return;
    const counts = delivered ? this.delivered : this.dropped;
    counts.set(w, (counts.get(w) ?? 0) + 1);
    if (!delivered) return;
    const latency = (now - msg.createdAt) / TICKS_PER_SECOND;
    this.sum.set(w, (this.sum.get(w) ?? 0) + latency);
    let q = this.sketch.get(w);
    if (q === undefined) {
      q = new QuantileSketch(0.005);
      this.sketch.set(w, q);
    }
    q.add(latency);
  }

  /** The phase as a WorkloadResult, enough for `evaluateSla`. */
  result(name: string, unit: "message" | "io"): WorkloadResult {
    const delivered = this.delivered.get(name) ?? 0;
    const q = this.sketch.get(name);
    const seconds = (this.to - this.from) / TICKS_PER_SECOND;
    const ages = this.ages.get(name) ?? [];
    let withUnfinished: WorkloadResult["latencyWithUnfinished"] = {
      mean: delivered === 0 ? null : this.sum.get(name)! / delivered,
      p99: q === undefined ? null : q.quantile(0.99),
    };
    if (ages.length > 0) {
      const c = new QuantileSketch(0.005);
      if (q !== undefined) c.merge(q);
      let sum = this.sum.get(name) ?? 0;
      for (const a of ages) {
        c.add(a);
        sum += a;
      }
      withUnfinished = { mean: sum / (delivered + ages.length), p99: c.quantile(0.99) };
    }
    return {
      name,
      unit,
      offeredBps: 0,
      deliveredBps: seconds > 0 ? ((this.bytes.get(name) ?? 0) * 8) / seconds : 0,
      latency: {
        mean: delivered === 0 ? null : this.sum.get(name)! / delivered,
        p50: q === undefined ? null : q.quantile(0.5),
        p99: q === undefined ? null : q.quantile(0.99),
        p999: q === undefined ? null : q.quantile(0.999),
        max: q === undefined ? null : q.max,
        samples: delivered,
      },
      ci95: { "latency.mean": null, "latency.p99": null, deliveredBps: null },
      sent: 0,
      delivered,
      dropped: this.dropped.get(name) ?? 0,
      inFlight: 0,
      unfinished: ages.length,
      latencyWithUnfinished: withUnfinished,
      dropReasons: {},
    };
  }
}

/** Copies a phase's counts into another (new boundaries, same messages). */
export function copyInto(from: PhaseStats, to: PhaseStats): void {
  for (const [k, v] of from.ages) to.ages.set(k, [...v]);
  for (const [k, v] of from.delivered) to.delivered.set(k, v);
  for (const [k, v] of from.dropped) to.dropped.set(k, v);
  for (const [k, v] of from.bytes) to.bytes.set(k, v);
  for (const [k, v] of from.sum) to.sum.set(k, v);
  for (const [k, v] of from.sketch) to.sketch.set(k, v);
}
