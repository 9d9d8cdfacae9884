/**
 * The schema's pass over a design generator's topology, with each node body and link parsed once
 * per process (`parseTopologyQuick`).
 *
 * A site-size search builds thousands of topologies of one design and size that differ in a few
 * entries, and at 2,048 servers the schema's pass over the whole file was about a quarter of
 * building a candidate (82 ms of 300 for the director). The entries' data are shared: the remembered
 * YAML pieces (`generated-yaml.ts`) are the same objects from one candidate to the next, and a node
 * key's expansion without ranges in its body hands every name the same body (`expand.ts`; 2,200
 * director nodes have 156 bodies). So each node body and each link is parsed on its own by the
 * schema the file's schema uses for it, remembered by the object (a WeakMap: what the pieces' memory
 * drops is dropped here too), and the rest of the file (its workloads, SLA rows, settings) is parsed
 * as before. Remembered answers are frozen, since topologies share them.
 *
 * The answer is the data the whole file's schema gives (tested), or undefined for anything else
 * (another shape, a value the schema refuses): the caller then parses the file as usual, with the
 * same issues.
 */

import { isRecord } from "./expand.js";
import { RANGED_NAME_PATTERN } from "./fields.js";
import { deepFreeze } from "./resolve.js";
import { type LinkSpec, linkSchema, type NodeSpec, nodeSchema, type TopologyFile, topologySchema } from "./schema.js";

const restSchema = topologySchema.omit({ topology: true });
const NODES = new WeakMap<object, NodeSpec>();
const LINKS = new WeakMap<object, LinkSpec>();

/** The schema's answer for `value` (an object), remembered by it; undefined when it refuses it. */
function remembered<T>(
  memory: WeakMap<object, T>,
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } },
  value: unknown,
): T | undefined {
  if (!isRecord(value)) return undefined;
  const known = memory.get(value);
  if (known !== undefined) return known;
  const parsed = schema.safeParse(value);
  if (!parsed.success) return undefined;
  const data = deepFreeze(parsed.data);
  memory.set(value, data);
  return data;
}

/**
 * `topologySchema`'s data for `data` (node keys expanded), or undefined: parse it whole instead.
 * `hardware`: without the workloads, SLA rows, faults and the QoS marks of workloads (`parseHardwareQuick`).
 */
export function quickSchemaParse(data: unknown, hardware = false): TopologyFile | undefined {
  if (!isRecord(data) || !isRecord(data.topology)) return undefined;
  const { topology, ...all } = data;
  const rest = hardware ? withoutWorkloads(all) : all;
  for (const key of Object.keys(topology)) if (key !== "nodes" && key !== "links") return undefined;
  const rawNodes = topology.nodes;
  const rawLinks = topology.links ?? [];
  if (!isRecord(rawNodes) || !Array.isArray(rawLinks)) return undefined;
  const nodes: Record<string, NodeSpec> = {};
  for (const [name, body] of Object.entries(rawNodes)) {
    if (!RANGED_NAME_PATTERN.test(name)) return undefined;
    const node = remembered(NODES, nodeSchema, body);
    if (node === undefined) return undefined;
    nodes[name] = node;
  }
  const links: LinkSpec[] = [];
  for (const l of rawLinks) {
    const link = remembered(LINKS, linkSchema, l);
    if (link === undefined) return undefined;
    links.push(link);
  }
  const others = restSchema.safeParse(rest);
  if (!others.success) return undefined;
  return { ...others.data, topology: { nodes, links } };
}

/** The file's settings without its workloads, SLA rows, faults and the QoS marks of workloads. */
function withoutWorkloads(rest: Record<string, unknown>): Record<string, unknown> {
  const { workloads: _w, sla: _s, faults: _f, qos, ...others } = rest;
  if (!isRecord(qos)) return qos === undefined ? others : { ...others, qos };
  const { workloads: _marks, ...marks } = qos;
  return { ...others, qos: marks };
}
