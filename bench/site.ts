/**
 * Site-scale topologies for the scaling benchmarks: the built-in study's 32-host
 * block (24 virtualized hosts, 4 databases, 2 backup servers, 1 storage-heavy and 1
 * latency-sensitive host) repeated to `servers` hosts, expanded by a design
 * generator. Each block has its own groups and workloads (`vm-lan-3`, `db-io-3`, …),
 * so the work offered per host is the same at every size and the number of workloads grows
 * with the site (the case a per-workload scan of every flow turns quadratic). The work
 * done per host is the same only while nothing shared saturates: with the study's full load
 * a large site's LAN uplinks, ISLs and array ports do, so the packet-level bench lowers the
 * load, fixes the backups' rate and scales the SAN (`load`, `elastic`, `scaledSan`).
 *
 * `tiled: false` instead scales the six groups (one `vm-lan` over every virtualized host).
 */
import { readFileSync } from "node:fs";
import type { Catalog } from "../src/catalog/types.js";
import { expandStudy } from "../src/design/index.js";
import { buildCandidate, combinations, type FullCandidate } from "../src/planner/candidates.js";
import { scaleStudy } from "../src/planner/site-scale.js";
import { parseStudy, type Study } from "../src/study/index.js";
import { parseTopology } from "../src/topology/load.js";
import { LARGE_LIMITS } from "../src/topology/size.js";
import type { Design, ResolvedTopology } from "../src/topology/types.js";

const BLOCK = 32;

export interface SiteOptions {
  /** Hosts; a multiple of 32. */
  readonly servers: number;
  /** Groups and workloads per 32-host block (default) or six groups scaled to the site. */
  readonly tiled?: boolean;
  /** Simulated time and warm-up (default 12ms, 2ms). */
  readonly duration?: string;
  readonly warmup?: string;
  readonly seed?: number;
  /**
   * The offered load of every workload but bulk backups (rates and I/O rates times this;
   * default 1, the built-in study's): below 1, a large site's shared uplinks and array ports
   * need not saturate, so its work per host can match a small site's.
   */
  readonly load?: number;
  /**
   * The SAN scaled with the site: 32 concurrent I/Os per block at the array (the default
   * array's 128 at 128 hosts), one array FC port per fabric per two blocks (4 … 64), and 16 ISLs
   * per edge FC switch but in the traditional design, instead of one array of 128 and the
   * designs' 4 array ports and 2 ISLs at every size. Default false.
   */
  readonly scaledSan?: boolean;
  /**
   * False: the backup servers send 1 MiB messages at a fixed rate (1 Gbit/s times the load)
   * instead of keeping two in flight (bulk), so no workload grows into whatever capacity the
   * site leaves free, and every size can offer the same work per host. Default true.
   */
  readonly elastic?: boolean;
  /**
   * Hosts that run workloads: the first `active / 32` blocks keep theirs, the others have their
   * hosts, adapters and wiring but no workloads (default: every host). With it a large site can
   * do a small site's work, which separates what grows with the site's size from what grows with
   * the work in flight (bench/locality-probe.ts).
   */
  readonly active?: number;
}

function groups(block: number, scale: number, load: number, elastic: boolean, idle = false): string[] {
  const s = block === 0 ? "" : `-${block}`;
  // Rates in Mbit/s and I/O rates, times the load (a plain number: the units stay those of the study).
  const mbps = (x: number) => `${+(x * load).toPrecision(6)}Mbps`;
  const iops = (x: number) => +(x * load).toPrecision(6);
  const db = `database${s}`;
  const block32: Array<[name: string, cls: string, hosts: number, workloads: string[]]> = [
    [
      `virtualized${s}`,
      "virtualized",
      24,
      [
        `{ name: vm-lan${s}, vms: all, to: lan, pattern: poisson, rate: ${mbps(40)}, size: { lognormal: { mean: 4KiB, cv: 1.5 } } }`,
        `{ name: vm-disk${s}, vms: all, to: storage, unit: io, pattern: iops, iops: ${iops(150)}, read: 0.7, size: 8KiB }`,
      ],
    ],
    [
      db,
      "last-mile",
      4,
      [
        `{ name: db-io${s}, to: storage, unit: io, pattern: iops, iops: ${iops(15000)}, read: 0.7, size: 8KiB }`,
        `{ name: db-lan${s}, to: lan, pattern: poisson, rate: ${mbps(300)}, size: { exponential: 2KiB } }`,
      ],
    ],
    [
      `backup${s}`,
      "last-mile",
      2,
      [
        `{ name: backup${s}, to: lan, ${elastic ? "pattern: bulk, size: 1MiB, outstanding: 2" : `pattern: poisson, rate: ${mbps(1000)}, size: 1MiB`} }`,
      ],
    ],
    [
      `storage-heavy${s}`,
      "last-mile",
      1,
      [
        `{ name: storage-heavy${s}, to: storage, unit: io, pattern: iops, iops: ${iops(6000)}, read: 0.5, size: 64KiB }`,
      ],
    ],
    [
      `latency-sensitive${s}`,
      "last-mile",
      1,
      [`{ name: latency-sensitive${s}, vms: 4, to: ${db}, pattern: poisson, rate: ${mbps(20)}, size: 256B }`],
    ],
  ];
  // An idle block keeps its hosts (and so its adapters and wiring) without workloads.
  return block32.flatMap(([name, cls, hosts, workloads]) => [
    `  - name: ${name}`,
    `    class: ${cls}`,
    `    hosts: ${hosts * scale}`,
    ...(idle ? ["    workloads: []"] : ["    workloads:", ...workloads.map((w) => `      - ${w}`)]),
  ]);
}

