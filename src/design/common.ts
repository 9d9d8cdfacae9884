/**
 * What every design generator shares: a small YAML text writer (block style
 * for structure, flow style for short maps, as the reference racks are
 * written), name ranges, and the parts of a topology that do not depend on the
 * design: header, storage array, LAN, workloads and SLA. Only the `via` of a
 * workload (the port, team or virtual interface it leaves through) differs by
 * design. Browser-safe.
 */

import { type HostIo, hostIo } from "../study/host-io.js";
import type { Group, Study } from "../study/load.js";
import { groupOfHost, type HostRange } from "../study/placement.js";
import type { StudyWorkload } from "../study/schema.js";
import { studyFabricBlocks } from "../topology/schema-qos.js";
import type { Design } from "../topology/types.js";
import { DesignError, rng } from "./base.js";
import type { ParamValue } from "./params.js";
import { type Cable, text } from "./wiring.js";

export { DesignError, rng };

export interface GenContext {
  readonly study: Study;
  readonly design: Design;
  /** Every parameter of the design, the study's values with overrides applied. */
  readonly params: Readonly<Record<string, ParamValue>>;
}

export function intParam(ctx: GenContext, name: string): number {
  const v = ctx.params[name];
  if (typeof v !== "number") throw new DesignError(`${ctx.design}: parameter ${name} must be a number`);
  return v;
}

export function strParam(ctx: GenContext, name: string): string {
  const v = ctx.params[name];
  if (typeof v !== "string") throw new DesignError(`${ctx.design}: parameter ${name} must be a name`);
  return v;
}

export function ensure(ok: boolean, message: string): void {
  if (!ok) throw new DesignError(message);
}

// ---------------------------------------------------------------- names and ranges

export function hosts(first: number, last: number): string {
  return rng("host", first, last);
}

/** A group's hosts as a reference: one range, or a list of them when the group is spread. */
export function hostsOf(ranges: readonly HostRange[], suffix = ""): string | string[] {
  const each = ranges.map((r) => rng("host", r.first, r.last, suffix));
  return each.length === 1 ? each[0]! : each;
}

/** The same as text: `host[1..3], host9`. */
function hostsText(ranges: readonly HostRange[]): string {
  return ranges.map((r) => hosts(r.first, r.last)).join(", ");
}

