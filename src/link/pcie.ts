/**
 * PCI Express TLPs (non-FLIT: Gen1-Gen5) and the DLLPs that answer them.
 *
 * Assumptions (reference.md §1.1-§1.4):
 * - Lane rates 2.5/5/8/16/32 GT/s; 8b/10b at Gen1/2, 128b/130b at Gen3+.
 *   Gen3 x8: 64 GT/s · 128/130 = 63.02 Gb/s = 7.877 GB/s per direction.
 * - TLP overhead (§1.2): Gen1/2 STP 1 + sequence 2 + LCRC 4 + END 1; Gen3+
 *   STP token 4 (carries the sequence number) + LCRC 4; both 8 B of framing
 *   plus a 12 B (3DW, 32-bit address) or 16 B (4DW, 64-bit) header, + 4 B ECRC
 *   when enabled: 20 / 24 / 28 B. Completion headers are always 3DW.
 * - Every TLP and DLLP is a whole number of DWs, so Gen1/2 lane-0/lane-4k
 *   start alignment adds no padding. SKP ordered sets (≈0.3 %) are ignored so
 *   the efficiencies match the §1.3 table.
 * - Reverse direction (§1.2, PEX 8532 model): one 8 B ACK DLLP per `ackEvery`
 *   TLPs and one 8 B UpdateFC DLLP per `updateFcEvery` TLPs, both default 1
 *   (16 B back per TLP). `updateFcEvery: Infinity` drops UpdateFC (UG962).
 * - Writes are posted MWr TLPs split at MPS (default 256). Reads are MRd
 *   requests (header only) split at MRRS (default 512), answered by CplD
 *   completions of MPS bytes by default (the AN 855 example: a 512 B read as
 *   two 256 B completions) or, with `completions: "rcb"`, of RCB bytes
 *   (default 64, what root complexes may chop to). Addresses are assumed
 *   aligned, so no request or completion is split short at a boundary.
 */

import { ENCODING_8B10B, ENCODING_128B130B } from "./encoding.js";
import { checkInteger, defineProtocol, type LinkProtocol } from "./protocol.js";

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
  /** One ACK DLLP per this many TLPs received; default 1. */
  readonly ackEvery?: number;
  /** One UpdateFC DLLP per this many TLPs received; default 1; Infinity to ignore UpdateFC. */
  readonly updateFcEvery?: number;
  /** Completion size for reads: "mps" (default) or "rcb". */
  readonly completions?: "mps" | "rcb";
  /** Read Completion Boundary: 64 (default) or 128. */
  readonly rcb?: 64 | 128;
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
 * WP350 formula of reference.md §1.3: payload / (payload + overhead), where
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
  /** Requester → completer: the MRds plus the ACK/UpdateFC DLLPs returned for the completions. */
  readonly toCompleterBytes: number;
  /** Completer → requester: the CplDs plus the DLLPs returned for the MRds. */
  readonly toRequesterBytes: number;
}

export interface PcieLink extends LinkProtocol {
  readonly family: "pcie";
  readonly gen: PcieGen;
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
  const requestOverheadBytes = tlpOverheadBytes(options);
  const completionOverheadBytes = tlpOverheadBytes({ ecrc: options.ecrc ?? false });
  const reverseBytesPerTransfer = PCIE_DLLP_BYTES / ackEvery + PCIE_DLLP_BYTES / updateFcEvery;

  const readTransfers = (bytes: number): PcieReadTransfers => {
    if (!(Number.isSafeInteger(bytes) && bytes >= 1)) {
      throw new RangeError(`pcie-gen${gen}-x${width}: read size must be a positive integer of bytes, got ${bytes}`);
    }
    const requests = Math.ceil(bytes / mrrs);
    const lastRequest = bytes - (requests - 1) * mrrs;
    const cpls = (requests - 1) * Math.ceil(mrrs / completionBytes) + Math.ceil(lastRequest / completionBytes);
    const requestWireBytes = requests * requestOverheadBytes;
    const completionWireBytes = bytes + cpls * completionOverheadBytes;
    return {
      requests,
      completions: cpls,
      requestWireBytes,
      completionWireBytes,
      toCompleterBytes: requestWireBytes + cpls * reverseBytesPerTransfer,
      toRequesterBytes: completionWireBytes + requests * reverseBytesPerTransfer,
    };
  };

  return defineProtocol(
    {
      id: `pcie-gen${gen}-x${width}`,
      family: "pcie",
      encoding: gen <= 2 ? ENCODING_8B10B : ENCODING_128B130B,
      lanes: width,
      signallingBaud: gt * 1e9 * width,
      maxPayloadBytes: mps,
      reverseBytesPerTransfer,
      wireBytes: (payload) => payload + requestOverheadBytes,
    },
    {
      family: "pcie" as const,
      gen,
      mps,
      mrrs,
      completionBytes,
      requestOverheadBytes,
      completionOverheadBytes,
      readTransfers,
    },
  );
}
