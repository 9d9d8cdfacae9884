/**
 * Catalog text → entries, or every problem with its file, line, column and
 * path (`catalog/adapters.yaml:12:5 entries[3].watts: …`). Browser-safe: the
 * caller supplies the text (Node reads files in `./read-files.ts`).
 *
 * Several files merge into one catalog: a later file's entry replaces an
 * earlier one with the same id (user files after the built-in ones); the same
 * id twice in one file is a mistake. References between entries (a module's
 * `fits`, a box's `modules` and `chip`) are checked on the merged set.
 */

import { type Document, LineCounter } from "yaml";
import type * as z from "zod";
import { parseYaml } from "../topology/document.js";
import type { PathSegment } from "../topology/expand.js";
import { formatIssue, formatPath, locateOffset, sortIssues } from "../topology/issues.js";
import { EMPTY_COST_MODEL, mergeCostModel } from "./cost-model.js";
import {
  type CostModelInput,
  catalogFileSchema,
  type EntryInput,
  type FigureInput,
  type PortBlockInput,
  type PortLicenceInput,
} from "./schema.js";
import type {
  CableEntry,
  CatalogEntry,
  CatalogIssue,
  CatalogResult,
  Confidence,
  Figure,
  PortBlock,
  PortLicence,
} from "./types.js";

/** One catalog file's text. */
export interface CatalogSource {
  readonly file: string;
  readonly text: string;
}

interface Located {
  readonly path: readonly PathSegment[];
  readonly message: string;
}

interface ParsedFile {
  readonly file: string;
  readonly doc: Document | null;
  readonly lineCounter: LineCounter;
  readonly entries: CatalogEntry[];
  /** The file's `costModel:` (undefined when it has none). */
  readonly costModel?: CostModelInput | undefined;
  readonly issues: CatalogIssue[];
}

function position(
  file: string,
  doc: Document | null,
  lineCounter: LineCounter,
  { path, message }: Located,
): CatalogIssue {
  if (doc === null) return { file, line: 1, col: 1, path: formatPath(path), message };
  const { line, col } = lineCounter.linePos(locateOffset(doc, path));
  return { file, line, col, path: formatPath(path), message };
}

/** A figure with its confidence and source filled in from the entry. */
export function toFigure(input: FigureInput | undefined, confidence: Confidence, source: string): Figure {
  if (input === undefined || input === null) return { value: null, range: null, confidence, source, note: null };
  if (typeof input === "number") return { value: input, range: null, confidence, source, note: null };
  if (Array.isArray(input)) {
    const [a, b] = input as [number, number];
    return { value: (a + b) / 2, range: [a, b], confidence, source, note: null };
  }
  const inner = toFigure(
    input.value,
    (input.confidence as Confidence | undefined) ?? confidence,
    input.source ?? source,
  );
  return { ...inner, note: input.note ?? null };
}

function optionalFigure(input: FigureInput | undefined, c: Confidence, s: string): Figure | null {
  return input === undefined ? null : toFigure(input, c, s);
}

function portLicence(input: PortLicenceInput | undefined, c: Confidence, s: string): PortLicence | null {
  if (input === undefined) return null;
  const confidence = (input.confidence as Confidence | undefined) ?? c;
  const source = input.source ?? s;
  const price = toFigure(input.listPriceUsd, confidence, source);
  return {
    included: input.included,
    step: input.step,
    // The licence's own note explains its price when the price figure carries none.
    listPriceUsd: price.note === null && input.note !== undefined ? { ...price, note: input.note } : price,
    partNumber: input.partNumber ?? null,
    confidence,
    source,
  };
}

function asList(links: string | readonly string[] | undefined): readonly string[] {
  if (links === undefined) return [];
  return typeof links === "string" ? [links] : links;
}

