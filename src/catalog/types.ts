/**
 * The hardware catalog, resolved: device types as data (docs/architecture.md §3 Catalog).
 * Every figure carries the source it came from and how far to trust it; an
 * unknown figure is `null`, never 0. Plain frozen data, browser-safe.
 */

/** How far to trust a figure (the legend of docs/domain.md). */
export type Confidence = "solid" | "vendor-claim" | "rough" | "derived" | "unverified" | "estimate";

export const CONFIDENCES: readonly Confidence[] = [
  "solid",
  "vendor-claim",
  "rough",
  "derived",
  "unverified",
  "estimate",
];

/** One figure: a value, a range or unknown, with its source and confidence. */
export interface Figure {
  /** The value to compute with: the number, the midpoint of a range, or null when unknown. */
  readonly value: number | null;
  /** `[min, max]` when the source gives a range; null otherwise. */
  readonly range: readonly [number, number] | null;
  readonly confidence: Confidence;
  readonly source: string;
  readonly note: string | null;
}

export const ADAPTER_CLASSES = ["nic", "hba", "cna", "vic", "hca", "pcie-extender", "shared-adapter"] as const;
export const BOX_CLASSES = [
  "ethernet-switch",
  "fc-switch",
  "ib-switch",
  "pcie-switch",
  "pcie-appliance",
  "io-director",
  "fabric-interconnect",
  "fabric-extender",
  "storage-array",
  "external-network",
] as const;
export const SERVER_CLASSES = ["server", "blade"] as const;

export type AdapterClass = (typeof ADAPTER_CLASSES)[number];
export type BoxClass = (typeof BOX_CLASSES)[number];
export type ServerClass = (typeof SERVER_CLASSES)[number];
export type CatalogClass = AdapterClass | BoxClass | ServerClass | "io-module" | "chassis" | "cable" | "optic";

export const CATALOG_CLASSES: readonly CatalogClass[] = [
  ...ADAPTER_CLASSES,
  ...BOX_CLASSES,
  ...SERVER_CLASSES,
  "io-module",
  "chassis",
  "cable",
  "optic",
];

/** The physical form of a port: what plugs into it. */
export const PORT_MEDIA = [
  "rj45",
  "sfp",
  "sfp+",
  "sfp28",
  "qsfp",
  "qsfp+",
  "qsfp28",
  "qsfp56",
  "cx4",
  "backplane",
  "pcie-cable",
  "pcie-slot",
] as const;
export type PortMedium = (typeof PORT_MEDIA)[number];

/** A block of identical ports. */
export interface PortBlock {
  /** How many; null when not found. */
  readonly count: Figure;
  /** Link protocol ids (or patterns with `*`) the ports run; empty when only `speedGbps` is known. */
  readonly links: readonly string[];
  /** Nominal top speed per port in Gb/s, where no link protocol id names it (128GFC, HDR). */
  readonly speedGbps: number | null;
  readonly medium: PortMedium | null;
  /** What the ports face: `host`, `uplink`, `fabric`, `server`, `slot`, `expansion` …; null when undifferentiated. */
  readonly role: string | null;
  readonly note: string | null;
}

/** How an adapter attaches to its host. */
export type Attachment = "card" | "mezzanine" | "mlom" | "onboard" | "module";

export interface PcieAttachment {
  readonly gen: number | null;
  readonly lanes: number | null;
  readonly attach: Attachment;
  readonly confidence: Confidence;
  readonly source: string;
}

/** The UCS fabric interconnect VIF namespace: VIFs per blade per fabric = perUplinkPerBlade × n − reservedPerAdapter. */
export interface VifNamespace {
  readonly perUplinkPerBlade: number;
  readonly reservedPerAdapter: number;
  readonly confidence: Confidence;
  readonly source: string;
}

/**
 * Ports usable without a licence, ports each licence enables, and the licence's price
 * (UCS fabric interconnects, FC switches with port-on-demand tiers). A unit with `used`
 * ports needs ceil(max(0, used − included) / step) licences.
 */
export interface PortLicence {
  readonly included: number;
  readonly step: number;
  readonly listPriceUsd: Figure;
  readonly partNumber: string | null;
  readonly confidence: Confidence;
  readonly source: string;
}

interface EntryBase {
  readonly id: string;
  readonly name: string;
  readonly vendor: string | null;
  readonly year: number | null;
  /** The entry's default confidence and source (figures may override). */
  readonly confidence: Confidence;
  readonly source: string;
  readonly notes: string | null;
  /** List price per unit in USD (null: not found). */
  readonly listPriceUsd: Figure;
  readonly priceYear: number | null;
  /** Typical power per unit in W (null: not found). */
  readonly watts: Figure;
  readonly wattsMax: Figure | null;
  /** Where the entry was defined: file and index in its `entries` list. */
  readonly origin: { readonly file: string; readonly index: number };
}

export interface AdapterEntry extends EntryBase {
  readonly class: AdapterClass;
  /** null: the port inventory was not found. */
  readonly ports: readonly PortBlock[] | null;
  /** null: PCIe attachment not found. */
  readonly pcie: PcieAttachment | null;
  readonly maxVfsPerPort: Figure | null;
  readonly maxVfs: Figure | null;
  /** vNIC + vHBA budget (VIC, director HCA). */
  readonly maxVifs: Figure | null;
  readonly maxVnics: Figure | null;
  readonly maxVhbas: Figure | null;
  readonly npivPerPort: Figure | null;
  readonly throughputGbps: Figure | null;
  readonly latencyNs: Figure | null;
  readonly mrIov: boolean;
  /** Appliances (ids) a shared-adapter module fits; empty when any. */
  readonly fits: readonly string[];
}

