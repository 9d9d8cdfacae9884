/**
 * InfiniBand packets (IBTA Vol. 1/2) at SDR/DDR/QDR/FDR10/FDR/EDR, 1x/4x/12x.
 *
 * Assumptions:
 * - Lane rates: SDR 2.5, DDR 5, QDR 10 GBd with 8b/10b (4x: 8/16/32 Gb/s);
 *   FDR10 10.3125 GBd and FDR 14.0625 GBd with 64b/66b (4x FDR: 54.55 Gb/s);
 *   EDR 25.78125 GBd with 64b/66b (4x: 100 Gb/s) (docs/domain.md §5.2).
 * - Per packet: start delimiter 1 B + LRH 8 B + BTH 12 B + payload (padded to
 *   a multiple of 4, the BTH pad count) + ICRC 4 B + VCRC 2 B + end delimiter
 *   1 B = 28 B besides the payload; a GRH (40 B) only with `grh: true`
 *   (routing between subnets). That is a reliable-connected SEND; RDMA
 *   extended headers (RETH 16 B on the first packet of an RDMA WRITE, AETH 4 B
 *   on read responses) and UD's DETH 8 B are not included.
 * - The delimiters are 8b/10b K-symbols; at 64b/66b (FDR/EDR) framing uses
 *   control blocks instead and the same 2 B is an approximation. No minimum
 *   idle between packets; SKIP ordered sets (≈0.1 %) and 12x lane-alignment
 *   padding are ignored.
 * - Link-level flow-control packets and RC ACKs (coalesced, per message) are
 *   not counted per packet: reverseBytesPerTransfer is 0.
 * - Default MTU 2048 B: the partition MTU OpenSM configures by default and what
 *   QDR-era subnets ran with; 4096 is an option.
 *
 * QDR 4x at MTU 2048: 32 Gb/s · 2048/2076 = 31.57 Gb/s of payload.
 */

import { ENCODING_8B10B, ENCODING_64B66B, type LineEncoding } from "./encoding.js";
import { defineProtocol, type LinkProtocol } from "./protocol.js";

export const IB_DELIMITER_BYTES = 2;
export const IB_LRH_BYTES = 8;
export const IB_GRH_BYTES = 40;
export const IB_BTH_BYTES = 12;
export const IB_ICRC_BYTES = 4;
export const IB_VCRC_BYTES = 2;
export const IB_MTUS = [256, 512, 1024, 2048, 4096] as const;
export const IB_DEFAULT_MTU = 2048;

export type InfinibandRate = "sdr" | "ddr" | "qdr" | "fdr10" | "fdr" | "edr";
export type InfinibandWidth = 1 | 4 | 12;

const LANE: Readonly<Record<InfinibandRate, { readonly baud: number; readonly encoding: LineEncoding }>> = {
  sdr: { baud: 2_500_000_000, encoding: ENCODING_8B10B },
  ddr: { baud: 5_000_000_000, encoding: ENCODING_8B10B },
  qdr: { baud: 10_000_000_000, encoding: ENCODING_8B10B },
  fdr10: { baud: 10_312_500_000, encoding: ENCODING_64B66B },
  fdr: { baud: 14_062_500_000, encoding: ENCODING_64B66B },
  edr: { baud: 25_781_250_000, encoding: ENCODING_64B66B },
};

export const INFINIBAND_RATES = Object.keys(LANE) as readonly InfinibandRate[];
export const INFINIBAND_WIDTHS: readonly InfinibandWidth[] = [1, 4, 12];

export interface InfinibandOptions {
  /** Path MTU in bytes: 256, 512, 1024, 2048 or 4096; default 2048. */
  readonly mtu?: number;
  /** Include a 40 B Global Route Header in every packet; default false. */
  readonly grh?: boolean;
}

/** Wire bytes of one packet carrying `payload` bytes. */
export function infinibandWireBytes(payload: number, grh = false): number {
  const padded = Math.ceil(payload / 4) * 4;
  return (
    IB_DELIMITER_BYTES + IB_LRH_BYTES + (grh ? IB_GRH_BYTES : 0) + IB_BTH_BYTES + padded + IB_ICRC_BYTES + IB_VCRC_BYTES
  );
}

/** An InfiniBand link protocol, id "ib-qdr-4x" etc. */
export function infiniband(
  rate: InfinibandRate,
  width: InfinibandWidth = 4,
  options: InfinibandOptions = {},
): LinkProtocol {
  const lane = LANE[rate];
  if (lane === undefined)
    throw new RangeError(`unknown InfiniBand rate "${rate}"; valid: ${INFINIBAND_RATES.join(", ")}`);
  if (!INFINIBAND_WIDTHS.includes(width)) {
    throw new RangeError(`InfiniBand width must be one of ${INFINIBAND_WIDTHS.join(", ")}, got ${width}`);
  }
  const mtu = options.mtu ?? IB_DEFAULT_MTU;
  if (!(IB_MTUS as readonly number[]).includes(mtu)) {
    throw new RangeError(`InfiniBand mtu must be one of ${IB_MTUS.join(", ")}, got ${mtu}`);
  }
  const grh = options.grh ?? false;
  return defineProtocol({
    id: `ib-${rate}-${width}x`,
    family: "infiniband",
    encoding: lane.encoding,
    lanes: width,
    signallingBaud: width * lane.baud,
    maxPayloadBytes: mtu,
    reverseBytesPerTransfer: 0,
    wireBytes: (payload) => infinibandWireBytes(payload, grh),
  });
}
