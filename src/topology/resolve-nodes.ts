/**
 * Nodes: port lists (names per docs/topology-format.md, with the protocol of
 * each port where the file says it), parsed units, defaults, and the checks
 * that stay inside one node (slot, VF and VIF budgets, adapter protocols).
 */

import { formatRate, parseRate, parseSize, parseTime } from "../../sim/units.js";
import { linkProtocol } from "../link/catalog.js";
import type { LinkFamily } from "../link/protocol.js";
import type { PathSegment, RawIssue } from "./expand.js";
import { adapterLatencyTicks, resolveFraming } from "./link-fields.js";
import { expandNames } from "./ranges.js";
import type { AdapterSpec, NodeSpec } from "./schema.js";
import type { Dist, ResolvedAdapter, ResolvedModule, ResolvedNode, ResolvedPort, ResolvedVif } from "./types.js";

/** A port while resolving: peers are filled in by the link pass. */
export type DraftPort = { -readonly [K in keyof ResolvedPort]: ResolvedPort[K] };
export type DraftNode = ResolvedNode & { readonly ports: DraftPort[] };

/**
 * What the schema already refused, so the cross-reference pass can run on the
 * rest in the same pass without echoing it: nodes by name, list items by index.
 */
export interface Skipped {
  readonly nodes: ReadonlySet<string>;
  readonly links: ReadonlySet<number>;
  readonly workloads: ReadonlySet<number>;
  /** Names of the skipped workloads (SLA rows naming them are not checked). */
  readonly workloadNames: ReadonlySet<string>;
  readonly sla: ReadonlySet<number>;
  readonly faults: ReadonlySet<number>;
}

const NOTHING: Skipped = {
  nodes: new Set(),
  links: new Set(),
  workloads: new Set(),
  workloadNames: new Set(),
  sla: new Set(),
  faults: new Set(),
};

/** Collects issues; paths are in expanded names. */
export class Issues {
  readonly list: RawIssue[] = [];
  constructor(readonly skipped: Skipped = NOTHING) {}
  add(path: readonly PathSegment[], message: string): void {
    this.list.push({ path, message });
  }
  /** True when `node` was refused by the schema: references to it are not checked again. */
  skippedNode(node: string): boolean {
    return this.skipped.nodes.has(node);
  }
}

const ALL_FAMILIES: readonly LinkFamily[] = ["ethernet", "fibre-channel", "infiniband", "pcie"];
const NETWORK: readonly LinkFamily[] = ["ethernet", "fibre-channel", "infiniband"];

/** Link families of ports that carry no protocol id, per node kind. */
const KIND_FAMILIES: Readonly<Record<string, readonly LinkFamily[]>> = {
  "ethernet-switch": ["ethernet"],
  "fc-switch": ["fibre-channel"],
  "ib-switch": ["infiniband"],
  "pcie-switch": ["pcie"],
  "io-director": ["infiniband", "ethernet"],
  "fabric-interconnect": ["ethernet", "fibre-channel"],
  "fabric-extender": ["ethernet"],
  "storage-array": NETWORK,
  lan: ["ethernet"],
};

const ADAPTER_FAMILY: Readonly<Record<AdapterSpec["type"], LinkFamily>> = {
  nic: "ethernet",
  hba: "fibre-channel",
  cna: "ethernet",
  vic: "ethernet",
  hca: "infiniband",
  "pcie-extender": "pcie",
};

export const FAMILY_NAMES: Readonly<Record<LinkFamily, string>> = {
  ethernet: "Ethernet",
  "fibre-channel": "Fibre Channel",
  infiniband: "InfiniBand",
  pcie: "PCIe",
};

const FAMILY_PREFIX: Readonly<Record<LinkFamily, string>> = {
  ethernet: "eth-",
  "fibre-channel": "fc-",
  infiniband: "ib-",
  pcie: "pcie-",
};

/** "a" or "an" as the word is read aloud: an eth-10g, an fc-8g, an hba, a nic, a pcie-gen3-x8, a PCIe. */
export function article(word: string): string {
  return /^(?:[eiEI]|fc|h)/.test(word) ? "an" : "a";
}

function port(group: string, index: number, name: string, protocol: string | null, families: readonly LinkFamily[]) {
  const p: DraftPort = { name, group, index, protocol, families, peer: null, link: null };
  return p;
}

