/**
 * Link-level flow control: what keeps a lossless link from overrunning its receiver.
 *
 * - `"none"`: lossy; the egress queue drops at the tail when its buffer is full.
 * - `"credit"` (PCIe, Fibre Channel buffer-to-buffer, InfiniBand): the sender holds a
 *   credit pool equal to the receiver's buffer for this link, in wire bytes; a transfer
 *   starts only with credit ≥ its wire bytes, and the credit comes back one propagation
 *   delay after the receiver is done with it. Real PCIe counts header and 16-byte data
 *   credits per type (posted, non-posted, completion); one byte pool per link is the
 *   coarse version of that.
 * - `"pfc"` (802.1Qbb, lossless Ethernet for FCoE): the receiver counts the bytes it holds
 *   from this link and sends PAUSE above XOFF, RESUME at or below XON; each takes one
 *   propagation delay to reach the sender, which finishes the frame it is sending. The
 *   whole port pauses (one lossless priority per link); PAUSE frames take no wire time.
 */

import { TICKS_PER_SECOND } from "../../sim/units.js";
import type { LinkProtocol } from "../link/protocol.js";

export type FlowControl = "none" | "credit" | "pfc";

export interface PfcThresholds {
  /** Bytes held from this link above which the receiver sends PAUSE. */
  readonly xoff: number;
  /** Bytes held at or below which it sends RESUME. */
  readonly xon: number;
  /** Buffer kept above XOFF for what is still coming when PAUSE takes effect. */
  readonly headroom: number;
}

/**
 * XOFF/XON for a receive buffer of `bufferBytes` on a link of `protocol` with one-way
 * propagation `propagationTicks`, at a receiver that counts a transfer from the moment it
 * is handed on after its forwarding latency `latencyTicks`.
 *
 * Headroom, with R the line rate in bytes per tick, p the propagation, L the latency and
 * M the largest transfer's wire bytes: when a transfer takes the count above XOFF at time
 * T (overshoot ≤ M), every transfer the sender began before T + p (when PAUSE arrives)
 * and not yet counted still comes in. Those began within an interval of length
 * 2p + L + (serialization of M), so they carry at most R·(2p + L) + 2M bytes. Hence
 * headroom = ⌈R·(2p + L)⌉ + 3M and nothing overflows `bufferBytes`. XON = XOFF − 2M
 * (floored at 0) keeps PAUSE/RESUME from chattering on every frame.
 */
export function pfcThresholds(
  protocol: LinkProtocol,
  bufferBytes: number,
  propagationTicks: number,
  latencyTicks: number,
): PfcThresholds {
  const bytesPerTick = protocol.dataRateBps / 8 / TICKS_PER_SECOND;
  const maxWire = protocol.wireBytes(protocol.maxPayloadBytes);
  const inFlight = Math.ceil(bytesPerTick * (2 * propagationTicks + latencyTicks));
  const headroom = inFlight + 3 * maxWire;
  const xoff = bufferBytes - headroom;
  if (!(xoff >= maxWire)) {
    throw new RangeError(
      `PFC on ${protocol.id}: a ${bufferBytes}-byte receive buffer is too small; it needs ${headroom} bytes of headroom ` +
        `(${inFlight} in flight over 2 × propagation + latency, plus 3 × ${maxWire}-byte frames) and at least one frame below XOFF, ` +
        `so at least ${headroom + maxWire} bytes`,
    );
  }
  return { xoff, xon: Math.max(0, xoff - 2 * maxWire), headroom };
}
