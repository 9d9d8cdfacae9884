/**
 * The `qos` and `transport` blocks, resolved: traffic classes with their priorities,
 * no-drop flags, scheduling and buffers; QoS policies as priorities; InfiniBand SL→VL
 * mapping and VL arbitration; each workload's transport and marking. Defaults make the
 * designs' files do what the real systems do (docs/qos.md):
 * - design ucs: the UCS QoS system classes with Cisco's defaults (best-effort and fc
 *   enabled, weight 5 each); vHBA (FCoE) traffic in fc (CoS 3, no drop), the rest in
 *   best-effort;
 * - design director: two data VLs, storage (vHBA, I/O) on SL 1 → VL 1 and the rest on
 *   SL 0 → VL 0, OpenSM's default arbitration (VL 0 in the high-priority table, weight 4,
 *   LimitOfHighPriority 0; VL 1 in the low-priority table, weight 4);
 * - otherwise no classes: links behave as before (`lossless: true` is PFC on the whole link).
 */

import { parseSize, parseTime } from "../../sim/units.js";
import type { NodeTable } from "./resolve-links.js";
import type { Issues } from "./resolve-nodes.js";
import type { TopologyFile } from "./schema.js";
import { type QosSpec, type TransportSpec, UCS_CLASSES } from "./schema-qos.js";
import type {
  Design,
  ResolvedInfiniband,
  ResolvedQos,
  ResolvedTrafficClass,
  ResolvedTransport,
  ResolvedWorkload,
  TransportKind,
} from "./types.js";

/** Linux's TCP_RTO_MIN (HZ/5). */
const RTO_MIN = "200ms";
/** RFC 6928. */
const INITIAL_WINDOW = 10;
/** The priority DCBX's application TLV advertises for FCoE (and UCS's fc class uses). */
const FCOE_PRIORITY = 3;

/**
 * Cisco UCS QoS system classes as UCS Manager sets them up (docs/qos.md has the table and
 * its sources): enabled, CoS, weight (1–10), packet drop. Best effort takes every CoS no
 * other enabled class has ("any").
 */
const UCS_DEFAULTS: Record<
  (typeof UCS_CLASSES)[number],
  { enabled: boolean; cos: number | null; weight: number; drop: boolean }
> = {
  platinum: { enabled: false, cos: 5, weight: 10, drop: false },
  gold: { enabled: false, cos: 4, weight: 9, drop: true },
  silver: { enabled: false, cos: 2, weight: 8, drop: true },
  bronze: { enabled: false, cos: 1, weight: 7, drop: true },
  "best-effort": { enabled: true, cos: null, weight: 5, drop: true },
  fc: { enabled: true, cos: 3, weight: 5, drop: false },
};

interface Resolved {
  readonly qos: ResolvedQos;
  readonly transport: ResolvedTransport;
  readonly workloads: ResolvedWorkload[];
}

