/**
 * A design's bill of materials against a baseline's (e.g. the traditional
 * rack): how much hardware the design saves. A cost or power figure with
 * unknown parts is a lower bound (partial); the saving between two such
 * figures is unknown (null), never a difference of lower bounds.
 */

import type { Bom, BomTotals, Reduction, ReductionRow } from "./types.js";

interface Side {
  readonly value: number | null;
  readonly partial: boolean;
}

function row(metric: string, baseline: Side, value: Side): ReductionRow {
  const b = baseline.value;
  const v = value.value;
  // A difference of lower bounds is no bound at all: unknown when either side leaves parts out.
  const known = b !== null && v !== null && !baseline.partial && !value.partial;
  return {
    metric,
    baseline: b,
    value: v,
    saved: known ? b - v : null,
    change: known && b !== 0 ? v / b - 1 : null,
    partial: baseline.partial || value.partial,
    baselinePartial: baseline.partial,
    valuePartial: value.partial,
  };
}

type Metric = (bom: Bom) => Side;

const exact =
  (f: (t: BomTotals) => number | null): Metric =>
  (bom) => ({ value: f(bom.totals), partial: false });

const METRICS: readonly (readonly [string, Metric])[] = [
  ["adapters", exact((t) => t.adapters)],
  ["cables", exact((t) => t.cables)],
  ["cables per server", exact((t) => (t.servers === 0 ? null : t.cables / t.servers))],
  ["optics", exact((t) => t.optics)],
  ["switch ports used", exact((t) => t.switchPorts)],
  ["switch ports cabled", exact((t) => t.switchPortsCabled)],
  [
    "switch ports installed",
    (b) => ({ value: b.totals.switchPortsInstalled, partial: b.totals.switchPortsInstalledUnknown > 0 }),
  ],
  ["switching boxes", exact((t) => t.switchingDevices)],
  ["I/O modules", exact((t) => t.ioModules)],
  ["chassis", exact((t) => t.chassis)],
  ["rack units (boxes)", (b) => ({ value: b.totals.rackUnits, partial: b.totals.rackUnitsUnknown > 0 })],
  ["LAN ports used", exact((t) => t.lanPorts)],
  ["list cost (USD)", (b) => ({ value: b.totals.costUsd, partial: b.totals.unpricedItems > 0 })],
  ["typical power (W)", (b) => ({ value: b.totals.watts, partial: b.totals.unknownWattsItems > 0 })],
  ["energy cost (USD)", (b) => ({ value: b.energy.costUsd, partial: b.energy.partial })],
];

/** The reduction of `current` against `baseline`, metric by metric. */
export function reduction(current: Bom, baseline: Bom): Reduction {
  return {
    baseline: baseline.topology,
    baselineDesign: baseline.design,
    rows: METRICS.map(([name, m]) => row(name, m(baseline), m(current))),
  };
}
