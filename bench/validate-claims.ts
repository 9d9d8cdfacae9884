/**
 * `npm run validate:claims`: the published vendor claims (docs/claims.md) against iovsim's figures on
 * the matching configuration, the four reference racks (topologies/<design>-rack.yaml: 40 servers, the
 * traditional rack's VM hosts with the claims' 8 NICs + 2 HBAs), priced with the built-in catalog (or
 * `--catalog FILE …`) at list price with the 2010 era's energy figures. Prints, per claim, the claim
 * and its source, iovsim's figure, agree / partly / disagree / undecided and why. Exit 0 unless a
 * rack or the catalog fails to load (a disagreement is a finding, not a failure).
 *
 * Usage: npm run validate:claims [-- --catalog FILE]
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { bom } from "../src/bom/bom.js";
import { DEFAULT_COST_SETTINGS, tco } from "../src/bom/tco.js";
import { formatCatalogIssues } from "../src/catalog/parse.js";
import { loadCatalog } from "../src/catalog/read-files.js";
import { type ClaimInput, checkClaims, formatClaims } from "../src/report/claims.js";
import { formatIssues, parseTopology } from "../src/topology/index.js";
import { DESIGNS } from "../src/topology/schema.js";

const { values } = parseArgs({ options: { catalog: { type: "string", multiple: true, default: [] } } });
const loaded = await loadCatalog(values.catalog);
if (!loaded.ok) {
  process.stderr.write(`${formatCatalogIssues(loaded.issues)}\n`);
  process.exit(3);
}
const catalog = loaded.catalog;
const settings = { ...DEFAULT_COST_SETTINGS, era: "2010" as const };
const inputs: ClaimInput[] = DESIGNS.map((design) => {
  const file = new URL(`../../topologies/${design}-rack.yaml`, import.meta.url);
  const parsed = parseTopology(readFileSync(file, "utf8"), `topologies/${design}-rack.yaml`);
  if (!parsed.ok) {
    process.stderr.write(`${formatIssues(parsed.issues)}\n`);
    process.exit(3);
  }
  const b = bom(parsed.topology, catalog, { era: settings.era, years: settings.years });
  return { design, bom: b, tco: tco(b, catalog, settings) };
});
process.stdout.write(
  "Vendor claims against iovsim on the reference racks (40 servers each; list price, 2010 energy figures)\n\n",
);
process.stdout.write(formatClaims(checkClaims(inputs)));
