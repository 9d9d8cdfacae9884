import type { WorkloadStats } from "../metrics/workload-stats.js";

export const IN_FLIGHT = 0;
export const DELIVERED = 1;
export const DROPPED = 2;
/** Replaced by a retry (storage I/O re-issued by multipathing): counted as neither delivered nor dropped. */
export const SUPERSEDED = 3;

/**
 * A workload's unit of work: a network message (source to destination) or a
 * storage I/O (command to completion). The transport splits it into transfers;
 * it ends DELIVERED when its last part arrives, or DROPPED at its first lost
 * transfer (its other transfers may still be on the wire; they no longer count).
 */
export class Message {
  state: 0 | 1 | 2 | 3 = IN_FLIGHT;
  /** Which issue of this message or I/O this is (1 = the first; retries count up). */
  attempt = 1;
  /** Transfers of the current leg not yet delivered. */
  pending = 0;
  /** Storage I/O phase: 0 command (and write data) out, 1 at the array, 2 data (read) and status back. */
  phase = 0;
  /** TCP: sequence numbers of its first and last segment once sent, else -1. */
  firstSeq = -1;
  lastSeq = -1;

  constructor(
    readonly id: number,
    readonly stats: WorkloadStats,
    /** The workload instance that created it (a VM or server). */
    readonly source: number,
    /** Payload bytes (for an I/O: the data size). */
    readonly bytes: number,
    readonly createdAt: number,
    readonly isRead: boolean,
    /** Index of the destination among the instance's targets. */
    readonly target: number,
  ) {}
}
