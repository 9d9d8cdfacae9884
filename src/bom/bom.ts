/**
 * `bom(topology, catalog, options)`: the bill of materials of a topology.
 *
 * Counting rules (also returned in `Bom.rules`, printed under the table):
 * - Equipment is bought whole: a switch, director, fabric interconnect, IOM,
 *   PCIe box, chassis or module is one item however few of its ports are used;
 *   ports installed are the model's, ports used are the connected ones.
 * - Every server adapter and shared adapter is one adapter. Storage arrays, the
 *   LAN and the servers themselves are the same in every design: not bought here.
 * - A link between a blade and an IOM of its own chassis is a midplane trace, and
 *   a shared adapter's slot link in its PCIe box is an in-box slot: not cables.
 *   Every other link is one cable, chosen by `CableChooser` (two optics per fibre link).
 * - Management network: one 1GbE port per box with a management port (switches,
 *   directors, fabric interconnects, PCIe appliances; not IOMs, FEXes or chips)
 *   and per server with its own BMC (rack servers; blades are managed through the
 *   chassis), each one Cat6 cable to a management switch; switches bought whole.
 * - Prices and power come from the catalog; unknown ones are counted, never added as 0.
 */

import { blockCarries, blockFor, installedPorts, portBlocks } from "../catalog/catalog.js";
import type {
  AdapterEntry,
  BoxEntry,
  Catalog,
  CatalogClass,
  CatalogEntry,
  ChassisEntry,
  Confidence,
  IoModuleEntry,
  PortMedium,
  ServerEntry,
} from "../catalog/types.js";
import type { PathSegment } from "../topology/expand.js";
import { didYouMean } from "../topology/fields.js";
import { DEFAULT_LENGTH_METRES, TICKS_PER_METRE } from "../topology/resolve-links.js";
import type {
  DirectorNode,
  Endpoint,
  FabricExtenderNode,
  NodeKind,
  ResolvedAdapter,
  ResolvedLink,
  ResolvedNode,
  ResolvedPort,
  ResolvedTopology,
  ServerNode,
  SharedAdapterNode,
} from "../topology/types.js";
import { CableChooser, type Cabling, type LinkKind } from "./cabling.js";
import {
  DEFAULT_CHASSIS,
  DEFAULT_MANAGEMENT_SWITCH,
  defaultAdapter,
  defaultModule,
  defaultNode,
  defaultServer,
  linksOf,
} from "./defaults.js";
import type {
  Bom,
  BomFlag,
  BomItem,
  BomOptions,
  BomTotals,
  EnergyCost,
  FlagSeverity,
  ItemCategory,
  ModelIssue,
  PerServer,
  ResultBom,
  ServerFigures,
} from "./types.js";

export const DEFAULT_KWH_PRICE_USD = 0.12;
export const DEFAULT_PUE = 1.0;
export const DEFAULT_YEARS = 3;
const HOURS_PER_YEAR = 8760;

