/**
 * Issues with source positions: a path into the parsed file is walked through
 * the YAML document (which keeps ranges) to a line and column, and printed in
 * expanded names. One line per issue, `file:line:col path: message`.
 */

import { type Document, isAlias, isMap, isScalar, isSeq, type LineCounter, type Node, type Pair } from "yaml";
import { MAX_ECHO, quote, safeLine } from "./echo.js";
import type { NodeOrigin, PathSegment } from "./expand.js";
import type { TopologyIssue } from "./types.js";

/** `topology.nodes.host3.adapters[0].kind`; keys that are not identifiers print as `["eth1/1"]`. */
export function formatPath(path: readonly PathSegment[]): string {
  if (path.length === 0) return "(top)";
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else if (seg.length <= MAX_ECHO && /^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(seg)) out += out === "" ? seg : `.${seg}`;
    else out += `[${quote(seg)}]`;
  }
  return out;
}

/**
 * One line per issue, sorted by line then column. Every part is made safe to
 * print (control characters escaped, echoed values cut): the file name comes
 * from the command line, the path and message may echo the file's text.
 */
export function formatIssues(issues: readonly TopologyIssue[]): string {
  return sortIssues(issues).map(formatIssue).join("\n");
}

/** `file:line:col path: message`, safe to print. */
export function formatIssue(i: TopologyIssue): string {
  return `${safeLine(i.file)}:${i.line}:${i.col} ${safeLine(i.path)}: ${safeLine(i.message)}`;
}

export function sortIssues(issues: readonly TopologyIssue[]): TopologyIssue[] {
  return [...issues].sort((a, b) => a.line - b.line || a.col - b.col);
}

/** Replaces an expanded node name in `path` by the key it came from, to find it in the document. */
export function toRawPath(
  path: readonly PathSegment[],
  origins: ReadonlyMap<string, NodeOrigin>,
): readonly PathSegment[] {
  if (path[0] === "topology" && path[1] === "nodes" && typeof path[2] === "string") {
    const origin = origins.get(path[2]);
    if (origin !== undefined) return ["topology", "nodes", origin.key, ...path.slice(3)];
  }
  return path;
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return typeof key === "string" ? key : undefined;
}

/** A map's pairs by key (the first of duplicates), built once per map: many issues in one big map stay linear. */
const pairIndex = new WeakMap<object, Map<string, Pair>>();
function pairsByKey(node: { items: unknown[] }): Map<string, Pair> {
  let index = pairIndex.get(node);
  if (index === undefined) {
    index = new Map();
    for (const p of node.items as Pair[]) {
      const k = keyText(p.key);
      if (k !== undefined && !index.has(k)) index.set(k, p);
    }
    pairIndex.set(node, index);
  }
  return index;
}

/**
 * The source offset for `path`: the deepest node the path reaches. A scalar
 * points at itself, a map or list under a key points at the key (the line a
 * reader looks for), a list item at the item.
 */
export function locateOffset(doc: Document, path: readonly PathSegment[]): number {
  let node: unknown = doc.contents;
  let offset = (doc.contents as Node | null)?.range?.[0] ?? 0;
  for (const seg of path) {
    if (isAlias(node)) node = node.resolve(doc);
    let next: unknown;
    let keyOffset: number | undefined;
    if (isMap(node)) {
      const pair = pairsByKey(node).get(String(seg));
      if (pair === undefined) break;
      next = pair.value;
      keyOffset = (pair.key as Node | null)?.range?.[0];
    } else if (isSeq(node) && typeof seg === "number") {
      next = node.items[seg];
      if (next === undefined) break;
    } else {
      break;
    }
    const nextRange = (next as Node | null)?.range;
    if (isScalar(next) || keyOffset === undefined) offset = nextRange?.[0] ?? keyOffset ?? offset;
    else offset = keyOffset;
    node = next;
  }
  return offset;
}

/** Turns issues (paths in expanded names) into positioned TopologyIssues. */
export function positionIssues(
  issues: readonly {
    readonly path: readonly PathSegment[];
    readonly message: string;
    readonly rawPath?: readonly PathSegment[];
    readonly budget?: true;
  }[],
  file: string,
  doc: Document,
  lineCounter: LineCounter,
  origins: ReadonlyMap<string, NodeOrigin>,
): TopologyIssue[] {
  const out: TopologyIssue[] = [];
  // A problem inside a ranged key's body shows up once per expanded node: report it once.
  const seen = new Map<string, { at: number; also: number; origin: NodeOrigin }>();
  for (const issue of issues) {
    const offset = locateOffset(doc, issue.rawPath ?? toRawPath(issue.path, origins));
    const { line, col } = lineCounter.linePos(offset);
    const origin =
      typeof issue.path[2] === "string" && issue.path[1] === "nodes" ? origins.get(issue.path[2]) : undefined;
    if (origin !== undefined && origin.count > 1 && issue.rawPath === undefined) {
      const key = `${origin.key}\u0000${offset}\u0000${issue.message}`;
      const first = seen.get(key);
      if (first !== undefined) {
        first.also++;
        continue;
      }
      seen.set(key, { at: out.length, also: 0, origin });
    }
    const path = safeLine(formatPath(issue.path));
    const message = safeLine(issue.message);
    out.push(
      issue.budget === true ? { file, line, col, path, message, budget: true } : { file, line, col, path, message },
    );
  }
  for (const { at, also, origin } of seen.values()) {
    if (also === 0) continue;
    const issue = out[at]!;
    out[at] = { ...issue, message: `${issue.message} (also in ${also} more of ${origin.key})` };
  }
  return sortIssues(capRepeats(out));
}

/** Issues at one place: the same message once, and at most MAX_PER_PLACE different ones plus a count. */
const MAX_PER_PLACE = 3;

function capRepeats(issues: readonly TopologyIssue[]): TopologyIssue[] {
  const byPlace = new Map<string, TopologyIssue[]>();
  for (const issue of issues) {
    const place = `${issue.line}:${issue.col}:${issue.path}`;
    const at = byPlace.get(place) ?? [];
    if (!at.some((i) => i.message === issue.message)) at.push(issue);
    byPlace.set(place, at);
  }
  return [...byPlace.values()].flatMap((at) => {
    if (at.length <= MAX_PER_PLACE + 1) return at;
    const more = at.length - MAX_PER_PLACE;
    const last = at[MAX_PER_PLACE]!;
    return [...at.slice(0, MAX_PER_PLACE), { ...last, message: `… and ${more} more problems like these` }];
  });
}
