/**
 * The bill of materials under construction (`bom.ts` runs the steps): the
 * topology by name, the catalog models each node, adapter and module resolves
 * to, the tallies of items bought, flags and counters. Each counting step
 * (servers, switching, chassis, links, management, totals) is a module of its
 * own that reads and adds to this state.
 */

import type {
  AdapterEntry,
  Catalog,
  CatalogClass,
  CatalogEntry,
  Figure,
  IoModuleEntry,
  ServerEntry,
} from "../catalog/types.js";
import type { PathSegment } from "../topology/expand.js";
import { didYouMean } from "../topology/fields.js";
import type { NodeKind, ResolvedAdapter, ResolvedNode, ResolvedPort, ResolvedTopology } from "../topology/types.js";
import { CableChooser } from "./cabling.js";
import type { BomFlag, BomOptions, FlagSeverity, ItemCategory, ModelIssue } from "./types.js";

/** Catalog classes a node kind may name. */
export const NODE_CLASSES: Readonly<Record<NodeKind, readonly CatalogClass[]>> = {
  server: ["server", "blade"],
  "ethernet-switch": ["ethernet-switch", "fabric-extender"],
  "fc-switch": ["fc-switch"],
  "ib-switch": ["ib-switch"],
  "pcie-switch": ["pcie-appliance", "pcie-switch"],
  "io-director": ["io-director"],
  "fabric-interconnect": ["fabric-interconnect"],
  "fabric-extender": ["fabric-extender"],
  "shared-adapter": ["shared-adapter", "nic", "hba", "cna", "hca"],
  "storage-array": ["storage-array"],
  lan: ["external-network"],
};

/** Catalog classes an adapter type may name. */
export const ADAPTER_TYPE_CLASSES: Readonly<Record<ResolvedAdapter["type"], readonly CatalogClass[]>> = {
  nic: ["nic", "cna", "hca"],
  hba: ["hba"],
  cna: ["cna"],
  vic: ["vic", "cna"],
  hca: ["hca"],
  "pcie-extender": ["pcie-extender"],
};

/** Node kinds bought as switching boxes. */
export const SWITCHING: ReadonlySet<NodeKind> = new Set([
  "ethernet-switch",
  "fc-switch",
  "ib-switch",
  "pcie-switch",
  "io-director",
  "fabric-interconnect",
  "fabric-extender",
]);

export interface Resolved<E extends CatalogEntry = CatalogEntry> {
  readonly entry: E | null;
  /** The entry id, or an `unknown-…` placeholder. */
  readonly id: string;
  readonly defaulted: boolean;
}

export interface Tally {
  kind: string;
  entry: CatalogEntry | null;
  category: ItemCategory;
  role: "data" | "management";
  count: number;
  defaulted: number;
  /** Front-panel ports in use (switching boxes and modules). */
  portsUsed: number | null;
  /** Backplane / midplane ports in use (a chassis IOM's host ports), apart from portsUsed. */
  backplaneUsed: number;
  usedBy: string[];
  /** Items that are not catalog entries (port licences): their own name, price and power. */
  own?: { readonly name: string; readonly price: Figure; readonly power: Figure };
}

/** Ports a design's uplinks take on the external network or a storage array, by link protocol. */
export interface UpstreamTally {
  node: string;
  kind: "lan" | "storage-array";
  entry: CatalogEntry | null;
  link: string;
  count: number;
}

export interface ServerTally {
  name: string;
  model: Resolved<ServerEntry>;
  chassis: string | null;
  adapters: number;
  slotsNeeded: number;
  slots: number | null;
  cables: number;
  traces: number;
  vifs: number;
  vfs: number;
}

