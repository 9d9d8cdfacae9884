/**
 * The cross-reference pass: from the validated file (node keys expanded, units
 * still strings) to an immutable ResolvedTopology, or the list of problems.
 * Nodes first (each on its own), then references between nodes (shared-adapter
 * hosts, vif pins), links, workloads, SLAs and faults.
 */

import { formatTime, parseRate, parseTime } from "../../sim/units.js";
import { boundProblem } from "./bounds.js";
import type { RawIssue } from "./expand.js";
import { expandReference } from "./ranges.js";
import { findEndpoint, type NodeTable, resolveLinks } from "./resolve-links.js";
import { article, type DraftNode, Issues, resolveNode, type Skipped } from "./resolve-nodes.js";
import { resolveQos } from "./resolve-qos.js";
import { nameList, resolveWorkloads } from "./resolve-workloads.js";
import type { FaultSpec, NodeSpec, PrecisionSpec, SlaSpec, TopologyFile } from "./schema.js";
import type {
  Experiment,
  FaultTarget,
  Precision,
  ResolvedFault,
  ResolvedTopology,
  SharedAdapterNode,
  SlaRow,
} from "./types.js";

export type ResolveResult =
  | { readonly ok: true; readonly topology: ResolvedTopology }
  | { readonly ok: false; readonly issues: readonly RawIssue[] };

/**
 * Resolves a validated file. Issue paths use expanded names. `skipped` names
 * what the schema refused (the file was pruned of it): references to those
 * parts are not reported again.
 */
export function resolveTopology(
  file: TopologyFile,
  options: { freeze?: boolean; skipped?: Skipped } = {},
): ResolveResult {
  const issues = new Issues(options.skipped);
  const nodes = new Map<string, DraftNode>();
  for (const [name, spec] of Object.entries(file.topology.nodes)) nodes.set(name, resolveNode(name, spec, issues));
  for (const [name, spec] of Object.entries(file.topology.nodes)) resolveReferences(name, spec, nodes, issues);
  const links = resolveLinks(file.topology.links, nodes, issues);
  checkMultiRoot(nodes, issues);
  const { qos, transport, workloads } = resolveQos(
    file,
    nodes,
    resolveWorkloads(file.workloads, nodes, issues),
    issues,
  );
  const experiment = resolveExperiment(file.experiment, issues);
  const named = new Set(workloads.map((w) => w.name));
  const firstRow = new Map<string, number>();
  const sla = file.sla.flatMap((row, i) =>
    issues.skipped.sla.has(i) ? [] : [resolveSla(row, i, named, firstRow, issues)],
  );
  const most = Math.max(nodes.size, portCount(nodes));
  const faults = file.faults.flatMap((f, i) =>
    issues.skipped.faults.has(i) ? [] : resolveFault(f, i, nodes, experiment, most, issues),
  );
  if (issues.list.length > 0) return { ok: false, issues: issues.list };
  const topology: ResolvedTopology = {
    name: file.name,
    design: file.design,
    description: file.description ?? null,
    experiment,
    precision: resolvePrecision(file.precision, Math.max(3, experiment.replications), issues),
    nodes: [...nodes.values()],
    links,
    workloads,
    sla,
    survive: file.survive ?? null,
    redundancy: file.redundancy ?? null,
    failover: Object.fromEntries(
      Object.entries(file.failover ?? {})
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, v === "off" ? null : parseTime(v!)]),
    ),
    faults: faults.sort((a, b) => a.atTicks - b.atTicks),
    failures: file.failures.map((f) => ({ kind: f.kind, mtbfTicks: parseTime(f.mtbf), mttrTicks: parseTime(f.mttr) })),
    qos,
    transport,
  };
  // Frozen for callers that hand it around; the planner's thousands of generated candidates skip it (a tenth of their cost).
  return { ok: true, topology: options.freeze === false ? topology : deepFreeze(topology) };
}

/**
 * Sharing one adapter among several hosts needs an MR-aware PCIe switch in front
 * of it (one virtual hierarchy per host); behind a plain switch a device belongs
 * to one root complex.
 */
function checkMultiRoot(nodes: NodeTable, issues: Issues): void {
  for (const n of nodes.values()) {
    if (n.kind !== "shared-adapter" || n.hosts.length < 2) continue;
    const peer = n.ports.find((p) => p.name === "bus")?.peer;
    const sw = peer === null || peer === undefined ? undefined : nodes.get(peer.node);
    if (sw?.kind === "pcie-switch" && !sw.mrAware) {
      issues.add(
        ["topology", "nodes", n.name, "hosts"],
        `${n.name} serves ${n.hosts.length} hosts through ${sw.name}, which is not MR-aware (mrAware: false): ` +
          "behind a plain PCIe switch an adapter belongs to one host",
      );
    }
  }
}

