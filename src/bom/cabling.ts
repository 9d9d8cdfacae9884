/**
 * What physically joins two ports: nothing bought (a chassis midplane trace or
 * an adapter in a PCIe box's slot), or a cable with the optics it needs.
 *
 * Cable choice (data-driven: reaches come from the catalog):
 * - RJ45 to RJ45: the shortest-reach twisted-pair cable that reaches (Cat6 for
 *   1GbE, Cat6a for 10GBASE-T); where one end is a cage, a copper transceiver
 *   (1000BASE-T SFP, 10GBASE-T SFP+) goes in it.
 * - Cage to cage: direct-attach copper (DAC, InfiniBand or PCIe copper) if one
 *   reaches; else plain fibre with two optics, the shortest-reach optic that
 *   reaches (SR before LR); else an active optical cable.
 * - An end whose medium the catalog does not give counts as RJ45 on 1GbE links
 *   and as a cage on every other link.
 * - Nothing reaches: the longest-reach option, flagged.
 */

import { linksInclude, low } from "../catalog/catalog.js";
import type { CableEntry, Catalog, OpticEntry, PortMedium } from "../catalog/types.js";

export type LinkKind =
  | { readonly kind: "trace"; readonly why: string }
  | { readonly kind: "in-box"; readonly why: string }
  | { readonly kind: "cable" };

export interface Cabling {
  /** The cable, or null when the catalog has none for this protocol. */
  readonly cable: CableEntry | null;
  /** Optics for this one link (two for fibre, one copper SFP where RJ45 meets a cage, else none). */
  readonly optics: readonly OpticEntry[];
  /** Why the choice is doubtful (too long for any cable, reach unknown, no cable at all), or null. */
  readonly warning: string | null;
}

type End = "rj45" | "cage";

function endOf(medium: PortMedium | null, protocol: string): End {
  if (medium === null) return protocol === "eth-1g" ? "rj45" : "cage";
  return medium === "rj45" ? "rj45" : "cage";
}

const TWISTED_PAIR = new Set(["cat6", "cat6a"]);
const DIRECT = new Set(["twinax", "ib-copper", "pcie-copper"]);
const MEDIUM_RANK: Readonly<Record<string, number>> = { cat6: 0, cat6a: 1 };

/** Reach for choosing: a range's low end; null when unknown. */
function reachOf(e: CableEntry | OpticEntry): number | null {
  return low(e.reachM);
}

/** Where `protocol` first appears in the part's link list: 0 for the part's native protocol. */
function nativeness(e: CableEntry | OpticEntry, protocol: string): number {
  const i = e.links.findIndex((p) => linksInclude([p], protocol));
  return i < 0 ? Number.MAX_SAFE_INTEGER : i;
}

/**
 * Candidates that reach `metres`: parts made for the protocol before parts that
 * also carry it (an 8G FC optic before a 16G one), then the shortest reach
 * (DAC before AOC, SR before LR); null when none reaches.
 */
function shortestReaching<T extends CableEntry | OpticEntry>(
  list: readonly T[],
  metres: number,
  protocol: string,
): T | null {
  const ok = list.filter((e) => {
    const r = reachOf(e);
    return r !== null && r >= metres;
  });
  ok.sort(
    (a, b) =>
      nativeness(a, protocol) - nativeness(b, protocol) ||
      (reachOf(a) ?? 0) - (reachOf(b) ?? 0) ||
      rank(a) - rank(b) ||
      cmp(a.id, b.id),
  );
  return ok[0] ?? null;
}

function rank(e: CableEntry | OpticEntry): number {
  return e.class === "cable" ? (MEDIUM_RANK[e.medium] ?? 0) : 0;
}

/** `qsfp28` → `qsfp`, `sfp+` → `sfp`: plugs of one family mate. */
function plugFamily(x: string | null): string | null {
  if (x === null) return null;
  if (x.startsWith("qsfp")) return "qsfp";
  if (x.startsWith("sfp")) return "sfp";
  return x;
}

