/**
 * Topology fields for link-level framing and queues (issue 13 item 5): MTU per link, per
 * adapter and per vNIC; PCIe MPS, MRRS and address width per link and per adapter bus;
 * the adapter's latency; queue limits in packets. Schema pieces (zod) and their
 * resolution, where `linkProtocol` itself checks each value against the family's rules.
 */

import * as z from "zod";
import { parseTime } from "../../sim/units.js";
import { linkProtocol } from "../link/catalog.js";
import type { LinkProtocol } from "../link/protocol.js";
import type { PathSegment } from "./expand.js";
import { count, describeValue, time } from "./fields.js";
import type { Issues } from "./resolve-nodes.js";
import type { LinkFraming } from "./types.js";

/**
 * A host adapter's processing time per transfer (NIC, HBA, CNA, VIC, HCA) when the file
 * gives no `latency`: 500 ns, confidence rough. The order of a PCIe DMA round trip plus the
 * adapter's pipeline: Neugebauer et al., "Understanding PCIe performance for end host
 * networking" (SIGCOMM 2018) measure DMA read latencies of several hundred ns on server
 * hosts; vendors quote sub-microsecond adapter latencies. A PCIe extender: 100 ns (rough).
 */
export const DEFAULT_ADAPTER_LATENCY = "500ns";
export const DEFAULT_EXTENDER_LATENCY = "100ns";

const PCIE_SIZES = [128, 256, 512, 1024, 2048, 4096] as const;

function pcieSize(what: string) {
  const message = (input: unknown) =>
    `${what} must be one of ${PCIE_SIZES.join(", ")} bytes (a power of two), got ${describeValue(input)}`;
  return z
    .number({ error: (iss) => message(iss.input) })
    .refine((n) => (PCIE_SIZES as readonly number[]).includes(n), { error: (iss) => message(iss.input) });
}

const addressing = () =>
  z
    .union([z.literal(32), z.literal(64)], {
      error: (iss) => `addressing must be 32 (3DW headers) or 64 (4DW headers), got ${describeValue(iss.input)}`,
    })
    .meta({ description: "PCIe address width: 32 (3DW request headers, 20 B per TLP) or 64 (4DW, 24 B)." });

/** `mtu`, `mps`, `mrrs`, `addressing` on a link. */
export const linkFramingFields = {
  mtu: count(46).optional().meta({
    description:
      "Largest payload per frame, bytes: Ethernet 46 … 9216 (default 9000: links accept jumbo frames; flows send 1500 unless their adapter or vNIC says more), InfiniBand 256 … 4096.",
  }),
  mps: pcieSize("mps")
    .optional()
    .meta({ description: "PCIe Max Payload Size, bytes (default 256): writes and completions are split at it." }),
  mrrs: pcieSize("mrrs")
    .optional()
    .meta({ description: "PCIe Max Read Request Size, bytes (default 512): one read request per MRRS bytes." }),
  addressing: addressing().optional(),
};

/** An adapter's framing, latency and host queue. */
export const adapterFields = {
  latency: time()
    .optional()
    .meta({ description: `The adapter's processing time per transfer (default ${DEFAULT_ADAPTER_LATENCY}).` }),
  mtu: count(46)
    .optional()
    .meta({ description: "MTU its network flows send (default 1500 for messages; jumbo: 9000)." }),
  mps: pcieSize("mps").optional().meta({ description: "MPS of its PCIe bus (default 256)." }),
  mrrs: pcieSize("mrrs").optional().meta({ description: "MRRS of its PCIe bus (default 512)." }),
  addressing: addressing().optional(),
  queuePackets: count(1).optional().meta({
    description:
      "Frames the host may queue for each of its ports (e.g. Linux txqueuelen 1000); beyond, new frames are dropped. Default: no limit.",
  }),
};

/** A switch port queue's limit in packets, beside its byte limit. */
export const queuePacketsField = count(1)
  .optional()
  .meta({ description: "Packets each egress queue may hold, beside its byte limit (default: no packet limit)." });

/** No framing field given: every default. */
export const NO_FRAMING: LinkFraming = Object.freeze({ mtu: null, mps: null, mrrs: null, addr64: null });

/** A link's framing options from its fields, each checked by the protocol itself. */
export function resolveFraming(
  spec: {
    mtu?: number | undefined;
    mps?: number | undefined;
    mrrs?: number | undefined;
    addressing?: 32 | 64 | undefined;
  },
  protocolOf: LinkProtocol | (() => LinkProtocol),
  at: PathSegment[],
  issues: Issues,
): LinkFraming {
  // Most links give none of these: no protocol built (the planner resolves thousands of topologies).
  if (spec.mtu === undefined && spec.mps === undefined && spec.mrrs === undefined && spec.addressing === undefined) {
    return NO_FRAMING;
  }
  const protocol = typeof protocolOf === "function" ? protocolOf() : protocolOf;
  const framing: LinkFraming = {
    mtu: spec.mtu ?? null,
    mps: spec.mps ?? null,
    mrrs: spec.mrrs ?? null,
    addr64: spec.addressing === undefined ? null : spec.addressing === 64,
  };
  const pcie = protocol.family === "pcie";
  for (const key of ["mps", "mrrs", "addressing"] as const) {
    if (spec[key] !== undefined && !pcie)
      issues.add([...at, key], `${key} applies to PCIe links; this is ${protocol.id}`);
  }
  if (spec.mtu !== undefined && protocol.family !== "ethernet" && protocol.family !== "infiniband") {
    issues.add([...at, "mtu"], `mtu applies to Ethernet and InfiniBand links; this is ${protocol.id}`);
  }
  try {
    linkProtocol(protocol.id, framingOptions(framing, protocol.family));
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    issues.add([...at, spec.mtu !== undefined ? "mtu" : "mps"], e.message);
  }
  return framing;
}

/** The `linkProtocol` options of a framing, for a link of `family` (fields of other families left out). */
export function framingOptions(f: LinkFraming, family: LinkProtocol["family"]): Record<string, number | boolean> {
  const o: Record<string, number | boolean> = {};
  if (family === "pcie") {
    if (f.mps !== null) o.mps = f.mps;
    if (f.mrrs !== null) o.mrrs = f.mrrs;
    if (f.addr64 !== null) o.addr64 = f.addr64;
  } else if ((family === "ethernet" || family === "infiniband") && f.mtu !== null) {
    o.mtu = f.mtu;
  }
  return o;
}

/** Ticks of an adapter's `latency`, or the default for its type. */
export function adapterLatencyTicks(latency: string | undefined, type: string): number {
  return parseTime(latency ?? (type === "pcie-extender" ? DEFAULT_EXTENDER_LATENCY : DEFAULT_ADAPTER_LATENCY));
}