export function resolveQos(
  file: TopologyFile,
  nodes: NodeTable,
  workloads: readonly ResolvedWorkload[],
  issues: Issues,
): Resolved {
  const spec = file.qos;
  const system = spec?.system ?? (file.design === "ucs" ? "ucs" : spec?.classes === undefined ? "none" : "dcb");
  let classes: ResolvedTrafficClass[] = [];
  if (system === "ucs") classes = ucsClasses(spec, issues);
  else if (system === "dcb") classes = dcbClasses(spec, issues);
  else if (spec?.classes !== undefined) issues.add(["qos", "classes"], "classes need system: ucs or dcb");
  const byName = new Map(classes.map((c) => [c.name, c.priorities[0]!]));
  const policies: Record<string, number> = {};
  for (const [name, p] of Object.entries(spec?.policies ?? {})) {
    const prio = byName.get(p.priority);
    if (prio === undefined) issues.add(["qos", "policies", name, "priority"], noClass(p.priority, classes));
    else policies[name] = prio;
  }
  const fcoe = system === "ucs" ? (byName.get("fc") ?? FCOE_PRIORITY) : (spec?.fcoe ?? FCOE_PRIORITY);
  if (system === "ucs" && spec?.fcoe !== undefined) issues.add(["qos", "fcoe"], "on UCS, FCoE uses the fc class's CoS");
  const qos: ResolvedQos = {
    system: system === "none" ? null : system,
    classes,
    fcoePriority: fcoe,
    policies,
    infiniband: infinibandQos(spec, file.design, issues),
  };
  /** A class or policy name, or a CoS, as a priority; undefined (with an issue) when unknown. */
  const priorityOf = (value: string | number, at: (string | number)[]): number | null => {
    if (qos.system === null) {
      issues.add(at, "a class of service needs qos classes (qos.system: ucs or dcb)");
      return null;
    }
    if (typeof value === "number") return value;
    const p = policies[value] ?? byName.get(value);
    if (p === undefined) issues.add(at, noClass(value, classes, Object.keys(policies)));
    return p ?? null;
  };
  markVifs(file, nodes, priorityOf);
  for (const name of Object.keys(spec?.workloads ?? {})) {
    if (!workloads.some((w) => w.name === name)) issues.add(["qos", "workloads", name], `no workload named ${name}`);
  }
  const transport = resolveTransport(file.transport, issues);
  const resolved = workloads.map((w, i): ResolvedWorkload => {
    const ws = file.workloads[i]!;
    const at = ["workloads", i];
    let kind: TransportKind | null = null;
    if (w.unit === "io") {
      if (ws.transport !== undefined)
        issues.add(
          [...at, "transport"],
          "storage I/O has no transport choice (its protocol is the link's: FC, FCoE, SRP)",
        );
    } else if (w.pattern === "bulk") {
      kind = ws.transport ?? transport.bulk;
      if (kind === "udp") issues.add([...at, "transport"], "a bulk flow needs a window: tcp or dctcp");
    } else kind = ws.transport ?? transport.messages;
    const marked = spec?.workloads?.[w.name];
    if (marked !== undefined && ws.priority !== undefined) {
      issues.add(["qos", "workloads", w.name], `${w.name} gives its own priority; mark it in one place`);
    }
    const given = ws.priority ?? marked;
    const where = ws.priority === undefined ? ["qos", "workloads", w.name] : [...at, "priority"];
    const priority = given === undefined ? null : priorityOf(given, where);
    return { ...w, transport: kind, priority, sl: ws.sl ?? null };
  });
  return { qos, transport, workloads: resolved };
}

function noClass(name: string, classes: readonly ResolvedTrafficClass[], policies: readonly string[] = []): string {
  const known = [...classes.map((c) => c.name), ...policies];
  return `no class${policies.length > 0 ? " or QoS policy" : ""} named ${name}; known: ${known.join(", ") || "none"}`;
}

function ucsClasses(spec: QosSpec | undefined, issues: Issues): ResolvedTrafficClass[] {
  const given = spec?.classes ?? {};
  for (const name of Object.keys(given)) {
    if (!(UCS_CLASSES as readonly string[]).includes(name)) {
      issues.add(["qos", "classes", name], `UCS system classes are ${UCS_CLASSES.join(", ")}; no ${name}`);
    }
  }
  const out: Array<ResolvedTrafficClass & { cos: number | null }> = [];
  for (const name of UCS_CLASSES) {
    const d = UCS_DEFAULTS[name];
    const g = given[name] ?? {};
    const at = ["qos", "classes", name];
    if (g.bandwidth !== undefined || g.strict !== undefined)
      issues.add(at, "UCS classes share by weight (1 … 10), not bandwidth or strict");
    const fixed = name === "best-effort" || name === "fc";
    if (fixed && g.enabled === false) issues.add([...at, "enabled"], `UCS's ${name} class cannot be disabled`);
    if (fixed && g.drop !== undefined && g.drop !== d.drop)
      issues.add([...at, "drop"], `UCS's ${name} class is always ${d.drop ? "drop" : "no-drop"}`);
    if (name === "best-effort" && g.cos !== undefined)
      issues.add([...at, "cos"], "best-effort takes every CoS the others leave (any)");
    if (Array.isArray(g.cos)) issues.add([...at, "cos"], "a UCS class has one CoS");
    const cosValue = typeof g.cos === "number" ? g.cos : d.cos;
    if (cosValue === 7) issues.add([...at, "cos"], "CoS 7 is reserved for UCS's internal traffic");
    if (!(fixed || (g.enabled ?? d.enabled))) continue;
    out.push({
      name,
      cos: cosValue,
      priorities: [],
      noDrop: !(g.drop ?? d.drop),
      tier: 0,
      weight: g.weight ?? d.weight,
      bufferBytes: g.buffer === undefined ? null : parseSize(g.buffer),
      ecnThresholdBytes: g.ecn === undefined ? null : parseSize(g.ecn),
    });
  }
  const taken = new Map<number, string>();
  for (const c of out) {
    if (c.cos === null) continue;
    const other = taken.get(c.cos);
    if (other !== undefined) issues.add(["qos", "classes", c.name, "cos"], `CoS ${c.cos} is already ${other}'s`);
    taken.set(c.cos, c.name);
  }
  return out.map(({ cos, ...c }) => ({
    ...c,
    priorities: cos === null ? [0, 1, 2, 3, 4, 5, 6, 7].filter((p) => !taken.has(p)) : [cos],
  }));
}

