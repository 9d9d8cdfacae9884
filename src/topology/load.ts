/**
 * Text → ResolvedTopology, or every problem with its source position.
 *
 * YAML (or JSON, which is YAML) → `yaml` Document (keeps positions) → node keys
 * expanded → zod (structure, units, defaults) → cross-reference pass. Each
 * stage runs only when the previous one found nothing, so one mistake does not
 * cascade into a page of follow-on errors.
 */

import { LineCounter, parse, parseDocument, type YAMLError } from "yaml";
import type * as z from "zod";
import { expandNodes, type PathSegment, type RawIssue } from "./expand.js";
import { positionIssues } from "./issues.js";
import { resolveTopology } from "./resolve.js";
import { topologySchema } from "./schema.js";
import type { LoadResult, TopologyIssue } from "./types.js";

/** Aliases may repeat a node this many times: enough for real files, not enough for a billion laughs. */
const MAX_ALIAS_COUNT = 1000;

/** A range written unquoted inside a flow collection (`[host[1..4]]`) is a YAML syntax error: say so. */
const UNQUOTED_RANGE = /[[{,]\s*[A-Za-z][A-Za-z0-9_.:/-]*\[\d+\.\.\d+\]/;

function syntaxIssue(error: YAMLError, text: string, file: string): TopologyIssue {
  const [start] = error.linePos ?? [{ line: 1, col: 1 }];
  const first = error.message.split("\n")[0] ?? error.message;
  let message = first.replace(/ at line \d+, column \d+:?$/, "");
  const line = text.split(/\r?\n/)[start.line - 1] ?? "";
  if (UNQUOTED_RANGE.test(line)) message += ` (quote names with ranges inside [ ] or { }: "host[1..4]")`;
  return { file, line: start.line, col: start.col, path: "(syntax)", message };
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

/**
 * Parses and resolves a topology file's text. `file` is only used in issues.
 * Never throws for bad input: every problem comes back as an issue.
 */
export function parseTopology(text: string, file: string): LoadResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  // Later syntax errors are mostly echoes of the first (one bad indent confuses the rest): report the first.
  const [syntax] = doc.errors;
  if (syntax !== undefined) return { ok: false, issues: [syntaxIssue(syntax, text, file)] };

  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return { ok: false, issues: [{ file, line: 1, col: 1, path: "(syntax)", message }] };
  }
  if (raw === null || raw === undefined) {
    const message = "the file is empty; a topology needs at least name, design and topology.nodes";
    return { ok: false, issues: [{ file, line: 1, col: 1, path: "(top)", message }] };
  }
  const expansion = expandNodes(raw);
  const parsed = topologySchema.safeParse(expansion.data);
  const early = [...expansion.issues, ...(parsed.success ? [] : fromZod(parsed.error.issues))];
  if (early.length > 0 || !parsed.success) {
    return { ok: false, issues: positionIssues(early, file, doc, lineCounter, expansion.origins) };
  }
  const resolved = resolveTopology(parsed.data);
  if (!resolved.ok) {
    return { ok: false, issues: positionIssues(resolved.issues, file, doc, lineCounter, expansion.origins) };
  }
  return resolved;
}

/**
 * `parseTopology` for text that is almost always valid (a design generator's
 * output): parses the YAML without keeping a document and line positions, about
 * half the cost, and does not freeze the result (callers own it). When anything
 * is wrong it falls back to `parseTopology`, so the issues are exactly the same.
 */
export function parseTopologyQuick(text: string, file: string): LoadResult {
  let raw: unknown;
  try {
    raw = parse(text, { uniqueKeys: true, maxAliasCount: MAX_ALIAS_COUNT });
  } catch {
    return parseTopology(text, file);
  }
  if (raw === null || raw === undefined) return parseTopology(text, file);
  const expansion = expandNodes(raw);
  if (expansion.issues.length > 0) return parseTopology(text, file);
  const parsed = topologySchema.safeParse(expansion.data);
  if (!parsed.success) return parseTopology(text, file);
  const resolved = resolveTopology(parsed.data, { freeze: false });
  return resolved.ok ? resolved : parseTopology(text, file);
}
