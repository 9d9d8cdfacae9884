/**
 * PCI Express TLPs (non-FLIT: Gen1-Gen5) and the data-link traffic around them: the ACK and
 * UpdateFC DLLPs a receiver sends back, and the SKP ordered sets every transmitter inserts.
 *
 * Transaction layer (PCIe Base Spec r3.0 §2.2, §4.2; Intel AN 456; PLX PEX 8532 data book):
 * - Lane rates 2.5/5/8/16/32 GT/s; 8b/10b at Gen1/2, 128b/130b at Gen3+.
 *   Gen3 x8: 64 GT/s · 128/130 = 63.02 Gb/s = 7.877 GB/s per direction.
 * - TLP overhead: Gen1/2 STP 1 + sequence 2 + LCRC 4 + END 1; Gen3+ STP token 4 (carries
 *   the sequence number) + LCRC 4; both 8 B of framing plus a 12 B (3DW, 32-bit address)
 *   or 16 B (4DW, 64-bit) header, + 4 B ECRC when enabled: 20 / 24 / 28 B. Completion
 *   headers are always 3DW. Every TLP and DLLP is a whole number of DWs, so the Gen1/2
 *   lane-0/lane-4k start alignment adds no padding.
 * - Writes are posted MWr TLPs split at MPS (default 256). Reads are MRd requests (header
 *   only) split at MRRS (default 512), answered by CplD completions of MPS bytes by
 *   default (the AN 855 example: a 512 B read as two 256 B completions) or, with
 *   `completions: "rcb"`, of RCB bytes (default 64, what root complexes may chop to).
 *   Addresses are assumed aligned, so no request or completion is split short.
 *
 * Data-link and physical layers: where the link's time goes besides TLPs.
 * - SKP ordered sets (clock compensation, r3.0 §4.2.7): at 2.5/5 GT/s a SKP OS of 4
 *   symbols (COM + 3 SKP) on every lane, scheduled every 1180-1538 symbol times; at 8 GT/s
 *   and up one 130-bit block (16 symbols) every 370-375 blocks (common clock, no SRIS).
 *   We take the longest intervals, as pcie-model does for 8b/10b (`SKIP_Interval = 1538`):
 *   4/1538 = 0.260 % of link time at Gen1/2, 1/(375 + 1) = 0.266 % at Gen3+. The 4-byte
 *   EDS token that ends a data stream before an ordered set at Gen3+ is left out (< 0.01 %).
 *   Folded into serialization: every byte takes 1/(1 − f) of its encoded time.
 * - ACK DLLPs (r3.0 §3.5.3.1, AckNak_LATENCY_TIMER, Tables 3-7/3-8/3-9; r5.0 the same): a
 *   receiver acknowledges at the latest when the timer, started by the first unacknowledged
 *   TLP, reaches (MPS + TLPOverhead) · AckFactor / LinkWidth + InternalDelay symbol times
 *   (+ Tx_L0s_Adjustment, 0 with L0s off), TLPOverhead = 28 symbols, InternalDelay 19 at
 *   2.5 GT/s, 70 at 5 GT/s, 115 at 8 GT/s; AckFactor 1.4 (x1-x4), 2.5 (x8), 3.0 (x16) for
 *   MPS ≤ 256 and 1.0 (x1-x8), 2.0 (x16) above; the tables truncate. E.g. Gen1 x1 MPS 128:
 *   ⌊156 · 1.4 + 19⌋ = 237; Gen3 x8 MPS 256: ⌊284 · 2.5 / 8 + 115⌋ = 203 symbol times
 *   (the values pcie-model transcribes: Neugebauer et al., "Understanding PCIe performance
 *   for end host networking", SIGCOMM 2018, github.com/pcie-bench/pcie-model). 16 and
 *   32 GT/s use the 8 GT/s table, as pcie-model does (confidence: medium).
 * - UpdateFC DLLPs (r3.0 §2.6.1.2, Tables 2-46/2-47/2-48 in r5.0): the same formula with
 *   UpdateFactor = AckFactor, so the same intervals; one UpdateFC per interval for the
 *   credit type being consumed (posted for writes).
 * - A DLLP is 8 B on the wire (SDP/framing 2 + 4 + CRC 2), striped over the lanes like a
 *   TLP, so on a xW link it takes 8/W symbol times. A symbol time is 10 UI at 8b/10b and 8 UI
 *   at 128b/130b: 4, 2, 1, 0.5, 0.25 ns at Gen1-Gen5.
 *
 * As a rate (what a saturated link sends): while TLPs stream in, the receiver sends 8 B
 * of ACK per T_ack and 8 B of UpdateFC per T_fc of link time, T the limits above. A TLP
 * that arrives after the link was quiet for a whole period gets one of each to itself.
 * (pcie-model charges 8 *symbol times* per DLLP whatever the width, i.e. 8·W bytes; on a
 * x8 link that is 8 × our figure. We follow the spec's byte striping.)
 *
 * Effective bandwidth of large writes (MPS-sized MWr, 3DW), per direction, with
 * R = GT/s · W · encoding, f = SKP share, w = MPS + 20 wire bytes, τ = 8 / (R(1 − f)) the
 * time per wire byte and T the timer period in seconds:
 * - one way: the TLPs alone on the forward lanes, the DLLPs on the idle reverse ones:
 *     BW = R (1 − f) · MPS / w;
 *   the reverse direction carries 16 · w τ / T bytes of DLLPs per TLP.
 * - both ways at once (writes each way, the two directions alike): each direction also
 *   carries x bytes of DLLPs per TLP for the other's TLPs, received over (w + x) τ seconds:
 *     x = 16 (w + x) τ / T  ⇒  x = 16 w τ / (T − 16 τ),   BW = R (1 − f) · MPS / (w + x).
 *   E.g. Gen3 x8 MPS 256: R = 63.0154 Gb/s, f = 1/376, w = 276 B, τ = 0.12729 ns,
 *   T = 203 ns: x = 2.80 B, BW = 57.71 Gb/s (7.21 GB/s), 1.0 % below one way's 58.29.
 * `largeWriteGoodputBps` computes these; src/fabric/egress-port.ts charges the same rates.
 * Options `ackEvery` / `updateFcEvery` count DLLPs per TLP instead (the PEX 8532 data book's
 * "one ACK and one UpdateFC per TLP" for fully loaded links; `updateFcEvery: Infinity`
 * ignores UpdateFC, as Xilinx UG962 / WP350 do).
 */

