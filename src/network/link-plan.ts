/**
 * One link of a topology's file in the port plan (port-plan.ts): both directions' options —
 * scheduler, lossy cap and packet limit of the node's ports, the peer's buffer and latency,
 * traffic classes or an ECN threshold, flow control, a PCIe link's read completions, and
 * each Ethernet transmitter's clock offset, drawn in link order.
 */
import type { Rng } from "../../sim/random.js";
import type { PortOptions } from "../fabric/fabric.js";
import type { FlowControl } from "../fabric/flow-control.js";
import type { SchedulerOptions } from "../fabric/scheduler.js";
import type { ResolvedLink, ResolvedNode, ResolvedTopology } from "../topology/types.js";
import { autoEcnThreshold, type PortClassPlan, portClasses } from "./classes.js";
import type { Connection, PlanTables } from "./port-plan.js";
import { protocolFor, readCompletions } from "./protocols.js";

/** Default credits (peer buffer bytes) per lossless family. */
export const DEFAULT_CREDITS: Record<string, number> = { "fibre-channel": 16 * 2148, infiniband: 65536, pcie: 16384 };
const PFC_BUFFER = 131072;
const DEFAULT_PORT_BUFFER = 640 * 1024;
/** IEEE 802.3 transmit clock tolerance, ±100 ppm (e.g. clause 52.5.x for 10GBASE-R PMDs). */
const CLOCK_PPM = 100;

/** One link of the file: its two directions' options (the clock draws in link order, a then b). */
export function planLink(
  l: ResolvedLink,
  byName: ReadonlyMap<string, ResolvedNode>,
  ecnSetting: ResolvedTopology["transport"]["ecnThresholdBytes"],
  classPlan: ReturnType<typeof classPlanCache>,
  clocks: Rng | null,
  tables: PlanTables,
  add: (c: Connection) => void,
): void {
  const { schedulers, intoAdapter, classPlans } = tables;
  const protocol = protocolFor(l.protocol, l.framing);
  const na = byName.get(l.a.node);
  const nb = byName.get(l.b.node);
  // The egress port of a PCIe link's downstream direction (toward an adapter): 0 a, 1 b, −1 neither.
  const down =
    l.family !== "pcie"
      ? -1
      : na?.kind === "server" || nb?.kind === "shared-adapter"
        ? 0
        : nb?.kind === "server" || na?.kind === "shared-adapter"
          ? 1
          : -1;
  const ecn =
    l.family !== "ethernet"
      ? undefined
      : ecnSetting === "auto"
        ? autoEcnThreshold(protocol)
        : (ecnSetting ?? undefined);
  const a = `${l.a.node}:${l.a.port}`;
  const b = `${l.b.node}:${l.b.port}`;
  const capA = lossyCapOf(na);
  const capB = lossyCapOf(nb);
  const planA = classPlan(l, capA, ecn);
  const planB = classPlan(l, capB, ecn);
  const classed = planA !== null;
  const flowControl: FlowControl = classed
    ? l.family === "ethernet"
      ? "pfc"
      : "credit"
    : !l.lossless
      ? "none"
      : l.family === "ethernet"
        ? "pfc"
        : "credit";
  const peerBuffer =
    l.lossless && !classed
      ? (l.bufferBytes ?? (l.family === "ethernet" ? PFC_BUFFER : DEFAULT_CREDITS[l.family]!))
      : undefined;
  const link: LinkPlan = { l, ecn, peerBuffer, clocks, down: down === 0 ? a : down === 1 ? b : null };
  const aToB = direction(link, l.a, a, na, capA, planA, l.b, schedulers, intoAdapter, classPlans);
  const bToA = direction(link, l.b, b, nb, capB, planB, l.a, schedulers, intoAdapter, classPlans);
  add({
    a,
    b,
    nodes: [l.a.node, l.b.node],
    options: { protocol, propagationTicks: l.propagationTicks, flowControl, aToB, bToA },
  });
}

/**
 * `portClasses` for the links of `topo`, each distinct plan made once and shared (it depends
 * only on the link's family and buffer, the port's lossy cap and ECN threshold, and the
 * plans are read-only): a site with classes has tens of thousands of ports and a handful of
 * distinct plans.
 */
