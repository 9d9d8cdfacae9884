/**
 * The bill of materials of one topology: what a design makes you buy, cable and
 * power, priced from the catalog. Its `items` and `totals` carry the fields of
 * docs/architecture.md §5's `bom` object (kind, count, unitCostUsd, watts; adapters,
 * cables, optics, switchPorts, rackUnits, costUsd, unpricedItems, watts) plus
 * richer ones. Unknown figures stay null or are counted as unknown: a missing
 * price is never added as 0 (`costUsd` is the known part, "≥").
 */

import type { CatalogClass, Confidence, Era } from "../catalog/types.js";
import type { PathSegment } from "../topology/expand.js";
import type { Amount } from "./amount.js";

export interface BomOptions {
  /** Which era's energy figures the catalog's cost model gives by default (default "today"). */
  readonly era?: Era;
  /** Electricity price in USD per kWh (default: the cost model's for the era). */
  readonly kwhPriceUsd?: number;
  /** Power usage effectiveness: facility power / IT power (default: the cost model's for the era; never 1.0 by default). */
  readonly pue?: number;
  /** Years of energy to price (default 3). */
  readonly years?: number;
  /** Count the out-of-band management network (default true). */
  readonly management?: boolean;
  /** Catalog id of the management switch (default generic-48x1g-tor). */
  readonly managementSwitch?: string;
}

/** What an item is for, in the tables: adapters, switching boxes, their modules, chassis, cables, optics, port licences. */
export type ItemCategory = "adapter" | "switching" | "module" | "chassis" | "cable" | "optic" | "licence";

export interface BomItem {
  /** Catalog id (`unknown-…` for a part no catalog entry covers). */
  readonly kind: string;
  readonly count: number;
  /** List price per unit (a range's midpoint), or null when not found. */
  readonly unitCostUsd: number | null;
  /** Typical power per unit (a range's midpoint), or null when not found. */
  readonly watts: number | null;
  readonly name: string;
  /** The catalog class; `licence` for a port licence (not a catalog entry of its own). */
  readonly class: CatalogClass | "licence" | "unknown";
  readonly category: ItemCategory;
  /** `data` (the fabric) or `management` (the out-of-band network). */
  readonly role: "data" | "management";
  readonly unitCostRangeUsd: readonly [number, number] | null;
  readonly unitWattsRange: readonly [number, number] | null;
  /** count × unitCostUsd, or null when unpriced. */
  readonly totalCostUsd: number | null;
  readonly totalWatts: number | null;
  /** count × the unit price as a range (unknown: every unit counted in `unknown`). */
  readonly cost: Amount;
  /** count × the typical power per unit as a range. */
  readonly power: Amount;
  /** Per unit (null: unknown; 0 for parts inside a chassis or box). */
  readonly rackUnits: number | null;
  /** Front-panel ports each unit has (switching boxes and modules; backplane ports apart), or null. */
  readonly portsInstalled: number | null;
  /** Front-panel ports in use across all units (switching boxes and modules), or null. */
  readonly portsUsed: number | null;
  /** Backplane (midplane) ports each unit has: a chassis IOM's host ports (0 for most boxes; null: unknown). */
  readonly backplanePortsInstalled: number | null;
  /** Backplane ports in use across all units. */
  readonly backplanePortsUsed: number;
  readonly confidence: {
    readonly entry: Confidence | null;
    readonly price: Confidence | null;
    readonly watts: Confidence | null;
  };
  /** True when the topology did not name the model of a node, adapter, module or chassis and a default rule picked it (cables, optics and the management switch are always chosen by rule and are not marked). */
  readonly defaulted: boolean;
  /** Where it is used: node names, `node/adapter`, `node/module` (empty for cables and optics). */
  readonly usedBy: readonly string[];
}

