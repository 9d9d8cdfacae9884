/**
 * One candidate of a design's search: a parameter combination generated, parsed and priced
 * (`buildCandidate`), and the slimmer form in which it travels between threads and in which a search
 * holds it (`shipCandidate`, `landCandidate`). The order in which a search meets candidates is
 * `candidates.ts`.
 *
 * A topology is priced once per process: its BOM, cost of ownership and objective are functions of
 * its text without comments and of the study's cost settings, and combinations that change nothing in
 * it (a FEX parameter on switch access, uplinks grown past what a size uses) share the price.
 */

import { type Amount, partial } from "../bom/amount.js";
import { bom as bomOf } from "../bom/bom.js";
import { type CostSettings, type Tco, tco as tcoOf } from "../bom/tco.js";
import type { Bom, BomItem } from "../bom/types.js";
import type { Catalog } from "../catalog/types.js";
import { DesignError, expandStudy, type ParamValue } from "../design/index.js";
import type { Study } from "../study/load.js";
import { formatIssues } from "../topology/issues.js";
import { parseHardwareQuick, parseTopologyQuick } from "../topology/load.js";
import type { Design, ResolvedTopology } from "../topology/types.js";
import { topologyText } from "./by-topology.js";
import { costSettings, objectiveAmount } from "./objective.js";

export interface Candidate {
  /** Position in the cartesian product (the last tie-break). */
  readonly index: number;
  /** The generated topology's text (what an Evaluator job carries) and its label. */
  readonly yaml: string;
  readonly label: string;
  readonly parameters: Record<string, ParamValue>;
  readonly topo: ResolvedTopology;
  /** What the search reads of the BOM (its lines, totals and flags); the whole BOM only on the chosen candidate. */
  readonly bom: CandidateBom;
  /** The study's objective for this candidate. */
  readonly objective: Amount;
  /** The objective's typical value: what the order sorts by. */
  readonly score: number;
  /** True when the objective leaves unknown figures out (a lower bound). */
  readonly partial: boolean;
  /** The hardware count (the first tie-break). */
  readonly hardware: number;
}

/**
 * A candidate's BOM as the search holds it: without the per-server figures and upstream ports, which grow
 * with the site (at 512 servers they are 75 % of a BOM) and which only the chosen candidate's report reads.
 */
export type CandidateBom = Pick<Bom, "totals" | "feasible" | "flags"> & {
  /** Each line's part, role, count, unit cost and watts (not its sources and notes). */
  readonly items: readonly HeldItem[];
};
export type HeldItem = Pick<BomItem, "kind" | "role" | "count" | "unitCostUsd" | "watts">;

/** A candidate just built, with its whole BOM and cost of ownership (what reports and the Monte Carlo re-pricing read). */
export interface FullCandidate extends Candidate {
  readonly bom: Bom;
  readonly tco: Tco;
}
/**
 * A candidate as it travels between threads and as a search holds it: without its text and parsed
 * topology, and with the search's part of its BOM. A site-size search holds thousands of candidates at
 * once (a 256-server UCS search built over 10,000), most never run; the text of those it runs is
 * generated again on first use (a few ms; parsing is what costs).
 */
export type ShippedCandidate = Omit<Candidate, "topo" | "yaml">;

export function shipCandidate(c: Candidate | null): ShippedCandidate | null {
  if (c === null) return null;
  // Field by field: reading `topo` would parse a topology whose price came from the cache.
  const { index, label, parameters, objective, score, hardware } = c;
  const { totals, feasible, flags } = c.bom;
  const items = c.bom.items.map(({ kind, role, count, unitCostUsd, watts }) => ({
    kind,
    role,
    count,
    unitCostUsd,
    watts,
  }));
  return {
    index,
    label,
    parameters,
    bom: { items, totals, feasible, flags },
    objective,
    score,
    partial: c.partial,
    hardware,
  };
}

/**
 * A shipped candidate whose text is generated again on first use (`generate`: the generator's output for
 * its parameters, the same text) and its topology parsed from it on first use (the same topology).
 */
export function landCandidate(c: ShippedCandidate | null, generate: () => string): Candidate | null {
  if (c === null) return null;
  let yaml: string | undefined;
  let topo: ResolvedTopology | undefined;
  const landed = { ...c };
  Object.defineProperty(landed, "yaml", {
    enumerable: true,
    get(): string {
      yaml ??= generate();
      return yaml;
    },
  });
  return Object.defineProperty(landed, "topo", {
    enumerable: true,
    get(): ResolvedTopology {
      if (topo === undefined) {
        const parsed = parseTopologyQuick((landed as Candidate).yaml, c.label);
        if (!parsed.ok) throw new Error(`${c.label} is not a valid topology (a bug):\n${formatIssues(parsed.issues)}`);
        topo = parsed.topology;
      }
      return topo;
    },
  }) as Candidate;
}

