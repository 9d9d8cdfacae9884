/**
 * Default models: the catalog entry the bill of materials uses when a topology
 * does not name one (`model:`). One rule per node kind, adapter type and
 * module, chosen from the protocol of the links (and the port counts), so a
 * topology written without models still gets a full BOM. The table is
 * documented in catalog/README.md; a test checks that every id exists.
 */

import { blockCarries, portBlocks } from "../catalog/catalog.js";
import type { Catalog, CatalogEntry } from "../catalog/types.js";
import type {
  DirectorNode,
  FabricExtenderNode,
  ResolvedAdapter,
  ResolvedModule,
  ResolvedNode,
  ServerNode,
} from "../topology/types.js";

/** The management switch when the options do not name one. */
export const DEFAULT_MANAGEMENT_SWITCH = "generic-48x1g-tor";
export const DEFAULT_CHASSIS = "cisco-ucs-5108";

/** "ib-qdr-4x" → "qdr"; "eth-10g" → "10g"; "pcie-gen2-x8" → "gen2". */
function speedOf(link: string): string {
  const parts = link.split("-");
  return parts[1] ?? "";
}

function pcieGen(link: string): number {
  const m = /^pcie-gen(\d)-/.exec(link);
  return m === null ? 0 : Number(m[1]);
}

/** Link protocols of a node's connected ports, most used first (ties: declaration order). */
export function linksOf(node: ResolvedNode, linkProtocol: (index: number) => string): string[] {
  const counts = new Map<string, number>();
  for (const p of node.ports) {
    if (p.link === null) continue;
    const id = linkProtocol(p.link);
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([id]) => id);
}

export function defaultServer(node: ServerNode): string {
  return node.chassis === null ? "generic-2u-server-2010" : "cisco-ucs-b200-m2";
}

/** The default model of a server adapter, or null when no rule covers it. */
export function defaultAdapter(a: ResolvedAdapter): string | null {
  const speed = speedOf(a.link);
  const n = a.ports.length;
  switch (a.type) {
    case "nic":
      if (a.link === "eth-1g") return n <= 2 ? "intel-82576-dual-gbe" : "generic-quad-gbe-nic";
      return (
        { "eth-10g": "generic-dual-10g-nic-82599", "eth-25g": "mellanox-connectx4-lx", "eth-40g": "intel-xl710-qda2" }[
          a.link
        ] ?? (a.link === "eth-100g" ? "mellanox-connectx6dx" : null)
      );
    case "hba":
      if (["1g", "2g", "4g"].includes(speed)) return "generic-fc-hba-4g-dual";
      return { "8g": "generic-fc-hba-8g-dual", "16g": "emulex-lpe16002", "32g": "emulex-lpe32002" }[speed] ?? null;
    case "cna":
      return a.link === "eth-10g" ? "generic-cna-10g" : null;
    case "vic":
      if (a.link !== "eth-10g") return null;
      return n <= 2 ? "cisco-m81kr-vic" : n <= 4 ? "cisco-vic-1240" : n <= 8 ? "cisco-vic-1280" : null;
    case "hca":
      if (speed === "sdr" || speed === "ddr") return "generic-ib-hca-ddr";
      if (speed === "qdr" || speed === "fdr10") return "oracle-xsigo-ib-hca-qdr";
      if (speed === "fdr") return "mellanox-connectx3";
      return speed === "edr" ? "mellanox-connectx6-vpi" : null;
    case "pcie-extender": {
      const gen = pcieGen(a.link);
      return gen <= 2 ? "pcie-extender-host-card" : gen === 3 ? "dolphin-pxh830" : "generic-pcie-gen4-x16-host-card";
    }
  }
}

function ethernetSwitch(links: readonly string[]): string {
  const first = links[0] ?? "eth-1g";
  if (first === "eth-1g") return "generic-48x1g-tor";
  if (first === "eth-10g") return "generic-trident-plus-48x10g";
  if (first === "eth-25g") return "cisco-nexus-93180yc-fx";
  return "generic-32x100g-tor";
}

function fcSwitch(links: readonly string[], ports: number): string {
  const fastest = Math.max(0, ...links.map((l) => Number.parseInt(speedOf(l), 10) || 0));
  if (fastest >= 32) return "brocade-g620";
  if (fastest >= 16) return "brocade-6505";
  return ports <= 24 ? "generic-fc-switch-24x8g" : "cisco-mds-9148";
}

function ibSpeed(links: readonly string[]): string {
  const rank = ["sdr", "ddr", "qdr", "fdr10", "fdr", "edr"];
  let best = -1;
  for (const l of links) best = Math.max(best, rank.indexOf(speedOf(l)));
  return rank[best] ?? "qdr";
}

function groupSize(node: ResolvedNode, group: string): number {
  return node.ports.filter((p) => p.group === group).length;
}

function fabricExtender(node: FabricExtenderNode, links: readonly string[]): string {
  if (node.chassis === null) return "cisco-nexus-2248tp";
  if (links.includes("eth-40g")) return "cisco-ucs-2304";
  if (links.includes("eth-25g")) return "cisco-ucs-2408";
  const host = groupSize(node, "host") || node.ports.length;
  const fabric = groupSize(node, "fabric");
  if (host <= 8 && fabric <= 4) return "cisco-ucs-2104xp";
  if (host <= 16 && fabric <= 4) return "cisco-ucs-2204xp";
  return "cisco-ucs-2208xp";
}