export interface BomTotals {
  /** Server adapters and shared adapters. */
  readonly adapters: number;
  /** Physical cables (data and management); chassis midplane traces and in-box slots are not cables. */
  readonly cables: number;
  /** Pluggable transceivers: two per optical link, one per copper SFP where RJ45 meets a cage. */
  readonly optics: number;
  /** Front-panel ports in use on switching boxes (switches, directors, fabric interconnects, IOMs, PCIe boxes, management switches); an IOM's midplane ports are in backplanePorts. */
  readonly switchPorts: number;
  /** Rack units of the boxes bought (known part; chassis are counted apart, in enclosureRackUnits). */
  readonly rackUnits: number;
  /** Known part of the list cost: "≥ costUsd" when unpricedItems > 0; null when nothing is priced. */
  readonly costUsd: number | null;
  /** Units whose price is unknown. */
  readonly unpricedItems: number;
  /** Known part of the typical power: "≥ watts" when unknownWattsItems > 0; null when no power is known. */
  readonly watts: number | null;
  // ---- richer fields
  /** Of switchPorts, those with a cable plugged in (not in-box slots). */
  readonly switchPortsCabled: number;
  /** Front-panel ports installed on switching boxes and modules (known part). */
  readonly switchPortsInstalled: number;
  /** Boxes and modules whose front-panel port count is unknown (switchPortsInstalled leaves them out). */
  readonly switchPortsInstalledUnknown: number;
  /** Backplane (midplane) ports in use: blade-to-IOM traces in a chassis. Not switch ports, not cables. */
  readonly backplanePorts: number;
  /** Backplane ports installed (known part); backplanePortsInstalledUnknown boxes left out. */
  readonly backplanePortsInstalled: number;
  readonly backplanePortsInstalledUnknown: number;
  /**
   * adapters + cables + optics + switchPortsInstalled + lanPorts + sanPorts: the hardware count
   * (HARDWARE_SCORE_DEFINITION). A lower bound when hardwareScoreUnknown > 0.
   */
  readonly hardwareScore: number;
  /** Boxes and modules whose front-panel port count is unknown: the score leaves their ports out ("≥"). */
  readonly hardwareScoreUnknown: number;
  /** The list cost of everything bought (hardware and port licences) as a range, with what it rests on. */
  readonly cost: Amount;
  /** The typical power as a range, with what it rests on. */
  readonly power: Amount;
  readonly switchingDevices: number;
  /** Director / fabric interconnect modules plus chassis IOMs. */
  readonly ioModules: number;
  readonly chassis: number;
  readonly enclosureRackUnits: number;
  /** Boxes whose height is unknown (rackUnits leaves them out). */
  readonly rackUnitsUnknown: number;
  readonly costRangeUsd: readonly [number, number] | null;
  /** Catalog ids with no price. */
  readonly unpricedKinds: readonly string[];
  readonly unknownWattsItems: number;
  readonly traces: number;
  readonly inBoxSlots: number;
  readonly managementPorts: number;
  /** Ports the design uses on the external network (the `lan` node): uplinks into the core. */
  readonly lanPorts: number;
  /** Ports the design uses on the storage arrays (the SAN's edge): FC or Ethernet uplinks to storage. */
  readonly sanPorts: number;
  /** Port licences bought. */
  readonly licences: number;
  readonly servers: number;
}

/** Ports a design's uplinks take on the core network or a storage array, by node and link protocol. */
export interface UpstreamPorts {
  readonly node: string;
  readonly kind: "lan" | "storage-array";
  /** The node's catalog id (null when unknown). */
  readonly model: string | null;
  readonly link: string;
  readonly count: number;
  /** The entry's portPriceUsd for the link (null: the catalog gives none). */
  readonly unitPriceUsd: number | null;
  readonly unitPriceRangeUsd: readonly [number, number] | null;
  readonly confidence: Confidence | null;
}

export interface EnergyCost {
  readonly era: Era;
  /** Typical electricity price (null: unknown). */
  readonly kwhPriceUsd: number | null;
  /** Typical PUE (null: unknown). */
  readonly pue: number | null;
  readonly years: number;
  /** Energy over `years` of the known watts × PUE, or null when no power is known. */
  readonly kwh: number | null;
  readonly costUsd: number | null;
  /** True when some items' power is unknown: the figures are lower bounds. */
  readonly partial: boolean;
  /** The energy cost as a range (watts, PUE and price ranges), with what it rests on. */
  readonly cost: Amount;
}