/** A candidate built here as the search holds it (`shipCandidate`, `landCandidate`). */
export function heldCandidate(
  study: Study,
  design: Design,
  catalog: Catalog,
  index: number,
  parameters: Record<string, ParamValue>,
): Candidate | null {
  return landCandidate(shipCandidate(buildCandidate(study, design, catalog, index, parameters)), () =>
    expandStudy(study, design, parameters),
  );
}

/** Builds a combination somewhere (this thread, a worker): `buildCandidate`'s answer for the search's study. */
export type CandidateBuilder = (index: number, parameters: Record<string, ParamValue>) => Promise<Candidate | null>;

/** Generates, parses and prices one combination; null when the generator refuses it. */
export function buildCandidate(
  study: Study,
  design: Design,
  catalog: Catalog,
  index: number,
  parameters: Record<string, ParamValue>,
): FullCandidate | null {
  let yaml: string;
  try {
    yaml = expandStudy(study, design, parameters);
  } catch (e) {
    if (e instanceof DesignError) return null;
    throw e;
  }
  const label = `<${design} ${JSON.stringify(parameters)}>`;
  const parse = (hardware = false): ResolvedTopology => {
    const parsed = (hardware ? parseHardwareQuick : parseTopologyQuick)(yaml, label);
    if (!parsed.ok) throw new Error(`generated ${design} topology is invalid (a bug):\n${formatIssues(parsed.issues)}`);
    return parsed.topology;
  };
  // Combinations that differ only in parameters the generator does not read here (a FEX parameter on
  // switch access, uplinks grown past what a size uses) give the same topology: priced once.
  const key = pricedKey(study, catalog, design, topologyText({ yaml }));
  let p = PRICED.get(key);
  let topo: ResolvedTopology | undefined;
  if (p === undefined) {
    // Priced from its hardware alone (the BOM reads no workloads); the whole topology on first use.
    const b = bomOf(parse(true), catalog, { era: study.file.cost.era, years: study.file.cost.years });
    const t = tcoOf(b, catalog, settingsOf(study));
    p = { bom: b, tco: t, objective: objectiveAmount(study.file.objective, b, t) };
  } else {
    // Most recently used last: the oldest is dropped first.
    PRICED.delete(key);
  }
  PRICED.set(key, p);
  while (PRICED.size > PRICED_KEPT) PRICED.delete(PRICED.keys().next().value!);
  const { bom: b, tco: t, objective } = p;
  const c = {
    index,
    yaml,
    label,
    parameters,
    bom: b,
    tco: t,
    objective,
    score: objective.typical,
    partial: partial(objective),
    hardware: b.totals.hardwareScore,
  };
  // The parsed topology on first use (a search holds most candidates only for their price).
  return Object.defineProperty(c, "topo", {
    enumerable: true,
    get: () => {
      topo ??= parse();
      return topo;
    },
  }) as FullCandidate;
}

/** A topology's BOM, cost of ownership and objective: functions of its text (without comments) and the study's cost settings. */
interface Priced {
  readonly bom: Bom;
  readonly tco: Tco;
  readonly objective: Amount;
}

/**
 * Topologies priced, most recently used last, across studies, catalogs and designs: one bound for a
 * worker that serves every search of a site-size curve (a site's BOM is a few hundred KB).
 */
const PRICED_KEPT = 256;
const PRICED = new Map<string, Priced>();
const ids = new WeakMap<object, number>();
let nextId = 0;
function idOf(o: object): number {
  const known = ids.get(o);
  if (known !== undefined) return known;
  const id = nextId++;
  ids.set(o, id);
  return id;
}
/** A text's key in the cache: its study, catalog and design (whose cost settings and objective price it) and the text. */
function pricedKey(study: Study, catalog: Catalog, design: Design, text: string): string {
  return `${idOf(study)} ${idOf(catalog)} ${design}\n${text}`;
}

/** The study's cost settings, made once per study object (every candidate of a search shares them). */
const SETTINGS = new WeakMap<Study, CostSettings>();
export function settingsOf(study: Study): CostSettings {
  let s = SETTINGS.get(study);
  if (s === undefined) {
    s = costSettings(study.file.cost);
    SETTINGS.set(study, s);
  }
  return s;
}
