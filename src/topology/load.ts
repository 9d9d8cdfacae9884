/**
 * Text → ResolvedTopology, or every problem with its source position.
 *
 * YAML (or JSON, which is YAML) → `yaml` Document (keeps positions; duplicate
 * and reserved keys, alias bombs and oversized text refused: `document.ts`) →
 * size limits, counted before any name is expanded (`size.ts`) → node keys
 * expanded → zod (structure, units, physical bounds, defaults) and the
 * cross-reference pass, in one pass: what the schema refuses is left out and the
 * rest is still cross-checked, so independent problems all show up at once →
 * the semantic pass on the resolved topology (`semantic.ts`: self-loops,
 * unreachable targets, arrival rates, random failures, the run's estimated
 * events against the limits).
 */

import { parse } from "yaml";
import type * as z from "zod";
import { MAX_ALIAS_COUNT, parseYaml } from "./document.js";
import { expandNodes, isRecord, type NodeOrigin, type PathSegment, type RawIssue } from "./expand.js";
import { parseGeneratedYaml } from "./generated-yaml.js";
import { positionIssues } from "./issues.js";
import { quickSchemaParse } from "./quick-schema.js";
import { resolveTopology } from "./resolve.js";
import type { Skipped } from "./resolve-nodes.js";
import { topologySchema } from "./schema.js";
import { semanticProblems } from "./semantic.js";
import { DEFAULT_LIMITS, type SizeLimits, sizeProblems } from "./size.js";
import type { LoadResult, TopologyIssue } from "./types.js";

export interface LoadOptions {
  /** Size limits (default DEFAULT_LIMITS); LARGE_LIMITS for `--allow-large`. */
  readonly limits?: SizeLimits;
}

/** zod issues as raw issues: one per unknown key, pointing at the key. (Studies use it too.) */
export function fromZod(issues: readonly z.core.$ZodIssue[]): RawIssue[] {
  return issues.map((i) => {
    const path = i.path.filter((p): p is PathSegment => typeof p !== "symbol");
    if (i.code === "unrecognized_keys" && i.keys[0] !== undefined)
      return { path: [...path, i.keys[0]], message: i.message };
    return { path, message: i.message };
  });
}

/** Stand-ins for list items the schema refused: valid, and skipped by the cross-reference pass. */
const PLACEHOLDER_LINK = { endpoints: ["x:x", "y:y"], type: "eth-10g" };
const PLACEHOLDER_WORKLOAD = { name: "x", on: "x", via: "x", to: "x", pattern: "bulk", size: "1B" };
const PLACEHOLDER_SLA = { workload: "x", metric: "lossRatio", target: 0 };
const PLACEHOLDER_FAULT = { at: "0s", action: "fail", target: "x" };
const PLACEHOLDER_FAILURE = { kind: "server", mtbf: "1s", mttr: "1s" };

/**
 * The file without what the schema refused, and what was left out, so the
 * cross-reference pass can check the rest. Undefined when too little is left to
 * check anything (the file's shape itself is wrong).
 */
function prune(data: unknown, issues: readonly RawIssue[]): { data: unknown; skipped: Skipped } | undefined {
  if (!isRecord(data) || !isRecord(data.topology) || !isRecord(data.topology.nodes)) return undefined;
  const nodes = new Set<string>();
  const at = {
    links: new Set<number>(),
    workloads: new Set<number>(),
    sla: new Set<number>(),
    faults: new Set<number>(),
    failures: new Set<number>(),
  };
  const top = new Set<string>();
  for (const { path } of issues) {
    const [a, b, c] = path;
    if (a === "topology" && b === "nodes" && typeof c === "string") nodes.add(c);
    else if (a === "topology" && b === "links" && typeof c === "number") at.links.add(c);
    else if (a === "topology") return undefined;
    else if ((a === "workloads" || a === "sla" || a === "faults" || a === "failures") && typeof b === "number")
      at[a].add(b);
    else if (typeof a === "string") top.add(a);
    else return undefined;
  }
  const replace = (list: unknown, skip: ReadonlySet<number>, stand: unknown) =>
    Array.isArray(list) ? list.map((x, i) => (skip.has(i) ? stand : x)) : list;
  const out: Record<string, unknown> = { ...data };
  for (const key of top) {
    if (key === "name") out.name = "x";
    else if (key === "design") out.design = "traditional";
    else delete out[key];
  }
  const topology = data.topology;
  out.topology = {
    ...topology,
    nodes: Object.fromEntries(Object.entries(topology.nodes as object).filter(([n]) => !nodes.has(n))),
    links: replace(topology.links, at.links, PLACEHOLDER_LINK),
  };
  out.workloads = replace(data.workloads, at.workloads, PLACEHOLDER_WORKLOAD);
  out.sla = replace(data.sla, at.sla, PLACEHOLDER_SLA);
  out.faults = replace(data.faults, at.faults, PLACEHOLDER_FAULT);
  out.failures = replace(data.failures, at.failures, PLACEHOLDER_FAILURE);
  const workloadNames = new Set<string>();
  if (Array.isArray(data.workloads)) {
    for (const i of at.workloads) {
      const w = data.workloads[i];
      if (isRecord(w) && typeof w.name === "string") workloadNames.add(w.name);
    }
  }
  const skipped: Skipped = {
    nodes,
    links: at.links,
    workloads: at.workloads,
    workloadNames,
    sla: at.sla,
    faults: at.faults,
  };
  return { data: out, skipped };
}