function groupPorts(
  groups: Readonly<Record<string, number>>,
  families: readonly LinkFamily[],
  protocol: string | null,
) {
  return Object.entries(groups).flatMap(([g, n]) =>
    Array.from({ length: n }, (_, i) => port(g, i + 1, `${g}${i + 1}`, protocol, families)),
  );
}

function numbered(owner: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => `${owner}/${i + 1}`);
}

/** "nic0/1, nic0/2, eth1 … eth48": each group's first and last port, at most six groups. */
export function describePorts(ports: readonly { readonly name: string; readonly group: string }[]): string {
  if (ports.length === 0) return "none";
  const groups: { group: string; names: string[] }[] = [];
  for (const p of ports) {
    const last = groups.at(-1);
    if (last?.group === p.group) last.names.push(p.name);
    else groups.push({ group: p.group, names: [p.name] });
  }
  const parts = groups.map(({ names }) => (names.length <= 2 ? names.join(", ") : `${names[0]} … ${names.at(-1)}`));
  return parts.length > 6 ? `${parts.slice(0, 6).join(", ")}, … (${ports.length} in all)` : parts.join(", ");
}

/** A size or time distribution with its values parsed. */
export function toDist(
  spec: unknown,
  parse: (text: string) => number,
  path: readonly PathSegment[],
  issues: Issues,
): Dist {
  if (typeof spec === "string") return { kind: "constant", value: parse(spec) };
  const d = spec as {
    exponential?: string;
    lognormal?: { mean: string; cv: number };
    pareto?: { alpha: number; low: string; high: string };
    empirical?: string[];
  };
  if (d.exponential !== undefined) return { kind: "exponential", mean: parse(d.exponential) };
  if (d.lognormal !== undefined) return { kind: "lognormal", mean: parse(d.lognormal.mean), cv: d.lognormal.cv };
  if (d.pareto !== undefined) {
    const low = parse(d.pareto.low);
    const high = parse(d.pareto.high);
    if (!(low > 0 && low < high)) {
      issues.add([...path, "pareto"], `pareto needs 0 < low < high, got low ${d.pareto.low} and high ${d.pareto.high}`);
    }
    return { kind: "pareto", alpha: d.pareto.alpha, low, high };
  }
  return { kind: "empirical", values: (d.empirical ?? []).map(parse) };
}

function checkDuplicates(names: readonly string[], noun: string, path: (i: number) => PathSegment[], issues: Issues) {
  const seen = new Set<string>();
  names.forEach((n, i) => {
    if (seen.has(n)) issues.add(path(i), `duplicate ${noun} name ${n}`);
    seen.add(n);
  });
}

function resolveAdapter(a: AdapterSpec, at: PathSegment[], issues: Issues): ResolvedAdapter {
  const ports = numbered(a.name, a.ports);
  const family = ADAPTER_FAMILY[a.type];
  const link = linkProtocol(a.link);
  if (link.family !== family) {
    issues.add(
      [...at, "link"],
      `${article(a.type)} ${a.type}'s ports are ${FAMILY_NAMES[family]}: expected ${FAMILY_PREFIX[family]}…, got ${a.link}`,
    );
  }
  if (a.vfs !== undefined && a.maxVfs !== undefined && a.vfs > a.maxVfs) {
    issues.add([...at, "vfs"], `vfs ${a.vfs} is more than maxVfs ${a.maxVfs} (VFs per port)`);
  }
  const specs = a.vifs ?? [];
  if (a.maxVifs !== undefined && specs.length > a.maxVifs) {
    issues.add([...at, "vifs"], `${specs.length} vifs are more than maxVifs ${a.maxVifs}`);
  }
  const committed = new Map<string, number>();
  const vifs = specs.map((v, j): ResolvedVif => {
    const vat = [...at, "vifs", j];
    if (!ports.includes(v.port)) {
      issues.add([...vat, "port"], `${v.port} is not a port of ${a.name}; its ports are ${ports.join(", ")}`);
    }
    const committedBps = v.committed === undefined ? null : parseRate(v.committed);
    const peakBps = v.peak === undefined ? null : parseRate(v.peak);
    if (committedBps !== null && peakBps !== null && committedBps > peakBps) {
      issues.add([...vat, "committed"], `committed ${v.committed} is more than peak ${v.peak}`);
    }
    if (committedBps !== null) committed.set(v.port, (committed.get(v.port) ?? 0) + committedBps);
    return {
      name: v.name,
      type: v.type,
      port: v.port,
      committedBps,
      peakBps,
      fabric: v.fabric ?? null,
      pin: null,
      mtu: v.mtu ?? null,
    };
  });
  for (const [p, sum] of committed) {
    if (ports.includes(p) && link.family === family && sum > link.dataRateBps) {
      issues.add(
        [...at, "vifs"],
        `committed rates on ${p} add up to ${formatRate(sum)}, more than its ${formatRate(link.dataRateBps)}`,
      );
    }
  }
  return {
    name: a.name,
    type: a.type,
    link: a.link,
    ports,
    bus: a.bus,
    vfs: a.vfs ?? 0,
    maxVfs: a.maxVfs ?? null,
    vfLimitBps: a.vfLimit === undefined ? null : parseRate(a.vfLimit),
    vifs,
    maxVifs: a.maxVifs ?? null,
    model: a.model ?? null,
    latencyTicks: adapterLatencyTicks(a.latency, a.type),
    mtu: a.mtu ?? null,
    busFraming: resolveFraming(
      { mps: a.mps, mrrs: a.mrrs, addressing: a.addressing },
      () => linkProtocol(a.bus),
      at,
      issues,
    ),
    queuePackets: a.queuePackets ?? null,
  };
}

