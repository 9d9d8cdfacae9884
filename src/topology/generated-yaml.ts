/**
 * The YAML of a design generator's topology, parsed entry by entry with the entries remembered.
 *
 * A site-size search generates thousands of topologies of one design and size that differ in a few
 * lines (one more uplink, one more adapter per box), and parsing their YAML whole was half of
 * building a candidate at 256 servers (75 ms of 103 for MR-IOV, whose text is 150 KB). The bulk of
 * such a text is the entries of `topology.nodes` and `topology.links`, one per block of servers,
 * box or cable bundle, and most of them are the same text from one candidate to the next. So the text
 * is cut into its head (everything else) and those entries; each piece is parsed on its own by the
 * same YAML library with the same options, and remembered by its text.
 *
 * The cut relies on YAML's block structure only: inside the two sections every line of an entry is
 * indented 4 spaces or more, and a line indented exactly 4 spaces that is not a comment starts an
 * entry (a mapping key of `nodes`, a sequence item of `links`; a block scalar's or a continued plain
 * scalar's lines are indented deeper than the key they belong to). Whatever does not fit the shape
 * (another layout, a parse error in a piece, a node name twice, an alias to an anchor elsewhere)
 * answers undefined, and the caller parses the text whole: the result is the same data or the same
 * error. Remembered pieces are frozen, since results share them.
 */

import { parse } from "yaml";
import { isRecord } from "./expand.js";
import { deepFreeze } from "./resolve.js";

export interface GeneratedYamlOptions {
  readonly uniqueKeys: boolean;
  readonly maxAliasCount: number;
}

/** Pieces parsed, by their text; a full memory starts over (a 1,000-server site has a few thousand). */
const PIECES = new Map<string, unknown>();
const PIECES_KEPT = 50_000;

/** A line that starts an entry of a section: four spaces, then neither a space nor a comment. */
const ENTRY = /^ {4}[^ #]/;
const SECTION = /^ {2}(nodes|links):\s*$/;

/** The data the text's YAML holds, or undefined when it does not have the generators' shape (parse it whole). */
export function parseGeneratedYaml(text: string, options: GeneratedYamlOptions): unknown {
  const lines = text.split("\n");
  const head: string[] = [];
  const nodes: string[][] = [];
  const links: string[][] = [];
  let inTopology = false;
  let section: string[][] | null = null;
  let entry: string[] | null = null;
  for (const line of lines) {
    if (section !== null) {
      const blank = line.trim() === "" || line.trimStart().startsWith("#");
      if (ENTRY.test(line)) {
        entry = [line.slice(4)];
        section.push(entry);
        continue;
      }
      if (line.startsWith("    ") || line.trim() === "") {
        // An entry's deeper line (or a blank one); comments before the first entry belong to no entry.
        if (entry !== null) entry.push(line.slice(4));
        else if (!blank) return undefined;
        continue;
      }
      // Less indented: a comment (ignored) or the section's end.
      if (blank) continue;
      section = null;
      entry = null;
    }
    if (/^[^ #]/.test(line)) inTopology = /^topology:\s*$/.test(line);
    const opens = inTopology ? SECTION.exec(line) : null;
    if (opens !== null) {
      section = opens[1] === "nodes" ? nodes : links;
      entry = null;
    }
    // Top-level comments name the candidate's parameters: left out so heads of one size share their parse.
    if (!line.startsWith("#")) head.push(line);
  }
  if (nodes.length + links.length === 0) return undefined;
  try {
    const data = piece(head.join("\n"), options);
    if (!isRecord(data) || !isRecord(data.topology)) return undefined;
    const topology = data.topology;
    if ((nodes.length > 0 && topology.nodes !== null) || (links.length > 0 && topology.links !== null))
      return undefined;
    const out: Record<string, unknown> = {};
    for (const e of nodes) {
      const p = piece(e.join("\n"), options);
      if (!isRecord(p)) return undefined;
      const keys = Object.keys(p);
      if (keys.length !== 1 || Object.hasOwn(out, keys[0]!)) return undefined;
      out[keys[0]!] = p[keys[0]!];
    }
    const list: unknown[] = [];
    for (const e of links) {
      const p = piece(e.join("\n"), options);
      if (!Array.isArray(p) || p.length !== 1) return undefined;
      list.push(p[0]);
    }
    return {
      ...data,
      topology: {
        ...topology,
        ...(nodes.length > 0 ? { nodes: out } : {}),
        ...(links.length > 0 ? { links: list } : {}),
      },
    };
  } catch {
    return undefined;
  }
}

/** One piece's data, parsed once per text. */
function piece(text: string, options: GeneratedYamlOptions): unknown {
  if (PIECES.has(text)) return PIECES.get(text);
  const data = deepFreeze(parse(text, { uniqueKeys: options.uniqueKeys, maxAliasCount: options.maxAliasCount }));
  if (PIECES.size >= PIECES_KEPT) PIECES.clear();
  PIECES.set(text, data);
  return data;
}