/** The study text for a site of `servers` hosts. */
export function siteStudy(o: SiteOptions): string {
  const { servers } = o;
  if (!(Number.isInteger(servers) && servers > 0 && servers % BLOCK === 0))
    throw new RangeError(`site: servers must be a positive multiple of ${BLOCK}, got ${servers}`);
  const blocks = servers / BLOCK;
  const tiled = o.tiled ?? true;
  const load = o.load ?? 1;
  if (!(Number.isFinite(load) && load > 0)) throw new RangeError(`site: load must be a positive number, got ${load}`);
  const scaled = o.scaledSan ?? false;
  const elastic = o.elastic ?? true;
  const active = o.active ?? servers;
  if (!(Number.isInteger(active) && active > 0 && active <= servers && active % BLOCK === 0))
    throw new RangeError(`site: active must be a positive multiple of ${BLOCK} up to ${servers}, got ${active}`);
  if (!tiled && active !== servers) throw new RangeError("site: active needs a tiled site");
  const concurrency = scaled ? 32 * blocks : 128;
  const arrayPorts = Math.max(4, Math.min(64, Math.ceil(blocks / 2)));
  // The director's, UCS's and MR-IOV's edge FC switches carry their fabric's aggregated FC
  // ports and need their ISLs (16, the most) at 4,096 hosts; the traditional design's each
  // carry ~46 hosts' HBAs and keep the default 2 (16 would exceed its cores' ports).
  const params = (isls: boolean) => (scaled ? `{ sanArrayPorts: ${arrayPorts}${isls ? ", sanIsl: 16" : ""} }` : "{}");
  const lines = [
    `name: site-${servers}`,
    `experiment: { duration: ${o.duration ?? "12ms"}, warmup: ${o.warmup ?? "2ms"}, replications: 1, seed: ${o.seed ?? 1} }`,
    `servers: ${servers}`,
    "vmsPerHost: 8",
    `storage: { name: array1, media: flash, concurrency: ${concurrency} }`,
    "groups:",
  ];
  if (tiled) for (let b = 1; b <= blocks; b++) lines.push(...groups(b, 1, load, elastic, b > active / BLOCK));
  else lines.push(...groups(0, blocks, load, elastic));
  lines.push(
    "designs:",
    `  traditional: { parameters: ${params(false)} }`,
    `  director: { parameters: ${params(true)} }`,
    `  ucs: { parameters: ${params(true)} }`,
    `  mriov: { parameters: ${params(true)} }`,
    "",
  );
  return lines.join("\n");
}

/** The site's explicit topology for `design` (YAML) and its resolved form. */
export function siteTopology(design: Design, o: SiteOptions): { yaml: string; topology: ResolvedTopology } {
  const text = siteStudy(o);
  const study = parseStudy(text, `site-${o.servers}.yaml`);
  if (!study.ok) throw new Error(`site study does not load: ${JSON.stringify(study.issues.slice(0, 3))}`);
  const yaml = expandStudy(study.study, design);
  const loaded = parseTopology(yaml, `site-${o.servers}-${design}.yaml`);
  if (!loaded.ok) throw new Error(`site topology does not load: ${JSON.stringify(loaded.issues.slice(0, 3))}`);
  return { yaml, topology: loaded.topology };
}

/** A node every server depends on: the first non-server node with the most ports. */
export function sharedNode(topo: ResolvedTopology): string {
  let best = "";
  let ports = -1;
  for (const n of topo.nodes) {
    if (n.kind === "server" || n.kind === "storage-array" || n.kind === "lan") continue;
    const p = (n as { ports?: readonly unknown[] }).ports?.length ?? 0;
    if (p > ports) {
      ports = p;
      best = n.name;
    }
  }
  return best;
}

/** The built-in study scaled to `servers` (what `plan --sizes` searches: its workloads span the site, unlike the tiled sites'). */
export function scaledStudy(servers: number): Study {
  const file = new URL("../../topologies/studies/last-mile.yaml", import.meta.url);
  const parsed = parseStudy(readFileSync(file, "utf8"), "last-mile.yaml", { limits: LARGE_LIMITS });
  if (!parsed.ok) throw new Error("the built-in study does not parse");
  return scaleStudy(parsed.study, servers);
}

/** `design`'s first combination of `site` (or of `combos`, its combinations) that the generator builds, built and priced. */
export function firstCandidate(
  site: Study,
  design: Design,
  catalog: Catalog,
  combos = combinations(site, design),
): FullCandidate {
  for (let i = 0; i < combos.length; i++) {
    const c = buildCandidate(site, design, catalog, i, combos[i]!);
    if (c !== null) return c;
  }
  throw new Error(`${design}: no combination builds at ${site.file.servers} servers`);
}
