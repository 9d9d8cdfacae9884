/**
 * How big a file is before anything is built: nodes, ports, VMs, links and
 * workload instances after range expansion, counted from the parsed text
 * without expanding a single name, and the simulated events a run will cost
 * (estimated later, from the resolved topology: `semantic.ts`). A file past a
 * limit is refused with a message naming the override, so a typo like
 * `host[1..1000000]` costs a line of output, not the machine's memory.
 * Browser-safe.
 */

import { BOUNDS, type BoundName } from "./bounds.js";
import { isRecord, type PathSegment, type RawIssue } from "./expand.js";
import { countNames } from "./ranges.js";

export interface SizeLimits {
  /** Nodes after range expansion. */
  readonly nodes: number;
  /** Ports of every node, adapter and module. */
  readonly ports: number;
  /** Scheduler queues of SR-IOV VFs (one per VF per adapter port; each costs the model a queue). */
  readonly queues: number;
  /** VMs of every server. */
  readonly vms: number;
  /** Links after endpoint expansion. */
  readonly links: number;
  /** Workload instances (one per server or VM a workload runs on). */
  readonly instances: number;
  /** Simulated events of a whole run (every replication), as estimated from the offered load. */
  readonly events: number;
  /**
   * Messages a run would hold at once: what bulk workloads keep in flight, and what hosts and
   * arrays queue when more is offered than they can send or serve (estimated from the load).
   */
  readonly queued: number;
  /**
   * Servers of a site a study asks for (its `servers`, its `sizes`, `plan --sizes`, `sweep --sizes`): the
   * default is the largest site the engine is measured at (docs/scaling.md: packet and flow level at 4,096 hosts).
   */
  readonly servers: number;
  /** What the user does to raise the limits, for messages ("--allow-large"). */
  readonly override: string;
}

/**
 * Default limits: about 30 times the reference racks' size (32 servers, 50 nodes, ~700 ports,
 * ~200 instances) and a run of at most 5·10^8 events (10–15 minutes at the fabric model's
 * 0.5–1 M events/s on a 2-core machine, `npm run bench`).
 */
export const DEFAULT_LIMITS: SizeLimits = {
  nodes: 10_000,
  ports: 200_000,
  queues: 400_000,
  vms: 200_000,
  links: 100_000,
  instances: 100_000,
  events: 5e8,
  queued: 200_000,
  servers: 4096,
  override: "--allow-large",
};

/** With the override: what memory allows (a hundredfold), and no limit on a run's events (the run's own budget applies). */
export const LARGE_LIMITS: SizeLimits = {
  nodes: 1_000_000,
  ports: 20_000_000,
  queues: 40_000_000,
  vms: 20_000_000,
  links: 10_000_000,
  instances: 10_000_000,
  events: Number.POSITIVE_INFINITY,
  queued: 20_000_000,
  servers: 409_600,
  override: "--allow-large",
};

/** The limits in force: `LARGE_LIMITS` with `--allow-large`, else `DEFAULT_LIMITS`. */
export function limitsFor(allowLarge: boolean | undefined): SizeLimits {
  return allowLarge === true ? LARGE_LIMITS : DEFAULT_LIMITS;
}

/** A raw issue that is a size limit, not a mistake (the CLI exits 4 for these). */
export interface BudgetIssue extends RawIssue {
  readonly budget: true;
}

/**
 * A whole number from the raw file, or 0 when it is anything else or beyond its
 * bound: the schema reports those, with a better message than a size limit.
 */
function whole(value: unknown, bound: BoundName): number {
  return typeof value === "number" && Number.isSafeInteger(value) && value > 0 && value <= BOUNDS[bound].max
    ? value
    : 0;
}

