/**
 * Failover per mechanism (issue 12 item 6): how long a flow whose path a failure
 * breaks keeps using the broken path before the mechanism that protects it moves
 * it. The same mechanism gets the same time in every design: storage I/O is moved
 * by host multipathing whether the path is a traditional HBA port, a director's
 * vHBA, a UCS vHBA or a shared FC adapter's function.
 *
 * Which mechanism moves a flow (src/run/faults.ts decides per flow, at the failure):
 * - `multipath`: a storage flow that leaves through another HBA port or vHBA
 *   (dm-multipath, MPIO, VMware NMP: the host's path failover).
 * - `teaming`: a LAN flow that leaves through another NIC port of a team, or another
 *   vNIC of a host team (NIC teaming / bonding on link-down).
 * - `fabricFailover`: a UCS vNIC moved to its other fabric by the VIC and the fabric
 *   interconnects, without host teaming (UCS fabric failover).
 * - `haVnic`: an I/O director's HA vNIC switching to its standby vNIC.
 * - `fabric`: the flow leaves the host the same way and the switches route it around
 *   the failure (FC fabric re-convergence, a port-channel losing a member, an uplink
 *   re-pinned).
 *
 * Every default carries its source and confidence; `docs/failover.md` is generated
 * from this table (a test keeps it equal).
 */

import type { Confidence } from "../catalog/types.js";
import type { FailoverMechanism, ResolvedTopology } from "../topology/types.js";
import type { FabricTransport, InstanceInfo } from "./transport.js";

export const MECHANISMS = [
  "multipath",
  "teaming",
  "fabricFailover",
  "haVnic",
  "fabric",
] as const satisfies readonly FailoverMechanism[];
export type Mechanism = FailoverMechanism;

export interface MechanismDefault {
  readonly mechanism: Mechanism;
  /** What it is, in the field's words. */
  readonly what: string;
  /** Detection + switch-over time, seconds. */
  readonly seconds: number;
  /** What the literature gives around the default, seconds (null: nothing found). */
  readonly range: readonly [number, number] | null;
  readonly confidence: Confidence;
  readonly source: string;
}

export const FAILOVER_DEFAULTS: Readonly<Record<Mechanism, MechanismDefault>> = {
  multipath: {
    mechanism: "multipath",
    what: "host multipathing: storage I/O of a broken path is failed to the SCSI layer and re-issued on another HBA port or vHBA",
    seconds: 5,
    range: null,
    confidence: "solid",
    source:
      'multipath.conf(5), multipath-tools (fast_io_fail_tmo: the SCSI layer fails I/O on a lost FC remote port after it; default 5 s, set by SUSE\'s 2009 patch "Use defaults for dev_loss_tmo and fast_io_fail_tmo")',
  },
  teaming: {
    mechanism: "teaming",
    what: "NIC teaming / bonding on link-down: the team stops using a member whose carrier is lost",
    seconds: 0.1,
    range: [0.1, 0.35],
    confidence: "rough",
    source:
      "Linux Documentation/networking/bonding.rst (miimon: link monitoring every 100 ms, the default when arp_interval is unset); e1000-devel list 2012-12-21 (carrier loss reported ~350 ms after the link went down on an e1000e)",
  },
  fabricFailover: {
    mechanism: "fabricFailover",
    what: "UCS fabric failover: the VIC moves a vNIC to its other fabric; the new fabric interconnect sends gratuitous ARPs",
    seconds: 0.3,
    range: [0.1, 1],
    confidence: "unverified",
    source:
      'mechanism: bradhedlund.com 2010-09-23 "Cisco UCS Fabric Failover"; timing not published: gARP-based failover is typically 100s of ms to ~1 s',
  },
  haVnic: {
    mechanism: "haVnic",
    what: "I/O director HA vNIC: the host driver switches a vNIC pair to its standby member on the other director",
    seconds: 1,
    range: null,
    confidence: "estimate",
    source:
      "mechanism: Xsigo XgOS glossary (HA vNIC: a vNIC pair bound to different ports); timing not found (assumed)",
  },
  fabric: {
    mechanism: "fabric",
    what: "re-routing inside a switched fabric: FC fabric re-convergence (FSPF), a port-channel losing a member, an uplink re-pinned",
    seconds: 0.5,
    range: null,
    confidence: "estimate",
    source: "no published figure found for these devices (assumed sub-second)",
  },
};

/** Per mechanism, failover time in ticks; null: that mechanism does not fail over (off). */
export type FailoverTimes = Readonly<Record<Mechanism, number | null>>;

export function isMechanism(name: string): name is Mechanism {
  return (MECHANISMS as readonly string[]).includes(name);
}

/**
 * The times in ticks: the defaults, then `overrides` (a topology's or study's
 * `failover:` map, ticks or null for off), or `all` for every mechanism (the
 * CLI's `--failover`: one time, or null for none).
 */
export function failoverTimes(
  overrides: Readonly<Partial<Record<Mechanism, number | null>>> = {},
  all?: number | null,
): FailoverTimes {
  const out = {} as Record<Mechanism, number | null>;
  for (const m of MECHANISMS) {
    if (all !== undefined) out[m] = all;
    else if (overrides[m] !== undefined) out[m] = overrides[m]!;
    else out[m] = Math.round(FAILOVER_DEFAULTS[m].seconds * 1e12);
  }
  return out;
}

/** The failover table as Markdown, for `docs/failover.md` (a test keeps the document equal to it). */
export function failoverMarkdownTable(): string {
  const rows = [
    "| mechanism | default | range found | confidence | what it is | source |",
    "| --- | --- | --- | --- | --- | --- |",
  ];
  const s = (x: number): string => (x >= 1 ? `${x} s` : `${Math.round(x * 1000)} ms`);
  for (const m of MECHANISMS) {
    const d = FAILOVER_DEFAULTS[m];
    const range = d.range === null ? "—" : `${s(d.range[0])} … ${s(d.range[1])}`;
    rows.push(
      `| \`${m}\` | ${s(d.seconds)} | ${range} | ${d.confidence} | ${d.what.replaceAll("|", "\\|")} | ${d.source.replaceAll("|", "\\|")} |`,
    );
  }
  return `${rows.join("\n")}\n`;
}

/**
 * The mechanism that moves an affected flow from route `old` to route `next` (null: none
 * left; then the mechanism that would have): the host's, when the flow leaves it another
 * way (another team member, vNIC or vHBA: multipathing for storage, teaming for LAN, or a
 * single vNIC's partner: UCS fabric failover, a director's HA vNIC); the fabric's, when it
 * leaves the same way and the switches route around the failure.
 */
export function mechanismOf(
  topo: ResolvedTopology,
  inst: InstanceInfo,
  old: NonNullable<ReturnType<FabricTransport["routeOf"]>>,
  next: ReturnType<FabricTransport["routeOf"]>,
): Mechanism {
  // ports[0] is the host's bus port into its adapter, ports[1] the adapter's network port.
  if (next !== null && next.forward.ports[1] === old.forward.ports[1]) return "fabric";
  if (inst.unit === "io") return "multipath";
  const via = inst.spec.via;
  if (via.kind !== "vif") return "teaming";
  if (topo.design === "ucs") return "fabricFailover";
  if (topo.design === "director") return "haVnic";
  return "teaming";
}