import { TICKS_PER_SECOND } from "../../sim/units.js";
import { ENCODING_8B10B, ENCODING_128B130B } from "./encoding.js";
import { type Acknowledgements, checkInteger, defineProtocol, type LinkProtocol } from "./protocol.js";

/** STP + sequence + LCRC + END (Gen1/2) or STP token + LCRC (Gen3+): 8 B either way. */
export const PCIE_TLP_FRAMING_BYTES = 8;
export const PCIE_HEADER_3DW_BYTES = 12;
export const PCIE_HEADER_4DW_BYTES = 16;
export const PCIE_ECRC_BYTES = 4;
/** ACK/NAK, UpdateFC: framing 2 + DLLP 4 + CRC 2. */
export const PCIE_DLLP_BYTES = 8;
export const PCIE_DEFAULT_MPS = 256;
export const PCIE_DEFAULT_MRRS = 512;
export const PCIE_DEFAULT_RCB = 64;

export type PcieGen = 1 | 2 | 3 | 4 | 5;
export type PcieWidth = 1 | 2 | 4 | 8 | 16;

export const PCIE_GENS: readonly PcieGen[] = [1, 2, 3, 4, 5];
export const PCIE_WIDTHS: readonly PcieWidth[] = [1, 2, 4, 8, 16];
const GIGATRANSFERS: Readonly<Record<PcieGen, number>> = { 1: 2.5, 2: 5, 3: 8, 4: 16, 5: 32 };
/** SKP share of link time: 4 symbols per 1538 (8b/10b), one block per 375 + 1 (128b/130b). */
export const PCIE_SKP_FRACTION_8B10B = 4 / 1538;
export const PCIE_SKP_FRACTION_128B130B = 1 / 376;
/** TLPOverhead in the Ack/UpdateFC latency formulas, symbols. */
const TIMER_TLP_OVERHEAD = 28;
const INTERNAL_DELAY: Readonly<Record<PcieGen, number>> = { 1: 19, 2: 70, 3: 115, 4: 115, 5: 115 };
const SIZES = [128, 256, 512, 1024, 2048, 4096];