function names(text: unknown): number {
  return typeof text === "string" ? (countNames(text) ?? 1) : 1;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

/** SR-IOV VF queues of one node of this raw body: vfs × ports of each adapter. */
function queuesOf(body: Record<string, unknown>): number {
  let n = 0;
  if (Array.isArray(body.adapters))
    for (const a of body.adapters) if (isRecord(a)) n += whole(a.vfs, "vfs") * whole(a.ports, "adapterPorts");
  return n;
}

/** Ports one node of this raw body has: port groups, adapter ports, module ports. */
function portsOf(body: Record<string, unknown>): number {
  let n = 0;
  if (isRecord(body.ports)) for (const v of Object.values(body.ports)) n += whole(v, "portGroup");
  if (Array.isArray(body.adapters)) for (const a of body.adapters) if (isRecord(a)) n += whole(a.ports, "adapterPorts");
  if (Array.isArray(body.modules)) for (const m of body.modules) if (isRecord(m)) n += whole(m.ports, "modulePorts");
  return n;
}

interface Tally {
  total: number;
  /** The biggest contributor: where the issue points. */
  worst: { path: PathSegment[]; amount: number; label: string } | null;
}

function add(t: Tally, amount: number, path: PathSegment[], label: string): void {
  t.total += amount;
  if (t.worst === null || amount > t.worst.amount) t.worst = { path, amount, label };
}

const fmt = (n: number) => n.toLocaleString("en-US");

/**
 * Counts what the raw file (parsed YAML, before the schema) describes and
 * returns one issue per limit it passes, at its biggest contributor.
 */
export function sizeProblems(raw: unknown, limits: SizeLimits): BudgetIssue[] {
  if (!isRecord(raw)) return [];
  const nodes: Tally = { total: 0, worst: null };
  const ports: Tally = { total: 0, worst: null };
  const queues: Tally = { total: 0, worst: null };
  const vms: Tally = { total: 0, worst: null };
  const links: Tally = { total: 0, worst: null };
  const instances: Tally = { total: 0, worst: null };
  const topology = isRecord(raw.topology) ? raw.topology : {};
  if (isRecord(topology.nodes)) {
    for (const [key, body] of Object.entries(topology.nodes)) {
      const count = names(key);
      const path = ["topology", "nodes", key];
      add(nodes, count, path, key);
      if (!isRecord(body)) continue;
      add(ports, count * portsOf(body), path, key);
      add(queues, count * queuesOf(body), path, key);
      add(vms, count * whole(body.vms, "vms"), [...path, "vms"], key);
    }
  }
  if (Array.isArray(topology.links)) {
    topology.links.forEach((l, i) => {
      if (!isRecord(l) || !Array.isArray(l.endpoints)) return;
      const n = l.endpoints.reduce((m: number, e) => Math.max(m, names(e)), 1);
      add(links, n, ["topology", "links", i, "endpoints"], `topology.links[${i}]`);
    });
  }
  if (Array.isArray(raw.workloads)) {
    raw.workloads.forEach((w, i) => {
      if (!isRecord(w)) return;
      list(w.on).forEach((on, k) => {
        if (typeof on !== "string") return;
        const slash = on.indexOf("/");
        const n = slash < 0 ? names(on) : names(on.slice(0, slash)) * names(on.slice(slash + 1));
        const path: PathSegment[] = Array.isArray(w.on) ? ["workloads", i, "on", k] : ["workloads", i, "on"];
        add(instances, n, path, typeof w.name === "string" ? w.name : `workloads[${i}]`);
      });
    });
  }
  const out: BudgetIssue[] = [];
  const check = (t: Tally, limit: number, noun: string) => {
    if (t.total <= limit || t.worst === null) return;
    const part = t.worst.amount === t.total || t.worst.amount < 2 ? "" : ` (${t.worst.label}: ${fmt(t.worst.amount)})`;
    out.push({
      path: t.worst.path,
      budget: true,
      message: `the file describes ${fmt(t.total)} ${noun}${part}, more than the limit of ${fmt(limit)}; raise the limits with ${limits.override}`,
    });
  };
  check(nodes, limits.nodes, "nodes");
  check(ports, limits.ports, "ports");
  check(queues, limits.queues, "SR-IOV VF queues (vfs × adapter ports)");
  check(vms, limits.vms, "VMs");
  check(links, limits.links, "links");
  check(instances, limits.instances, "workload instances");
  return out;
}