/** Rack-wide totals divided by the number of servers. */
export interface PerServer {
  readonly adapters: number;
  readonly cables: number;
  readonly optics: number;
  readonly switchPorts: number;
  readonly costUsd: number | null;
  readonly watts: number | null;
}

/** One server's own hardware. */
export interface ServerFigures {
  readonly name: string;
  readonly model: string;
  readonly defaulted: boolean;
  readonly chassis: string | null;
  readonly adapters: number;
  /** Adapters that take a slot (cards and mezzanines; not onboard or mLOM). */
  readonly slotsNeeded: number;
  /** Slots available (the file's pcie.slots, else the server model's), or null. */
  readonly slots: number | null;
  /** Cables that end at this server, its management cable included. */
  readonly cables: number;
  readonly traces: number;
  readonly vifs: number;
  /** SR-IOV VFs over all its adapters' ports. */
  readonly vfs: number;
}

export type FlagSeverity = "error" | "warning" | "info";

/** A problem with the hardware (infeasible: error) or a caveat about the figures. */
export interface BomFlag {
  readonly severity: FlagSeverity;
  /** `pcie-slots`, `vif-budget`, `vif-namespace`, `vf-budget`, `ports`, `module-slots`, `chassis-slots`, … */
  readonly code: string;
  /** `host3`, `host3/nic0`, `fi-a/eth1`, `chassis1`, `link 12` … */
  readonly at: string;
  readonly message: string;
}

/** A model id the catalog does not have, or of the wrong class: invalid input, with the path of the field. */
export interface ModelIssue {
  readonly path: readonly PathSegment[];
  readonly message: string;
}

export interface Bom {
  readonly topology: string;
  readonly design: string;
  /** Sorted by category (adapters, switching, modules, chassis, cables, optics, licences), role, then kind. */
  readonly items: readonly BomItem[];
  readonly totals: BomTotals;
  readonly energy: EnergyCost;
  /** Upstream ports (core network, storage arrays), sorted by node then link. */
  readonly upstream: readonly UpstreamPorts[];
  readonly perServer: PerServer | null;
  readonly servers: readonly ServerFigures[];
  readonly flags: readonly BomFlag[];
  /** No error flags. */
  readonly feasible: boolean;
  /** Model ids the catalog cannot resolve; when any, the BOM uses defaults in their place. */
  readonly issues: readonly ModelIssue[];
  /** The counting rules applied, in words. */
  readonly rules: readonly string[];
}

/** One row of the comparison with a baseline design. */
export interface ReductionRow {
  readonly metric: string;
  readonly baseline: number | null;
  readonly value: number | null;
  /** baseline − value (positive: fewer than the baseline); null when either side is unknown or a lower bound. */
  readonly saved: number | null;
  /** value / baseline − 1 (−0.8 = 80 % fewer); null as saved. */
  readonly change: number | null;
  /** True when either side is a lower bound (unpriced items, unknown power or port counts). */
  readonly partial: boolean;
  readonly baselinePartial: boolean;
  readonly valuePartial: boolean;
}

export interface Reduction {
  readonly baseline: string;
  readonly baselineDesign: string;
  readonly rows: readonly ReductionRow[];
}

/** Exactly docs/architecture.md §5's `bom` object. */
export interface ResultBom {
  readonly items: readonly {
    readonly kind: string;
    readonly count: number;
    readonly unitCostUsd: number | null;
    readonly watts: number | null;
  }[];
  readonly totals: {
    readonly adapters: number;
    readonly cables: number;
    readonly optics: number;
    readonly switchPorts: number;
    readonly rackUnits: number;
    readonly costUsd: number | null;
    readonly unpricedItems: number;
    readonly watts: number | null;
  };
}
