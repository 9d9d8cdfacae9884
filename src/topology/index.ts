/**
 * Topology files: parse, validate and resolve (browser-safe). Reading from disk
 * is Node-only and lives apart: `loadTopologyFile` in `./read-file.js`.
 */

export { BOUNDS, type Bound, type BoundName } from "./bounds.js";
export { formatIssue, formatIssues } from "./issues.js";
export { topologyJsonSchema, topologyJsonSchemaText } from "./json-schema.js";
export { type LoadOptions, parseTopology } from "./load.js";
export { expandNames, MAX_EXPANSION, parseRanges, zipEndpoints, zipIndex } from "./ranges.js";
export { DEFAULT_LENGTH_METRES, TICKS_PER_METRE } from "./resolve-links.js";
export { DESIGNS, METRICS, NODE_KINDS, PATTERNS, type TopologyFile, topologySchema } from "./schema.js";
export { estimateRun, type RunEstimate } from "./semantic.js";
export { DEFAULT_LIMITS, LARGE_LIMITS, type SizeLimits } from "./size.js";
export type * from "./types.js";
