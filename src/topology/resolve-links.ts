/**
 * Links: endpoint ranges zipped pairwise, each end checked (node exists, port
 * exists, port not taken, protocol fits), propagation from length or delay.
 * Also the other `node:port` references inside nodes (vif pins).
 */

import { parseSize, parseTime } from "../../sim/units.js";
import { linkProtocol } from "../link/catalog.js";
import type { LinkProtocol } from "../link/protocol.js";
import { quote } from "./echo.js";
import type { PathSegment } from "./expand.js";
import { parseLength } from "./fields.js";
import { resolveFraming } from "./link-fields.js";
import { expandNames, zipEndpoints } from "./ranges.js";
import { article, type DraftNode, type DraftPort, describePorts, FAMILY_NAMES, type Issues } from "./resolve-nodes.js";
import type { LinkSpec } from "./schema.js";
import type { Endpoint, ResolvedLink } from "./types.js";

/** Propagation delay of cable, in ticks (ps) per metre. */
export const TICKS_PER_METRE = 5000;
/** Cable length when a link gives neither length nor delay. */
export const DEFAULT_LENGTH_METRES = 2;

export type NodeTable = ReadonlyMap<string, DraftNode>;

/** A node's ports by name, built on first use (a LAN may have thousands, each named by a link). */
const portIndex = new WeakMap<DraftNode, Map<string, DraftPort>>();
function portsByName(node: DraftNode): Map<string, DraftPort> {
  let index = portIndex.get(node);
  if (index === undefined) {
    index = new Map(node.ports.map((p) => [p.name, p]));
    portIndex.set(node, index);
  }
  return index;
}

/** Finds `node:port`, or says what is wrong with it. */
export function findEndpoint(
  text: string,
  nodes: NodeTable,
): { ok: true; node: DraftNode; port: DraftPort } | { ok: false; message: string } {
  const colon = text.indexOf(":");
  if (colon < 0) return { ok: false, message: `expected an endpoint "node:port", got ${quote(text)}` };
  const nodeName = text.slice(0, colon);
  const portName = text.slice(colon + 1);
  const node = nodes.get(nodeName);
  if (node === undefined) return { ok: false, message: `no node named ${nodeName}` };
  // A short list is searched; a long one (a LAN with thousands of ports, each named by a link) is indexed.
  const port = node.ports.length <= 32 ? node.ports.find((p) => p.name === portName) : portsByName(node).get(portName);
  if (port === undefined) {
    return { ok: false, message: `${nodeName} has no port ${portName}; its ports are ${describePorts(node.ports)}` };
  }
  return { ok: true, node, port };
}

/** Why a link of protocol `link` cannot attach to `port`, or undefined when it can. */
function misfit(link: LinkProtocol, endpoint: string, port: DraftPort): string | undefined {
  if (port.protocol !== null) {
    const own = linkProtocol(port.protocol);
    if (own.family !== link.family) {
      return `${endpoint} is ${article(own.id)} ${own.id} port and cannot take ${article(link.id)} ${link.id} link`;
    }
    if (link.dataRateBps > own.dataRateBps) {
      return `${endpoint} is ${article(own.id)} ${own.id} port, slower than this ${link.id} link`;
    }
    return undefined;
  }
  if (port.families.includes(link.family)) return undefined;
  const names = port.families.map((f) => FAMILY_NAMES[f]).join(" or ");
  return `${endpoint} is ${article(names)} ${names} port and cannot take ${article(link.id)} ${link.id} link`;
}

interface Use {
  readonly source: number;
  readonly other: string;
}

