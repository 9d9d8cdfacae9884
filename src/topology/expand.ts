/**
 * Node-key expansion, before the schema sees the file: `host[1..32]: {…}`
 * becomes 32 entries `host1` … `host32`, and ranges inside field values zip
 * with the key (`chassis: chassis[1..4]`). The schema then validates expanded
 * nodes, so its issue paths already carry expanded names; `origins` maps each
 * name back to the key it came from, for source positions.
 *
 * A shared adapter's `hosts` is a list of servers, not one name per node: its
 * ranges are left for the resolver to expand as a list.
 */

import { echo } from "./echo.js";
import { nodeKeyProblem } from "./fields.js";
import { countNames, expandNames, hasRange, zipIndex } from "./ranges.js";

export type PathSegment = string | number;

/** A problem found before resolution: `path` in expanded names, `rawPath` when the position must come from elsewhere. */
export interface RawIssue {
  readonly path: readonly PathSegment[];
  readonly message: string;
  readonly rawPath?: readonly PathSegment[];
  /** A size limit rather than a mistake (see `size.ts`). */
  readonly budget?: true;
}

/** Where an expanded node name came from. */
export interface NodeOrigin {
  /** The key as written (`host[1..32]`). */
  readonly key: string;
  readonly index: number;
  /** How many names the key expands to. */
  readonly count: number;
}

export interface Expansion {
  readonly data: unknown;
  readonly origins: ReadonlyMap<string, NodeOrigin>;
  readonly issues: readonly RawIssue[];
}

/** Fields whose ranges expand into lists rather than zip with the key. */
const LIST_FIELDS = new Set(["hosts"]);

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Expands the node keys of a parsed (not yet validated) file. */
export function expandNodes(raw: unknown): Expansion {
  const origins = new Map<string, NodeOrigin>();
  const issues: RawIssue[] = [];
  if (!isRecord(raw) || !isRecord(raw.topology) || !isRecord(raw.topology.nodes)) {
    return { data: raw, origins, issues };
  }
  const expanded = new Map<string, unknown>();
  for (const [key, body] of Object.entries(raw.topology.nodes)) {
    const keyPath = ["topology", "nodes", key];
    const problem = nodeKeyProblem(key);
    if (problem !== undefined) {
      issues.push({ path: keyPath, message: problem });
      continue;
    }
    const names = expandNames(key);
    if (!names.ok) {
      issues.push({ path: keyPath, message: names.message });
      continue;
    }
    const bodies = zipBodies(body, key, names.value, issues);
    names.value.forEach((name, index) => {
      const first = origins.get(name);
      if (first !== undefined) {
        const from = first.key === name ? "" : ` (from ${first.key})`;
        issues.push({
          path: ["topology", "nodes", name],
          rawPath: keyPath,
          message: `duplicate node name ${name}${from}`,
        });
        return;
      }
      expanded.set(name, bodies[index]);
      origins.set(name, { key, index, count: names.value.length });
    });
  }
  const data = { ...raw, topology: { ...raw.topology, nodes: Object.fromEntries(expanded) } };
  return { data, origins, issues };
}

/** One body per expanded name, with ranges in string values replaced by the zipped name. */
function zipBodies(body: unknown, key: string, names: readonly string[], issues: RawIssue[]): unknown[] {
  if (!containsRange(body, true)) return names.map(() => body);
  const first = names[0]!;
  const reported = new Set<string>();
  // Each value is expanded once, and only when it can zip: never to more names than the key has.
  type Expanded = { ok: true; count: number; value: readonly string[] | null } | { ok: false; message: string };
  const expanded = new Map<string, Expanded>();
  const expandValue = (value: string): Expanded => {
    let r = expanded.get(value);
    if (r === undefined) {
      const n = countNames(value);
      if (n !== undefined && n > names.length) r = { ok: true, count: n, value: null };
      else {
        const e = expandNames(value);
        r = e.ok ? { ok: true, count: e.value.length, value: e.value } : e;
      }
      expanded.set(value, r);
    }
    return r;
  };
  const substitute = (value: unknown, path: PathSegment[], index: number, top: boolean): unknown => {
    if (typeof value === "string") {
      if (!hasRange(value)) return value;
      const values = expandValue(value);
      const at = values.ok && values.value !== null ? zipIndex(names.length, values.count, index) : undefined;
      if (values.ok && values.value !== null && at !== undefined) return values.value[at];
      const where = path.join(".");
      if (!reported.has(where)) {
        reported.add(where);
        const message = values.ok
          ? `${echo(value)} expands to ${values.count.toLocaleString("en-US")} names and the key ${key} to ${names.length.toLocaleString("en-US")}: ` +
            "a range in a field value must expand to as many names as the key, to one, or to a divisor of that"
          : values.message;
        issues.push({ path: ["topology", "nodes", first, ...path], message });
      }
      return value;
    }
    if (Array.isArray(value)) return value.map((v, i) => substitute(v, [...path, i], index, false));
    if (isRecord(value)) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        out[k] = top && LIST_FIELDS.has(k) ? v : substitute(v, [...path, k], index, false);
      }
      return out;
    }
    return value;
  };
  return names.map((_, index) => substitute(body, [], index, true));
}

function containsRange(value: unknown, top: boolean): boolean {
  if (typeof value === "string") return hasRange(value);
  if (Array.isArray(value)) return value.some((v) => containsRange(v, false));
  if (isRecord(value)) {
    return Object.entries(value).some(([k, v]) => !(top && LIST_FIELDS.has(k)) && containsRange(v, false));
  }
  return false;
}
