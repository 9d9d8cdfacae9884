/**
 * Classes of service on the built fabric: which traffic classes each port has (from the
 * topology's `qos`), which class a flow's transfers take at each hop, and the ECN
 * thresholds of Ethernet egress queues.
 *
 * Assumptions:
 * - Ethernet classes (UCS system classes or 802.1Qaz classes) exist on every Ethernet link
 *   of the fabric, both directions, as DCBX would configure them from the switches and
 *   fabric interconnects; no-drop classes run PFC on every such link. A link's `lossless`
 *   flag adds nothing then (without classes it still means PFC on the whole link).
 * - A drop class's threshold (`buffer`, else the port's lossy cap) applies at switches,
 *   directors and fabric interconnects; hosts, arrays and the LAN hold their own traffic.
 *   A no-drop class's receive buffer is the class's `buffer`, else the link's `buffer`,
 *   else 128 KiB (as link-level PFC).
 * - InfiniBand: every IB link has the configured data VLs, each with its own credits
 *   (the VL buffer, else the link's `buffer`, else 64 KiB), arbitrated by the high and
 *   low tables.
 * - Marking: a workload's `priority`, else its vif's QoS policy, else FCoE's priority for
 *   storage I/O (I/O over Ethernet is FCoE here) and priority 0 for the rest. InfiniBand:
 *   a workload's `sl`, else the storage SL for I/O and the LAN SL for the rest.
 * - ECN marks only ECN-capable (DCTCP) transfers, at switch-like egress ports; "auto" K is
 *   65 full-size packets at 10 Gb/s scaled with the line rate, at least 20 (Alizadeh et al.,
 *   SIGCOMM 2010, §3.4: K = 20 at 1 Gb/s, 65 at 10 Gb/s).
 */

import type { PortClassOptions, TrafficClassConfig } from "../fabric/port-classes.js";
import type { LinkProtocol } from "../link/protocol.js";
import type {
  ResolvedLink,
  ResolvedTopology,
  ResolvedWorkload,
  ServerNode,
  WorkloadInstance,
} from "../topology/types.js";

/** Default receive buffer of a no-drop class (as link-level PFC). */
export const PFC_CLASS_BUFFER = 131_072;
/** Default credits of an InfiniBand data VL. */
export const VL_BUFFER = 65_536;

/** A flow's markings: its 802.1p priority on Ethernet, its service level on InfiniBand. */
export interface FlowMarks {
  readonly cos: number;
  readonly sl: number;
}

/** Classes of a port and which class each priority (CoS, or SL on InfiniBand) takes. */
export interface PortClassPlan {
  readonly options: PortClassOptions;
  /** Class index per priority: 8 CoS values, or 16 SLs. */
  readonly classOf: readonly number[];
  /** True on InfiniBand (indexed by SL). */
  readonly bySl: boolean;
}

/**
 * The classes of one direction of `link`, or null when it has none. `lossyCap` is the port's
 * lossy egress cap at a switch-like node (undefined elsewhere); `ecn` its ECN threshold.
 */
export function portClasses(
  topo: ResolvedTopology,
  link: ResolvedLink,
  lossyCap: number | undefined,
  ecn: number | undefined,
): PortClassPlan | null {
  if (link.family === "ethernet" && topo.qos.system !== null) {
    const classes: TrafficClassConfig[] = topo.qos.classes.map((c) => {
      const out: { -readonly [K in keyof TrafficClassConfig]: TrafficClassConfig[K] } = {
        name: c.name,
        noDrop: c.noDrop,
        tier: c.tier,
        weight: c.weight,
        bufferBytes: lossyCap === undefined ? Number.POSITIVE_INFINITY : (c.bufferBytes ?? lossyCap),
      };
      if (c.noDrop) out.peerBufferBytes = c.bufferBytes ?? link.bufferBytes ?? PFC_CLASS_BUFFER;
      const threshold = lossyCap === undefined ? undefined : (c.ecnThresholdBytes ?? ecn);
      if (threshold !== undefined) out.ecnThresholdBytes = threshold;
      return out;
    });
    const classOf = new Array<number>(8).fill(0);
    topo.qos.classes.forEach((c, i) => {
      for (const p of c.priorities) classOf[p] = i;
    });
    return { options: { classes }, classOf, bySl: false };
  }
  const ib = topo.qos.infiniband;
  if (link.family === "infiniband" && ib !== null) {
    const anyHigh = ib.high.some((w) => w > 0);
    const classes: TrafficClassConfig[] = ib.high.map((h, vl) => ({
      name: `vl${vl}`,
      noDrop: true,
      tier: anyHigh && h > 0 ? 0 : anyHigh ? 1 : 0,
      weight: Math.max(1, h > 0 ? h : ib.low[vl]!),
      peerBufferBytes: ib.bufferBytes ?? link.bufferBytes ?? VL_BUFFER,
    }));
    const options: PortClassOptions = Number.isFinite(ib.highLimitBytes)
      ? { classes, tierLimitBytes: ib.highLimitBytes }
      : { classes };
    return { options, classOf: [...ib.sl2vl], bySl: true };
  }
  return null;
}

/** Auto ECN thresholds per protocol (immutable, shared by the links of a site). */
const ecnThresholds = new WeakMap<LinkProtocol, number>();

/** DCTCP's marking threshold K for `protocol` in wire bytes: 65 full-size packets at 10 Gb/s, scaled, at least 20. */
export function autoEcnThreshold(protocol: LinkProtocol): number {
  let k = ecnThresholds.get(protocol);
  if (k === undefined) {
    const packets = Math.max(20, Math.round((65 * protocol.dataRateBps) / 10e9));
    k = packets * protocol.wireBytes(1500);
    ecnThresholds.set(protocol, k);
  }
  return k;
}

/** The markings of `inst`'s traffic (see the header). */
export function flowMarks(
  topo: ResolvedTopology,
  workload: ResolvedWorkload,
  inst: WorkloadInstance,
  /** The topology's node of a name (a site's flows look their servers up by name, not by a scan). */
  nodeNamed: (name: string) => ResolvedTopology["nodes"][number] | undefined = (name) =>
    topo.nodes.find((n) => n.name === name),
): FlowMarks {
  let cos = workload.priority;
  if (cos === null && inst.via.kind === "vif") {
    const via = inst.via;
    const server = nodeNamed(inst.host) as ServerNode | undefined;
    const vif = server?.adapters.find((a) => a.name === via.adapter)?.vifs.find((v) => v.name === via.vif);
    if (vif?.priority !== undefined) cos = vif.priority;
  }
  cos ??= workload.unit === "io" ? topo.qos.fcoePriority : 0;
  const ib = topo.qos.infiniband;
  const sl = workload.sl ?? (ib === null ? 0 : workload.unit === "io" ? ib.storageSl : ib.lanSl);
  return { cos, sl };
}