export interface TlpOptions {
  /** 4DW headers (64-bit addresses) for MWr/MRd; default false (3DW). */
  readonly addr64?: boolean;
  /** End-to-end CRC digest on every TLP; default false. */
  readonly ecrc?: boolean;
}

export interface PcieOptions extends TlpOptions {
  /** Max Payload Size: 128..4096, a power of two; default 256. */
  readonly mps?: number;
  /** Max Read Request Size: 128..4096, a power of two; default 512. */
  readonly mrrs?: number;
  /** One ACK DLLP per this many TLPs received, instead of the spec's timer (then UpdateFC per TLP too unless given). */
  readonly ackEvery?: number;
  /** One UpdateFC DLLP per this many TLPs received, instead of the timer; Infinity to ignore UpdateFC. */
  readonly updateFcEvery?: number;
  /** Completion size for reads: "mps" (default) or "rcb". */
  readonly completions?: "mps" | "rcb";
  /** Read Completion Boundary: 64 (default) or 128. */
  readonly rcb?: 64 | 128;
  /**
   * What the link direction carries: posted writes (MWr, default) or the completions of the
   * reads the far end makes (CplD, 3DW headers, `completions` bytes each), whose MRd requests
   * (one per MRRS bytes) go the other way: a DMA engine reading host memory (an adapter's
   * transmit path) is answered downstream with completions.
   */
  readonly carries?: "writes" | "read-completions";
}

/** AckFactor (= UpdateFactor) of r3.0 Tables 3-7..3-9 for the widths modelled. */
function ackFactor(width: PcieWidth, mps: number): number {
  if (mps <= 256) return width <= 4 ? 1.4 : width === 8 ? 2.5 : 3.0;
  return width <= 8 ? 1.0 : 2.0;
}

/**
 * The AckNak latency limit (and UpdateFC interval) in symbol times, as the spec's tables
 * give it: ⌊(MPS + 28) · AckFactor / W + InternalDelay⌋ (L0s off).
 */
export function ackLatencySymbols(gen: PcieGen, width: PcieWidth, mps: number): number {
  return Math.floor(((mps + TIMER_TLP_OVERHEAD) * ackFactor(width, mps)) / width + INTERNAL_DELAY[gen]);
}

/** Per-TLP overhead in bytes: 20 (3DW), 24 (4DW), +4 with ECRC. */
export function tlpOverheadBytes(options: TlpOptions = {}): number {
  return (
    PCIE_TLP_FRAMING_BYTES +
    (options.addr64 ? PCIE_HEADER_4DW_BYTES : PCIE_HEADER_3DW_BYTES) +
    (options.ecrc ? PCIE_ECRC_BYTES : 0)
  );
}

/**
 * Payload efficiency of back-to-back TLPs of `payload` bytes, the Intel AN 456 /
 * WP350 formula of docs/domain.md §1.3: payload / (payload + overhead), where
 * `ackPerTlp` adds one 8 B ACK DLLP per TLP to the overhead (the UG962/WP350
 * convention for traffic in both directions).
 */
export function efficiency(payload: number, options: TlpOptions & { readonly ackPerTlp?: boolean } = {}): number {
  return payload / (payload + tlpOverheadBytes(options) + (options.ackPerTlp ? PCIE_DLLP_BYTES : 0));
}