function dcbClasses(spec: QosSpec | undefined, issues: Issues): ResolvedTrafficClass[] {
  const given = Object.entries(spec?.classes ?? {});
  if (given.length === 0) {
    issues.add(
      ["qos", "classes"],
      "dcb needs classes, e.g. { fcoe: { cos: 3, drop: false, bandwidth: 50 }, lan: { cos: 0, bandwidth: 50 } }",
    );
    return [];
  }
  const taken = new Map<number, string>();
  const drafts = given.map(([name, g]) => {
    const at = ["qos", "classes", name];
    if (g.enabled !== undefined || g.weight !== undefined)
      issues.add(at, "enabled and weight are UCS words; 802.1Qaz classes take bandwidth or strict");
    if (g.cos === undefined) issues.add([...at, "cos"], "missing cos: the class's priorities");
    const cosList = g.cos === undefined ? [] : typeof g.cos === "number" ? [g.cos] : g.cos;
    for (const p of cosList) {
      const other = taken.get(p);
      if (other !== undefined) issues.add([...at, "cos"], `priority ${p} is already ${other}'s`);
      taken.set(p, name);
    }
    const strict = g.strict === true;
    if (strict && g.bandwidth !== undefined)
      issues.add([...at, "bandwidth"], "a strict-priority class has no bandwidth share");
    if (!strict && g.bandwidth === undefined)
      issues.add([...at, "bandwidth"], "missing bandwidth (ETS percent) or strict: true");
    return { name, g, cosList, strict };
  });
  const ets = drafts.filter((d) => !d.strict);
  const sum = ets.reduce((a, d) => a + (d.g.bandwidth ?? 0), 0);
  if (ets.length > 0 && Math.abs(sum - 100) > 0.5) {
    issues.add(["qos", "classes"], `ETS bandwidth shares add up to ${sum} %, not 100 %`);
  }
  // Priorities no class names join the class of priority 0 (the default priority).
  const home = taken.get(0);
  const free = [0, 1, 2, 3, 4, 5, 6, 7].filter((p) => !taken.has(p));
  if (home === undefined && drafts.every((d) => d.cosList.length > 0)) {
    issues.add(["qos", "classes"], "no class holds priority 0, the priority of unmarked traffic");
  }
  // Strict classes first, the highest priority first; the ETS classes share the last tier.
  const strictOrder = drafts.filter((d) => d.strict).sort((a, b) => Math.max(...b.cosList) - Math.max(...a.cosList));
  const tierOf = new Map(strictOrder.map((d, i) => [d.name, i]));
  const etsTier = strictOrder.length;
  return [...strictOrder, ...ets].map((d) => ({
    name: d.name,
    priorities: [...d.cosList, ...(d.name === home ? free : [])].sort((a, b) => a - b),
    noDrop: d.g.drop === false,
    tier: tierOf.get(d.name) ?? etsTier,
    weight: d.strict ? 1 : (d.g.bandwidth ?? 1),
    bufferBytes: d.g.buffer === undefined ? null : parseSize(d.g.buffer),
    ecnThresholdBytes: d.g.ecn === undefined ? null : parseSize(d.g.ecn),
  }));
}