/**
 * Parses and resolves a topology file's text. `file` is only used in issues.
 * Never throws for bad input: every problem comes back as an issue; a size limit
 * comes back as an issue with `budget: true`.
 */
export function parseTopology(text: string, file: string, options: LoadOptions = {}): LoadResult {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const yaml = parseYaml(text, file);
  if (!yaml.ok) return yaml;
  const { doc, lineCounter, value: raw } = yaml;
  if (raw === null || raw === undefined) {
    const message = "the file is empty; a topology needs at least name, design and topology.nodes";
    return { ok: false, issues: [{ file, line: 1, col: 1, path: "(top)", message }] };
  }
  const position = (
    issues: readonly RawIssue[],
    origins: ReadonlyMap<string, NodeOrigin> = new Map(),
  ): TopologyIssue[] => positionIssues(issues, file, doc, lineCounter, origins);
  const size = sizeProblems(raw, limits);
  if (size.length > 0) return { ok: false, issues: position(size) };

  const expansion = expandNodes(raw);
  const parsed = topologySchema.safeParse(expansion.data);
  const early = [...expansion.issues, ...(parsed.success ? [] : fromZod(parsed.error.issues))];
  if (early.length > 0 || !parsed.success) {
    // The rest of the file is still cross-checked, when the node keys expanded cleanly.
    const pruned = expansion.issues.length === 0 ? prune(expansion.data, early) : undefined;
    const rest = pruned === undefined ? undefined : topologySchema.safeParse(pruned.data);
    const references =
      pruned !== undefined && rest?.success === true
        ? resolveTopology(rest.data, { freeze: false, skipped: pruned.skipped })
        : undefined;
    const later = references === undefined || references.ok ? [] : references.issues;
    return { ok: false, issues: position([...early, ...later], expansion.origins) };
  }
  const resolved = resolveTopology(parsed.data);
  if (!resolved.ok) return { ok: false, issues: position(resolved.issues, expansion.origins) };
  const semantic = semanticProblems(resolved.topology, limits);
  if (semantic.length > 0) return { ok: false, issues: position(semantic, expansion.origins) };
  return resolved;
}

/**
 * `parseTopology` for text that is almost always valid (a design generator's
 * output): parses the YAML without keeping a document and line positions, about
 * half the cost, entry by entry with the entries remembered (`generated-yaml.ts`),
 * runs the schema over each node body and link once per process (`quick-schema.ts`),
 * skips the semantic pass (the study was checked) and does not freeze the result. When anything is wrong it falls back to
 * `parseTopology`, so the issues are exactly the same.
 */
export function parseTopologyQuick(text: string, file: string): LoadResult {
  return quick(text, file, false);
}

/**
 * `parseTopologyQuick` of a topology's hardware only: its nodes, links and settings, without its
 * workloads, SLA rows, faults and the workloads' QoS marks, which a BOM does not read (a candidate's
 * price: resolving a 2,048-server site's workloads is a quarter of resolving it). Not a topology to
 * run. When the hardware does not resolve on its own it is parsed whole (`parseTopologyQuick`).
 */
export function parseHardwareQuick(text: string, file: string): LoadResult {
  return quick(text, file, true);
}

function quick(text: string, file: string, hardware: boolean): LoadResult {
  const options = { uniqueKeys: true, maxAliasCount: MAX_ALIAS_COUNT };
  let raw: unknown = parseGeneratedYaml(text, options);
  if (raw === undefined) {
    try {
      raw = parse(text, options);
    } catch {
      return parseTopology(text, file);
    }
  }
  if (raw === null || raw === undefined) return parseTopology(text, file);
  const expansion = expandNodes(raw);
  if (expansion.issues.length > 0) return parseTopology(text, file);
  const parsed = quickSchemaParse(expansion.data, hardware);
  if (parsed === undefined) return hardware ? quick(text, file, false) : parseTopology(text, file);
  const resolved = resolveTopology(parsed, { freeze: false });
  if (resolved.ok) return resolved;
  return hardware ? quick(text, file, false) : parseTopology(text, file);
}