/** A read of n bytes: MRd requests one way, CplD completions the other. */
export interface PcieReadTransfers {
  /** MRd TLPs, requester → completer. */
  readonly requests: number;
  /** CplD TLPs, completer → requester. */
  readonly completions: number;
  /** MRd TLP bytes (header only). */
  readonly requestWireBytes: number;
  /** CplD TLP bytes (data + 3DW headers). */
  readonly completionWireBytes: number;
  /** Requester → completer: the MRds plus the ACK/UpdateFC DLLPs returned for the completions (per TLP, or by timer as a stream). */
  readonly toCompleterBytes: number;
  /** Completer → requester: the CplDs plus the DLLPs returned for the MRds. */
  readonly toRequesterBytes: number;
}

export interface PcieLink extends LinkProtocol {
  readonly family: "pcie";
  readonly gen: PcieGen;
  readonly width: PcieWidth;
  /** One symbol time, ticks (ps): 10 UI at 8b/10b, 8 UI at 128b/130b. */
  readonly symbolTicks: number;
  /** AckNak_LATENCY_TIMER limit for this width and MPS, symbol times (= the UpdateFC interval). */
  readonly ackLatencySymbols: number;
  readonly mps: number;
  readonly mrrs: number;
  /** Payload bytes per CplD (MPS or RCB). */
  readonly completionBytes: number;
  /** Overhead of an MWr/MRd TLP (20/24/28 B). */
  readonly requestOverheadBytes: number;
  /** Overhead of a CplD TLP: 3DW header always (20 B, 24 with ECRC). */
  readonly completionOverheadBytes: number;
  /** Wire bytes both ways for a memory read of `bytes` (≥ 1). */
  readTransfers(bytes: number): PcieReadTransfers;
}

function checkSize(what: string, value: number): number {
  if (!SIZES.includes(value)) throw new RangeError(`PCIe ${what} must be one of ${SIZES.join(", ")}, got ${value}`);
  return value;
}

function checkEvery(what: string, value: number): number {
  if (value === Number.POSITIVE_INFINITY) return value;
  return checkInteger(`PCIe ${what}`, value, 1, 1024);
}