/** References from one node to others: a shared adapter's hosts, vif pins. */
function resolveReferences(name: string, spec: NodeSpec, nodes: NodeTable, issues: Issues): void {
  const at = ["topology", "nodes", name];
  if (spec.kind === "server") {
    const server = nodes.get(name);
    if (server?.kind !== "server") return;
    spec.adapters.forEach((a, i) => {
      (a.vifs ?? []).forEach((v, j) => {
        if (v.pin === undefined) return;
        const found = findEndpoint(v.pin, nodes);
        if (!found.ok && !issues.skippedNode(v.pin.slice(0, v.pin.indexOf(":"))))
          issues.add([...at, "adapters", i, "vifs", j, "pin"], found.message);
        const vif = server.adapters[i]?.vifs[j];
        if (found.ok && vif !== undefined) {
          (vif as { pin: unknown }).pin = { node: found.node.name, port: found.port.name };
        }
      });
    });
    return;
  }
  if (spec.kind !== "shared-adapter") return;
  const node = nodes.get(name) as (SharedAdapterNode & DraftNode) | undefined;
  if (node === undefined) return;
  const expand = (texts: readonly string[], where: (k: number) => (string | number)[]) =>
    texts.flatMap((t, k) => {
      const r = expandReference(t, nodes.size);
      if (!r.ok) issues.add(where(k), r.message);
      return r.ok ? [...r.value] : [];
    });
  const hostTexts = typeof spec.hosts === "string" ? [spec.hosts] : spec.hosts;
  const hosts = expand(hostTexts, (k) => (typeof spec.hosts === "string" ? [...at, "hosts"] : [...at, "hosts", k]));
  const seen = new Set<string>();
  for (const h of hosts) {
    const host = nodes.get(h);
    if (host === undefined && issues.skippedNode(h)) continue;
    if (host === undefined) issues.add([...at, "hosts"], `no node named ${h}`);
    else if (host.kind !== "server")
      issues.add([...at, "hosts"], `${h} is ${article(host.kind)} ${host.kind}, not a server`);
    if (seen.has(h)) issues.add([...at, "hosts"], `${h} is listed twice`);
    seen.add(h);
  }
  const perHost = <T>(record: Readonly<Record<string, T>> | undefined, field: string): Record<string, T> => {
    const out: Record<string, T> = {};
    for (const [key, value] of Object.entries(record ?? {})) {
      for (const h of expand([key], () => [...at, field, key])) {
        if (!seen.has(h)) issues.add([...at, field, key], `${h} is not one of this adapter's hosts`);
        out[h] = value;
      }
    }
    return out;
  };
  if (spec.weights !== undefined && spec.arbitration !== "weighted") {
    issues.add([...at, "weights"], "weights need arbitration: weighted");
  }
  const weights = perHost(spec.weights, "weights");
  const limits = perHost(spec.limit, "limit");
  Object.assign(node, {
    hosts,
    weights: Object.fromEntries(hosts.map((h) => [h, weights[h] ?? 1])),
    limitBps: Object.fromEntries(Object.entries(limits).map(([h, r]) => [h, parseRate(r)])),
  });
}

/**
 * `duration` is the measurement window after warm-up: a run lasts warmup +
 * duration, and the two together must stay within the clock's bound.
 */
function resolveExperiment(e: TopologyFile["experiment"], issues: Issues): Experiment {
  const durationTicks = parseTime(e.duration);
  const warmupTicks = parseTime(e.warmup);
  const problem = boundProblem(
    "run",
    warmupTicks + durationTicks,
    `warmup + duration (${formatTime(warmupTicks + durationTicks)})`,
  );
  if (problem !== undefined) issues.add(["experiment", "duration"], problem);
  return { durationTicks, warmupTicks, replications: e.replications, seed: e.seed };
}

/**
 * `precision` with its defaults: relative 0.1, a first round of `defaultMinReplications`
 * (a topology: max(3, experiment.replications); the planner: its replications), at most 10
 * replications (or the minimum), 1 s of simulated time. Also used for studies.
 */