function toEntry(e: EntryInput, file: string, index: number): CatalogEntry {
  const c = e.confidence as Confidence;
  const s = e.source;
  const base = {
    id: e.id,
    name: e.name,
    vendor: e.vendor ?? null,
    year: e.year ?? null,
    confidence: c,
    source: s,
    notes: e.notes ?? null,
    listPriceUsd: toFigure(e.listPriceUsd, c, s),
    priceYear: e.priceYear ?? null,
    watts: toFigure(e.watts, c, s),
    wattsMax: optionalFigure(e.wattsMax, c, s),
    origin: { file, index },
  };
  const portBlocks = (list: readonly PortBlockInput[] | null): readonly PortBlock[] | null =>
    list === null
      ? null
      : list.map((b) => ({
          count: toFigure(b.count, c, s),
          links: asList(b.link),
          speedGbps: b.speedGbps ?? null,
          medium: b.medium ?? null,
          role: b.role ?? null,
          note: b.note ?? null,
        }));
  switch (e.class) {
    case "nic":
    case "hba":
    case "cna":
    case "vic":
    case "hca":
    case "pcie-extender":
    case "shared-adapter":
      return {
        ...base,
        class: e.class,
        ports: portBlocks(e.ports),
        pcie:
          e.pcie === null
            ? null
            : {
                gen: e.pcie.gen,
                lanes: e.pcie.lanes,
                attach: e.pcie.attach,
                confidence: (e.pcie.confidence as Confidence | undefined) ?? c,
                source: e.pcie.source ?? s,
              },
        maxVfsPerPort: optionalFigure(e.maxVfsPerPort, c, s),
        maxVfs: optionalFigure(e.maxVfs, c, s),
        maxVifs: optionalFigure(e.maxVifs, c, s),
        maxVnics: optionalFigure(e.maxVnics, c, s),
        maxVhbas: optionalFigure(e.maxVhbas, c, s),
        npivPerPort: optionalFigure(e.npivPerPort, c, s),
        throughputGbps: optionalFigure(e.throughputGbps, c, s),
        latencyNs: optionalFigure(e.latencyNs, c, s),
        mrIov: e.mrIov ?? false,
        fits: e.fits ?? [],
      };
    case "io-module":
      return {
        ...base,
        class: "io-module",
        ports: portBlocks(e.ports),
        fits: e.fits,
        portLicence: portLicence(e.portLicence, c, s),
      };
    case "chassis":
      return {
        ...base,
        class: "chassis",
        rackUnits: toFigure(e.rackUnits, c, s),
        bladeSlots: toFigure(e.bladeSlots, c, s),
        iomSlots: toFigure(e.iomSlots, c, s),
      };
    case "server":
    case "blade":
      return {
        ...base,
        class: e.class,
        rackUnits: toFigure(e.rackUnits, c, s),
        pcieSlots: toFigure(e.pcieSlots, c, s),
        managementPort: e.managementPort ?? e.class === "server",
      };
    case "cable": {
      const cable: CableEntry = {
        ...base,
        class: "cable",
        links: asList(e.links),
        medium: e.medium,
        connector: e.connector ?? null,
        reachM: optionalFigure(e.reachM, c, s),
        needsOptics: e.needsOptics,
      };
      return cable;
    }
    case "optic":
      return {
        ...base,
        class: "optic",
        links: asList(e.links),
        medium: e.medium,
        connector: e.connector ?? null,
        formFactor: e.formFactor ?? null,
        reachM: toFigure(e.reachM, c, s),
        autoSelect: e.autoSelect,
      };
    default:
      return {
        ...base,
        class: e.class,
        ports: portBlocks(e.ports),
        rackUnits: toFigure(e.rackUnits, c, s),
        moduleSlots: optionalFigure(e.moduleSlots, c, s),
        modules: e.modules ?? [],
        latencyNs: optionalFigure(e.latencyNs, c, s),
        bufferMB: optionalFigure(e.bufferMB, c, s),
        throughputGbps: optionalFigure(e.throughputGbps, c, s),
        vifNamespace:
          e.vifNamespace === undefined || e.vifNamespace === null
            ? null
            : {
                perUplinkPerBlade: e.vifNamespace.perUplinkPerBlade,
                reservedPerAdapter: e.vifNamespace.reservedPerAdapter,
                confidence: (e.vifNamespace.confidence as Confidence | undefined) ?? c,
                source: e.vifNamespace.source ?? s,
              },
        chip: e.chip ?? null,
        managementPort:
          e.managementPort ??
          !["fabric-extender", "storage-array", "external-network", "pcie-switch"].includes(e.class),
        portLicence: portLicence(e.portLicence, c, s),
        portPriceUsd:
          e.portPriceUsd === undefined
            ? null
            : Object.fromEntries(Object.entries(e.portPriceUsd).map(([link, f]) => [link, toFigure(f, c, s)])),
      };
  }
}

/** The id of the entry a zod path points into, for the message. */
function entryId(raw: unknown, path: readonly PathSegment[]): string | undefined {
  if (path[0] !== "entries" || typeof path[1] !== "number") return undefined;
  const entries = (raw as { entries?: unknown } | null)?.entries;
  const entry = Array.isArray(entries) ? (entries[path[1]] as { id?: unknown } | undefined) : undefined;
  return typeof entry?.id === "string" ? entry.id : undefined;
}

function fromZod(raw: unknown, issues: readonly z.core.$ZodIssue[]): Located[] {
  return issues.map((i) => {
    let path = i.path.filter((p): p is PathSegment => typeof p !== "symbol");
    if (i.code === "unrecognized_keys" && i.keys[0] !== undefined) path = [...path, i.keys[0]];
    const id = entryId(raw, path);
    return { path, message: id === undefined ? i.message : `${id}: ${i.message}` };
  });
}

/**
 * Parsed files by name and text: the built-in catalog is read by every command
 * (and by every in-process caller: tests, the fuzz suite, the page), and parsing
 * it is most of a small command's time. A file is parsed again when its text changes.
 */
const parsedFiles = new Map<string, ParsedFile>();
const CACHED_FILES = 32;