/** Resolves every link, filling in the ports' peers. */
export function resolveLinks(specs: readonly LinkSpec[], nodes: NodeTable, issues: Issues): ResolvedLink[] {
  const links: ResolvedLink[] = [];
  const used = new Map<string, Use>();
  specs.forEach((spec, source) => {
    if (issues.skipped.links.has(source)) return;
    const at: PathSegment[] = ["topology", "links", source];
    const protocol = linkProtocol(spec.type);
    let expanded = true;
    const sides = spec.endpoints.map((text, k) => {
      const names = expandNames(text);
      if (names.ok) return names.value;
      issues.add([...at, "endpoints", k], names.message);
      expanded = false;
      return [];
    });
    // An endpoint that did not expand (malformed, or past the expansion limit) pairs with nothing.
    if (!expanded) return;
    const pairs = zipEndpoints(sides[0] ?? [], sides[1] ?? []);
    if (!pairs.ok) {
      issues.add([...at, "endpoints"], pairs.message);
      return;
    }
    const common = linkCommon(spec, protocol, at, issues);
    for (const pair of pairs.value) {
      if (pair[0] === pair[1]) {
        issues.add([...at, "endpoints"], `a link cannot join ${pair[0]} to itself`);
        continue;
      }
      const [nodeA, nodeB] = pair.map((text) => text.slice(0, Math.max(0, text.indexOf(":"))));
      if (nodeA !== "" && nodeA === nodeB) {
        issues.add(
          [...at, "endpoints"],
          `a link cannot join ${nodeA} to itself (${pair[0]} to ${pair[1]}): a cable looped back into one device carries no traffic here`,
        );
        continue;
      }
      const ends = pair.map((text, k) => {
        // An end at a node the schema refused cannot be checked; the other end still is.
        if (issues.skippedNode(text.slice(0, Math.max(0, text.indexOf(":"))))) return undefined;
        const found = findEndpoint(text, nodes);
        if (!found.ok) {
          issues.add([...at, "endpoints", k], found.message);
          return undefined;
        }
        const problem = misfit(protocol, text, found.port);
        if (problem !== undefined) issues.add([...at, "endpoints", k], problem);
        const previous = used.get(text);
        if (previous !== undefined) {
          issues.add(
            [...at, "endpoints", k],
            `${text} is used by two links: this one (to ${pair[1 - k]}) and topology.links[${previous.source}] (to ${previous.other})`,
          );
        } else {
          used.set(text, { source, other: pair[1 - k]! });
        }
        return found;
      });
      const [a, b] = ends;
      if (a === undefined || b === undefined) continue;
      const index = links.length;
      const ea: Endpoint = { node: a.node.name, port: a.port.name };
      const eb: Endpoint = { node: b.node.name, port: b.port.name };
      a.port.peer ??= eb;
      a.port.link ??= index;
      b.port.peer ??= ea;
      b.port.link ??= index;
      links.push({ a: ea, b: eb, protocol: protocol.id, family: protocol.family, ...common, source });
    }
  });
  return links;
}

function linkCommon(spec: LinkSpec, protocol: LinkProtocol, at: PathSegment[], issues: Issues) {
  if (spec.length !== undefined && spec.delay !== undefined) {
    issues.add([...at, "delay"], "give length or delay, not both");
  }
  const ethernet = protocol.family === "ethernet";
  if (!ethernet && spec.lossless === false) {
    issues.add(
      [...at, "lossless"],
      `${protocol.id} links are always lossless (${FAMILY_NAMES[protocol.family]} uses credit-based flow control)`,
    );
  }
  const lossless = ethernet ? (spec.lossless ?? false) : true;
  if (spec.buffer !== undefined && !lossless) {
    issues.add(
      [...at, "buffer"],
      `buffer is the receive buffer of a lossless link; this ${protocol.id} link is lossy (add lossless: true for PFC)`,
    );
  }
  const lengthMetres = spec.delay === undefined ? parseLength(spec.length ?? `${DEFAULT_LENGTH_METRES}m`) : null;
  const propagationTicks =
    spec.delay === undefined ? Math.round((lengthMetres ?? 0) * TICKS_PER_METRE) : parseTime(spec.delay);
  return {
    lengthMetres,
    propagationTicks,
    lossless,
    bufferBytes: spec.buffer === undefined ? null : parseSize(spec.buffer),
    framing: resolveFraming(spec, protocol, at, issues),
  };
}
