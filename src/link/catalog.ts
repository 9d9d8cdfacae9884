/**
 * Link protocols by id: "eth-10g", "fc-8g", "ib-qdr-4x", "pcie-gen3-x8".
 * The id names the speed and width; options (MTU, MPS, …) tune the framing.
 */

import { ETHERNET_SPEEDS, type EthernetOptions, type EthernetSpeed, ethernet } from "./ethernet.js";
import {
  FIBRE_CHANNEL_SPEEDS,
  type FibreChannelOptions,
  type FibreChannelSpeed,
  fibreChannel,
} from "./fibre-channel.js";
import {
  INFINIBAND_RATES,
  INFINIBAND_WIDTHS,
  type InfinibandOptions,
  type InfinibandRate,
  type InfinibandWidth,
  infiniband,
} from "./infiniband.js";
import { PCIE_GENS, PCIE_WIDTHS, type PcieGen, type PcieLink, type PcieOptions, type PcieWidth, pcie } from "./pcie.js";
import type { LinkProtocol } from "./protocol.js";

export type LinkOptions = EthernetOptions | FibreChannelOptions | InfinibandOptions | PcieOptions;

const OPTION_KEYS: Readonly<Record<string, readonly string[]>> = {
  eth: ["mtu", "vlanTags"],
  fc: ["maxPayload"],
  ib: ["mtu", "grh"],
  pcie: ["mps", "mrrs", "addr64", "ecrc", "ackEvery", "updateFcEvery", "completions", "rcb", "carries"],
};

const ETH_ID = new RegExp(`^eth-(${ETHERNET_SPEEDS.join("|")})$`);
const FC_ID = new RegExp(`^fc-(${FIBRE_CHANNEL_SPEEDS.join("|")})$`);
const IB_ID = new RegExp(`^ib-(${INFINIBAND_RATES.join("|")})-(${INFINIBAND_WIDTHS.join("|")})x$`);
const PCIE_ID = new RegExp(`^pcie-gen(${PCIE_GENS.join("|")})-x(${PCIE_WIDTHS.join("|")})$`);

/** Every valid id, in catalog order. */
export function linkProtocolIds(): string[] {
  return [
    ...ETHERNET_SPEEDS.map((s) => `eth-${s}`),
    ...FIBRE_CHANNEL_SPEEDS.map((s) => `fc-${s}`),
    ...INFINIBAND_RATES.flatMap((r) => INFINIBAND_WIDTHS.map((w) => `ib-${r}-${w}x`)),
    ...PCIE_GENS.flatMap((g) => PCIE_WIDTHS.map((w) => `pcie-gen${g}-x${w}`)),
  ];
}

function validIds(): string {
  return [
    ETHERNET_SPEEDS.map((s) => `eth-${s}`).join(", "),
    FIBRE_CHANNEL_SPEEDS.map((s) => `fc-${s}`).join(", "),
    `ib-{${INFINIBAND_RATES.join(",")}}-{${INFINIBAND_WIDTHS.map((w) => `${w}x`).join(",")}}`,
    `pcie-gen{${PCIE_GENS.join(",")}}-x{${PCIE_WIDTHS.join(",")}}`,
  ].join("; ");
}

function checkOptionKeys(id: string, family: string, options: object): void {
  const allowed = OPTION_KEYS[family] ?? [];
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      throw new RangeError(`${id}: unknown option "${key}"; valid: ${allowed.join(", ")}`);
    }
  }
}

/**
 * The protocol for `id`, e.g. `linkProtocol("eth-10g", { mtu: 9000 })`.
 * Throws a RangeError naming the valid ids, or the valid options of the family.
 */
export function linkProtocol(id: `pcie-${string}`, options?: PcieOptions): PcieLink;
export function linkProtocol(id: `eth-${string}`, options?: EthernetOptions): LinkProtocol;
export function linkProtocol(id: `fc-${string}`, options?: FibreChannelOptions): LinkProtocol;
export function linkProtocol(id: `ib-${string}`, options?: InfinibandOptions): LinkProtocol;
export function linkProtocol(id: string, options?: LinkOptions): LinkProtocol;
export function linkProtocol(id: string, options: LinkOptions = {}): LinkProtocol {
  // Protocols are frozen and a function of their id and options: a site's thousands of links of a
  // few kinds share them (defining a PCIe link was 7 % of building a 256-server MR-IOV candidate).
  const key = `${id}|${Object.entries(options)
    .map(([k, v]) => `${k}=${String(v)}`)
    .sort()
    .join(",")}`;
  const known = DEFINED.get(key);
  if (known !== undefined) return known;
  const made = define(id, options);
  if (DEFINED.size >= DEFINED_KEPT) DEFINED.clear();
  DEFINED.set(key, made);
  return made;
}

const DEFINED = new Map<string, LinkProtocol>();
const DEFINED_KEPT = 1024;

function define(id: string, options: LinkOptions): LinkProtocol {
  let m = ETH_ID.exec(id);
  if (m !== null) {
    checkOptionKeys(id, "eth", options);
    return ethernet(m[1] as EthernetSpeed, options as EthernetOptions);
  }
  m = FC_ID.exec(id);
  if (m !== null) {
    checkOptionKeys(id, "fc", options);
    return fibreChannel(m[1] as FibreChannelSpeed, options as FibreChannelOptions);
  }
  m = IB_ID.exec(id);
  if (m !== null) {
    checkOptionKeys(id, "ib", options);
    return infiniband(m[1] as InfinibandRate, Number(m[2]) as InfinibandWidth, options as InfinibandOptions);
  }
  m = PCIE_ID.exec(id);
  if (m !== null) {
    checkOptionKeys(id, "pcie", options);
    return pcie(Number(m[1]) as PcieGen, Number(m[2]) as PcieWidth, options as PcieOptions);
  }
  throw new RangeError(`unknown link protocol ${JSON.stringify(id)}; valid ids: ${validIds()}`);
}
