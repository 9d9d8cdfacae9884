/**
 * The parameters a planner may vary, per design: name, kind, the generator's
 * hard limits and the default used when a study does not mention one. A
 * study's `designs.<d>.parameters` may narrow a range or a choice list and sets
 * the current value; `iovsim expand --set p=v` overrides the value.
 *
 * Browser-safe and free of study types, so both the study loader (which checks
 * parameters) and the generators (which read them) import it.
 */

import type { Design } from "../topology/types.js";

export type ParamValue = number | string;

/** Whose traffic a capacity carries (src/planner/dominance.ts). */
export type Serves = "lan" | "san" | "both";

/**
 * The tier of ports a capacity adds, for the site-size search's overloaded-tier rule
 * (src/planner/tiers.ts): a regular expression over egress ports as `node:port>peer-node:port`
 * whose first capture names the unit (a director, a fabric interconnect, an IOM, a PCIe box, an
 * edge switch; none: the whole site), and the parameters that decide which hosts a unit serves
 * besides the choice parameters.
 */
export interface ParamTier {
  readonly ports: string;
  readonly equal?: readonly string[];
  /** Parameters the tier exists only from a value of (array ports past which a SAN side needs edge and core switches). */
  readonly atLeast?: readonly string[];
  /** The parameter itself moves hosts between units (ISLs take ports from an edge switch's initiators). */
  readonly regroups?: boolean;
  /**
   * Each flow's port in the tier is fixed by its vHBA's login or its slot (a pin, a director's or FI's
   * pinning by count, an IOM's static pinning of blade slots): one port its flows overload answers at
   * the same count. Ports chosen by hashing (array ports, ISLs) move flows as other capacities change:
   * only a whole unit overloaded answers.
   */
  readonly pinned?: boolean;
}

export type ParamDef =
  | {
      readonly name: string;
      readonly kind: "int";
      readonly min: number;
      readonly max: number;
      readonly default: number;
      readonly doc: string;
      /**
       * Whose traffic the capacity it adds carries: LAN (Ethernet uplinks, modules, adapters) or SAN (FC
       * uplinks, modules, adapters, ISLs, array ports); absent: both (converged links such as InfiniBand
       * host links). Read by the site-size search's dominance rule (src/planner/dominance.ts).
       */
      readonly serves?: Serves;
      readonly tier?: ParamTier;
    }
  | {
      readonly name: string;
      readonly kind: "choice";
      readonly choices: readonly ParamValue[];
      readonly default: ParamValue;
      readonly doc: string;
      /**
       * A choice of capacities (numbers in increasing order, e.g. UCS IOM uplinks 1, 2, 4, 8): whose
       * traffic they carry and their tier, read by the dominance rule as a range's are (fewer is less
       * capacity), though the search still tries each choice apart. Absent: a choice of kinds.
       */
      readonly serves?: Serves;
      readonly tier?: ParamTier;
    };