function infinibandQos(spec: QosSpec | undefined, design: Design, issues: Issues): ResolvedInfiniband | null {
  const ib = spec?.infiniband;
  if (ib === undefined && design !== "director") return null;
  const vls = ib?.vls ?? 2;
  const at = ["qos", "infiniband"];
  const sl2vl = ib?.sl2vl ?? Array.from({ length: 16 }, (_, sl) => sl % vls);
  sl2vl.forEach((vl, sl) => {
    if (vl >= vls)
      issues.add(
        [...at, "sl2vl", sl],
        `SL ${sl} maps to VL ${vl}, but ports have ${vls} data VLs (vl0 … vl${vls - 1})`,
      );
  });
  // OpenSM's defaults (doc/qos-config.txt): VL 0 in the high table, the others in the low one, weight 4, limit 0.
  const table = (
    given: Record<string, number> | undefined,
    fallback: (vl: number) => number,
    key: string,
  ): number[] => {
    const w = Array.from({ length: vls }, (_, vl) => (given === undefined ? fallback(vl) : 0));
    for (const [name, weight] of Object.entries(given ?? {})) {
      const vl = Number(name.slice(2));
      if (vl >= vls) issues.add([...at, key, name], `ports have ${vls} data VLs (vl0 … vl${vls - 1})`);
      else w[vl] = weight;
    }
    return w;
  };
  const high = table(ib?.high, (vl) => (vl === 0 ? 4 : 0), "high");
  const low = table(ib?.low, (vl) => (vl === 0 ? 0 : 4), "low");
  for (let vl = 0; vl < vls; vl++) {
    if (high[vl]! > 0 && low[vl]! > 0)
      issues.add(at, `vl${vl} is in both arbitration tables; give it one (both is not modelled)`);
    if (high[vl] === 0 && low[vl] === 0 && sl2vl.includes(vl)) {
      issues.add(at, `vl${vl} carries an SL but has no weight in either arbitration table: it could never send`);
    }
  }
  const limit = ib?.highLimit ?? 0;
  return {
    vls,
    sl2vl,
    high,
    low,
    highLimitBytes: limit === 255 ? Number.POSITIVE_INFINITY : limit * 4096,
    bufferBytes: ib?.buffer === undefined ? null : parseSize(ib.buffer),
    storageSl: ib?.storage ?? 1,
    lanSl: ib?.lan ?? 0,
  };
}

function resolveTransport(spec: TransportSpec | undefined, issues: Issues): ResolvedTransport {
  const rtoMinTicks = parseTime(spec?.rtoMin ?? RTO_MIN);
  if (rtoMinTicks <= 0) issues.add(["transport", "rtoMin"], "the minimum RTO must be above 0");
  const ecn = spec?.ecn ?? "auto";
  return {
    messages: spec?.messages ?? "udp",
    bulk: spec?.bulk ?? "tcp",
    rtoMinTicks,
    initialWindow: spec?.initialWindow ?? INITIAL_WINDOW,
    ecnThresholdBytes: ecn === "auto" ? "auto" : ecn === "off" ? null : parseSize(ecn),
  };
}

/** Vifs that name a QoS policy or class get its priority. */
function markVifs(
  file: TopologyFile,
  nodes: NodeTable,
  priorityOf: (value: string, at: (string | number)[]) => number | null,
): void {
  for (const [name, spec] of Object.entries(file.topology.nodes)) {
    if (spec.kind !== "server") continue;
    const server = nodes.get(name);
    if (server?.kind !== "server") continue;
    spec.adapters.forEach((a, i) => {
      (a.vifs ?? []).forEach((v, j) => {
        if (v.qos === undefined) return;
        const p = priorityOf(v.qos, ["topology", "nodes", name, "adapters", i, "vifs", j, "qos"]);
        const vif = server.adapters[i]?.vifs[j];
        if (p !== null && vif !== undefined) (vif as { priority?: number }).priority = p;
      });
    });
  }
}
