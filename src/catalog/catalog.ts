/**
 * Looking things up in a catalog: entries by id and class, port blocks that
 * carry a link protocol, installed port counts. Browser-safe.
 */

import { linkMatches } from "./schema.js";
import type { Catalog, CatalogClass, CatalogEntry, Figure, PortBlock } from "./types.js";

/** The entry with this id, or undefined. */
export function entry(catalog: Catalog, id: string): CatalogEntry | undefined {
  return catalog.entries.get(id);
}

/** Entries of the given classes, in id order. */
export function entriesOf(catalog: Catalog, ...classes: CatalogClass[]): CatalogEntry[] {
  return [...catalog.entries.values()]
    .filter((e) => classes.includes(e.class))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The entry's port blocks (empty when it has none or they were not found). */
export function portBlocks(e: CatalogEntry): readonly PortBlock[] {
  return "ports" in e && e.ports !== null ? e.ports : [];
}

/** True when the block runs this link protocol id. */
export function blockCarries(block: PortBlock, link: string): boolean {
  return block.links.some((p) => linkMatches(p, link));
}

/** True when some pattern in `patterns` names `link`. */
export function linksInclude(patterns: readonly string[], link: string): boolean {
  return patterns.some((p) => linkMatches(p, link));
}

/**
 * The port block a port of this entry most likely sits in: one that carries
 * `link`, preferring one whose role equals the topology's port group name
 * (`host`, `fabric`); null when none carries it or the ports are unknown.
 */
export function blockFor(e: CatalogEntry, link: string, group: string | null = null): PortBlock | null {
  const carrying = portBlocks(e).filter((b) => blockCarries(b, link));
  if (group !== null) {
    const byRole = carrying.find((b) => b.role === group);
    if (byRole !== undefined) return byRole;
  }
  return carrying[0] ?? null;
}

/** Every port of the entry, or null when any block's count is unknown (or the inventory is). */
export function installedPorts(e: CatalogEntry): number | null {
  if (!("ports" in e) || e.ports === null) return null;
  let n = 0;
  for (const b of e.ports) {
    if (b.count.value === null) return null;
    n += b.count.value;
  }
  return n;
}

/** The lower end of a figure (a range's min), or null. */
export function low(f: Figure | null): number | null {
  if (f === null) return null;
  return f.range === null ? f.value : f.range[0];
}