/** Catalog classes a node kind may name. */
const NODE_CLASSES: Readonly<Record<NodeKind, readonly CatalogClass[]>> = {
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
const ADAPTER_TYPE_CLASSES: Readonly<Record<ResolvedAdapter["type"], readonly CatalogClass[]>> = {
  nic: ["nic", "cna", "hca"],
  hba: ["hba"],
  cna: ["cna"],
  vic: ["vic", "cna"],
  hca: ["hca"],
  "pcie-extender": ["pcie-extender"],
};

const SWITCHING: ReadonlySet<NodeKind> = new Set([
  "ethernet-switch",
  "fc-switch",
  "ib-switch",
  "pcie-switch",
  "io-director",
  "fabric-interconnect",
  "fabric-extender",
]);

const CATEGORY_ORDER: readonly ItemCategory[] = ["adapter", "switching", "module", "chassis", "cable", "optic"];

interface Resolved<E extends CatalogEntry = CatalogEntry> {
  readonly entry: E | null;
  /** The entry id, or an `unknown-…` placeholder. */
  readonly id: string;
  readonly defaulted: boolean;
}

interface Tally {
  kind: string;
  entry: CatalogEntry | null;
  category: ItemCategory;
  role: "data" | "management";
  count: number;
  defaulted: number;
  portsUsed: number | null;
  usedBy: string[];
}

interface ServerTally {
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

/** The bill of materials of `topo`, priced from `catalog`. */
export function bom(topo: ResolvedTopology, catalog: Catalog, options: BomOptions = {}): Bom {
  return new BomBuilder(topo, catalog, options).build();
}

/** DESIGN.md §5's `bom` object: the four item fields and eight totals only. */
export function resultBom(b: Bom): ResultBom {
  const t = b.totals;
  return {
    items: b.items.map((i) => ({ kind: i.kind, count: i.count, unitCostUsd: i.unitCostUsd, watts: i.watts })),
    totals: {
      adapters: t.adapters,
      cables: t.cables,
      optics: t.optics,
      switchPorts: t.switchPorts,
      rackUnits: t.rackUnits,
      costUsd: t.costUsd,
      unpricedItems: t.unpricedItems,
      watts: t.watts,
    },
  };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? "an" : "a";
}

class BomBuilder {
  private readonly nodes = new Map<string, ResolvedNode>();
  private readonly ports = new Map<string, Map<string, ResolvedPort>>();
  private readonly nodeModels = new Map<string, Resolved>();
  private readonly adapterModels = new Map<string, Resolved<AdapterEntry>>();
  private readonly moduleModels = new Map<string, Resolved<IoModuleEntry>>();
  private readonly tallies = new Map<string, Tally>();
  private readonly servers = new Map<string, ServerTally>();
  private readonly flags: BomFlag[] = [];
  private readonly issues: ModelIssue[] = [];
  private readonly chooser: CableChooser;
  private readonly flagged = new Map<string, { index: number; more: number }>();
  private traces = 0;
  private cabledSwitchPorts = 0;
  private inBox = 0;
  private lanPorts = 0;
  private managementPorts = 0;

  constructor(
    private readonly topo: ResolvedTopology,
    private readonly catalog: Catalog,
    private readonly options: BomOptions,
  ) {
    for (const n of topo.nodes) {
      this.nodes.set(n.name, n);
      this.ports.set(n.name, new Map(n.ports.map((p) => [p.name, p])));
    }
    this.chooser = new CableChooser(catalog);
  }

  build(): Bom {
    this.resolveModels();
    for (const n of this.topo.nodes) {
      if (n.kind === "server") this.server(n);
      else if (n.kind === "shared-adapter") this.sharedAdapter(n);
      else if (SWITCHING.has(n.kind)) this.switching(n);
      else if (n.kind === "lan") this.lanPorts += n.ports.filter((p) => p.peer !== null).length;
    }
    this.chassis();
    for (const [i, l] of this.topo.links.entries()) this.link(l, i);
    this.vifNamespaces();
    if (this.options.management !== false) this.management();
    return this.assemble();
  }

  // ------------------------------------------------------------ flags and models

  /** Adds a flag; with `once`, later flags with the same key only raise the first one's "more like this" count. */
  private flag(severity: FlagSeverity, code: string, at: string, message: string, once?: string): void {
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

  private resolve<E extends CatalogEntry>(
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

  private linkId(i: number): string {
    return this.topo.links[i]?.protocol ?? "";
  }

  private resolveModels(): void {
    for (const n of this.topo.nodes) {
      const at: PathSegment[] = ["topology", "nodes", n.name];
      if (n.kind === "server") {
        this.nodeModels.set(
          n.name,
          this.resolve(
            n.model,
            () => defaultServer(n),
            NODE_CLASSES.server,
            [...at, "model"],
            "server",
            n.name,
            "unknown-server",
          ),
        );
        n.adapters.forEach((a, i) => {
          this.adapterModels.set(
            `${n.name}/${a.name}`,
            this.resolve<AdapterEntry>(
              a.model,
              () => defaultAdapter(a),
              ADAPTER_TYPE_CLASSES[a.type],
              [...at, "adapters", i, "model"],
              a.type,
              `${n.name}/${a.name}`,
              `unknown-${a.type}-${a.link}`,
            ),
          );
        });
        continue;
      }
      const links = linksOf(n, (i) => this.linkId(i));
      const device = this.resolve(
        n.model,
        () => defaultNode(n, links, this.catalog),
        NODE_CLASSES[n.kind],
        [...at, "model"],
        n.kind,
        n.name,
        `unknown-${n.kind}`,
      );
      this.nodeModels.set(n.name, device);
      if (n.kind === "io-director" || n.kind === "fabric-interconnect") {
        n.modules.forEach((m, i) => {
          this.moduleModels.set(
            `${n.name}/${m.name}`,
            this.resolve<IoModuleEntry>(
              m.model,
              () => defaultModule(m, device.entry, this.catalog),
              ["io-module"],
              [...at, "modules", i, "model"],
              "I/O module",
              `${n.name}/${m.name}`,
              `unknown-module-${m.link}`,
            ),
          );
        });
      }
    }
  }

  // ------------------------------------------------------------ tallies

  private add(
    r: Resolved,
    category: ItemCategory,
    usedBy: string | null,
    extra: { role?: "data" | "management"; count?: number; portsUsed?: number } = {},
  ): void {
    const role = extra.role ?? "data";
    const key = `${role}|${r.id}`;
    let t = this.tallies.get(key);
    if (t === undefined) {
      t = { kind: r.id, entry: r.entry, category, role, count: 0, defaulted: 0, portsUsed: null, usedBy: [] };
      this.tallies.set(key, t);
    }
    const n = extra.count ?? 1;
    t.count += n;
    if (r.defaulted) t.defaulted += n;
    if (extra.portsUsed !== undefined) t.portsUsed = (t.portsUsed ?? 0) + extra.portsUsed;
    if (usedBy !== null) t.usedBy.push(usedBy);
  }

  // ------------------------------------------------------------ servers and their adapters

  private server(n: ServerNode): void {
    const model = this.nodeModels.get(n.name) as Resolved<ServerEntry>;
    const tally: ServerTally = {
      name: n.name,
      model,
      chassis: n.chassis,
      adapters: n.adapters.length,
      slotsNeeded: 0,
      slots: n.pcieSlots ?? model.entry?.pcieSlots.value ?? null,
      cables: 0,
      traces: 0,
      vifs: 0,
      vfs: 0,
    };
    this.servers.set(n.name, tally);
    for (const a of n.adapters) {
      const at = `${n.name}/${a.name}`;
      const r = this.adapterModels.get(at)!;
      this.add(r, "adapter", at);
      const attach = r.entry?.pcie?.attach ?? "card";
      if (attach === "card" || attach === "mezzanine") tally.slotsNeeded++;
      tally.vifs += a.vifs.length;
      tally.vfs += a.vfs * a.ports.length;
      if (r.entry !== null) this.checkAdapter(a, r.entry, at);
    }
    if (tally.slots !== null && tally.slotsNeeded > tally.slots) {
      const source = n.pcieSlots !== null ? "pcie.slots" : `model ${model.id}`;
      this.flag(
        "error",
        "pcie-slots",
        n.name,
        `${plural(tally.slotsNeeded, "adapter")} need${tally.slotsNeeded === 1 ? "s" : ""} a slot each; ${source} has ${plural(tally.slots, "slot")}`,
      );
    } else if (tally.slots === null && tally.slotsNeeded > 0) {
      this.flag(
        "info",
        "pcie-slots-unknown",
        n.name,
        `PCIe slots of ${model.id} unknown: ${tally.slotsNeeded} adapters not checked`,
        `slots|${model.id}`,
      );
    }
  }

  private checkAdapter(a: ResolvedAdapter, e: AdapterEntry, at: string): void {
    const ports =
      e.ports === null
        ? null
        : e.ports.reduce<number | null>((s, b) => (s === null || b.count.value === null ? null : s + b.count.value), 0);
    if (ports !== null && a.ports.length > ports) {
      this.flag("error", "adapter-ports", at, `${plural(a.ports.length, "port")} in the file; ${e.id} has ${ports}`);
    }
    if (e.ports !== null && !e.ports.some((b) => blockCarries(b, a.link))) {
      this.flag("warning", "model-link", at, `${e.id}'s ports do not run ${a.link}`, `link|${e.id}|${a.link}`);
    }
    const bus = /^pcie-gen(\d)-x(\d+)$/.exec(a.bus);
    if (bus !== null && e.pcie !== null && e.pcie.attach !== "onboard" && e.pcie.attach !== "module") {
      const gen = Number(bus[1]);
      const lanes = Number(bus[2]);
      const slower = e.pcie.gen !== null && gen > e.pcie.gen;
      const narrower = e.pcie.lanes !== null && lanes > e.pcie.lanes;
      if (slower || narrower) {
        this.flag(
          "warning",
          "bus",
          at,
          `bus ${a.bus} is ${slower ? "faster" : "wider"} than ${e.id}'s PCIe Gen${e.pcie.gen ?? "?"} x${e.pcie.lanes ?? "?"}: the simulation gives it more host bandwidth than the card has`,
          `bus|${e.id}|${a.bus}`,
        );
      }
    }
    if (a.vfs > 0) {
      const perPort = e.maxVfsPerPort?.value ?? null;
      const device = e.maxVfs?.value ?? null;
      if (perPort !== null && a.vfs > perPort) {
        this.flag("error", "vf-budget", at, `${a.vfs} VFs per port; ${e.id} allows ${perPort} per port`);
      }
      if (device !== null && a.vfs * a.ports.length > device) {
        this.flag("error", "vf-budget", at, `${a.vfs * a.ports.length} VFs in all; ${e.id} allows ${device}`);
      }
      if (perPort === null && device === null) {
        this.flag(
          "info",
          "vf-unknown",
          at,
          `VF limit of ${e.id} unknown: ${a.vfs} VFs per port not checked`,
          `vf|${e.id}`,
        );
      }
    }
    const vnics = a.vifs.filter((v) => v.type === "vnic").length;
    const vhbas = a.vifs.length - vnics;
    const maxVifs = e.maxVifs?.value ?? null;
    if (maxVifs !== null && a.vifs.length > maxVifs) {
      this.flag("error", "vif-budget", at, `${a.vifs.length} vNICs + vHBAs; ${e.id} allows ${maxVifs}`);
    }
    const maxVnics = e.maxVnics?.value ?? null;
    const maxVhbas = e.maxVhbas?.value ?? null;
    if (maxVnics !== null && vnics > maxVnics)
      this.flag("error", "vif-budget", at, `${vnics} vNICs; ${e.id} allows ${maxVnics}`);
    if (maxVhbas !== null && vhbas > maxVhbas)
      this.flag("error", "vif-budget", at, `${vhbas} vHBAs; ${e.id} allows ${maxVhbas}`);
    if (
      a.vifs.length > 0 &&
      maxVifs === null &&
      maxVnics === null &&
      maxVhbas === null &&
      e.class !== "pcie-extender"
    ) {
      this.flag(
        "info",
        "vif-unknown",
        at,
        `vNIC/vHBA limit of ${e.id} unknown: ${a.vifs.length} not checked`,
        `vif|${e.id}`,
      );
    }
  }

  private sharedAdapter(n: SharedAdapterNode): void {
    const r = this.nodeModels.get(n.name)!;
    this.add(r, "adapter", n.name);
    if (r.entry === null) return;
    const own = n.ports.filter((p) => p.group !== "bus").length;
    const ports = installedPorts(r.entry);
    if (ports !== null && own > ports)
      this.flag("error", "adapter-ports", n.name, `${plural(own, "port")} in the file; ${r.id} has ${ports}`);
    if (portBlocks(r.entry).length > 0 && !portBlocks(r.entry).some((b) => blockCarries(b, n.link))) {
      this.flag("warning", "model-link", n.name, `${r.id}'s ports do not run ${n.link}`, `link|${r.id}|${n.link}`);
    }
    // The box it sits in: the pcie-switch at the other end of its bus link.
    const bus = n.ports.find((p) => p.group === "bus");
    const box = bus?.peer === null || bus === undefined ? undefined : this.nodeModels.get(bus.peer.node);
    if (
      r.entry.class === "shared-adapter" &&
      r.entry.fits.length > 0 &&
      box?.entry != null &&
      !r.entry.fits.includes(box.id)
    ) {
      this.flag("warning", "fits", n.name, `${r.id} is made for ${r.entry.fits.join(", ")}, not ${box.id}`);
    }
  }

  // ------------------------------------------------------------ switching boxes and modules

  private switching(n: Exclude<ResolvedNode, ServerNode | SharedAdapterNode>): void {
    const r = this.nodeModels.get(n.name)!;
    const modulePorts = new Set(
      n.kind === "io-director" || n.kind === "fabric-interconnect" ? n.modules.flatMap((m) => m.ports) : [],
    );
    const own = n.ports.filter((p) => !modulePorts.has(p.name));
    const used = own.filter((p) => p.peer !== null).length;
    this.add(r, "switching", n.name, { portsUsed: used });
    const e = r.entry;
    if (e !== null) {
      const installed = installedPorts(e);
      if (installed !== null && own.length > installed) {
        this.flag("error", "ports", n.name, `${plural(own.length, "port")} in the file; ${r.id} has ${installed}`);
      }
      if (portBlocks(e).length > 0) {
        for (const p of own) {
          if (p.link === null) continue;
          const link = this.linkId(p.link);
          if (blockFor(e, link) === null) {
            this.flag(
              "warning",
              "model-link",
              n.name,
              `${r.id} has no ports that run ${link} (${p.name})`,
              `link|${n.name}|${link}`,
            );
          }
        }
      }
    }
    if (n.kind === "io-director" || n.kind === "fabric-interconnect") this.modules(n, r);
  }

  /**
   * A director's or fabric interconnect's modules. Topology modules are port
   * groups; physical modules are bought whole, and groups with the same model
   * share one physical module when its ports (of the right protocols) allow.
   */
  private modules(n: DirectorNode, device: Resolved): void {
    const byModel = new Map<string, { r: Resolved<IoModuleEntry>; groups: DirectorNode["modules"][number][] }>();
    for (const m of n.modules) {
      const r = this.moduleModels.get(`${n.name}/${m.name}`)!;
      const g = byModel.get(r.id) ?? { r, groups: [] };
      g.groups.push(m);
      byModel.set(r.id, g);
    }
    let physical = 0;
    for (const { r, groups } of byModel.values()) {
      const e = r.entry;
      // First-fit packing: remaining free ports per block, per physical module.
      const bins: number[][] = [];
      const capacity = e === null ? null : portBlocks(e).map((b) => b.count.value);
      for (const m of groups) {
        const used = m.ports.filter((p) => this.ports.get(n.name)?.get(p)?.peer != null).length;
        const where = `${n.name}/${m.name}`;
        if (e !== null && e.fits.length > 0 && device.entry !== null && !e.fits.includes(device.id)) {
          this.flag(
            "warning",
            "fits",
            where,
            `${r.id} fits ${e.fits.join(", ")}, not ${device.id}`,
            `fits|${r.id}|${device.id}`,
          );
        }
        if (capacity === null || capacity.length === 0 || capacity.some((c) => c === null)) {
          // Ports unknown: one physical module per group.
          bins.push([]);
          this.add(r, "module", where, { portsUsed: used });
          continue;
        }
        const carrying = e === null ? [] : portBlocks(e).map((b) => blockCarries(b, m.link));
        if (!carrying.some(Boolean)) {
          this.flag(
            "warning",
            "model-link",
            where,
            `${r.id} has no ports that run ${m.link}`,
            `link|${r.id}|${m.link}`,
          );
        }
        const room = (bin: number[]) => bin.reduce((s, free, k) => s + (carrying[k] ? free : 0), 0);
        const fill = (bin: number[], n: number) => {
          let need = n;
          for (let k = 0; k < bin.length && need > 0; k++) {
            if (!carrying[k]) continue;
            const take = Math.min(need, bin[k]!);
            bin[k]! -= take;
            need -= take;
          }
        };
        const shared = bins.find((b) => room(b) >= m.ports.length);
        if (shared !== undefined) {
          fill(shared, m.ports.length);
          this.add(r, "module", where, { portsUsed: used, count: 0 });
          continue;
        }
        // New modules: as many as the group's ports need (a group may span several).
        const per = room((capacity as number[]).slice());
        const k = per === 0 ? 1 : Math.ceil(m.ports.length / per);
        for (let j = 0, left = m.ports.length; j < k; j++, left -= per) {
          const bin = (capacity as number[]).slice();
          fill(bin, Math.min(left, per));
          bins.push(bin);
        }
        if (k > 1) {
          this.flag(
            "warning",
            "module-span",
            where,
            `${plural(m.ports.length, "port")} of ${m.link} take ${k} × ${r.id} (${per} ports each)`,
          );
        }
        this.add(r, "module", where, { portsUsed: used, count: k });
      }
      physical += bins.length;
    }
    const slots =
      device.entry !== null && "moduleSlots" in device.entry ? (device.entry.moduleSlots?.value ?? null) : null;
    if (slots !== null && physical > slots) {
      this.flag(
        "error",
        "module-slots",
        n.name,
        `${plural(physical, "module")} to buy; ${device.id} has ${plural(slots, "slot")}`,
      );
    }
  }

  // ------------------------------------------------------------ chassis

  private chassis(): void {
    const members = new Map<string, { blades: string[]; ioms: string[]; model: string | null; from: string | null }>();
    for (const n of this.topo.nodes) {
      if ((n.kind !== "server" && n.kind !== "fabric-extender") || n.chassis === null) continue;
      const c = members.get(n.chassis) ?? { blades: [], ioms: [], model: null, from: null };
      (n.kind === "server" ? c.blades : c.ioms).push(n.name);
      const named = (n as ServerNode | FabricExtenderNode).chassisModel;
      if (named !== null) {
        if (c.model !== null && c.model !== named) {
          this.flag("error", "chassis-model", n.chassis, `${c.from} says ${c.model}, ${n.name} says ${named}`);
        } else if (c.model === null) {
          c.model = named;
          c.from = n.name;
        }
      }
      members.set(n.chassis, c);
    }
    for (const [name, c] of members) {
      const from = c.from === null ? null : this.nodes.get(c.from);
      const path: PathSegment[] =
        from === undefined || from === null ? [] : ["topology", "nodes", from.name, "chassisModel"];
      const r = this.resolve<ChassisEntry>(
        c.model,
        () => DEFAULT_CHASSIS,
        ["chassis"],
        path,
        "chassis",
        name,
        "unknown-chassis",
      );
      this.add(r, "chassis", name);
      if (r.entry === null) continue;
      const blades = r.entry.bladeSlots.value;
      const ioms = r.entry.iomSlots.value;
      if (blades !== null && c.blades.length > blades) {
        this.flag("error", "chassis-slots", name, `${plural(c.blades.length, "blade")}; ${r.id} holds ${blades}`);
      }
      if (ioms !== null && c.ioms.length > ioms) {
        this.flag("error", "chassis-slots", name, `${plural(c.ioms.length, "IOM")}; ${r.id} holds ${ioms}`);
      }
    }
  }

  // ------------------------------------------------------------ links

  private node(name: string): ResolvedNode {
    return this.nodes.get(name)!;
  }

  private classify(l: ResolvedLink, i: number): LinkKind {
    const a = this.node(l.a.node);
    const b = this.node(l.b.node);
    for (const [x, y] of [
      [a, b],
      [b, a],
    ] as const) {
      if (x.kind === "server" && x.chassis !== null && y.kind === "fabric-extender") {
        if (y.chassis === x.chassis) return { kind: "trace", why: "chassis midplane" };
        this.flag(
          "warning",
          "chassis",
          `link ${i}`,
          `blade ${x.name} (${x.chassis}) is linked to ${y.name} of ${y.chassis ?? "no chassis"}: counted as a cable`,
        );
      }
      if (x.kind === "pcie-switch" && y.kind === "shared-adapter") {
        const ep = x === a ? l.b : l.a;
        if (ep.port === "bus") return { kind: "in-box", why: "adapter in the box's slot" };
      }
    }
    return { kind: "cable" };
  }

  /** The physical medium of a port, from the model of what it belongs to; null when unknown. */
  private medium(ep: Endpoint, link: string): PortMedium | null {
    const n = this.node(ep.node);
    const port = this.ports.get(ep.node)?.get(ep.port);
    if (port === undefined) return null;
    if (n.kind === "server") {
      const a = this.adapterModels.get(`${n.name}/${port.group}`)?.entry;
      return a == null ? null : (blockFor(a, link)?.medium ?? null);
    }
    if (n.kind === "shared-adapter" && port.group === "bus") return "pcie-slot";
    if (
      (n.kind === "io-director" || n.kind === "fabric-interconnect") &&
      n.modules.some((m) => m.name === port.group)
    ) {
      const m = this.moduleModels.get(`${n.name}/${port.group}`)?.entry;
      return m == null ? null : (blockFor(m, link)?.medium ?? null);
    }
    const e = this.nodeModels.get(n.name)?.entry;
    return e == null ? null : (blockFor(e, link, port.group)?.medium ?? null);
  }

  private link(l: ResolvedLink, i: number): void {
    const kind = this.classify(l, i);
    const ends = [l.a, l.b];
    if (kind.kind === "trace") {
      this.traces++;
      for (const ep of ends) {
        const s = this.servers.get(ep.node);
        if (s !== undefined) s.traces++;
      }
      return;
    }
    if (kind.kind === "in-box") {
      this.inBox++;
      return;
    }
    const metres = l.lengthMetres ?? l.propagationTicks / TICKS_PER_METRE;
    const ma = this.medium(l.a, l.protocol);
    const mb = this.medium(l.b, l.protocol);
    for (const [ep, m] of [
      [l.a, ma],
      [l.b, mb],
    ] as const) {
      if (m === "backplane") {
        this.flag(
          "warning",
          "backplane",
          `${ep.node}:${ep.port}`,
          `a backplane port cabled outside a chassis (link ${i})`,
          `bp|${ep.node}`,
        );
      }
    }
    for (const ep of ends) if (SWITCHING.has(this.node(ep.node).kind)) this.cabledSwitchPorts++;
    const c = this.chooser.choose(l.protocol, metres, ma, mb);
    this.addCabling(
      c,
      "data",
      `link ${i} (${l.a.node}:${l.a.port} – ${l.b.node}:${l.b.port}, ${l.protocol}, ${metres} m)`,
    );
    for (const ep of ends) {
      const s = this.servers.get(ep.node);
      if (s !== undefined) s.cables++;
    }
  }

  private addCabling(c: Cabling, role: "data" | "management", where: string, count = 1): void {
    if (c.warning !== null) this.flag("warning", "cable", where, c.warning, `cable|${c.warning}`);
    const cable: Resolved =
      c.cable === null
        ? { entry: null, id: "unknown-cable", defaulted: false }
        : { entry: c.cable, id: c.cable.id, defaulted: false };
    this.add(cable, "cable", null, { role, count });
    for (const o of c.optics) this.add({ entry: o, id: o.id, defaulted: false }, "optic", null, { role, count });
  }

  // ------------------------------------------------------------ UCS VIF namespace (15n − 2)

  private vifNamespaces(): void {
    for (const n of this.topo.nodes) {
      if (n.kind !== "server" || n.chassis === null) continue;
      for (const a of n.adapters) {
        if (a.vifs.length === 0) continue;
        // Group the adapter's VIFs by the IOM their port is traced to.
        const byIom = new Map<string, number>();
        for (const v of a.vifs) {
          const peer = this.ports.get(n.name)?.get(v.port)?.peer;
          if (peer == null || this.node(peer.node).kind !== "fabric-extender") continue;
          byIom.set(peer.node, (byIom.get(peer.node) ?? 0) + 1);
        }
        for (const [iom, vifs] of byIom) {
          const uplinks = this.node(iom).ports.filter(
            (p) => p.peer !== null && this.node(p.peer.node).kind === "fabric-interconnect",
          );
          const fi = uplinks[0]?.peer?.node;
          if (fi === undefined) continue;
          const model = this.nodeModels.get(fi);
          const ns = model?.entry != null && "vifNamespace" in model.entry ? model.entry.vifNamespace : null;
          if (ns === null) {
            this.flag(
              "info",
              "vif-namespace-unknown",
              fi,
              `VIF namespace of ${model?.id ?? fi} not in the catalog (15n − 2 is the 6100 series' rule): vNICs/vHBAs per blade not checked against it`,
              `ns|${model?.id}`,
            );
            continue;
          }
          const limit = ns.perUplinkPerBlade * uplinks.length - ns.reservedPerAdapter;
          if (vifs > limit) {
            this.flag(
              "error",
              "vif-namespace",
              `${n.name}/${a.name}`,
              `${vifs} vNICs/vHBAs through ${iom}; ${model!.id} gives a blade ${ns.perUplinkPerBlade} × ${uplinks.length} uplinks − ${ns.reservedPerAdapter} = ${limit}`,
            );
          }
        }
      }
    }
  }

  // ------------------------------------------------------------ management network

  private management(): void {
    let ports = 0;
    for (const n of this.topo.nodes) {
      const r = this.nodeModels.get(n.name);
      if (n.kind === "server") {
        const e = r?.entry as ServerEntry | null | undefined;
        const bmc = e == null ? n.chassis === null : e.managementPort;
        if (bmc) {
          ports++;
          this.servers.get(n.name)!.cables++;
        }
      } else if (SWITCHING.has(n.kind)) {
        const e = r?.entry as BoxEntry | null | undefined;
        if (e == null ? n.kind !== "fabric-extender" : e.managementPort) ports++;
      }
    }
    this.managementPorts = ports;
    if (ports === 0) return;
    const id = this.options.managementSwitch ?? DEFAULT_MANAGEMENT_SWITCH;
    const e = this.catalog.entries.get(id);
    const sw: Resolved =
      e === undefined
        ? { entry: null, id: "unknown-management-switch", defaulted: false }
        : { entry: e, id, defaulted: false };
    if (e === undefined)
      this.flag("warning", "no-model", "management", `management switch ${id} is not in the catalog`);
    const block = e === undefined ? null : blockFor(e, "eth-1g");
    const perSwitch = block?.count.value ?? null;
    const switches = perSwitch === null || perSwitch <= 0 ? 1 : Math.ceil(ports / perSwitch);
    if (perSwitch === null)
      this.flag("warning", "management", "management", `${id} has no known 1GbE ports: one switch assumed`);
    this.add(sw, "switching", null, { role: "management", count: switches, portsUsed: ports });
    const c = this.chooser.choose("eth-1g", DEFAULT_LENGTH_METRES, "rj45", block?.medium ?? null);
    this.addCabling(c, "management", "management network", ports);
  }

  // ------------------------------------------------------------ totals

  private item(t: Tally): BomItem {
    const e = t.entry;
    const price = e?.listPriceUsd ?? null;
    const watts = e?.watts ?? null;
    const unitCost = price?.value ?? null;
    const unitWatts = watts?.value ?? null;
    let rackUnits: number | null = 0;
    if (t.category === "switching" || t.category === "chassis") {
      rackUnits = e !== null && "rackUnits" in e ? e.rackUnits.value : null;
    }
    const portsInstalled =
      t.category === "switching" || t.category === "module" ? (e === null ? null : installedPorts(e)) : null;
    const conf = (f: { confidence: Confidence } | null) => (f === null ? null : f.confidence);
    return {
      kind: t.kind,
      count: t.count,
      unitCostUsd: unitCost,
      watts: unitWatts,
      name: e?.name ?? `unknown part (${t.kind})`,
      class: e?.class ?? "unknown",
      category: t.category,
      role: t.role,
      unitCostRangeUsd: price?.range ?? null,
      totalCostUsd: unitCost === null ? null : unitCost * t.count,
      totalWatts: unitWatts === null ? null : unitWatts * t.count,
      rackUnits,
      portsInstalled,
      portsUsed: t.portsUsed,
      confidence: { entry: e?.confidence ?? null, price: conf(price), watts: conf(watts) },
      defaulted: t.defaulted > 0,
      usedBy: t.usedBy,
    };
  }

  private assemble(): Bom {
    const items = [...this.tallies.values()]
      .filter((t) => t.count > 0)
      .map((t) => this.item(t))
      .sort(
        (x, y) =>
          CATEGORY_ORDER.indexOf(x.category) - CATEGORY_ORDER.indexOf(y.category) ||
          (x.role === y.role ? 0 : x.role === "data" ? -1 : 1) ||
          (x.kind < y.kind ? -1 : x.kind > y.kind ? 1 : 0),
      );
    const sum = (pred: (i: BomItem) => boolean, f: (i: BomItem) => number) =>
      items.filter(pred).reduce((s, i) => s + f(i), 0);
    const isSwitchPort = (i: BomItem) => i.category === "switching" || i.category === "module";
    const priced = items.filter((i) => i.unitCostUsd !== null);
    const unpriced = items.filter((i) => i.unitCostUsd === null);
    const powered = items.filter((i) => i.watts !== null);
    const unpowered = items.filter((i) => i.watts === null);
    const costUsd =
      priced.length === 0 && unpriced.length > 0
        ? null
        : sum(
            (i) => i.unitCostUsd !== null,
            (i) => i.totalCostUsd!,
          );
    const watts =
      powered.length === 0 && unpowered.length > 0
        ? null
        : sum(
            (i) => i.watts !== null,
            (i) => i.totalWatts!,
          );
    const costRangeUsd: [number, number] | null =
      priced.length === 0
        ? null
        : [
            sum(
              (i) => i.unitCostUsd !== null,
              (i) => (i.unitCostRangeUsd?.[0] ?? i.unitCostUsd!) * i.count,
            ),
            sum(
              (i) => i.unitCostUsd !== null,
              (i) => (i.unitCostRangeUsd?.[1] ?? i.unitCostUsd!) * i.count,
            ),
          ];
    const servers = [...this.servers.values()];
    const totals: BomTotals = {
      adapters: sum(
        (i) => i.category === "adapter",
        (i) => i.count,
      ),
      cables: sum(
        (i) => i.category === "cable",
        (i) => i.count,
      ),
      optics: sum(
        (i) => i.category === "optic",
        (i) => i.count,
      ),
      switchPorts: sum(isSwitchPort, (i) => i.portsUsed ?? 0),
      rackUnits: sum(
        (i) => i.category === "switching" && i.rackUnits !== null,
        (i) => i.rackUnits! * i.count,
      ),
      costUsd,
      unpricedItems: sum(
        (i) => i.unitCostUsd === null,
        (i) => i.count,
      ),
      watts,
      switchPortsCabled: this.cabledSwitchPorts + this.managementPorts,
      switchPortsInstalled: sum(
        (i) => isSwitchPort(i) && i.portsInstalled !== null,
        (i) => i.portsInstalled! * i.count,
      ),
      switchPortsInstalledUnknown: sum(
        (i) => isSwitchPort(i) && i.portsInstalled === null,
        (i) => i.count,
      ),
      switchingDevices: sum(
        (i) => i.category === "switching",
        (i) => i.count,
      ),
      ioModules: sum(
        (i) => i.category === "module" || i.class === "fabric-extender",
        (i) => i.count,
      ),
      chassis: sum(
        (i) => i.category === "chassis",
        (i) => i.count,
      ),
      enclosureRackUnits: sum(
        (i) => i.category === "chassis" && i.rackUnits !== null,
        (i) => i.rackUnits! * i.count,
      ),
      rackUnitsUnknown: sum(
        (i) => (i.category === "switching" || i.category === "chassis") && i.rackUnits === null,
        (i) => i.count,
      ),
      costRangeUsd,
      unpricedKinds: [...new Set(unpriced.map((i) => i.kind))],
      unknownWattsItems: sum(
        (i) => i.watts === null,
        (i) => i.count,
      ),
      traces: this.traces,
      inBoxSlots: this.inBox,
      managementPorts: this.managementPorts,
      lanPorts: this.lanPorts,
      servers: servers.length,
    };
    const kwhPriceUsd = this.options.kwhPriceUsd ?? DEFAULT_KWH_PRICE_USD;
    const pue = this.options.pue ?? DEFAULT_PUE;
    const years = this.options.years ?? DEFAULT_YEARS;
    const kwh = watts === null ? null : (watts * pue * HOURS_PER_YEAR * years) / 1000;
    const energy: EnergyCost = {
      kwhPriceUsd,
      pue,
      years,
      kwh,
      costUsd: kwh === null ? null : kwh * kwhPriceUsd,
      partial: totals.unknownWattsItems > 0,
    };
    const s = servers.length;
    const perServer: PerServer | null =
      s === 0
        ? null
        : {
            adapters: totals.adapters / s,
            cables: totals.cables / s,
            optics: totals.optics / s,
            switchPorts: totals.switchPorts / s,
            costUsd: costUsd === null ? null : costUsd / s,
            watts: watts === null ? null : watts / s,
          };
    const severity = { error: 0, warning: 1, info: 2 } as const;
    const raw = [...this.flags];
    for (const { index, more } of this.flagged.values()) {
      const f = raw[index]!;
      if (more > 0) raw[index] = { ...f, message: `${f.message} (and ${more} more like it)` };
    }
    const flags = raw.sort(
      (x, y) => severity[x.severity] - severity[y.severity] || (x.at < y.at ? -1 : x.at > y.at ? 1 : 0),
    );
    return {
      topology: this.topo.name,
      design: this.topo.design,
      items,
      totals,
      energy,
      perServer,
      servers: servers.map(
        (t): ServerFigures => ({
          name: t.name,
          model: t.model.id,
          defaulted: t.model.defaulted,
          chassis: t.chassis,
          adapters: t.adapters,
          slotsNeeded: t.slotsNeeded,
          slots: t.slots,
          cables: t.cables,
          traces: t.traces,
          vifs: t.vifs,
          vfs: t.vfs,
        }),
      ),
      flags,
      feasible: !flags.some((f) => f.severity === "error"),
      issues: this.issues,
      rules: this.rules(kwhPriceUsd, pue, years),
    };
  }

  private rules(kwh: number, pue: number, years: number): string[] {
    const mgmt =
      this.options.management === false
        ? "Management network: not counted (--no-management)."
        : `Management network: one 1GbE port per box with a management port (switches, directors, fabric interconnects, PCIe appliances; not IOMs, FEXes or bare chips) and per rack server (BMC; blades are managed through their chassis), one Cat6 cable each, on ${this.options.managementSwitch ?? DEFAULT_MANAGEMENT_SWITCH} switches bought whole.`;
    return [
      "Equipment is bought whole: ports installed are the model's, ports used the connected ones.",
      "Blade-to-IOM links in one chassis are midplane traces and a shared adapter's slot link is an in-box slot: not cables.",
      "Cables: RJ45 ports get twisted pair; cages get DAC if it reaches, else fibre with two optics (SR before LR), else an active optical cable; Fibre Channel is always fibre with optics.",
      mgmt,
      "Storage arrays, the LAN and the servers are the same in every design and are not bought here; unknown prices and power are counted, never added as 0.",
      `Energy: typical watts × PUE ${pue} × ${HOURS_PER_YEAR} h × ${years} years at $${kwh}/kWh.`,
    ];
  }
}