export interface BoxEntry extends EntryBase {
  readonly class: BoxClass;
  readonly ports: readonly PortBlock[] | null;
  readonly rackUnits: Figure;
  /** Expansion / I/O module slots. */
  readonly moduleSlots: Figure | null;
  /** Compatible module ids, in order of preference (first = default). */
  readonly modules: readonly string[];
  readonly latencyNs: Figure | null;
  readonly bufferMB: Figure | null;
  readonly throughputGbps: Figure | null;
  readonly vifNamespace: VifNamespace | null;
  /** The switch chip inside (a pcie-switch id), if known. */
  readonly chip: string | null;
  /** Has its own out-of-band management port (counted on the management network). */
  readonly managementPort: boolean;
  /** Port licensing, when only some ports work without a licence; null when all do or unknown. */
  readonly portLicence: PortLicence | null;
  /**
   * External networks: the price of the upstream (aggregation/core LAN, core SAN) port an uplink of
   * each link protocol consumes, by link protocol id; null on other boxes or when not given.
   */
  readonly portPriceUsd: Readonly<Record<string, Figure>> | null;
}

export interface IoModuleEntry extends EntryBase {
  readonly class: "io-module";
  readonly ports: readonly PortBlock[] | null;
  /** Director / fabric interconnect ids it fits. */
  readonly fits: readonly string[];
  /** Port licensing of the module's ports (e.g. UCS-FI-E16UP: 8 of 16 licensed); null when all work or unknown. */
  readonly portLicence: PortLicence | null;
}

export interface ChassisEntry extends EntryBase {
  readonly class: "chassis";
  readonly rackUnits: Figure;
  readonly bladeSlots: Figure;
  readonly iomSlots: Figure;
}

export interface ServerEntry extends EntryBase {
  readonly class: ServerClass;
  readonly rackUnits: Figure;
  /** Expansion slots for adapters (PCIe cards; mezzanine slots on a blade). */
  readonly pcieSlots: Figure;
  /** Has its own out-of-band management (BMC) port; blades are managed through the chassis. */
  readonly managementPort: boolean;
}

export type CableMedium = "cat6" | "cat6a" | "twinax" | "mmf" | "smf" | "aoc" | "ib-copper" | "pcie-copper";

export interface CableEntry extends EntryBase {
  readonly class: "cable";
  /** Link protocol ids or patterns (`fc-*`) it carries. */
  readonly links: readonly string[];
  readonly medium: CableMedium;
  readonly connector: string | null;
  /** Longest length it works at; null for fibre that needs optics (the optics set the reach) or when unknown. */
  readonly reachM: Figure | null;
  /** Plain fibre: needs an optic at each end. */
  readonly needsOptics: boolean;
}

export interface OpticEntry extends EntryBase {
  readonly class: "optic";
  readonly links: readonly string[];
  /** Fibre it drives (`mmf`, `smf`), or `rj45` for a copper transceiver. */
  readonly medium: "mmf" | "smf" | "rj45";
  readonly connector: string | null;
  readonly formFactor: string | null;
  readonly reachM: Figure;
  /** False for parts the BOM never picks on its own (e.g. Cisco FET: FEX-to-parent only). */
  readonly autoSelect: boolean;
}

export type CatalogEntry =
  | AdapterEntry
  | BoxEntry
  | IoModuleEntry
  | ChassisEntry
  | ServerEntry
  | CableEntry
  | OpticEntry;

/** Which set of energy defaults a study prices with: the 2010 era of the reference racks, or today. */
export type Era = "2010" | "today";
export const ERAS: readonly Era[] = ["2010", "today"];

/**
 * A support contract rate: a share of the price per year, for the entries of
 * the given vendors and classes (empty: any). The first rule that matches an
 * entry applies.
 */
export interface SupportRule {
  readonly id: string;
  readonly vendors: readonly string[];
  readonly classes: readonly CatalogClass[];
  /** Share of the (discounted) price per year, 0 … 1 (null: unknown). */
  readonly ratePerYear: Figure;
}

/**
 * The figures a cost of ownership needs besides the entries' prices and
 * watts (`catalog/cost-model.yaml`), each with its source and confidence;
 * unknown ones have value null. A study's `cost:` block may override them.
 */
export interface CostModel {
  readonly support: readonly SupportRule[];
  /** Power usage effectiveness (facility power / IT power) by era. */
  readonly pue: Readonly<Record<Era, Figure>>;
  /** Electricity price, USD per kWh, by era. */
  readonly kwhPriceUsd: Readonly<Record<Era, Figure>>;
  /** Labour to lay, dress, label and test one cable run, USD. */
  readonly labourPerCableUsd: Figure;
}

/** The merged catalog: entries by id. */
export interface Catalog {
  readonly entries: ReadonlyMap<string, CatalogEntry>;
  /** The cost model (the last file that sets a figure wins). */
  readonly costModel: CostModel;
  /** Files it was built from, in order (built-in first, then --catalog files). */
  readonly files: readonly string[];
}

/** One problem in a catalog file, at a source position (1-based). */
export interface CatalogIssue {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  /** `entries[3].watts` */
  readonly path: string;
  readonly message: string;
}

export type CatalogResult =
  | { readonly ok: true; readonly catalog: Catalog }
  | { readonly ok: false; readonly issues: readonly CatalogIssue[] };