export const PARAMS: Readonly<Record<Design, readonly ParamDef[]>> = {
  traditional: [
    {
      name: "access",
      kind: "choice",
      choices: ["switch", "fex"],
      default: "switch",
      doc: "access layer: A/B pairs of 48-port access switches (1GbE and 10GbE as the servers need), or Nexus 2248TP fabric extenders (1GbE) on a Nexus 5548UP pair (10GbE)",
    },
    {
      name: "accessUplinks",
      serves: "lan",
      kind: "int",
      min: 1,
      max: 4,
      default: 2,
      doc: "10GbE uplinks per access switch (or 5548UP parent) to the aggregation",
    },
    {
      name: "fexUplinks",
      serves: "lan",
      kind: "int",
      min: 1,
      max: 4,
      default: 2,
      doc: "fabric links per 2248TP FEX to its parent (access: fex)",
    },
    {
      name: "sanArrayPorts",
      serves: "san",
      kind: "int",
      min: 1,
      max: 64,
      default: 4,
      tier: { ports: "^array\\d*:fc" },
      doc: "FC ports from each SAN fabric (A, B) to the array (the site's storage: past one array's 16 ports, several arrays' ports, modelled as one array node)",
    },
    {
      name: "sanIsl",
      serves: "san",
      kind: "int",
      min: 1,
      max: 16,
      default: 2,
      tier: { ports: "^(san-[ab]\\d+):fc\\d+>san-[ab]-core", atLeast: ["sanArrayPorts"], regroups: true },
      doc: "ISLs per edge FC switch to its fabric's core, when a fabric needs more than one 48-port switch",
    },
  ],
  director: [
    {
      name: "ibUplinks",
      serves: "both",
      kind: "int",
      min: 1,
      max: 12,
      default: 2,
      doc: "QDR links from each InfiniBand expansion switch up to its director",
    },
    {
      name: "ethModules",
      serves: "lan",
      kind: "int",
      min: 1,
      max: 14,
      default: 2,
      doc: "4 x 10GbE I/O modules per director (to the aggregation)",
    },
    {
      name: "fcModules",
      serves: "san",
      kind: "int",
      min: 1,
      max: 14,
      default: 2,
      tier: { ports: "^(dir-[ab]\\d*):fc", equal: ["ibUplinks"], pinned: true },
      doc: "2 x 8G FC I/O modules per director (to SAN fabric A or B)",
    },
    {
      name: "sanArrayPorts",
      serves: "san",
      kind: "int",
      min: 1,
      max: 64,
      default: 4,
      tier: { ports: "^array\\d*:fc" },
      doc: "FC ports from each SAN fabric (A, B) to the array (the site's storage: past one array's 16 ports, several arrays' ports, modelled as one array node)",
    },
    {
      name: "sanIsl",
      serves: "san",
      kind: "int",
      min: 1,
      max: 16,
      default: 2,
      tier: {
        ports: "^(san-[ab]\\d+):fc\\d+>san-[ab]-core",
        equal: ["ibUplinks", "fcModules"],
        atLeast: ["sanArrayPorts"],
        regroups: true,
      },
      doc: "ISLs per edge FC switch to its fabric's core, when a fabric needs more than one 48-port switch",
    },
  ],
  ucs: [
    {
      name: "fiModel",
      kind: "choice",
      choices: ["6248up", "6296up", "6120xp", "6140xp"],
      default: "6248up",
      doc: "fabric interconnect pair: 6200 series (unified ports, E16UP expansion) or 6100 series (10GbE ports, FC expansion modules)",
    },
    {
      name: "iomUplinks",
      kind: "choice",
      choices: [1, 2, 4, 8],
      default: 4,
      serves: "both",
      // A blade slot is pinned to one fabric port of its IOM (static pinning by the number of links).
      tier: { ports: "^(iom\\d+[ab]):fabric\\d+>fi-", pinned: true },
      doc: "10GbE fabric uplinks per IOM (2204XP up to 4, 2208XP for 8); chassis per FI pair follow (at most 20)",
    },
    {
      name: "fiLanUplinks",
      serves: "lan",
      kind: "int",
      min: 1,
      max: 16,
      default: 4,
      doc: "10GbE uplinks per fabric interconnect to the aggregation",
    },
    {
      name: "fiFcUplinks",
      serves: "san",
      kind: "int",
      min: 1,
      max: 16,
      default: 2,
      tier: { ports: "^(fi-[ab]\\d*):fc", equal: ["iomUplinks", "fiLanUplinks"], pinned: true },
      doc: "8G FC uplinks per fabric interconnect (NPV end-host mode) to its SAN fabric",
    },
    {
      name: "lanFailover",
      kind: "choice",
      choices: ["teaming", "fabric-failover"],
      default: "teaming",
      doc: "how a blade's LAN traffic survives a fabric: host teaming over vNICs on fabrics A and B (both active), or one vNIC on fabric A with UCS fabric failover to B (2 VIFs each)",
    },
    {
      name: "bulkPinGroup",
      kind: "int",
      min: 0,
      max: 15,
      default: 0,
      doc: "LAN uplinks of each fabric interconnect kept for the vNICs of hosts with bulk workloads (a UCS LAN pin group); the other vNICs are pinned round robin to the rest. 0: every vNIC pinned dynamically (hashed over all uplinks). A workaround for a fabric without classes: a QoS policy putting the bulk traffic in its own system class (study `qos.ucs`) separates its queue instead",
    },
    {
      name: "sanArrayPorts",
      serves: "san",
      kind: "int",
      min: 1,
      max: 64,
      default: 4,
      tier: { ports: "^array\\d*:fc" },
      doc: "FC ports from each SAN fabric (A, B) to the array (the site's storage: past one array's 16 ports, several arrays' ports, modelled as one array node)",
    },
    {
      name: "sanIsl",
      serves: "san",
      kind: "int",
      min: 1,
      max: 16,
      default: 2,
      tier: {
        ports: "^(san-[ab]\\d+):fc\\d+>san-[ab]-core",
        equal: ["iomUplinks", "fiLanUplinks", "fiFcUplinks"],
        atLeast: ["sanArrayPorts"],
        regroups: true,
      },
      doc: "ISLs per edge FC switch to its fabric's core, when a fabric needs more than one 48-port switch",
    },
  ],
  mriov: [
    {
      name: "hostsPerBox",
      kind: "int",
      min: 1,
      max: 16,
      default: 16,
      doc: "hosts per PCIe box (pair) = hosts sharing each adapter (every shared adapter serves all of its box's hosts)",
    },
    {
      name: "ethAdaptersPerBox",
      serves: "lan",
      kind: "int",
      min: 1,
      max: 8,
      default: 2,
      doc: "shared dual-port 10GbE adapters per PCIe box",
    },
    {
      name: "fcAdaptersPerBox",
      serves: "san",
      kind: "int",
      min: 1,
      max: 8,
      default: 1,
      tier: { ports: "^sa-fc-([ab]\\d+)-\\d+:fc", pinned: true },
      doc: "shared dual-port 8G FC adapters per PCIe box",
    },
    {
      name: "sanArrayPorts",
      serves: "san",
      kind: "int",
      min: 1,
      max: 64,
      default: 4,
      tier: { ports: "^array\\d*:fc" },
      doc: "FC ports from each SAN fabric (A, B) to the array (the site's storage: past one array's 16 ports, several arrays' ports, modelled as one array node)",
    },
    {
      name: "sanIsl",
      serves: "san",
      kind: "int",
      min: 1,
      max: 16,
      default: 2,
      tier: {
        ports: "^(san-[ab]\\d+):fc\\d+>san-[ab]-core",
        equal: ["fcAdaptersPerBox"],
        atLeast: ["sanArrayPorts"],
        regroups: true,
      },
      doc: "ISLs per edge FC switch to its fabric's core, when a fabric needs more than one 48-port switch",
    },
  ],
};

export function paramDef(design: Design, name: string): ParamDef | undefined {
  return PARAMS[design].find((p) => p.name === name);
}

/** Why `value` is not allowed for `def` (hard limits), or undefined when it is. */
export function valueProblem(def: ParamDef, value: unknown): string | undefined {
  if (def.kind === "int") {
    if (typeof value !== "number" || !Number.isInteger(value))
      return `${def.name} must be a whole number, got ${JSON.stringify(value)}`;
    if (value < def.min || value > def.max)
      return `${def.name} must be between ${def.min} and ${def.max}, got ${value}`;
    return undefined;
  }
  if (!def.choices.includes(value as ParamValue))
    return `${def.name} must be one of ${def.choices.join(", ")}, got ${JSON.stringify(value)}`;
  return undefined;
}

/** "7" → 7, "eth-10g" → "eth-10g": how a `--set p=v` value is read. */
export function parseParamValue(text: string): ParamValue {
  return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
}
