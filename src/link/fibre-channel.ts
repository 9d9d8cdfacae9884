/**
 * Fibre Channel (FC-FS / FC-PI) frames at 1/2/4/8/16/32GFC.
 *
 * Assumptions:
 * - Line rates: 1.0625/2.125/4.25/8.5 GBd with 8b/10b (data 0.85/1.7/3.4/6.8
 *   Gb/s); 16GFC 14.025 GBd and 32GFC 28.05 GBd with 64b/66b (13.6/27.2 Gb/s).
 *   32GFC really transcodes to 256b/257b and adds RS(528,514) FEC, which
 *   gives the same 27.2 Gb/s (514/528 · 256/257 = 64/66 exactly).
 * - Per frame: SOF 4 B + frame header 24 B + data field + CRC 4 B + EOF 4 B,
 *   then the minimum 6 primitive signals (Idles or R_RDYs, 4 B each = 24 B)
 *   between frames: 60 B per frame besides the payload.
 * - The data field is padded to a multiple of 4 (fill bytes). Default maximum
 *   payload 2048 B: SCSI data moves in 2 KiB frames; the FC maximum is 2112 B
 *   (option). No optional headers inside the data field.
 * - Class 3 (no link-level ACK frames). Buffer-to-buffer credit returns as
 *   R_RDY, itself one of the six primitives between the reverse direction's
 *   frames, so reverseBytesPerTransfer is 0.
 *
 * Payload throughput with full 2048 B frames: 8GFC 6.8 Gb/s · 2048/2108 =
 * 6.606 Gb/s = 825.8 MB/s; 16GFC 1651.6 MB/s. The "800 MB/s" / "1600 MB/s"
 * in catalog-draft.yaml are the nominal class names (1GFC = 100 MB/s, each
 * speed a multiple of it), about 3 % under what the frame arithmetic allows.
 */

import { ENCODING_8B10B, ENCODING_64B66B, type LineEncoding } from "./encoding.js";
import { checkInteger, defineProtocol, type LinkProtocol } from "./protocol.js";

export const FC_SOF_BYTES = 4;
export const FC_HEADER_BYTES = 24;
export const FC_CRC_BYTES = 4;
export const FC_EOF_BYTES = 4;
/** Six 4-byte primitive signals, the minimum between frames. */
export const FC_INTER_FRAME_BYTES = 24;
export const FC_MAX_DATA_FIELD_BYTES = 2112;
export const FC_DEFAULT_MAX_PAYLOAD = 2048;

export type FibreChannelSpeed = "1g" | "2g" | "4g" | "8g" | "16g" | "32g";

const PHYS: Readonly<Record<FibreChannelSpeed, { readonly baud: number; readonly encoding: LineEncoding }>> = {
  "1g": { baud: 1_062_500_000, encoding: ENCODING_8B10B },
  "2g": { baud: 2_125_000_000, encoding: ENCODING_8B10B },
  "4g": { baud: 4_250_000_000, encoding: ENCODING_8B10B },
  "8g": { baud: 8_500_000_000, encoding: ENCODING_8B10B },
  "16g": { baud: 14_025_000_000, encoding: ENCODING_64B66B },
  "32g": { baud: 28_050_000_000, encoding: ENCODING_64B66B },
};

export const FIBRE_CHANNEL_SPEEDS = Object.keys(PHYS) as readonly FibreChannelSpeed[];

export interface FibreChannelOptions {
  /** Largest payload per frame (receive data field size), a multiple of 4 in 256..2112; default 2048. */
  readonly maxPayload?: number;
}

/** Wire bytes of one frame carrying `payload` bytes, incl. the 24 B of primitives after it. */
export function fibreChannelWireBytes(payload: number): number {
  const dataField = Math.ceil(payload / 4) * 4;
  return FC_SOF_BYTES + FC_HEADER_BYTES + dataField + FC_CRC_BYTES + FC_EOF_BYTES + FC_INTER_FRAME_BYTES;
}

/** A Fibre Channel link protocol, id "fc-8g" etc. */
export function fibreChannel(speed: FibreChannelSpeed, options: FibreChannelOptions = {}): LinkProtocol {
  const phy = PHYS[speed];
  if (phy === undefined) {
    throw new RangeError(`unknown Fibre Channel speed "${speed}"; valid: ${FIBRE_CHANNEL_SPEEDS.join(", ")}`);
  }
  const maxPayload = checkInteger(
    "Fibre Channel maxPayload",
    options.maxPayload ?? FC_DEFAULT_MAX_PAYLOAD,
    256,
    FC_MAX_DATA_FIELD_BYTES,
  );
  if (maxPayload % 4 !== 0) throw new RangeError(`Fibre Channel maxPayload must be a multiple of 4, got ${maxPayload}`);
  return defineProtocol({
    id: `fc-${speed}`,
    family: "fibre-channel",
    encoding: phy.encoding,
    lanes: 1,
    signallingBaud: phy.baud,
    maxPayloadBytes: maxPayload,
    reverseBytesPerTransfer: 0,
    wireBytes: fibreChannelWireBytes,
  });
}
