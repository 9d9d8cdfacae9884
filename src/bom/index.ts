/**
 * Bills of materials (browser-safe): `bom(topology, catalog, options)`, the
 * reduction against a baseline, docs/architecture.md §5's `bom` object. Its terminal table is a
 * renderer and lives in `src/report/bom-table.ts`.
 */

export * from "./amount.js";
export { bom, DEFAULT_YEARS, HARDWARE_SCORE_DEFINITION, resultBom } from "./bom.js";
export { CableChooser, type Cabling } from "./cabling.js";
export { reduction } from "./compare.js";
export {
  DEFAULT_CHASSIS,
  DEFAULT_MANAGEMENT_SWITCH,
  defaultAdapter,
  defaultModule,
  defaultNode,
  defaultServer,
} from "./defaults.js";
export { energyFigures, HOURS_PER_YEAR } from "./energy.js";
export { positionModelIssues } from "./positions.js";
export * from "./tco.js";
export type * from "./types.js";