/** A PCIe link protocol, id "pcie-gen3-x8" etc. `segment()` models posted writes. */
export function pcie(gen: PcieGen, width: PcieWidth, options: PcieOptions = {}): PcieLink {
  const gt = GIGATRANSFERS[gen];
  if (gt === undefined) throw new RangeError(`PCIe gen must be one of ${PCIE_GENS.join(", ")}, got ${gen}`);
  if (!PCIE_WIDTHS.includes(width))
    throw new RangeError(`PCIe width must be one of ${PCIE_WIDTHS.join(", ")}, got ${width}`);
  const mps = checkSize("mps", options.mps ?? PCIE_DEFAULT_MPS);
  const mrrs = checkSize("mrrs", options.mrrs ?? PCIE_DEFAULT_MRRS);
  const ackEvery = checkEvery("ackEvery", options.ackEvery ?? 1);
  const updateFcEvery = checkEvery("updateFcEvery", options.updateFcEvery ?? 1);
  const rcb = options.rcb ?? PCIE_DEFAULT_RCB;
  if (rcb !== 64 && rcb !== 128) throw new RangeError(`PCIe rcb must be 64 or 128, got ${String(rcb)}`);
  const completions = options.completions ?? "mps";
  if (completions !== "mps" && completions !== "rcb") {
    throw new RangeError(`PCIe completions must be "mps" or "rcb", got ${JSON.stringify(completions)}`);
  }
  const completionBytes = completions === "mps" ? mps : rcb;
  const carries = options.carries ?? "writes";
  if (carries !== "writes" && carries !== "read-completions") {
    throw new RangeError(`PCIe carries must be "writes" or "read-completions", got ${JSON.stringify(carries)}`);
  }
  const requestOverheadBytes = tlpOverheadBytes(options);
  const completionOverheadBytes = tlpOverheadBytes({ ecrc: options.ecrc ?? false });
  // DLLPs per TLP when asked for; otherwise by the spec's timers (see the header).
  const perTlp = options.ackEvery !== undefined || options.updateFcEvery !== undefined;
  const reverseBytesPerTransfer = perTlp ? PCIE_DLLP_BYTES / ackEvery + PCIE_DLLP_BYTES / updateFcEvery : 0;
  const symbolTicks = ((gen <= 2 ? 10 : 8) * 1000) / gt;
  const ackSymbols = ackLatencySymbols(gen, width, mps);
  const timerTicks = ackSymbols * symbolTicks;
  const skp = gen <= 2 ? PCIE_SKP_FRACTION_8B10B : PCIE_SKP_FRACTION_128B130B;
  const encoding = gen <= 2 ? ENCODING_8B10B : ENCODING_128B130B;
  const ticksPerWireByte =
    (8 * TICKS_PER_SECOND * encoding.codeBits) / (gt * 1e9 * width * encoding.dataBits) / (1 - skp);
  const acknowledgements: Acknowledgements | null = perTlp
    ? null
    : { bytesPerTick: (2 * PCIE_DLLP_BYTES) / timerTicks, isolatedBytes: 2 * PCIE_DLLP_BYTES, timerTicks };

  const readTransfers = (bytes: number): PcieReadTransfers => {
    if (!(Number.isSafeInteger(bytes) && bytes >= 1)) {
      throw new RangeError(`pcie-gen${gen}-x${width}: read size must be a positive integer of bytes, got ${bytes}`);
    }
    const requests = Math.ceil(bytes / mrrs);
    const lastRequest = bytes - (requests - 1) * mrrs;
    const cpls = (requests - 1) * Math.ceil(mrrs / completionBytes) + Math.ceil(lastRequest / completionBytes);
    const requestWireBytes = requests * requestOverheadBytes;
    const completionWireBytes = bytes + cpls * completionOverheadBytes;
    // DLLPs answering a stream of TLPs: per TLP, or at the timers' rate over its wire time.
    const dllps = (tlps: number, wire: number): number =>
      perTlp ? tlps * reverseBytesPerTransfer : wire * ticksPerWireByte * acknowledgements!.bytesPerTick;
    return {
      requests,
      completions: cpls,
      requestWireBytes,
      completionWireBytes,
      toCompleterBytes: requestWireBytes + dllps(cpls, completionWireBytes),
      toRequesterBytes: completionWireBytes + dllps(requests, requestWireBytes),
    };
  };

  return defineProtocol(
    {
      id: `pcie-gen${gen}-x${width}`,
      family: "pcie",
      encoding,
      lanes: width,
      signallingBaud: gt * 1e9 * width,
      maxPayloadBytes: carries === "writes" ? mps : completionBytes,
      reverseBytesPerTransfer,
      acknowledgements,
      orderedSetFraction: skp,
      readRequests: carries === "writes" ? null : { everyBytes: mrrs, bytes: requestOverheadBytes },
      wireBytes: (payload) => payload + (carries === "writes" ? requestOverheadBytes : completionOverheadBytes),
    },
    {
      family: "pcie" as const,
      gen,
      width,
      symbolTicks,
      ackLatencySymbols: ackSymbols,
      mps,
      mrrs,
      completionBytes,
      requestOverheadBytes,
      completionOverheadBytes,
      readTransfers,
    },
  );
}

/**
 * Payload bits per second of large writes (MPS-sized posted TLPs) on `link`, one way or
 * both ways at once, by the derivation in the header: DLLPs by the spec's timers (or per
 * TLP with `ackEvery` / `updateFcEvery`), SKP ordered sets included.
 */
export function largeWriteGoodputBps(link: PcieLink, direction: "one-way" | "both-ways"): number {
  const rate = link.dataRateBps * (1 - link.orderedSetFraction);
  const w = link.wireBytes(link.mps);
  if (direction === "one-way") return (rate * link.mps) / w;
  let x = link.reverseBytesPerTransfer;
  const ack = link.acknowledgements;
  if (ack !== null) {
    const tau = (8 * TICKS_PER_SECOND) / rate; // ticks per wire byte
    const dllpBytes = ack.bytesPerTick * ack.timerTicks; // 16: one ACK and one UpdateFC per period
    x = (dllpBytes * w * tau) / (ack.timerTicks - dllpBytes * tau);
  }
  return (rate * link.mps) / (w + x);
}