function resolveModules(
  modules: readonly { name: string; link: string; ports: number; model?: string | undefined }[],
  at: PathSegment[],
  issues: Issues,
) {
  checkDuplicates(
    modules.map((m) => m.name),
    "module",
    (i) => [...at, "modules", i, "name"],
    issues,
  );
  const resolved: ResolvedModule[] = modules.map((m) => ({
    name: m.name,
    link: m.link,
    ports: numbered(m.name, m.ports),
    model: m.model ?? null,
  }));
  const ports = modules.flatMap((m) => {
    const family = linkProtocol(m.link).family;
    return numbered(m.name, m.ports).map((name, i) => port(m.name, i + 1, name, m.link, [family]));
  });
  return { resolved, ports };
}

/** Resolves one node on its own; references to other nodes (hosts, pins) are checked later. */
export function resolveNode(name: string, spec: NodeSpec, issues: Issues): DraftNode {
  const at: PathSegment[] = ["topology", "nodes", name];
  const ownFamilies = KIND_FAMILIES[spec.kind] ?? ALL_FAMILIES;
  let node: DraftNode;
  switch (spec.kind) {
    case "server": {
      checkDuplicates(
        spec.adapters.map((a) => a.name),
        "adapter",
        (i) => [...at, "adapters", i, "name"],
        issues,
      );
      const slots = spec.pcie?.slots ?? null;
      if (slots !== null && spec.adapters.length > slots) {
        const n = spec.adapters.length;
        issues.add([...at, "adapters"], `${n} adapters need ${n} PCIe slots; pcie.slots is ${slots}`);
      }
      const adapters = spec.adapters.map((a, i) => resolveAdapter(a, [...at, "adapters", i], issues));
      const vifNames = adapters.flatMap((a) => a.vifs.map((v) => v.name));
      const vifPaths = spec.adapters.flatMap((a, i) =>
        (a.vifs ?? []).map((_, j) => [...at, "adapters", i, "vifs", j, "name"]),
      );
      checkDuplicates(vifNames, "vif", (k) => vifPaths[k] ?? at, issues);
      const ports = adapters.flatMap((a) => {
        const family = linkProtocol(a.link).family;
        return a.ports.map((p, i) => port(a.name, i + 1, p, a.link, [family]));
      });
      const vms = Array.from({ length: spec.vms }, (_, i) => `vm${i + 1}`);
      node = {
        kind: "server",
        name,
        model: spec.model ?? null,
        ports,
        vms,
        chassis: spec.chassis ?? null,
        chassisModel: spec.chassisModel ?? null,
        pcieSlots: slots,
        adapters,
      };
      break;
    }
    case "ethernet-switch":
    case "fc-switch":
    case "ib-switch":
      node = {
        kind: spec.kind,
        name,
        model: spec.model ?? null,
        ports: groupPorts(spec.ports, ownFamilies, null),
        forwarding: spec.forwarding,
        latencyTicks: parseTime(spec.latency),
        bufferBytes: parseSize(spec.buffer),
        queuePackets: spec.queuePackets ?? null,
      };
      break;
    case "pcie-switch":
      node = {
        kind: "pcie-switch",
        name,
        model: spec.model ?? null,
        ports: groupPorts(spec.ports, ownFamilies, null),
        mrAware: spec.mrAware,
        latencyTicks: parseTime(spec.latency),
        bufferBytes: spec.buffer === undefined ? null : parseSize(spec.buffer),
      };
      break;
    case "io-director":
    case "fabric-interconnect": {
      const modules = resolveModules(spec.modules, at, issues);
      node = {
        kind: spec.kind,
        name,
        model: spec.model ?? null,
        ports: [...groupPorts(spec.ports, ownFamilies, null), ...modules.ports],
        modules: modules.resolved,
        latencyTicks: parseTime(spec.latency),
        bufferBytes: spec.buffer === undefined ? null : parseSize(spec.buffer),
        queuePackets: spec.queuePackets ?? null,
        ...uplinks(spec, modules.ports, at, issues),
      };
      break;
    }
    case "fabric-extender":
      node = {
        kind: "fabric-extender",
        name,
        model: spec.model ?? null,
        ports: groupPorts(spec.ports, ownFamilies, null),
        chassis: spec.chassis ?? null,
        chassisModel: spec.chassisModel ?? null,
        pinning: spec.pinning,
        latencyTicks: parseTime(spec.latency),
      };
      break;
    case "shared-adapter": {
      const family = linkProtocol(spec.link).family;
      if (family === "pcie") {
        issues.add(
          [...at, "link"],
          `link is the network protocol of its ports; ${spec.link} is PCIe (use bus for the slot)`,
        );
      }
      node = {
        kind: "shared-adapter",
        name,
        model: spec.model ?? null,
        ports: [...groupPorts(spec.ports, [family], spec.link), port("bus", 1, "bus", spec.bus, ["pcie"])],
        bus: spec.bus,
        link: spec.link,
        hosts: [],
        arbitration: spec.arbitration,
        weights: {},
        limitBps: {},
      };
      break;
    }
    case "storage-array": {
      if (spec.media !== undefined && spec.service !== undefined) {
        issues.add([...at, "service"], "give media (a preset) or service (explicit times), not both");
      }
      const service =
        spec.service === undefined
          ? null
          : {
              read: toDist(spec.service.read, parseTime, [...at, "service", "read"], issues),
              write: toDist(spec.service.write, parseTime, [...at, "service", "write"], issues),
            };
      node = {
        kind: "storage-array",
        name,
        model: spec.model ?? null,
        ports: groupPorts(spec.ports, ownFamilies, null),
        media: service === null ? (spec.media ?? "flash") : null,
        service,
        concurrency: spec.concurrency,
      };
      break;
    }
    case "lan":
      node = { kind: "lan", name, model: spec.model ?? null, ports: groupPorts(spec.ports, ownFamilies, null) };
      break;
  }
  if ((spec.kind === "server" || spec.kind === "fabric-extender") && spec.chassisModel !== undefined) {
    if (spec.chassis === undefined)
      issues.add([...at, "chassisModel"], "chassisModel needs chassis (the chassis name)");
  }
  checkDuplicates(
    node.ports.map((p) => p.name),
    "port",
    () => [...at, spec.kind === "server" ? "adapters" : "ports"],
    issues,
  );
  return node;
}

/** A fabric interconnect's uplink pinning and port-channels (their members checked); directors hash. */
function uplinks(
  spec: Extract<NodeSpec, { kind: "io-director" | "fabric-interconnect" }>,
  modulePorts: readonly DraftPort[],
  at: PathSegment[],
  issues: Issues,
): { uplinkPinning: "per-vnic" | "flow-hash"; portChannels: string[][] } {
  if (spec.kind === "io-director") return { uplinkPinning: "flow-hash", portChannels: [] };
  const names = new Set(modulePorts.map((p) => p.name));
  const seen = new Set<string>();
  const portChannels = spec.portChannels.map((members, i) => {
    const expanded = (typeof members === "string" ? [members] : members).flatMap((m) => {
      const e = expandNames(m);
      if (!e.ok) issues.add([...at, "portChannels", i], e.message);
      return e.ok ? e.value : [];
    });
    for (const p of expanded) {
      if (!names.has(p))
        issues.add([...at, "portChannels", i], `${p} is not an uplink (module) port of this fabric interconnect`);
      if (seen.has(p)) issues.add([...at, "portChannels", i], `${p} is in two port-channels`);
      seen.add(p);
    }
    return expanded;
  });
  return { uplinkPinning: spec.uplinkPinning, portChannels };
}
