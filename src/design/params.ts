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

export type ParamDef =
  | {
      readonly name: string;
      readonly kind: "int";
      readonly min: number;
      readonly max: number;
      readonly default: number;
      readonly doc: string;
    }
  | {
      readonly name: string;
      readonly kind: "choice";
      readonly choices: readonly ParamValue[];
      readonly default: ParamValue;
      readonly doc: string;
    };

export const PARAMS: Readonly<Record<Design, readonly ParamDef[]>> = {
  traditional: [
    {
      name: "nicLink",
      kind: "choice",
      choices: ["eth-1g", "eth-10g"],
      default: "eth-1g",
      doc: "host NIC speed: quad-port 1GbE NICs, or dual-port 10GbE NICs",
    },
    {
      name: "nics",
      kind: "int",
      min: 1,
      max: 4,
      default: 2,
      doc: "NICs per host (the first is the onboard one for 1GbE); one ToR switch per NIC port",
    },
    {
      name: "teamPorts",
      kind: "int",
      min: 1,
      max: 14,
      default: 4,
      doc: "NIC ports in the VM-traffic team (after management and vMotion; the rest are spare)",
    },
    {
      name: "fcLink",
      kind: "choice",
      choices: ["fc-4g", "fc-8g"],
      default: "fc-8g",
      doc: "dual-port FC HBA speed (SAN fabrics A and B)",
    },
    { name: "torUplinks", kind: "int", min: 1, max: 4, default: 4, doc: "10GbE uplinks per ToR switch to the LAN" },
    {
      name: "sanArrayPorts",
      kind: "int",
      min: 1,
      max: 8,
      default: 4,
      doc: "FC ports from each SAN switch to the array",
    },
  ],
  director: [
    {
      name: "ibUplinks",
      kind: "int",
      min: 1,
      max: 24,
      default: 4,
      doc: "QDR links from each InfiniBand expansion switch up to its director",
    },
    {
      name: "ethModules",
      kind: "int",
      min: 1,
      max: 14,
      default: 2,
      doc: "4 x 10GbE I/O modules per director (to the LAN)",
    },
    { name: "fcModules", kind: "int", min: 1, max: 14, default: 2, doc: "2 x 8G FC I/O modules per director" },
  ],
  ucs: [
    {
      name: "iomUplinks",
      kind: "choice",
      choices: [1, 2, 4, 8],
      default: 4,
      doc: "10GbE fabric uplinks per IOM (2204XP up to 4, 2208XP for 8)",
    },
    {
      name: "fiLanUplinks",
      kind: "int",
      min: 1,
      max: 16,
      default: 8,
      doc: "10GbE LAN uplinks per fabric interconnect",
    },
    { name: "fiFcUplinks", kind: "int", min: 1, max: 16, default: 4, doc: "8G FC uplinks per fabric interconnect" },
    {
      name: "bulkPinGroup",
      kind: "int",
      min: 0,
      max: 15,
      default: 0,
      doc: "LAN uplinks of fabric interconnect A kept for the vNICs of hosts with bulk workloads (a UCS LAN pin group); the other vNICs are pinned round robin to the rest. 0: every vNIC pinned dynamically (hashed over all uplinks)",
    },
  ],
  mriov: [
    {
      name: "hostsPerAdapter",
      kind: "int",
      min: 1,
      max: 16,
      default: 16,
      doc: "hosts sharing each adapter = hosts per PCIe box (every shared adapter serves all of its box's hosts)",
    },
    {
      name: "ethAdaptersPerBox",
      kind: "int",
      min: 1,
      max: 8,
      default: 2,
      doc: "shared dual-port 10GbE adapters per PCIe box",
    },
    {
      name: "fcAdaptersPerBox",
      kind: "int",
      min: 1,
      max: 8,
      default: 2,
      doc: "shared dual-port 8G FC adapters per PCIe box",
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