/** 1 when the cable's plug is known and fits neither end's known cage; else 0. */
function misfit(c: CableEntry, ends: readonly (PortMedium | null)[]): number {
  const plug = plugFamily(c.connector);
  const cages = ends.map(plugFamily).filter((x): x is string => x !== null && x !== "rj45");
  return plug === null || cages.length === 0 || cages.includes(plug) ? 0 : 1;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Chooses cables and optics; memoised per (protocol, length, ends). */
export class CableChooser {
  private readonly cables: readonly CableEntry[];
  private readonly optics: readonly OpticEntry[];
  private readonly memo = new Map<string, Cabling>();

  constructor(catalog: Catalog) {
    const all = [...catalog.entries.values()];
    this.cables = all.filter((e): e is CableEntry => e.class === "cable");
    this.optics = all.filter((e): e is OpticEntry => e.class === "optic" && e.autoSelect);
  }

  choose(protocol: string, metres: number, a: PortMedium | null, b: PortMedium | null): Cabling {
    const key = `${protocol}|${metres}|${[a ?? "", b ?? ""].sort().join("/")}`;
    let c = this.memo.get(key);
    if (c === undefined) {
      c = this.compute(protocol, metres, [a, b]);
      this.memo.set(key, c);
    }
    return c;
  }

  private compute(protocol: string, metres: number, media: readonly (PortMedium | null)[]): Cabling {
    const [a, b] = media.map((m) => endOf(m, protocol)) as [End, End];
    const cables = this.cables.filter((c) => linksInclude(c.links, protocol));
    const optics = this.optics.filter((o) => linksInclude(o.links, protocol));
    if (a === "rj45" || b === "rj45") {
      const tp = cables.filter((c) => TWISTED_PAIR.has(c.medium));
      const copperSfp = optics.filter((o) => o.medium === "rj45");
      const cageEnds = (a === "cage" ? 1 : 0) + (b === "cage" ? 1 : 0);
      const transceiver = cageEnds === 0 ? null : (shortestReaching(copperSfp, metres, protocol) ?? longest(copperSfp));
      const cable = shortestReaching(tp, metres, protocol);
      const extra = transceiver === null ? [] : Array.from({ length: cageEnds }, () => transceiver);
      if (cable !== null && (cageEnds === 0 || transceiver !== null)) return { cable, optics: extra, warning: null };
      const fallback = cable ?? longest(tp);
      const why =
        fallback === null
          ? `no twisted-pair cable in the catalog for ${protocol}`
          : cageEnds > 0 && transceiver === null
            ? `no copper transceiver in the catalog for ${protocol} (an RJ45 port meets a cage)`
            : `${metres} m is beyond every twisted-pair cable's reach for ${protocol}`;
      return { cable: fallback, optics: extra, warning: why };
    }
    // Direct-attach copper whose plug fits the ports' cages (CX4 vs QSFP) when the catalog says.
    const copper = cables.filter((c) => DIRECT.has(c.medium));
    const fitting = copper.filter((c) => misfit(c, media) === 0);
    const direct = shortestReaching(fitting.length > 0 ? fitting : copper, metres, protocol);
    if (direct !== null) return { cable: direct, optics: [], warning: null };
    const fibreOptics = optics.filter((o) => o.medium !== "rj45");
    const fibres = cables.filter((c) => c.needsOptics);
    const pairFor = (o: OpticEntry) =>
      fibres.find(
        (f) => f.medium === o.medium && (f.connector === null || o.connector === null || f.connector === o.connector),
      );
    const usable = fibreOptics.filter((o) => pairFor(o) !== undefined);
    const optic = shortestReaching(usable, metres, protocol);
    if (optic !== null) return { cable: pairFor(optic) ?? null, optics: [optic, optic], warning: null };
    const aoc = shortestReaching(
      cables.filter((c) => c.medium === "aoc"),
      metres,
      protocol,
    );
    if (aoc !== null) return { cable: aoc, optics: [], warning: null };
    // Nothing reaches: the longest-reach option, flagged.
    const options: Cabling[] = [
      ...cables
        .filter((c) => !c.needsOptics && !TWISTED_PAIR.has(c.medium))
        .map((c) => ({ cable: c, optics: [], warning: null })),
      ...usable.map((o) => ({ cable: pairFor(o) ?? null, optics: [o, o], warning: null })),
    ];
    const reach = (c: Cabling) =>
      c.optics[0] !== undefined ? reachOf(c.optics[0]) : c.cable === null ? null : reachOf(c.cable);
    options.sort((x, y) => (reach(y) ?? -1) - (reach(x) ?? -1));
    const best = options[0];
    if (best === undefined) return { cable: null, optics: [], warning: `no cable in the catalog carries ${protocol}` };
    const r = reach(best);
    const why =
      r === null
        ? `reach of ${best.cable?.id ?? best.optics[0]?.id} for ${protocol} is unknown; ${metres} m not checked`
        : `${metres} m is beyond every ${protocol} cable's and optic's reach (longest: ${r} m)`;
    return { ...best, warning: why };
  }
}

function longest<T extends CableEntry | OpticEntry>(list: readonly T[]): T | null {
  return [...list].sort((x, y) => (reachOf(y) ?? -1) - (reachOf(x) ?? -1))[0] ?? null;
}
