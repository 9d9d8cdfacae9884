/**
 * Workloads: `on` expands to one instance per server (`host[1..24]`) or per VM
 * (`host[1..24]/vm[1..8]`); each instance gets its `via` (port, team, vif or
 * the next free SR-IOV VF of its VM) and its `to` (lan, storage arrays, or
 * other servers for east-west).
 *
 * VFs are handed out per VM (or per server for per-server workloads), in file
 * order, spreading over the ports of an adapter: VF 1 of port 1, VF 1 of port 2,
 * VF 2 of port 1, … A VM that runs several `via: vf` workloads keeps one VF.
 */

import { parseRate, parseSize, parseTime } from "../../sim/units.js";
import { toDistribution } from "../network/distribution.js";
import { BOUNDS } from "./bounds.js";
import type { PathSegment } from "./expand.js";
import { expandReference } from "./ranges.js";
import type { NodeTable } from "./resolve-links.js";
import { article, type DraftNode, describePorts, type Issues, toDist } from "./resolve-nodes.js";
import type { WorkloadSpec } from "./schema.js";
import type { Dist, ResolvedWorkload, ServerNode, Target, Via, WorkloadInstance } from "./types.js";

type Server = ServerNode & DraftNode;

/**
 * Storage I/O lanes. A host spreads one workload's I/Os over its paths (multipathing's
 * round-robin or service-time selector switches path every few I/Os) and FC switches
 * balance per exchange (Cisco MDS's default `src-dst-ox-id`; docs/domain.md §11.3), so a
 * heavy I/O stream is not one path but many. The simulator routes a flow on one path
 * chosen by its hash; an I/O workload's instance is therefore split into lanes, each its
 * own flow (own hash, so own path and multipath start) with an equal share of the I/Os
 * (packet level: each I/O draws its lane). Enough lanes that none carries more than
 * `IO_LANE_BPS`, at most `MAX_IO_LANES`: light streams (a VM's disk) stay one flow, a
 * database's 1.6 Gb/s becomes 4. A modelling granularity, not a vendor figure: with one
 * lane per instance, a few heavy streams hashed onto one ISL or array port missed their
 * SLA where the fabric had room (docs/domain.md §11.3).
 */
export const IO_LANE_BPS = 500e6;
export const MAX_IO_LANES = 8;

/** Lanes of an I/O workload instance of `iops` I/Os per second of mean `meanBytes` (1 when either is unknown). */
export function ioLanes(iops: number, meanBytes: number): number {
  const bps = iops * meanBytes * 8;
  if (!(bps > 0) || !Number.isFinite(bps)) return 1;
  return Math.min(MAX_IO_LANES, Math.max(1, Math.ceil(bps / IO_LANE_BPS)));
}

/** The I/O workload's target with each array once per lane (lane-major: every array in each lane). */
function withLanes(to: Target, size: Dist, pattern: { pattern: string; iops?: number }): Target {
  if (to.kind !== "storage-array" || pattern.pattern !== "iops" || pattern.iops === undefined) return to;
  let mean: number;
  try {
    mean = toDistribution(size).mean;
  } catch {
    return to;
  }
  const lanes = ioLanes(pattern.iops, mean);
  if (lanes === 1) return to;
  return { ...to, nodes: Array.from({ length: lanes }, () => to.nodes).flat() };
}

/** "a, b, c, d and 5 more". */
export function nameList(names: readonly string[], max = 4): string {
  if (names.length <= max) return names.join(", ");
  return `${names.slice(0, max).join(", ")} and ${names.length - max} more`;
}

function list(value: string | readonly string[]): readonly string[] {
  return typeof value === "string" ? [value] : value;
}

/** Expands every entry of a reference list, each to at most `most` names; bad ranges become issues. */
function expandAll(
  value: string | readonly string[],
  at: PathSegment[],
  issues: Issues,
  most: number,
  noun = "nodes",
): string[] {
  const single = typeof value === "string";
  return list(value).flatMap((text, k) => {
    const names = expandReference(text, most, noun);
    if (!names.ok) issues.add(single ? at : [...at, k], names.message);
    return names.ok ? [...names.value] : [];
  });
}