/** Modules a fabric interconnect model needs for these port groups (no sharing between groups: an upper bound). */
function modulesNeeded(fi: CatalogEntry, modules: readonly ResolvedModule[], catalog: Catalog): number {
  let n = 0;
  for (const m of modules) {
    const id = defaultModule(m, fi, catalog);
    const e = id === null ? undefined : catalog.entries.get(id);
    const per =
      e === undefined
        ? 0
        : portBlocks(e)
            .filter((b) => blockCarries(b, m.link))
            .reduce((s, b) => s + (b.count.value ?? 0), 0);
    n += per === 0 ? Number.POSITIVE_INFINITY : Math.ceil(m.ports.length / per);
  }
  return n;
}

/**
 * 25/100G links: the 6454. Otherwise the first of 6120XP, 6248UP, 6140XP,
 * 6296UP whose fixed ports hold the node's ports and whose expansion slots hold
 * its modules (the 6296UP when none does).
 */
function fabricInterconnect(node: DirectorNode, links: readonly string[], catalog: Catalog): string {
  if (links.includes("eth-25g") || links.includes("eth-100g")) return "cisco-ucs-6454";
  const fixed = node.ports.length - node.modules.reduce((n, m) => n + m.ports.length, 0);
  const order = ["cisco-ucs-6120xp", "cisco-ucs-6248up", "cisco-ucs-6140xp", "cisco-ucs-6296up"];
  for (const id of order) {
    const e = catalog.entries.get(id);
    if (e === undefined) continue;
    const ports = portBlocks(e).reduce((s, b) => s + (b.count.value ?? 0), 0);
    const slots = "moduleSlots" in e ? (e.moduleSlots?.value ?? 0) : 0;
    if (ports >= fixed && modulesNeeded(e, node.modules, catalog) <= slots) return id;
  }
  return "cisco-ucs-6296up";
}

/** The default model of a node other than a server, or null when no rule covers it. */
export function defaultNode(
  node: Exclude<ResolvedNode, ServerNode>,
  links: readonly string[],
  catalog: Catalog,
): string | null {
  const own = node.ports.filter((p) => p.group !== "bus").length;
  switch (node.kind) {
    case "ethernet-switch":
      return ethernetSwitch(links);
    case "fc-switch":
      return fcSwitch(links, own);
    case "ib-switch": {
      const s = ibSpeed(links);
      return s === "sdr" || s === "ddr"
        ? "generic-ib-ddr-24p"
        : s === "qdr" || s === "fdr10"
          ? "mellanox-is4-36p-qdr"
          : "mellanox-sx6036";
    }
    case "pcie-switch": {
      const gen = Math.max(0, ...links.map(pcieGen));
      if (gen >= 3) return "gigaio-fabrex";
      return node.mrAware ? "nextio-vnet-io-maestro" : "dolphin-ixs600";
    }
    case "io-director": {
      const ib = links.filter((l) => l.startsWith("ib-"));
      const s = ibSpeed(ib);
      return s === "sdr" || s === "ddr"
        ? "xsigo-vp780"
        : s === "qdr" || s === "fdr10"
          ? "oracle-fi-f1-15"
          : "oracle-fi-f2-12";
    }
    case "fabric-interconnect":
      return fabricInterconnect(node, links, catalog);
    case "fabric-extender":
      return fabricExtender(node, links);
    case "shared-adapter": {
      if (node.link === "eth-10g") return "nextio-vnet-2x10gbe";
      if (node.link === "fc-8g" || node.link === "fc-4g") return "nextio-vnet-2x8gfc";
      const type = node.link.startsWith("fc-") ? "hba" : node.link.startsWith("ib-") ? "hca" : "nic";
      const ports = node.ports.filter((p) => p.group !== "bus").map((p) => p.name);
      return defaultAdapter({
        name: node.name,
        type,
        link: node.link,
        ports,
        bus: node.bus,
        vfs: 0,
        maxVfs: null,
        vfLimitBps: null,
        vifs: [],
        maxVifs: null,
        model: null,
      });
    }
    case "storage-array":
      return node.media === "disk" ? "generic-disk-array-fc" : "generic-flash-array-fc";
    case "lan":
      return "generic-core-network";
  }
}

/**
 * The default module for a director / fabric interconnect module: the first of
 * the device model's compatible modules that carries the link and holds the
 * module's ports, else the first that carries the link; else any io-module in
 * the catalog that fits the device and carries the link.
 */
export function defaultModule(m: ResolvedModule, device: CatalogEntry | null, catalog: Catalog): string | null {
  const carries = (e: CatalogEntry | undefined): e is CatalogEntry =>
    e !== undefined && portBlocks(e).some((b) => blockCarries(b, m.link));
  const holds = (e: CatalogEntry) => {
    const n = portBlocks(e)
      .filter((b) => blockCarries(b, m.link))
      .reduce((s, b) => s + (b.count.value ?? 0), 0);
    return n >= m.ports.length;
  };
  const preferred =
    device !== null && "modules" in device ? device.modules.map((id) => catalog.entries.get(id)).filter(carries) : [];
  const fitting = [...catalog.entries.values()].filter(
    (e) => e.class === "io-module" && device !== null && e.fits.includes(device.id) && carries(e),
  );
  const candidates = [...preferred, ...fitting];
  return (candidates.find(holds) ?? candidates[0])?.id ?? null;
}
