/**
 * Ethernet (IEEE 802.3) frames at 1/10/25/40/100 Gb/s.
 *
 * Assumptions:
 * - `dataRateBps` is the MAC data rate exactly (10e9 at 10GbE). The PCS line
 *   encoding sits below it: 10GBASE-R signals at 10.3125 GBd with 64b/66b, and
 *   10.3125 · 64/66 = 10 exactly; 1000BASE-X is 1.25 GBd with 8b/10b. 40G and
 *   100G are 4 lanes of 10.3125 and 25.78125 GBd. (100GBASE-R with RS-FEC
 *   transcodes 64b/66b to 256b/257b to make room for the FEC at the same baud,
 *   so the MAC rate is unchanged.)
 * - Per frame on the wire: preamble + SFD 8 B, header 14 B, 4 B per 802.1Q tag,
 *   payload (MAC client data, e.g. the IP packet; padded so the frame from
 *   header to FCS is at least 64 B), FCS 4 B, inter-frame gap 12 B. 10G+ MACs
 *   vary the gap per frame (deficit idle count) but average 12 B.
 * - Goodput counts the MAC client data: 1500 B in 1538 B → 9.753 Gb/s at 10G.
 * - No reverse traffic per frame (PAUSE/PFC frames are modelled by ports, if at all).
 */

import { ENCODING_8B10B, ENCODING_64B66B, type LineEncoding } from "./encoding.js";
import { checkInteger, defineProtocol, type LinkProtocol } from "./protocol.js";

export const ETH_PREAMBLE_SFD_BYTES = 8;
export const ETH_HEADER_BYTES = 14;
export const ETH_VLAN_TAG_BYTES = 4;
export const ETH_FCS_BYTES = 4;
export const ETH_IFG_BYTES = 12;
/** Header through FCS; shorter frames are padded. */
export const ETH_MIN_FRAME_BYTES = 64;
export const ETH_DEFAULT_MTU = 1500;
/** Largest jumbo MTU accepted; 9000 is the common jumbo setting. */
export const ETH_MAX_MTU = 9216;

export type EthernetSpeed = "1g" | "10g" | "25g" | "40g" | "100g";

interface EthernetPhy {
  readonly lanes: number;
  readonly baudPerLane: number;
  readonly encoding: LineEncoding;
}

const PHYS: Readonly<Record<EthernetSpeed, EthernetPhy>> = {
  "1g": { lanes: 1, baudPerLane: 1_250_000_000, encoding: ENCODING_8B10B },
  "10g": { lanes: 1, baudPerLane: 10_312_500_000, encoding: ENCODING_64B66B },
  "25g": { lanes: 1, baudPerLane: 25_781_250_000, encoding: ENCODING_64B66B },
  "40g": { lanes: 4, baudPerLane: 10_312_500_000, encoding: ENCODING_64B66B },
  "100g": { lanes: 4, baudPerLane: 25_781_250_000, encoding: ENCODING_64B66B },
};

export const ETHERNET_SPEEDS = Object.keys(PHYS) as readonly EthernetSpeed[];

export interface EthernetOptions {
  /** Largest payload per frame, bytes; default 1500, jumbo e.g. 9000. Range 46..9216. */
  readonly mtu?: number;
  /** 802.1Q tags per frame (0 untagged, 1 tagged, 2 QinQ); default 0. */
  readonly vlanTags?: number;
}

/** Wire bytes of one frame carrying `payload` bytes with `vlanTags` tags. */
export function ethernetWireBytes(payload: number, vlanTags = 0): number {
  const frame = ETH_HEADER_BYTES + vlanTags * ETH_VLAN_TAG_BYTES + payload + ETH_FCS_BYTES;
  return ETH_PREAMBLE_SFD_BYTES + Math.max(frame, ETH_MIN_FRAME_BYTES) + ETH_IFG_BYTES;
}

/** An Ethernet link protocol, id "eth-10g" etc. */
export function ethernet(speed: EthernetSpeed, options: EthernetOptions = {}): LinkProtocol {
  const phy = PHYS[speed];
  if (phy === undefined)
    throw new RangeError(`unknown Ethernet speed "${speed}"; valid: ${ETHERNET_SPEEDS.join(", ")}`);
  const mtu = checkInteger("Ethernet mtu", options.mtu ?? ETH_DEFAULT_MTU, 46, ETH_MAX_MTU);
  const vlanTags = checkInteger("Ethernet vlanTags", options.vlanTags ?? 0, 0, 2);
  return defineProtocol({
    id: `eth-${speed}`,
    family: "ethernet",
    encoding: phy.encoding,
    lanes: phy.lanes,
    signallingBaud: phy.lanes * phy.baudPerLane,
    maxPayloadBytes: mtu,
    reverseBytesPerTransfer: 0,
    wireBytes: (payload) => ethernetWireBytes(payload, vlanTags),
  });
}
