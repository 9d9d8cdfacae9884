/**
 * The hardware catalog (browser-safe): parse and merge catalog files, look
 * entries up. Reading files from disk is Node-only: `loadCatalog` in
 * `./read-files.js`.
 */

export { blockCarries, blockFor, entriesOf, entry, installedPorts, linksInclude, low, portBlocks } from "./catalog.js";
export { buildCatalog, type CatalogSource, formatCatalogIssues, parseCatalogFile, toFigure } from "./parse.js";
export { catalogFileSchema, entrySchema, linkMatches } from "./schema.js";
export type * from "./types.js";
export { ADAPTER_CLASSES, BOX_CLASSES, CATALOG_CLASSES, CONFIDENCES, PORT_MEDIA, SERVER_CLASSES } from "./types.js";
