/**
 * Line encodings: how many code bits go on the wire per data bit.
 *
 * The models treat every link as NRZ, so the signalling rate in baud equals
 * the line bit rate, and the data rate is `baud · dataBits / codeBits`.
 * 8b/10b (PCIe Gen1/2, 1-8GFC, InfiniBand SDR-QDR, 1000BASE-X) costs 20 %;
 * 64b/66b (10/25/40/100GBASE-R, 16/32GFC, InfiniBand FDR/EDR) 3.03 %;
 * 128b/130b (PCIe Gen3-5) 1.54 % (docs/domain.md §1.1).
 */

export type LineEncodingId = "8b/10b" | "64b/66b" | "128b/130b";

export interface LineEncoding {
  readonly id: LineEncodingId;
  readonly dataBits: number;
  readonly codeBits: number;
  /** dataBits / codeBits. */
  readonly efficiency: number;
}

function encoding(id: LineEncodingId, dataBits: number, codeBits: number): LineEncoding {
  return Object.freeze({ id, dataBits, codeBits, efficiency: dataBits / codeBits });
}

export const ENCODING_8B10B = encoding("8b/10b", 8, 10);
export const ENCODING_64B66B = encoding("64b/66b", 64, 66);
export const ENCODING_128B130B = encoding("128b/130b", 128, 130);

const BY_ID: Readonly<Record<LineEncodingId, LineEncoding>> = {
  "8b/10b": ENCODING_8B10B,
  "64b/66b": ENCODING_64B66B,
  "128b/130b": ENCODING_128B130B,
};

/** The encoding with this id ("8b/10b", "64b/66b", "128b/130b"). */
export function lineEncoding(id: LineEncodingId): LineEncoding {
  return BY_ID[id];
}

/**
 * Data rate (bits/s) carried by `baud` on the wire. Multiplies before it
 * divides, so integer results (8.5 GBd · 8/10 = 6.8 Gb/s) come out exact.
 */
export function dataRateFromBaud(baud: number, enc: LineEncoding): number {
  return (baud * enc.dataBits) / enc.codeBits;
}
