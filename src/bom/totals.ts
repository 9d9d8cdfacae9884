/** Items, totals, energy, per-server figures and the counting rules in words. */

import { installedPorts } from "../catalog/catalog.js";
import type { Confidence } from "../catalog/types.js";
import { DEFAULT_MANAGEMENT_SWITCH } from "./defaults.js";
import type { BomState, Tally } from "./state.js";
import type { Bom, BomItem, BomTotals, EnergyCost, ItemCategory, PerServer, ServerFigures } from "./types.js";

export const DEFAULT_KWH_PRICE_USD = 0.12;
export const DEFAULT_PUE = 1.0;
export const DEFAULT_YEARS = 3;
const HOURS_PER_YEAR = 8760;

const CATEGORY_ORDER: readonly ItemCategory[] = ["adapter", "switching", "module", "chassis", "cable", "optic"];

/** A tally as a BOM item, priced and powered from its entry. */
function item(t: Tally): BomItem {
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

/** The finished BOM: items sorted, totals, energy, per-server figures, flags, rules. */
export function assemble(st: BomState): Bom {
  const items = [...st.tallies.values()]
    .filter((t) => t.count > 0)
    .map((t) => item(t))
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
  const servers = [...st.servers.values()];
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
    switchPortsCabled: st.cabledSwitchPorts + st.managementPorts,
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
    traces: st.traces,
    inBoxSlots: st.inBox,
    managementPorts: st.managementPorts,
    lanPorts: st.lanPorts,
    servers: servers.length,
  };
  const kwhPriceUsd = st.options.kwhPriceUsd ?? DEFAULT_KWH_PRICE_USD;
  const pue = st.options.pue ?? DEFAULT_PUE;
  const years = st.options.years ?? DEFAULT_YEARS;
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
  const raw = [...st.flags];
  for (const { index, more } of st.flagged.values()) {
    const f = raw[index]!;
    if (more > 0) raw[index] = { ...f, message: `${f.message} (and ${more} more like it)` };
  }
  const flags = raw.sort(
    (x, y) => severity[x.severity] - severity[y.severity] || (x.at < y.at ? -1 : x.at > y.at ? 1 : 0),
  );
  return {
    topology: st.topo.name,
    design: st.topo.design,
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
    issues: st.issues,
    rules: rules(st, kwhPriceUsd, pue, years),
  };
}

function rules(st: BomState, kwh: number, pue: number, years: number): string[] {
  const mgmt =
    st.options.management === false
      ? "Management network: not counted (--no-management)."
      : `Management network: one 1GbE port per box with a management port (switches, directors, fabric interconnects, PCIe appliances; not IOMs, FEXes or bare chips) and per rack server (BMC; blades are managed through their chassis), one Cat6 cable each, on ${st.options.managementSwitch ?? DEFAULT_MANAGEMENT_SWITCH} switches bought whole.`;
  return [
    "Equipment is bought whole: ports installed are the model's, ports used the connected ones.",
    "Blade-to-IOM links in one chassis are midplane traces and a shared adapter's slot link is an in-box slot: not cables.",
    "Cables: RJ45 ports get twisted pair; cages get DAC if it reaches, else fibre with two optics (SR before LR), else an active optical cable; Fibre Channel is always fibre with optics.",
    mgmt,
    "Storage arrays, the LAN and the servers are the same in every design and are not bought here; unknown prices and power are counted, never added as 0.",
    `Energy: typical watts × PUE ${pue} × ${HOURS_PER_YEAR} h × ${years} years at $${kwh}/kWh.`,
  ];
}
