/**
 * Samples real transfers for the topology view (worker side): every SAMPLE_EVERY-th
 * message (by id, so the choice is deterministic) is traced hop by hop through the
 * fabric's transmit tracer, and each snapshot carries the hops seen since the last
 * one. Tracing only reads: the run's result is the same with or without it.
 */
import type { EgressPort } from "../../src/fabric/egress-port.js";
import type { Replication } from "../../src/run/replication.js";

/** One message in this many is traced. */
export const SAMPLE_EVERY = 64;
/** Hops sent with one snapshot at most (the earliest win): the page draws a few hundred dots. */
export const MAX_HOPS = 400;

/** Flattened hops: [port index, begin tick, end tick, message id] per hop, in transmit order. */
export type SampledHops = number[];

export class TransferSampler {
  private hops: number[] = [];
  private readonly index = new Map<EgressPort, number>();

  constructor(rep: Replication) {
    rep.net.fabric.ports.forEach((p, i) => {
      this.index.set(p, i);
    });
    rep.net.fabric.onTransmit = (port, t, begin, end) => {
      const id = (t.owner as { id?: unknown } | null)?.id;
      if (typeof id !== "number" || id % SAMPLE_EVERY !== 0 || this.hops.length >= 4 * MAX_HOPS) return;
      this.hops.push(this.index.get(port) ?? -1, begin, end, id);
    };
  }

  /** The hops since the last call. */
  take(): SampledHops {
    const out = this.hops;
    this.hops = [];
    return out;
  }
}