export function resolvePrecision(
  p: PrecisionSpec,
  defaultMinReplications: number,
  issues: Issues | null,
): Precision | null {
  if (p === "off") return null;
  const minReplications = p?.minReplications ?? defaultMinReplications;
  const maxReplications = p?.maxReplications ?? Math.max(10, minReplications);
  if (maxReplications < minReplications) {
    issues?.add(
      ["precision", "maxReplications"],
      `maxReplications ${maxReplications} must be at least minReplications ${minReplications}`,
    );
  }
  return {
    relative: p?.relative ?? 0.1,
    minReplications,
    maxReplications,
    maxSeconds: p?.maxTime === undefined ? 1 : parseTime(p.maxTime) / 1e12,
  };
}

/** `named`: the workloads' names; `firstRow`: the first row of each (workload, metric), filled in as rows go. */
function resolveSla(
  row: SlaSpec,
  i: number,
  named: ReadonlySet<string>,
  firstRow: Map<string, number>,
  issues: Issues,
): SlaRow {
  if (!named.has(row.workload) && !issues.skipped.workloadNames.has(row.workload)) {
    // The first nine names are enough for the message (nameList shows eight and a count).
    const names: string[] = [];
    for (const n of named) if (names.push(n) > 8) break;
    const list = names.length > 8 ? `${names.slice(0, 8).join(", ")} and ${named.size - 8} more` : nameList(names, 8);
    issues.add(
      ["sla", i, "workload"],
      `no workload named ${row.workload}${names.length > 0 ? `; workloads are ${list}` : ""}`,
    );
  }
  const key = `${row.workload}\u0000${row.metric}`;
  const first = firstRow.get(key);
  if (first !== undefined)
    issues.add(["sla", i, "metric"], `${row.workload} ${row.metric} already has a target in sla[${first}]`);
  else firstRow.set(key, i);
  switch (row.metric) {
    case "latency.p99":
    case "latency.mean":
      return { workload: row.workload, metric: row.metric, target: parseTime(row.target), bound: "at-most" };
    case "lossRatio":
      return { workload: row.workload, metric: row.metric, target: row.target, bound: "at-most" };
    case "deliveredBps":
      return { workload: row.workload, metric: row.metric, target: parseRate(row.target), bound: "at-least" };
  }
}

/** `most`: the most names a target may expand to (a node or one part of each: no more than the ports). */
function resolveFault(
  f: FaultSpec,
  i: number,
  nodes: NodeTable,
  e: Experiment,
  most: number,
  issues: Issues,
): ResolvedFault[] {
  const at = ["faults", i];
  const atTicks = parseTime(f.at);
  const end = e.warmupTicks + e.durationTicks;
  if (atTicks >= end) {
    issues.add(
      [...at, "at"],
      `${f.at} is not before the end of the run (warmup ${formatTime(e.warmupTicks)} + duration ${formatTime(e.durationTicks)} = ${formatTime(end)})`,
    );
  }
  const names = expandReference(f.target, most, "targets");
  if (!names.ok) {
    issues.add([...at, "target"], names.message);
    return [];
  }
  return names.value.flatMap((text): ResolvedFault[] => {
    const colon = text.indexOf(":");
    const nodeName = colon < 0 ? text : text.slice(0, colon);
    const part = colon < 0 ? null : text.slice(colon + 1);
    const node = nodes.get(nodeName);
    if (node === undefined) {
      if (!issues.skippedNode(nodeName)) issues.add([...at, "target"], `no node named ${nodeName}`);
      return [];
    }
    let target: FaultTarget | undefined;
    if (part === null) target = { kind: "node", node: nodeName };
    else if (node.ports.some((p) => p.name === part)) target = { kind: "port", node: nodeName, port: part };
    else if (node.kind === "server" && node.adapters.some((a) => a.name === part)) {
      target = { kind: "adapter", node: nodeName, adapter: part };
    } else if (
      (node.kind === "io-director" || node.kind === "fabric-interconnect") &&
      node.modules.some((m) => m.name === part)
    ) {
      target = { kind: "module", node: nodeName, module: part };
    }
    if (target === undefined) {
      issues.add([...at, "target"], `${nodeName} has no port, adapter or module named ${part}`);
      return [];
    }
    return [{ atTicks, action: f.action, target }];
  });
}

function portCount(nodes: NodeTable): number {
  let n = 0;
  for (const node of nodes.values()) n += node.ports.length;
  return n;
}

/** Freezes a plain value and everything it holds (what a resolved topology or a remembered parse shares). */
export function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