/** The instances' (host, vm) pairs from `on`. */
function placements(spec: WorkloadSpec, at: PathSegment[], nodes: NodeTable, issues: Issues) {
  const out: { host: Server; vm: string | null }[] = [];
  const seen = new Set<string>();
  const unknown: string[] = [];
  const single = typeof spec.on === "string";
  list(spec.on).forEach((text, k) => {
    const where = single ? [...at, "on"] : [...at, "on", k];
    const slash = text.indexOf("/");
    const hosts = expandAll(slash < 0 ? text : text.slice(0, slash), where, issues, nodes.size);
    const vms = slash < 0 ? [null] : expandAll(text.slice(slash + 1), where, issues, BOUNDS.vms.max, "VMs");
    for (const h of hosts) {
      const node = nodes.get(h);
      if (node === undefined) {
        if (!issues.skippedNode(h)) unknown.push(h);
        continue;
      }
      if (node.kind !== "server") {
        issues.add(where, `${h} is ${article(node.kind)} ${node.kind}; workloads run on servers`);
        continue;
      }
      for (const vm of vms) {
        if (vm !== null && !node.vms.includes(vm)) {
          const has = node.vms.length === 0 ? "no VMs" : `${node.vms.length} VMs (vm1 … vm${node.vms.length})`;
          issues.add(where, `${h} has ${has}; no ${vm}`);
          continue;
        }
        const id = vm === null ? h : `${h}/${vm}`;
        if (seen.has(id)) issues.add(where, `${id} appears twice in on`);
        seen.add(id);
        out.push({ host: node as Server, vm });
      }
    }
    if (unknown.length > 0) issues.add(where, `no node named ${nameList(unknown.splice(0))}`);
  });
  return out;
}

/** The LAN nodes of a node table (found once per table: `to: lan` is in most workloads). */
const lansOf = new WeakMap<NodeTable, DraftNode[]>();
function lanNodes(nodes: NodeTable): DraftNode[] {
  let lans = lansOf.get(nodes);
  if (lans === undefined) {
    lans = [...nodes.values()].filter((x) => x.kind === "lan");
    lansOf.set(nodes, lans);
  }
  return lans;
}

/** Resolves `to` into a target kind and its nodes. */
function target(spec: WorkloadSpec, at: PathSegment[], nodes: NodeTable, issues: Issues): Target | undefined {
  const where = [...at, "to"];
  const names = expandAll(spec.to, where, issues, nodes.size);
  const kinds = new Set<Target["kind"]>();
  const resolved: string[] = [];
  for (const n of names) {
    let node = nodes.get(n);
    if (node === undefined && issues.skippedNode(n)) return undefined;
    if (node === undefined && n === "lan") {
      const lans = lanNodes(nodes);
      if (lans.length === 0 && issues.skipped.nodes.size > 0) return undefined;
      if (lans.length !== 1) {
        issues.add(where, `to: lan needs exactly one lan node (or a node named lan); the topology has ${lans.length}`);
        return undefined;
      }
      node = lans[0];
    }
    if (node === undefined) {
      issues.add(where, `no node named ${n}`);
      return undefined;
    }
    if (node.kind === "lan") kinds.add("lan");
    else if (node.kind === "storage-array") kinds.add("storage-array");
    else if (node.kind === "server") kinds.add("servers");
    else {
      issues.add(where, `${n} is ${article(node.kind)} ${node.kind}; to takes lan, storage arrays or servers`);
      return undefined;
    }
    resolved.push(node.name);
  }
  if (kinds.size > 1) {
    issues.add(where, `to mixes ${[...kinds].join(" and ")} targets; use one kind per workload`);
    return undefined;
  }
  const [kind] = kinds;
  return kind === undefined ? undefined : { kind, nodes: resolved };
}

/** Free SR-IOV VFs per server, handed out per VM. */
class VfPool {
  private readonly next = new Map<string, number>();
  private readonly given = new Map<string, Via>();

  take(host: Server, vm: string | null): Via | string {
    const key = `${host.name}/${vm ?? ""}`;
    const had = this.given.get(key);
    if (had !== undefined) return had;
    // Slots in order: each adapter's vfs × ports, VF-major (found by arithmetic, not listed).
    const total = host.adapters.reduce((n, a) => n + a.vfs * a.ports.length, 0);
    if (total === 0) return `${host.name} has no SR-IOV VFs (no adapter sets vfs)`;
    const i = this.next.get(host.name) ?? 0;
    if (i >= total) return `${host.name} has no free SR-IOV VF: all ${total} (vfs × ports) are taken`;
    let k = i;
    let slot: { adapter: string; port: string; vf: number } | undefined;
    for (const a of host.adapters) {
      const n = a.vfs * a.ports.length;
      if (k < n) {
        slot = { adapter: a.name, port: a.ports[k % a.ports.length]!, vf: Math.floor(k / a.ports.length) + 1 };
        break;
      }
      k -= n;
    }
    this.next.set(host.name, i + 1);
    const via: Via = { kind: "vf", ...slot! };
    this.given.set(key, via);
    return via;
  }
}

