/** Topologies from text and the built-in catalog (optionally with a user file) for BOM tests. */
import { readFileSync } from "node:fs";
import { buildCatalog, type CatalogSource, formatCatalogIssues } from "../../../src/catalog/parse.js";
import { builtinCatalogFiles } from "../../../src/catalog/read-files.js";
import type { Catalog } from "../../../src/catalog/types.js";
import { formatIssues, parseTopology, type ResolvedTopology } from "../../../src/topology/index.js";

let sources: CatalogSource[] | undefined;

async function builtinSources(): Promise<CatalogSource[]> {
  sources ??= (await builtinCatalogFiles()).map((file) => ({ file, text: readFileSync(file, "utf8") }));
  return sources;
}

/** The built-in catalog, plus `extra` (a user file's text) when given. */
export async function catalog(extra?: string): Promise<Catalog> {
  const all = [...(await builtinSources()), ...(extra === undefined ? [] : [{ file: "user.yaml", text: extra }])];
  const r = buildCatalog(all);
  if (!r.ok) throw new Error(formatCatalogIssues(r.issues));
  return r.catalog;
}

/** A topology from YAML text; throws with the issues when it does not load. */
export function topo(text: string): ResolvedTopology {
  const r = parseTopology(text, "t.yaml");
  if (!r.ok) throw new Error(formatIssues(r.issues));
  return r.topology;
}

/** A reference rack (topologies/<name>-rack.yaml). */
export function rack(name: string): ResolvedTopology {
  const file = new URL(`../../../topologies/${name}-rack.yaml`, import.meta.url);
  const r = parseTopology(readFileSync(file, "utf8"), `${name}-rack.yaml`);
  if (!r.ok) throw new Error(formatIssues(r.issues));
  return r.topology;
}

/** A user catalog that prices the PCIe x8 external cable at $100 (the built-in entry: $60-200). */
export const PCIE_CABLE_AT_100_USD = `catalog: 1
entries:
  - id: pcie-external-cable-x8
    class: cable
    name: PCIe x8 cable, our price
    confidence: rough
    source: our quote
    links: pcie-gen*-x8
    medium: pcie-copper
    reachM: 3
    watts: 0
    listPriceUsd: 100
`;
