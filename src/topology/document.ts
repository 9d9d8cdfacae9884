/**
 * YAML text → a document that keeps source positions, and its plain value, for
 * every kind of file (topologies, studies, catalogs): the same guards for all.
 *
 * - Syntax: the first error only (later ones mostly echo it).
 * - Keys: duplicates and the reserved names `__proto__`, `constructor` and
 *   `prototype` are found in one linear pass over the document (the `yaml`
 *   package's own duplicate check compares every key with every other: 40,000
 *   keys took 40 s), every one reported with its position.
 * - Size: text longer than MAX_TEXT is refused before parsing; aliases may
 *   repeat a node at most MAX_ALIAS_COUNT times (a "billion laughs" file is
 *   refused at parse time), and the value with its aliases expanded may hold at
 *   most MAX_VALUES scalars and collections, so nothing downstream walks an
 *   exponential tree.
 */

import {
  type Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
  type YAMLError,
} from "yaml";
import { quote } from "./echo.js";
import type { PathSegment } from "./expand.js";
import { formatPath } from "./issues.js";
import type { TopologyIssue } from "./types.js";

/** Aliases may repeat a node this many times: enough for real files, not enough for a billion laughs. */
export const MAX_ALIAS_COUNT = 1000;
/**
 * Characters in one file. A reference rack is 10 KB; a thousand hosts written out one by one,
 * with their links, about 1 MB. Parsing keeps a document of about 100 bytes per character
 * (4 MiB: ~0.5 GB, a few seconds), so this bounds memory and time too.
 */
export const MAX_TEXT = 4 * 1024 * 1024;
/** Scalars and collections in the value, aliases expanded. */
export const MAX_VALUES = 2_000_000;

/** Keys that would reach an object's prototype when a file becomes JavaScript objects. */
export const RESERVED_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

export type YamlResult =
  | {
      readonly ok: true;
      readonly doc: Document;
      readonly lineCounter: LineCounter;
      /** The document as plain data (null for an empty file). */
      readonly value: unknown;
    }
  | { readonly ok: false; readonly issues: readonly TopologyIssue[] };

/** A range written unquoted inside a flow collection (`[host[1..4]]`) is a YAML syntax error: say so. */
const UNQUOTED_RANGE = /[[{,]\s*[A-Za-z][A-Za-z0-9_.:/-]*\[\d+\.\.\d+\]/;

function syntaxIssue(error: YAMLError, text: string, file: string): TopologyIssue {
  const [start] = error.linePos ?? [{ line: 1, col: 1 }];
  const first = error.message.split("\n")[0] ?? error.message;
  let message = first.replace(/ at line \d+, column \d+:?$/, "");
  const lines = text.split(/\r?\n/, start.line);
  const line = (lines[start.line - 1] ?? "").slice(0, 1000);
  if (UNQUOTED_RANGE.test(line)) message += ` (quote names with ranges inside [ ] or { }: "host[1..4]")`;
  return { file, line: start.line, col: start.col, path: "(syntax)", message };
}

/** A key as text, or undefined for a key that is not a scalar (a map as key). */
function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return key.value === null ? "" : String(key.value);
  return undefined;
}

/** The keys path of a node, for issues: ["topology", "nodes", "host1"]. */
type Located = { readonly path: readonly PathSegment[]; readonly offset: number; readonly message: string };

/** Duplicate and reserved keys, in document order. Linear in the document's size; aliases are not followed. */
function scanKeys(doc: Document): Located[] {
  const out: Located[] = [];
  const visit = (node: unknown, path: PathSegment[]): void => {
    if (isMap(node)) {
      const seen = new Map<string, number>();
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = keyText(pair.key);
        const offset = (pair.key as Node | null)?.range?.[0] ?? 0;
        if (key !== undefined) {
          const at = [...path, key];
          if (RESERVED_KEYS.has(key)) {
            out.push({
              path: at,
              offset,
              message: `${quote(key)} is a reserved name (it would reach JavaScript's object prototype); rename the key`,
            });
          }
          const first = seen.get(key);
          if (first !== undefined) {
            out.push({ path: at, offset, message: `duplicate key ${quote(key)} (first at offset ${first})` });
          } else {
            seen.set(key, offset);
          }
        }
        visit(pair.value, key === undefined ? path : [...path, key]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        visit(item, [...path, i]);
      });
    }
  };
  visit(doc.contents, []);
  return out;
}

/** Scalars and collections in the document's value with aliases expanded (memoized per anchored node). */
function expandedSize(doc: Document, limit: number): number {
  const memo = new Map<unknown, number>();
  const size = (node: unknown): number => {
    if (isAlias(node)) {
      const target = node.resolve(doc);
      if (target === undefined) return 1;
      const hit = memo.get(target);
      if (hit !== undefined) return hit;
      const n = size(target);
      memo.set(target, n);
      return n;
    }
    let n = 1;
    if (isMap(node)) {
      for (const pair of node.items) {
        n += size(pair.key) + size(pair.value);
        if (n > limit) return n;
      }
    } else if (isSeq(node)) {
      for (const item of node.items) {
        n += size(item);
        if (n > limit) return n;
      }
    }
    return n;
  };
  return size(doc.contents);
}

/**
 * Parses YAML (or JSON) text with positions, or returns its problems. `file` is
 * only used in issues. Never throws for bad input.
 */
export function parseYaml(text: string, file: string): YamlResult {
  if (text.length > MAX_TEXT) {
    const message = `the file has ${text.length.toLocaleString("en-US")} characters, more than ${MAX_TEXT.toLocaleString("en-US")}: not a file this tool reads`;
    return { ok: false, issues: [{ file, line: 1, col: 1, path: "(file)", message }] };
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: false });
  const [syntax] = doc.errors;
  if (syntax !== undefined) return { ok: false, issues: [syntaxIssue(syntax, text, file)] };
  const keys = scanKeys(doc);
  if (keys.length > 0) {
    const issues = keys.map((k) => {
      const { line, col } = lineCounter.linePos(k.offset);
      const message = k.message.replace(/ \(first at offset (\d+)\)$/, (_, at: string) => {
        const first = lineCounter.linePos(Number(at));
        return ` (first at line ${first.line})`;
      });
      return { file, line, col, path: formatPath(k.path), message };
    });
    return { ok: false, issues };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return { ok: false, issues: [{ file, line: 1, col: 1, path: "(syntax)", message }] };
  }
  const values = expandedSize(doc, MAX_VALUES);
  if (values > MAX_VALUES) {
    const message = `with its aliases (*name) expanded the file holds more than ${MAX_VALUES.toLocaleString("en-US")} values`;
    return { ok: false, issues: [{ file, line: 1, col: 1, path: "(syntax)", message }] };
  }
  return { ok: true, doc, lineCounter, value };
}