function resolveVia(spec: WorkloadSpec, host: Server, vm: string | null, vfs: VfPool): Via | string {
  const isPort = (p: string) => host.ports.some((q) => q.name === p);
  const vifOf = (name: string) => {
    for (const a of host.adapters) {
      const v = a.vifs.find((x) => x.name === name);
      if (v !== undefined) return { vif: v.name, adapter: a.name, port: v.port };
    }
    return undefined;
  };
  if (typeof spec.via !== "string") {
    if (new Set(spec.via).size !== spec.via.length) return "a team lists a member twice";
    // A team of vifs: vNICs teamed by the host, or vHBAs under multipathing.
    if (spec.via.every((v) => !isPort(v) && vifOf(v) !== undefined))
      return { kind: "vifs", vifs: spec.via.map((v) => vifOf(v)!) };
    const bad = spec.via.filter((p) => !isPort(p));
    if (bad.length > 0)
      return bad.length < spec.via.length || bad.some((v) => vifOf(v) === undefined)
        ? `a team takes ports or vifs (not both); ${host.name} has no port ${bad.join(", ")}`
        : `a team takes ports or vifs (not both)`;
    return { kind: "ports", ports: spec.via };
  }
  if (spec.via === "vf") return vfs.take(host, vm);
  if (isPort(spec.via)) return { kind: "ports", ports: [spec.via] };
  for (const a of host.adapters) {
    const v = a.vifs.find((x) => x.name === spec.via);
    if (v !== undefined) return { kind: "vif", vif: v.name, adapter: a.name, port: v.port };
  }
  const vifs = host.adapters.flatMap((a) => a.vifs.map((v) => v.name));
  return (
    `${host.name} has no port or vif named ${spec.via}; its ports are ${describePorts(host.ports)}` +
    (vifs.length > 0 ? `; its vifs are ${nameList(vifs, 6)}` : "")
  );
}

/** The fields that depend on the pattern. */
function patternFields(spec: WorkloadSpec, at: PathSegment[], issues: Issues) {
  switch (spec.pattern) {
    case "poisson":
      return { pattern: "poisson", rateBps: parseRate(spec.rate) } as const;
    case "onoff":
      return {
        pattern: "onoff",
        rateBps: parseRate(spec.rate),
        burst: {
          on: toDist(spec.burst.on, parseTime, [...at, "burst", "on"], issues),
          off: toDist(spec.burst.off, parseTime, [...at, "burst", "off"], issues),
        },
      } as const;
    case "bulk":
      return { pattern: "bulk", outstanding: spec.outstanding } as const;
    case "iops":
      return { pattern: "iops", iops: spec.iops } as const;
  }
}

/** What a workload the schema refused resolves to: no instances, a name no file can give. */
const SKIPPED_WORKLOAD: ResolvedWorkload = {
  name: "\u0000skipped",
  unit: "message",
  read: null,
  size: { kind: "constant", value: 1 },
  instances: [],
  transport: null,
  priority: null,
  sl: null,
  pattern: "bulk",
  outstanding: 1,
};

export function resolveWorkloads(specs: readonly WorkloadSpec[], nodes: NodeTable, issues: Issues): ResolvedWorkload[] {
  const vfs = new VfPool();
  const names = new Set<string>();
  return specs.flatMap((spec, i): ResolvedWorkload[] => {
    // Refused by the schema: a stand-in keeps the list aligned with the file's (the qos pass pairs them by index).
    if (issues.skipped.workloads.has(i)) return [SKIPPED_WORKLOAD];
    const at: PathSegment[] = ["workloads", i];
    if (names.has(spec.name)) issues.add([...at, "name"], `duplicate workload name ${spec.name}`);
    names.add(spec.name);
    const unit = spec.unit ?? (spec.pattern === "iops" ? "io" : "message");
    if (unit === "io" && spec.read === undefined)
      issues.add([...at, "read"], "io workloads need a read share, e.g. read: 0.7");
    if (unit === "message" && spec.read !== undefined) issues.add([...at, "read"], "read applies to unit: io only");
    const size = toDist(spec.size, parseSize, [...at, "size"], issues);
    const pattern = patternFields(spec, at, issues);
    const named = target(spec, at, nodes, issues);
    const to = named === undefined ? undefined : withLanes(named, size, pattern);
    if (to !== undefined && (unit === "io") !== (to.kind === "storage-array")) {
      issues.add(
        [...at, "to"],
        unit === "io" ? `io workloads go to a storage-array, not ${to.kind}` : "storage-array targets take unit: io",
      );
    }
    const instances: WorkloadInstance[] = [];
    for (const { host, vm } of placements(spec, at, nodes, issues)) {
      const via = resolveVia(spec, host, vm, vfs);
      if (typeof via === "string") {
        issues.add([...at, "via"], via);
        continue;
      }
      if (to === undefined) continue;
      const own = to.kind === "servers" ? { ...to, nodes: to.nodes.filter((n) => n !== host.name) } : to;
      if (own.nodes.length === 0) {
        issues.add([...at, "to"], `${host.name} would send only to itself`);
        continue;
      }
      instances.push({ workload: spec.name, host: host.name, vm, via, to: own });
    }
    return [
      {
        name: spec.name,
        unit,
        read: unit === "io" ? (spec.read ?? 1) : null,
        size,
        instances,
        // Set by the qos pass (resolve-qos.ts).
        transport: null,
        priority: null,
        sl: null,
        ...pattern,
      },
    ];
  });
}