export function classPlanCache(
  topo: ResolvedTopology,
): (l: ResolvedLink, cap: number | undefined, ecn: number | undefined) => PortClassPlan | null {
  const made: {
    family: string;
    buffer: number | null;
    cap: number | undefined;
    ecn: number | undefined;
    plan: PortClassPlan | null;
  }[] = [];
  return (l, cap, ecn) => {
    for (const m of made) {
      const same = m.family === l.family && Object.is(m.buffer, l.bufferBytes);
      if (same && Object.is(m.cap, cap) && Object.is(m.ecn, ecn)) return m.plan;
    }
    const plan = portClasses(topo, l, cap, ecn);
    // A few kinds of port: beyond that, plans are made per port rather than searched for.
    if (made.length < 32) made.push({ family: l.family, buffer: l.bufferBytes, cap, ecn, plan });
    return plan;
  };
}

/** Values per (node, port name), without a "node:port" string per lookup. */
export class PortMap<T> {
  private readonly byNode = new Map<string, Map<string, T>>();

  set(node: string, port: string, value: T): void {
    let ports = this.byNode.get(node);
    if (ports === undefined) {
      ports = new Map();
      this.byNode.set(node, ports);
    }
    ports.set(port, value);
  }

  get(node: string, port: string): T | undefined {
    return this.byNode.get(node)?.get(port);
  }
}

/**
 * The lossy egress cap of every port of a switch-like node (every port a link names is one
 * of the node's ports, its modules' among them), or undefined at other nodes.
 */
function lossyCapOf(n: ResolvedNode | undefined): number | undefined {
  switch (n?.kind) {
    case "ethernet-switch":
    case "fc-switch":
    case "ib-switch":
      return n.bufferBytes / 4;
    case "pcie-switch":
    case "io-director":
    case "fabric-interconnect":
      // No buffer in the file: each port may queue 640 KiB (a Nexus 5500-class unified port,
      // a rough figure; PCIe switches are credit-based, so it never applies to them).
      return n.bufferBytes === null ? DEFAULT_PORT_BUFFER : n.bufferBytes / 4;
    default:
      return undefined;
  }
}

/** The packet limit of every port of a switch, director or fabric interconnect that sets one. */
function packetCapOf(n: ResolvedNode | undefined): number | undefined {
  switch (n?.kind) {
    case "ethernet-switch":
    case "fc-switch":
    case "ib-switch":
    case "io-director":
    case "fabric-interconnect":
      return n.queuePackets ?? undefined;
    default:
      return undefined;
  }
}

/** What both directions of a link share. */
interface LinkPlan {
  readonly l: ResolvedLink;
  readonly ecn: number | undefined;
  readonly peerBuffer: number | undefined;
  readonly clocks: Rng | null;
  /** The id of its downstream PCIe direction (toward an adapter), or null. */
  readonly down: string | null;
}

/** One direction's options: egress port `from` (id `id`, on node `node`) toward `to`. */
function direction(
  link: LinkPlan,
  from: ResolvedLink["a"],
  id: string,
  node: ResolvedNode | undefined,
  cap: number | undefined,
  plan: PortClassPlan | null,
  to: ResolvedLink["a"],
  schedulers: PortMap<SchedulerOptions>,
  intoAdapter: PortMap<number>,
  classPlans: Map<string, PortClassPlan>,
): PortOptions {
  const { l, ecn } = link;
  const o: { -readonly [K in keyof PortOptions]: PortOptions[K] } = {};
  const s = schedulers.get(from.node, from.port);
  if (s !== undefined) o.scheduler = s;
  if (cap !== undefined && Number.isFinite(cap)) o.bufferBytes = cap;
  const packets = packetCapOf(node);
  if (packets !== undefined) o.bufferPackets = packets;
  if (link.peerBuffer !== undefined) o.peerBufferBytes = link.peerBuffer;
  // What arrives at an adapter's port from the network waits its latency.
  const peerLatency = intoAdapter.get(to.node, to.port);
  if (peerLatency !== undefined) o.peerLatencyTicks = peerLatency;
  if (link.down === id) o.protocol = readCompletions(l.protocol, l.framing);
  if (plan !== null) {
    o.classes = plan.options;
    classPlans.set(id, plan);
  } else if (ecn !== undefined && cap !== undefined && !l.lossless && l.family === "ethernet") {
    o.ecnThresholdBytes = ecn;
  }
  // Each Ethernet transmitter runs on its own clock, within IEEE 802.3's ±100 ppm
  // (one stream for every clock, drawn in link order: the topology fixes the order).
  if (l.family === "ethernet" && link.clocks !== null) o.clockPpm = link.clocks.uniform(-CLOCK_PPM, CLOCK_PPM);
  return o;
}