/** Parses one catalog file. Never throws for bad input. */
export function parseCatalogFile(source: CatalogSource): ParsedFile {
  const key = `${source.file}\u0000${source.text}`;
  const hit = parsedFiles.get(key);
  if (hit !== undefined) return hit;
  const parsed = parseCatalogText(source);
  if (parsedFiles.size >= CACHED_FILES) parsedFiles.delete(parsedFiles.keys().next().value as string);
  parsedFiles.set(key, parsed);
  return parsed;
}

function parseCatalogText(source: CatalogSource): ParsedFile {
  const { file, text } = source;
  const yaml = parseYaml(text, file);
  if (!yaml.ok) return { file, doc: null, lineCounter: new LineCounter(), entries: [], issues: [...yaml.issues] };
  const { doc, lineCounter, value: raw } = yaml;
  const fail = (issues: CatalogIssue[]): ParsedFile => ({ file, doc, lineCounter, entries: [], issues });
  if (raw === null || raw === undefined) {
    return fail([
      { file, line: 1, col: 1, path: "(top)", message: "the file is empty; expected { catalog: 1, entries: [ … ] }" },
    ]);
  }
  const parsed = catalogFileSchema.safeParse(raw);
  if (!parsed.success) return fail(fromZod(raw, parsed.error.issues).map((l) => position(file, doc, lineCounter, l)));
  const issues: CatalogIssue[] = [];
  const seen = new Map<string, number>();
  const entries = parsed.data.entries.map((e, index) => {
    const first = seen.get(e.id);
    if (first !== undefined) {
      issues.push(
        position(file, doc, lineCounter, {
          path: ["entries", index, "id"],
          message: `duplicate id ${e.id} (first at entries[${first}]); ids are unique within a file`,
        }),
      );
    } else seen.set(e.id, index);
    return toEntry(e, file, index);
  });
  return { file, doc, lineCounter, entries, costModel: parsed.data.costModel, issues };
}

/** Checks one entry's references against the merged catalog. */
function references(entry: CatalogEntry, all: ReadonlyMap<string, CatalogEntry>): Located[] {
  const out: Located[] = [];
  const at = ["entries", entry.origin.index];
  const check = (ids: readonly string[], field: string, classes: readonly string[], noun: string) => {
    ids.forEach((id, k) => {
      const target = all.get(id);
      if (target === undefined) out.push({ path: [...at, field, k], message: `${entry.id}: no catalog entry ${id}` });
      else if (!classes.includes(target.class)) {
        out.push({ path: [...at, field, k], message: `${entry.id}: ${id} is a ${target.class}, not ${noun}` });
      }
    });
  };
  if (entry.class === "io-module")
    check(entry.fits, "fits", ["io-director", "fabric-interconnect"], "a director or fabric interconnect");
  if (entry.class === "shared-adapter") check(entry.fits, "fits", ["pcie-appliance", "pcie-switch"], "a PCIe box");
  if ("modules" in entry) {
    check(entry.modules, "modules", ["io-module", "shared-adapter", "nic", "hba", "cna"], "a module");
    if (entry.chip !== null) {
      const chip = all.get(entry.chip);
      if (chip === undefined)
        out.push({ path: [...at, "chip"], message: `${entry.id}: no catalog entry ${entry.chip}` });
      else if (chip.class !== "pcie-switch") {
        out.push({
          path: [...at, "chip"],
          message: `${entry.id}: ${entry.chip} is a ${chip.class}, not a pcie-switch`,
        });
      }
    }
  }
  return out;
}

/**
 * Builds one catalog from files in order: later files replace earlier entries
 * by id. Returns every problem, positioned in the file that holds it.
 */
export function buildCatalog(sources: readonly CatalogSource[]): CatalogResult {
  const parsed = sources.map(parseCatalogFile);
  const issues = parsed.flatMap((p) => p.issues);
  const entries = new Map<string, CatalogEntry>();
  for (const p of parsed) for (const e of p.entries) entries.set(e.id, e);
  const byFile = new Map(parsed.map((p) => [p.file, p]));
  for (const e of entries.values()) {
    const p = byFile.get(e.origin.file);
    if (p === undefined) continue;
    for (const l of references(e, entries)) issues.push(position(p.file, p.doc, p.lineCounter, l));
  }
  if (issues.length > 0) {
    // Files in the order given, then by position within each.
    return { ok: false, issues: sources.flatMap((s) => sortIssues(issues.filter((i) => i.file === s.file))) };
  }
  const costModel = parsed.reduce((m, p) => mergeCostModel(m, p.costModel), EMPTY_COST_MODEL);
  return { ok: true, catalog: deepFreeze({ entries, costModel, files: sources.map((s) => s.file) }) };
}

/** One line per issue: `file:line:col path: message`. */
export function formatCatalogIssues(issues: readonly CatalogIssue[]): string {
  return issues.map(formatIssue).join("\n");
}

function deepFreeze<T>(value: T): T {
  if (value instanceof Map) {
    for (const v of value.values()) deepFreeze(v);
    return value;
  }
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
