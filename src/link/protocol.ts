/**
 * The common shape of a link protocol: how many bytes a transfer (Ethernet
 * frame, FC frame, InfiniBand packet, PCIe TLP) puts on the wire and how long
 * the transmitter is busy with it. Pure arithmetic on small frozen objects;
 * the port and link models do the timing.
 *
 * Wire bytes are counted after line encoding: the encoding overhead lives in
 * `dataRateBps` (= signallingBaud · encoding efficiency), and `wireBytes`
 * counts framing, headers, CRCs and the gap the transmitter must leave before
 * the next transfer, so back-to-back transfers take exactly
 * `serializationTicks(wireBytes(p))` each.
 */

import { TICKS_PER_SECOND } from "../../sim/units.js";
import type { LineEncoding } from "./encoding.js";

export type LinkFamily = "ethernet" | "fibre-channel" | "infiniband" | "pcie";

/** How a message splits into transfers: all full-size except the last. */
export interface Segmentation {
  /** Transfers needed; at least 1 (an empty message still sends one transfer). */
  readonly transfers: number;
  /** Payload of the last transfer; the other `transfers - 1` carry `maxPayloadBytes` each. */
  readonly lastPayload: number;
  /** Wire bytes of all the transfers together. */
  readonly wireBytes: number;
}

export interface LinkProtocol {
  /** Catalog id: "eth-10g", "fc-8g", "ib-qdr-4x", "pcie-gen3-x8". */
  readonly id: string;
  readonly family: LinkFamily;
  readonly encoding: LineEncoding;
  readonly lanes: number;
  /** Symbols per second on the wire, all lanes together (NRZ: equals the line bit rate). */
  readonly signallingBaud: number;
  /** Bits per second after line encoding: what the transmitter clocks out. */
  readonly dataRateBps: number;
  /** Largest payload one transfer carries (MTU, MPS, max data field). */
  readonly maxPayloadBytes: number;
  /** Bytes the receiver sends back per transfer received (PCIe DLLPs counted per TLP; 0 elsewhere). May be fractional. */
  readonly reverseBytesPerTransfer: number;
  /**
   * Link-layer packets the receiver sends back by timer while transfers arrive (PCIe ACK and
   * UpdateFC DLLPs at the spec's latency limits); null elsewhere. See `pcie.ts`.
   */
  readonly acknowledgements: Acknowledgements | null;
  /** Share of link time taken by periodic ordered sets (PCIe SKP), 0 elsewhere: it stretches every serialization. */
  readonly orderedSetFraction: number;
  /** PCIe read completions: the requests that asked for them, one of `bytes` per `everyBytes` of payload, sent the other way; null otherwise. */
  readonly readRequests: { readonly everyBytes: number; readonly bytes: number } | null;
  /** Wire bytes of one transfer carrying `payload` bytes (0 ≤ payload ≤ maxPayloadBytes), incl. the inter-transfer gap. */
  wireBytes(payload: number): number;
  /** Splits a message of `messageBytes` into transfers of at most `maxPayloadBytes`. */
  segment(messageBytes: number): Segmentation;
  /** Transmitter busy time in ticks (ps) for `wireBytes` at `dataRateBps`, ordered sets included, rounded to nearest. */
  serializationTicks(wireBytes: number): number;
  /** Payload bits per second with back-to-back transfers of `payload` bytes one way (default: full-size). */
  goodputBps(payload?: number): number;
}

/** DLLPs sent back by timer (PCIe): a rate while transfers stream in, one of each for an isolated transfer. */
export interface Acknowledgements {
  /** Bytes owed back per tick of reception (8 B per ACK latency limit + 8 B per UpdateFC interval). */
  readonly bytesPerTick: number;
  /** Bytes owed back for a transfer that follows a quiet link (each timer expires for it alone). */
  readonly isolatedBytes: number;
  /** The timer period, ticks: a gap at least this long before a transfer makes it isolated. */
  readonly timerTicks: number;
}

/** What a family model supplies; `defineProtocol` derives the rest. */
export interface ProtocolSpec {
  readonly id: string;
  readonly family: LinkFamily;
  readonly encoding: LineEncoding;
  readonly lanes: number;
  readonly signallingBaud: number;
  readonly maxPayloadBytes: number;
  readonly reverseBytesPerTransfer: number;
  readonly acknowledgements?: Acknowledgements | null;
  readonly orderedSetFraction?: number;
  readonly readRequests?: { readonly everyBytes: number; readonly bytes: number } | null;
  /** Wire bytes for a payload already checked to be an integer in [0, maxPayloadBytes]. */
  readonly wireBytes: (payload: number) => number;
}

/** Builds a frozen LinkProtocol from a spec, plus family-specific members. */
export function defineProtocol<Extra extends object = object>(
  spec: ProtocolSpec,
  extra?: Extra,
): LinkProtocol & Readonly<Extra> {
  const { encoding, signallingBaud, maxPayloadBytes: max, wireBytes: frameBytes } = spec;
  const dataRateBps = (signallingBaud * encoding.dataBits) / encoding.codeBits;
  const orderedSetFraction = spec.orderedSetFraction ?? 0;
  // ps per wire byte, from baud and encoding directly (not from the rounded
  // data rate): 800 at 10GbE, 126.953125 at PCIe Gen3 x8 before SKP, both exact.
  const ticksPerByte =
    (8 * TICKS_PER_SECOND * encoding.codeBits) / (signallingBaud * encoding.dataBits) / (1 - orderedSetFraction);

  const wireBytes = (payload: number): number => {
    if (!(Number.isInteger(payload) && payload >= 0 && payload <= max)) {
      throw new RangeError(`${spec.id}: payload must be an integer in [0, ${max}] bytes, got ${payload}`);
    }
    return frameBytes(payload);
  };
  const fullWire = frameBytes(max);

  const protocol: LinkProtocol = {
    id: spec.id,
    family: spec.family,
    encoding,
    lanes: spec.lanes,
    signallingBaud,
    dataRateBps,
    maxPayloadBytes: max,
    reverseBytesPerTransfer: spec.reverseBytesPerTransfer,
    acknowledgements: spec.acknowledgements ?? null,
    orderedSetFraction,
    readRequests: spec.readRequests ?? null,
    wireBytes,
    segment(messageBytes: number): Segmentation {
      if (!(Number.isSafeInteger(messageBytes) && messageBytes >= 0)) {
        throw new RangeError(`${spec.id}: message size must be a non-negative integer of bytes, got ${messageBytes}`);
      }
      if (messageBytes === 0) return { transfers: 1, lastPayload: 0, wireBytes: frameBytes(0) };
      const transfers = Math.ceil(messageBytes / max);
      const lastPayload = messageBytes - (transfers - 1) * max;
      return { transfers, lastPayload, wireBytes: (transfers - 1) * fullWire + frameBytes(lastPayload) };
    },
    serializationTicks(bytes: number): number {
      return Math.round(bytes * ticksPerByte);
    },
    goodputBps(payload: number = max): number {
      return (dataRateBps * (1 - orderedSetFraction) * payload) / wireBytes(payload);
    },
  };
  return Object.freeze({ ...protocol, ...extra }) as LinkProtocol & Readonly<Extra>;
}

/** Option check shared by the families: `value` must be an integer in [min, max]. */
export function checkInteger(what: string, value: number, min: number, max: number): number {
  if (!(Number.isInteger(value) && value >= min && value <= max)) {
    throw new RangeError(`${what} must be an integer in [${min}, ${max}], got ${value}`);
  }
  return value;
}
