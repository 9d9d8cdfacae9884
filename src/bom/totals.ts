/** Items, totals, energy, upstream ports, per-server figures and the counting rules in words. */

import { linkMatches } from "../catalog/schema.js";
import type { CatalogEntry, Confidence, Figure } from "../catalog/types.js";
import { amountOf, type CostLine, type Factor } from "./amount.js";
import { DEFAULT_MANAGEMENT_SWITCH } from "./defaults.js";
import { energyFigures, energyLines, given, HOURS_PER_YEAR, priceFactor, wattsFactor } from "./energy.js";
import { type BomState, installedByMedium, type Tally, type UpstreamTally } from "./state.js";
import type {
  Bom,
  BomItem,
  BomTotals,
  EnergyCost,
  ItemCategory,
  PerServer,
  ServerFigures,
  UpstreamPorts,
} from "./types.js";

const CATEGORY_ORDER: readonly ItemCategory[] = [
  "adapter",
  "switching",
  "module",
  "chassis",
  "cable",
  "optic",
  "licence",
];

/** What the hardware score counts, in words (printed beside the tables). */
export const HARDWARE_SCORE_DEFINITION =
  "hardware count = adapters + cables + optics + front-panel switch ports installed + upstream ports used (core network and storage arrays); backplane (midplane) ports of chassis IOMs are counted apart and left out; boxes whose port count is unknown make it a lower bound (≥), never count as 0";

/** A tally as a BOM item, priced and powered from its entry (or its own figures: a port licence). */
function item(t: Tally): BomItem {
  const e = t.entry;
  const price: Figure | null = t.own?.price ?? e?.listPriceUsd ?? null;
  const watts: Figure | null = t.own?.power ?? e?.watts ?? null;
  const unitCost = price?.value ?? null;
  const unitWatts = watts?.value ?? null;
  let rackUnits: number | null = 0;
  if (t.category === "switching" || t.category === "chassis") {
    rackUnits = e !== null && "rackUnits" in e ? e.rackUnits.value : null;
  }
  const ports = t.category === "switching" || t.category === "module";
  const installed = e === null ? { front: null, backplane: null } : installedByMedium(e);
  const conf = (f: { confidence: Confidence } | null) => (f === null ? null : f.confidence);
  const base = {
    kind: t.kind,
    count: t.count,
    unitCostUsd: unitCost,
    watts: unitWatts,
    name: t.own?.name ?? e?.name ?? `unknown part (${t.kind})`,
    class: t.own === undefined ? (e?.class ?? "unknown") : "licence",
    category: t.category,
    role: t.role,
    unitCostRangeUsd: unitCost === null ? null : (price?.range ?? null),
    unitWattsRange: unitWatts === null ? null : (watts?.range ?? null),
    totalCostUsd: unitCost === null ? null : unitCost * t.count,
    totalWatts: unitWatts === null ? null : unitWatts * t.count,
    rackUnits,
    portsInstalled: ports ? installed.front : null,
    portsUsed: t.portsUsed,
    backplanePortsInstalled: ports ? installed.backplane : 0,
    backplanePortsUsed: t.backplaneUsed,
    // A licence is no entry of its own: its price's confidence stands for it.
    confidence: {
      entry: t.own === undefined ? (e?.confidence ?? null) : conf(price),
      price: conf(price),
      watts: conf(watts),
    },
    defaulted: t.defaulted > 0,
    usedBy: t.usedBy,
  } satisfies Omit<BomItem, "cost" | "power">;
  const line = (term: string, f: Factor): CostLine[] => [{ term, what: t.kind, count: t.count, factors: [f] }];
  return {
    ...base,
    cost: amountOf(line("list", priceFactor(base))),
    power: amountOf(line("power", wattsFactor(base))),
  };
}

/**
 * The price of one upstream port: the node's own entry's `portPriceUsd` for the link (its key, else the
 * first pattern that names it); a storage array's ports, whose entries carry none, are priced as core SAN
 * ports at the core network's (the `lan` node's entry's) price for the link.
 */
function upstreamPrice(u: UpstreamTally, core: CatalogEntry | null): Figure | null {
  const own = u.entry !== null && "portPriceUsd" in u.entry ? u.entry.portPriceUsd : null;
  const other = core !== null && "portPriceUsd" in core ? core.portPriceUsd : null;
  const prices = own ?? (u.kind === "storage-array" ? other : null);
  if (prices === null) return null;
  const exact = prices[u.link];
  if (exact !== undefined) return exact;
  const key = Object.keys(prices).find((k) => linkMatches(k, u.link));
  return key === undefined ? null : prices[key]!;
}

