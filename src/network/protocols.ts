/**
 * The link protocols of a built network and the transfer sizes they carry (see build.ts's
 * header): one protocol object per id and framing, Ethernet at a 9000-B MTU unless the file
 * says otherwise, PCIe read completions for what an adapter's DMA engine reads, and shapers
 * converted from a network link's line rate to the PCIe link that feeds it.
 */

import type { ShaperOptions } from "../fabric/scheduler.js";
import { linkProtocol } from "../link/catalog.js";
import type { LinkProtocol } from "../link/protocol.js";
import { framingOptions } from "../topology/link-fields.js";
import type { LinkFraming } from "../topology/types.js";

/** Payload of a network message's transfers unless the vif or adapter sets an MTU. */
export const MESSAGE_MTU = 1500;
/** Ethernet links accept jumbo frames unless their `mtu` says otherwise. */
const LINK_MTU = 9000;
/** Payload of a storage I/O's transfers (FC frames). */
export const IO_MTU = 2048;
const SHAPER_BURST = 65536;

/** Protocols are immutable: one object per id and options, shared by every network built (and the caches keyed by it). */
const protocols = new Map<string, LinkProtocol>();
function cachedProtocol(id: string, options: Record<string, number | boolean | string>): LinkProtocol {
  const key = `${id} ${JSON.stringify(options)}`;
  let p = protocols.get(key);
  if (p === undefined) {
    p = linkProtocol(id, options);
    protocols.set(key, p);
  }
  return p;
}

/**
 * `protocolFor`'s answers by id, per framing object (null: none): a site's tens of thousands
 * of links share a few protocols, and building the options' key each time was a tenth of the
 * network build.
 */
const byFraming = new Map<LinkFraming | null, Map<string, LinkProtocol>>();
const byFramingObject = new WeakMap<LinkFraming, Map<string, LinkProtocol>>();

/** A link's protocol with its framing from the file (Ethernet: 9000-B MTU unless given). */
export function protocolFor(id: string, framing: LinkFraming | null = null): LinkProtocol {
  let byId = framing === null ? byFraming.get(null) : byFramingObject.get(framing);
  if (byId === undefined) {
    byId = new Map();
    if (framing === null) byFraming.set(null, byId);
    else byFramingObject.set(framing, byId);
  }
  let p = byId.get(id);
  if (p === undefined) {
    p = framedProtocol(id, framing);
    byId.set(id, p);
  }
  return p;
}

function framedProtocol(id: string, framing: LinkFraming | null): LinkProtocol {
  const family = cachedProtocol(id, {}).family;
  const options: Record<string, number | boolean | string> = framing === null ? {} : framingOptions(framing, family);
  if (family === "ethernet" && options.mtu === undefined) options.mtu = LINK_MTU;
  return cachedProtocol(id, options);
}

/** A PCIe link's downstream direction: the completions of the reads its far end makes. */
export function readCompletions(id: string, framing: LinkFraming | null): LinkProtocol {
  return cachedProtocol(id, {
    ...(framing === null ? {} : framingOptions(framing, "pcie")),
    carries: "read-completions",
  });
}

/** Payload bytes of a full-size transfer of `unit` on a `net` link. */
export function fullTransfer(net: LinkProtocol, unit: "message" | "io"): number {
  return Math.min(unit === "io" ? IO_MTU : MESSAGE_MTU, net.maxPayloadBytes);
}

/**
 * A shaper for `rateBps` of `net` line rate, counted instead in the wire bytes of the
 * upstream link `up`: both hold a stream of full-size (`payload`) transfers to the same rate.
 */
export function upstreamShaper(rateBps: number, payload: number, net: LinkProtocol, up: LinkProtocol): ShaperOptions {
  const ratio = up.segment(payload).wireBytes / net.segment(payload).wireBytes;
  return { rateBps: rateBps * ratio, burstBytes: SHAPER_BURST * ratio };
}