/** Box / fabric letters: 0 → a, 1 → b, … 25 → z, 26 → aa. */
export function letter(i: number): string {
  let s = "";
  let n = i;
  do {
    s = String.fromCharCode(97 + (n % 26)) + s;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return s;
}

// ---------------------------------------------------------------- YAML text

const PLAIN = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;
const RESERVED = /^(true|false|null|yes|no|on|off|~)$/i;
const NUMERIC = /^[-+]?(\d[\d_]*(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

/** A scalar or short structure in YAML flow style: `{ lognormal: { mean: 4KiB, cv: 1.5 } }`. */
export function flow(v: unknown): string {
  if (typeof v === "string") return PLAIN.test(v) && !RESERVED.test(v) && !NUMERIC.test(v) ? v : JSON.stringify(v);
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (Array.isArray(v)) return `[${v.map(flow).join(", ")}]`;
  if (typeof v === "object" && v !== null) {
    const entries = Object.entries(v).filter(([, x]) => x !== undefined);
    return `{ ${entries.map(([k, x]) => `${k}: ${flow(x)}`).join(", ")} }`;
  }
  return "null";
}

/** Lines of YAML text being written. */
export class Text {
  private readonly lines: string[] = [];

  /** A line at `depth` levels of two-space indentation. */
  line(depth: number, text: string): this {
    this.lines.push(`${"  ".repeat(depth)}${text}`);
    return this;
  }

  /** `# …` comment lines at `depth`. */
  comment(depth: number, ...texts: string[]): this {
    for (const t of texts) this.line(depth, t === "" ? "#" : `# ${t}`);
    return this;
  }

  /** `key: value` with the value in flow style; skipped when the value is undefined. */
  field(depth: number, key: string, value: unknown, comment?: string): this {
    if (value === undefined) return this;
    return this.line(depth, `${key}: ${flow(value)}${comment === undefined ? "" : ` # ${comment}`}`);
  }

  /** A link list item. */
  link(a: string, b: string, type: string, extra: { length?: string; lossless?: boolean; comment?: string } = {}) {
    this.line(2, `- endpoints: [${flow(a)}, ${flow(b)}]`);
    this.line(3, `type: ${type}`);
    if (extra.length !== undefined) this.line(3, `length: ${extra.length}`);
    if (extra.lossless !== undefined)
      this.line(3, `lossless: ${extra.lossless}${extra.comment === undefined ? "" : ` # ${extra.comment}`}`);
    return this;
  }

  toString(): string {
    return `${this.lines.join("\n")}\n`;
  }
}

/** A folded block (`>-`) wrapped near 100 columns, or a quoted string when folding would change it. */
function folded(out: Text, depth: number, key: string, text: string): void {
  if (/\n|\s{2}|^\s|\s$/.test(text)) {
    out.line(depth, `${key}: ${JSON.stringify(text)}`);
    return;
  }
  out.line(depth, `${key}: >-`);
  let row = "";
  for (const word of text.split(" ")) {
    if (row !== "" && row.length + 1 + word.length > 100) {
      out.line(depth + 1, row);
      row = word;
    } else {
      row = row === "" ? word : `${row} ${word}`;
    }
  }
  if (row !== "") out.line(depth + 1, row);
}

// ---------------------------------------------------------------- shared parts

/** Comment lines naming the study and the parameter values the file was generated from. */
export function provenance(ctx: GenContext): string[] {
  const values = Object.entries(ctx.params)
    .map(([k, v]) => `${k}=${v}`)
    .join(", ");
  return [
    `Generated by \`iovsim expand\` from study "${ctx.study.file.name}", design ${ctx.design}:`,
    `  ${values}.`,
    `Population (study groups, ${ctx.study.file.placement === "spread" ? "spread over the site" : "consecutive hosts"}):`,
    ...ctx.study.groups.map(
      (g) =>
        `  ${hostsText(g.ranges).padEnd(12)} ${g.name} (${g.class}${g.profile ? `: ${g.profile}` : ""}); I/O ${ioText(g.hostIo)}`,
    ),
  ];
}

/** "8 x 1GbE + 2 x 8G FC". */
export function ioText(io: HostIo): string {
  const eth = io.eth.link === "eth-1g" ? "1GbE" : "10GbE";
  const fc = io.fc.link === "fc-8g" ? "8G FC" : "4G FC";
  return `${io.eth.ports} x ${eth} + ${io.fc.ports} x ${fc}`;
}

/** `name`, `design`, `description`, `experiment`, and `redundancy: none` / `failover` when the study sets them. */
export function header(out: Text, ctx: GenContext): void {
  const spec = ctx.study.file.designs[ctx.design];
  out.field(0, "name", spec?.name ?? `${ctx.study.file.name}-${ctx.design}`);
  out.field(0, "design", ctx.design);
  const description = spec?.description ?? ctx.study.file.description;
  if (description !== undefined) folded(out, 0, "description", description);
  const e = ctx.study.file.experiment;
  out.field(0, "experiment", { duration: e.duration, warmup: e.warmup, replications: e.replications, seed: e.seed });
  if (!redundant(ctx)) out.field(0, "redundancy", "none", "declared non-redundant: one of each shared box");
  const f = ctx.study.file.failover;
  if (f !== undefined && Object.values(f).some((v) => v !== undefined)) out.field(0, "failover", f);
  // The study's classes of service and transport (src/topology/schema-qos.ts).
  for (const [key, value] of studyFabricBlocks(ctx.study.file, ctx.design)) out.field(0, key, value);
}

/** Redundant (the default): A/B sides, dual-homed hosts; else one side only. */
export function redundant(ctx: GenContext): boolean {
  return ctx.study.file.redundancy !== "none";
}

/** The sides a design is built with: ["a", "b"], or ["a"] when not redundant. */
export function sides(ctx: GenContext): readonly string[] {
  return redundant(ctx) ? ["a", "b"] : ["a"];
}

/** The side (0: A, 1: B) of a host's k-th port of a kind (0-based): alternating, or always A when not redundant. */
export function sideOf(ctx: GenContext, k: number): number {
  return redundant(ctx) ? k % 2 : 0;
}

// ---------------------------------------------------------------- host I/O

/** Consecutive hosts with the same I/O (groups with equal I/O merge; servers in no group take the study's). */
export interface HostBlock {
  readonly first: number;
  readonly last: number;
  readonly io: HostIo;
}

function sameIo(a: HostIo, b: HostIo): boolean {
  return (
    a.eth.ports === b.eth.ports && a.eth.link === b.eth.link && a.fc.ports === b.fc.ports && a.fc.link === b.fc.link
  );
}

export function hostBlocks(ctx: GenContext): HostBlock[] {
  const blocks: { first: number; last: number; io: HostIo }[] = [];
  const n = ctx.study.file.servers;
  const idle = hostIo(undefined, ctx.study.file.io);
  const of = hostGroups(ctx.study);
  for (let h = 1; h <= n; h++) {
    const io = ctx.study.groups[of[h]!]?.hostIo ?? idle;
    const last = blocks.at(-1);
    if (last !== undefined && last.last === h - 1 && sameIo(last.io, io)) last.last = h;
    else blocks.push({ first: h, last: h, io });
  }
  return blocks;
}

/** Each host's group index (−1: none), made once per study: the generators ask per host. */
const groupsByStudy = new WeakMap<Study, Int32Array>();
function hostGroups(study: Study): Int32Array {
  let of = groupsByStudy.get(study);
  if (of === undefined) {
    of = groupOfHost(
      study.groups.map((g) => g.ranges),
      study.file.servers,
    );
    groupsByStudy.set(study, of);
  }
  return of;
}

/** The I/O of host h. */
export function ioOf(ctx: GenContext, h: number): HostIo {
  return ctx.study.groups[hostGroups(ctx.study)[h] ?? -1]?.hostIo ?? hostIo(undefined, ctx.study.file.io);
}

/**
 * What a server's Ethernet ports carry (0-based port indices): with 1GbE and 6 or more
 * ports, a management pair, a vMotion pair and the rest teamed for the workloads; with
 * 4 or more, management and vMotion share the first pair (VLANs) and the rest are the
 * workload team; with fewer, every role shares all the ports (VLANs on one team).
 * Pairs and teams alternate sides A and B.
 */
export function ethRoles(io: HostIo): { management: number[]; vmotion: number[]; team: number[] } {
  const n = io.eth.ports;
  const all = Array.from({ length: n }, (_, i) => i);
  if (io.eth.link === "eth-1g" && n >= 6) return { management: [0, 1], vmotion: [2, 3], team: all.slice(4) };
  if (n >= 4) return { management: [0, 1], vmotion: [0, 1], team: all.slice(2) };
  return { management: all, vmotion: all, team: all };
}

/** Gb/s of a link id (eth-1g, eth-10g, fc-4g, fc-8g). */
export function linkGbps(link: string): number {
  const m = /-(\d+)g$/.exec(link);
  return m === null ? 10 : Number(m[1]);
}

/** Committed rate of each vNIC (per Ethernet port) and vHBA (per FC port) of a host whose adapter ports run `portGbps`. */
export function vifRates(ctx: GenContext, io: HostIo, portGbps: number): { eth: string[]; fc: string[] } {
  const eth: string[] = new Array(io.eth.ports);
  const fc: string[] = new Array(io.fc.ports);
  for (const s of [0, 1]) {
    const e = Array.from({ length: io.eth.ports }, (_, k) => k).filter((k) => sideOf(ctx, k) === s);
    const f = Array.from({ length: io.fc.ports }, (_, k) => k).filter((k) => sideOf(ctx, k) === s);
    const rates = committedRates(
      [...e.map(() => linkGbps(io.eth.link)), ...f.map(() => linkGbps(io.fc.link))],
      portGbps,
    );
    e.forEach((k, i) => {
      eth[k] = rates[i]!;
    });
    f.forEach((k, i) => {
      fc[k] = rates[e.length + i]!;
    });
  }
  return { eth, fc };
}

/**
 * Committed rates of the virtual interfaces on one adapter port: each at its
 * port's rate while they fit the port, else scaled down in proportion (the
 * group's I/O becomes the interfaces' shares of the port). Mb/s, as rate strings.
 */
export function committedRates(gbps: readonly number[], portGbps: number): string[] {
  const sum = gbps.reduce((a, b) => a + b, 0);
  const scale = sum <= portGbps ? 1 : portGbps / sum;
  return gbps.map((g) => `${Math.floor(g * scale * 1000)}Mbps`);
}

/** The storage array node, with `ports` FC ports. */
export function storageNode(out: Text, ctx: GenContext, ports: number): void {
  const s = ctx.study.file.storage;
  out.line(2, `${s.name}:`);
  out.line(3, "kind: storage-array");
  out.field(3, "ports", { fc: ports });
  out.field(3, "media", s.media);
  out.field(3, "concurrency", s.concurrency);
}

export function lanNode(out: Text, ports: number): void {
  out.line(2, "lan:");
  out.line(3, "kind: lan");
  out.field(3, "ports", { p: ports });
}

export function serverCount(ctx: GenContext): number {
  return ctx.study.file.servers;
}

/** How a design's workloads reach the fabric: LAN and east-west traffic, storage I/O. */
export interface Vias {
  readonly lan: string | readonly string[];
  readonly storage: string | readonly string[];
}

/** A vias value, or one per group (the group's own I/O decides its ports or vifs). */
export type ViasOf = Vias | ((group: Group) => Vias);

/** Writes links. */
export function writeCables(out: Text, cables: readonly Cable[]): void {
  for (const c of cables) {
    out.link(text(c.a), text(c.b), c.type, {
      ...(c.length === undefined ? {} : { length: c.length }),
      ...(c.lossless === undefined ? {} : { lossless: c.lossless }),
      ...(c.comment === undefined ? {} : { comment: c.comment }),
    });
  }
}

function workloadOn(ctx: GenContext, ranges: readonly HostRange[], w: StudyWorkload): string | string[] {
  if (w.vms === undefined) return hostsOf(ranges);
  const n = w.vms === "all" ? ctx.study.file.vmsPerHost : w.vms;
  return hostsOf(ranges, `/${rng("vm", 1, n)}`);
}

/** `workloads:`, `sla:` and `survive:`, from the study's groups. */
export function workloadsAndSla(out: Text, ctx: GenContext, vias: ViasOf): void {
  const { study } = ctx;
  out.line(0, "workloads:");
  for (const g of study.groups) {
    const via = typeof vias === "function" ? vias(g) : vias;
    for (const w of g.workloads) {
      let to: string | string[];
      if (w.to === "lan") to = "lan";
      else if (w.to === "storage") to = study.file.storage.name;
      else {
        const target = study.groups.find((x) => x.name === w.to)!;
        to = hostsOf(target.ranges);
      }
      out.line(1, `- name: ${flow(w.name)}`);
      out.field(2, "on", workloadOn(ctx, g.ranges, w), `group ${g.name}`);
      out.field(2, "via", w.to === "storage" ? via.storage : via.lan);
      out.field(2, "to", to);
      out.field(2, "unit", w.unit);
      out.field(2, "pattern", w.pattern);
      if (w.pattern === "poisson" || w.pattern === "onoff") out.field(2, "rate", w.rate);
      if (w.pattern === "iops") out.field(2, "iops", w.iops);
      out.field(2, "read", w.read);
      out.field(2, "size", w.size);
      if (w.pattern === "onoff") out.field(2, "burst", w.burst);
      if (w.pattern === "bulk") out.field(2, "outstanding", w.outstanding);
    }
  }
  if (study.file.sla.length > 0) {
    out.line(0, "sla:");
    for (const row of study.file.sla) out.line(1, `- ${flow(row)}`);
  }
  if (study.file.survive !== undefined) out.field(0, "survive", study.file.survive);
}