function upstreamPorts(st: BomState): UpstreamPorts[] {
  const lan = st.topo.nodes.find((n) => n.kind === "lan");
  const core = lan === undefined ? null : (st.nodeModels.get(lan.name)?.entry ?? null);
  return [...st.upstream.values()]
    .map((u): UpstreamPorts => {
      const f = upstreamPrice(u, core);
      return {
        node: u.node,
        kind: u.kind,
        model: u.entry?.id ?? null,
        link: u.link,
        count: u.count,
        unitPriceUsd: f?.value ?? null,
        unitPriceRangeUsd: f?.value == null ? null : f.range,
        confidence: f?.value == null ? null : f.confidence,
      };
    })
    .sort((a, b) => (a.node < b.node ? -1 : a.node > b.node ? 1 : a.link < b.link ? -1 : a.link > b.link ? 1 : 0));
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
  const cost = amountOf(items.map((i) => ({ term: "list", what: i.kind, count: i.count, factors: [priceFactor(i)] })));
  const power = amountOf(
    items.map((i) => ({ term: "power", what: i.kind, count: i.count, factors: [wattsFactor(i)] })),
  );
  const upstream = upstreamPorts(st);
  const adapters = sum(
    (i) => i.category === "adapter",
    (i) => i.count,
  );
  const cables = sum(
    (i) => i.category === "cable",
    (i) => i.count,
  );
  const optics = sum(
    (i) => i.category === "optic",
    (i) => i.count,
  );
  const switchPortsInstalled = sum(
    (i) => isSwitchPort(i) && i.portsInstalled !== null,
    (i) => i.portsInstalled! * i.count,
  );
  const switchPortsInstalledUnknown = sum(
    (i) => isSwitchPort(i) && i.portsInstalled === null,
    (i) => i.count,
  );
  const sanPorts = upstream.filter((u) => u.kind === "storage-array").reduce((s, u) => s + u.count, 0);
  const totals: BomTotals = {
    adapters,
    cables,
    optics,
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
    switchPortsInstalled,
    switchPortsInstalledUnknown,
    backplanePorts: sum(isSwitchPort, (i) => i.backplanePortsUsed),
    backplanePortsInstalled: sum(
      (i) => isSwitchPort(i) && i.backplanePortsInstalled !== null,
      (i) => i.backplanePortsInstalled! * i.count,
    ),
    backplanePortsInstalledUnknown: sum(
      (i) => isSwitchPort(i) && i.backplanePortsInstalled === null,
      (i) => i.count,
    ),
    hardwareScore: adapters + cables + optics + switchPortsInstalled + st.lanPorts + sanPorts,
    hardwareScoreUnknown: switchPortsInstalledUnknown,
    cost,
    power,
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
    sanPorts,
    licences: sum(
      (i) => i.category === "licence",
      (i) => i.count,
    ),
    servers: servers.length,
  };
  const o = st.options;
  const ef = energyFigures(st.catalog.costModel, {
    era: o.era,
    pue: o.pue === undefined ? undefined : given(o.pue, "the caller's PUE"),
    kwhPriceUsd: o.kwhPriceUsd === undefined ? undefined : given(o.kwhPriceUsd, "the caller's price per kWh"),
    years: o.years,
  });
  const energyCost = amountOf(energyLines(items, ef));
  const knownPower = energyLines(items, { ...ef, pue: given(1, "IT power"), kwhPriceUsd: given(1, "kWh") });
  const kwhIt = amountOf(knownPower.filter((l) => l.factors[0]!.typical !== null)).typical;
  const pueTypical = ef.pue.value;
  const priceTypical = ef.kwhPriceUsd.value;
  const energy: EnergyCost = {
    era: ef.era,
    kwhPriceUsd: priceTypical,
    pue: pueTypical,
    years: ef.years,
    kwh: watts === null || pueTypical === null ? null : kwhIt * pueTypical,
    costUsd: watts === null || pueTypical === null || priceTypical === null ? null : energyCost.typical,
    partial: totals.unknownWattsItems > 0,
    cost: energyCost,
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
    upstream,
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
    rules: rules(st, energy),
  };
}

function rules(st: BomState, e: EnergyCost): string[] {
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
    `Energy: typical watts × PUE ${e.pue ?? "unknown"} × ${HOURS_PER_YEAR} h × ${e.years} years at ${e.kwhPriceUsd === null ? "an unknown price" : `$${e.kwhPriceUsd}/kWh`} (${e.era === "2010" ? "2010" : "today's"} figures from the catalog's cost model unless given).`,
    "Port licences: ceil(max(0, ports used − ports included) / ports per licence) per box; pooled over a box's modules of one model.",
    "Upstream ports: the ports a design's uplinks take on the core network and the storage arrays, priced at the core network entry's portPriceUsd per link protocol (array ports as core SAN ports); not in the list cost (see the cost of ownership).",
  ];
}
