/**
 * Every finished message or I/O of a workload, in the order they finished: when, its
 * latency (NaN when it was dropped) and its payload bytes. The raw output that the
 * steady-state analysis (`steady-state.ts`) cuts a warm-up from; recorded only for
 * workloads with an SLA row. 24 bytes per finished message, in typed arrays that double
 * when full (no allocation per message).
 */
export class OutcomeSeries {
  /** Finish times, ticks. */
  times = new Float64Array(1024);
  /** Latency in seconds; NaN for a dropped message. */
  latencies = new Float64Array(1024);
  /** Payload bytes of a delivered message; 0 for a dropped one. */
  bytes = new Float64Array(1024);
  length = 0;

  delivered(now: number, latencySeconds: number, bytes: number): void {
    this.push(now, latencySeconds, bytes);
  }

  dropped(now: number): void {
    this.push(now, Number.NaN, 0);
  }

  private push(t: number, latency: number, bytes: number): void {
    const n = this.length;
    if (n === this.times.length) {
      this.times = grow(this.times);
      this.latencies = grow(this.latencies);
      this.bytes = grow(this.bytes);
    }
    this.times[n] = t;
    this.latencies[n] = latency;
    this.bytes[n] = bytes;
    this.length = n + 1;
  }
}

function grow(a: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> {
  const b = new Float64Array(a.length * 2);
  b.set(a);
  return b;
}