/** "1 port", "3 ports". */
/** Ports of an entry on the front panel and on a backplane (null: some block's count unknown; 0 when it has none). */
export function installedByMedium(e: CatalogEntry): { front: number | null; backplane: number | null } {
  if (!("ports" in e) || e.ports === null) return { front: null, backplane: null };
  let front: number | null = 0;
  let backplane: number | null = 0;
  for (const b of e.ports) {
    const n = b.count.value;
    if (b.medium === "backplane") backplane = backplane === null || n === null ? null : backplane + n;
    else front = front === null || n === null ? null : front + n;
  }
  return { front, backplane };
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** "a" or "an" before the word. */
export function article(word: string): string {
  return /^[aeiou]/i.test(word) ? "an" : "a";
}

/** What the counting steps share: the topology by name, the models resolved, the tallies, flags and counters. */
export class BomState {
  readonly nodes = new Map<string, ResolvedNode>();
  readonly ports = new Map<string, Map<string, ResolvedPort>>();
  readonly nodeModels = new Map<string, Resolved>();
  readonly adapterModels = new Map<string, Resolved<AdapterEntry>>();
  readonly moduleModels = new Map<string, Resolved<IoModuleEntry>>();
  readonly tallies = new Map<string, Tally>();
  readonly servers = new Map<string, ServerTally>();
  readonly flags: BomFlag[] = [];
  readonly issues: ModelIssue[] = [];
  readonly chooser: CableChooser;
  readonly flagged = new Map<string, { index: number; more: number }>();
  /** Upstream ports by `node|link`, in the order met. */
  readonly upstream = new Map<string, UpstreamTally>();
  traces = 0;
  cabledSwitchPorts = 0;
  inBox = 0;
  lanPorts = 0;
  managementPorts = 0;

  constructor(
    readonly topo: ResolvedTopology,
    readonly catalog: Catalog,
    readonly options: BomOptions,
  ) {
    for (const n of topo.nodes) {
      this.nodes.set(n.name, n);
      this.ports.set(n.name, new Map(n.ports.map((p) => [p.name, p])));
    }
    this.chooser = new CableChooser(catalog);
  }

  // ------------------------------------------------------------ flags and models

  /** Adds a flag; with `once`, later flags with the same key only raise the first one's "more like this" count. */
  flag(severity: FlagSeverity, code: string, at: string, message: string, once?: string): void {
    if (once !== undefined) {
      const first = this.flagged.get(once);
      if (first !== undefined) {
        first.more++;
        return;
      }
      this.flagged.set(once, { index: this.flags.length, more: 0 });
    }
    this.flags.push({ severity, code, at, message });
  }

  resolve<E extends CatalogEntry>(
    explicit: string | null,
    fallback: () => string | null,
    allowed: readonly CatalogClass[],
    path: readonly PathSegment[],
    what: string,
    at: string,
    placeholder: string,
  ): Resolved<E> {
    if (explicit !== null) {
      const e = this.catalog.entries.get(explicit);
      if (e === undefined) {
        const ids = [...this.catalog.entries.values()].filter((x) => allowed.includes(x.class)).map((x) => x.id);
        const guess = didYouMean(explicit, ids);
        this.issues.push({
          path,
          message: `no catalog entry ${explicit}${guess === undefined ? ` (${what}: ${allowed.join(" or ")})` : ` (did you mean ${guess}?)`}`,
        });
      } else if (!allowed.includes(e.class)) {
        this.issues.push({
          path,
          message: `${explicit} is ${article(e.class)} ${e.class}; ${article(what)} ${what} takes ${allowed.join(" or ")}`,
        });
      } else return { entry: e as E, id: e.id, defaulted: false };
    }
    const id = fallback();
    const e = id === null ? undefined : this.catalog.entries.get(id);
    if (e === undefined || !allowed.includes(e.class)) {
      this.flag(
        "warning",
        "no-model",
        at,
        id === null
          ? `no default model for this ${what}: counted as ${placeholder}, unpriced (name one with model:)`
          : `default model ${id} is not ${allowed.join(" or ")} in this catalog: counted as ${placeholder}`,
      );
      return { entry: null, id: placeholder, defaulted: true };
    }
    return { entry: e as E, id: e.id, defaulted: true };
  }

  linkId(i: number): string {
    return this.topo.links[i]?.protocol ?? "";
  }

  add(
    r: Resolved,
    category: ItemCategory,
    usedBy: string | null,
    extra: {
      role?: "data" | "management";
      count?: number;
      portsUsed?: number;
      backplaneUsed?: number;
      own?: Tally["own"];
    } = {},
  ): void {
    const role = extra.role ?? "data";
    const key = `${role}|${r.id}`;
    let t = this.tallies.get(key);
    if (t === undefined) {
      t = {
        kind: r.id,
        entry: r.entry,
        category,
        role,
        count: 0,
        defaulted: 0,
        portsUsed: null,
        backplaneUsed: 0,
        usedBy: [],
        ...(extra.own === undefined ? {} : { own: extra.own }),
      };
      this.tallies.set(key, t);
    }
    const n = extra.count ?? 1;
    t.count += n;
    if (r.defaulted) t.defaulted += n;
    if (extra.portsUsed !== undefined) t.portsUsed = (t.portsUsed ?? 0) + extra.portsUsed;
    if (extra.backplaneUsed !== undefined) t.backplaneUsed += extra.backplaneUsed;
    if (usedBy !== null) t.usedBy.push(usedBy);
  }

  node(name: string): ResolvedNode {
    return this.nodes.get(name)!;
  }
}
