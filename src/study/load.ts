/**
 * Study text → Study, or every problem as `file:line:col path: message`, the
 * same way topology files are checked (`src/topology/load.ts`): YAML document
 * (keeps positions) → zod → cross-reference pass, each stage only when the
 * previous one found nothing. Browser-safe.
 */

import { DesignError, expandStudy } from "../design/index.js";
import { PARAMS, type ParamDef, type ParamValue, valueProblem } from "../design/params.js";
import { parseYaml, type YamlResult } from "../topology/document.js";
import { quote } from "../topology/echo.js";
import type { PathSegment, RawIssue } from "../topology/expand.js";
import { didYouMean } from "../topology/fields.js";
import { positionIssues } from "../topology/issues.js";
import { fromZod, parseTopology } from "../topology/load.js";
import { DESIGNS } from "../topology/schema.js";
import { DEFAULT_LIMITS, type SizeLimits } from "../topology/size.js";
import type { Design, TopologyIssue } from "../topology/types.js";
import { type HostIo, hostIo } from "./host-io.js";
import { type HostRange, placeGroups } from "./placement.js";
import { type StudyFile, type StudyGroup, type StudyParam, studySchema } from "./schema.js";

export { DEFAULT_HOST_IO, type HostIo, hostIo } from "./host-io.js";

/** A site size past the limit, and how to raise it. */
export function tooManyServers(n: number, limits: SizeLimits): string {
  const fmt = (x: number) => x.toLocaleString("en-US");
  return `${fmt(n)} servers; a site size is at most ${fmt(limits.servers)} (raise the limit with ${limits.override})`;
}

/** A design parameter as the study sets it: current value and the planner's search space. */
export interface StudyParameter {
  readonly def: ParamDef;
  readonly value: ParamValue;
  /** Values the planner may try, in order (the range expanded, or the choices); [value] when fixed. */
  readonly candidates: readonly ParamValue[];
  /** True when the candidates come from a `range` (whole numbers, ascending): "more of" something. */
  readonly ranged: boolean;
}

export interface Group extends StudyGroup {
  /** Its hosts, ascending ranges of 1-based host numbers (`host<first>` … `host<last>`): one range when grouped, several when spread. */
  readonly ranges: readonly HostRange[];
  /** Its hosts' I/O, every part given. */
  readonly hostIo: HostIo;
}

export interface Study {
  readonly file: StudyFile;
  readonly groups: readonly Group[];
  /** The designs the study compares, in file order, with every parameter (defaults filled in). */
  readonly designs: readonly Design[];
  readonly parameters: Readonly<Partial<Record<Design, Readonly<Record<string, StudyParameter>>>>>;
}

export type StudyResult =
  | { readonly ok: true; readonly study: Study }
  | { readonly ok: false; readonly issues: readonly TopologyIssue[] };

/**
 * Names the design generators give nodes (src/design): a storage array named like
 * one of them would collide in the generated topology. Kept in step with the
 * generators by a test (every node they make at the reference study matches one).
 */
export const GENERATED_NODE_NAMES: readonly RegExp[] = [
  /^host\d+$/,
  /^lan$/,
  /^tor\d+$/,
  /^sw(?:1|10)g-[a-z]\d+$/,
  /^fex-[a-z]\d+$/,
  /^n5k-[a-z]\d+$/,
  /^san-[a-z]+(?:\d+|-core\d*)?$/,
  /^ib-[a-z]+\d*$/,
  /^dir-[a-z]+\d*$/,
  /^fi-[a-z]+\d*$/,
  /^iom\d+[a-z]+$/,
  /^pbox-/,
  /^sa-(?:eth|fc)-/,
];

/** Workload targets that are not group names. */
const TARGETS = ["lan", "storage"] as const;

export interface StudyOptions {
  /** Size limits for the topologies the study generates (default DEFAULT_LIMITS). */
  readonly limits?: SizeLimits;
}

/**
 * Parses and checks a study file's text: the schema, the cross-references, and
 * each design's topology at the study's current values (generated and put
 * through the topology loader's checks and size limits, so a study that would
 * make an invalid or oversized topology is refused here, where its lines are).
 * Never throws for bad input.
 */
export function parseStudy(text: string, file: string, options: StudyOptions = {}): StudyResult {
  return checkStudyYaml(parseYaml(text, file), file, options);
}

/**
 * `parseStudy`'s checks on a parsed file. Issues are placed by the document's
 * nodes, so a document edited in place (a sweep's `--set`) keeps the file's
 * lines and columns for everything it did not replace.
 */
export function checkStudyYaml(yaml: YamlResult, file: string, options: StudyOptions = {}): StudyResult {
  if (!yaml.ok) return yaml;
  const { doc, lineCounter, value: raw } = yaml;
  if (raw === null || raw === undefined) {
    const message = "the file is empty; a study needs at least name, servers, vmsPerHost, groups and designs";
    return { ok: false, issues: [{ file, line: 1, col: 1, path: "(top)", message }] };
  }
  const position = (issues: readonly RawIssue[]) => positionIssues(issues, file, doc, lineCounter, new Map());
  const parsed = studySchema.safeParse(raw);
  if (!parsed.success) return { ok: false, issues: position(fromZod(parsed.error.issues)) };
  const checked = checkStudy(parsed.data, options.limits ?? DEFAULT_LIMITS);
  if (!checked.ok) return { ok: false, issues: position(checked.issues) };
  const generated = generatedProblems(checked.study, file, options.limits ?? DEFAULT_LIMITS);
  if (generated.length > 0) return { ok: false, issues: position(generated) };
  return { ok: true, study: checked.study };
}

/**
 * The study's own size against the limits, before any design is generated: its servers
 * against the largest site (`SizeLimits.servers`, as its `sizes` are), each VM a VM, each
 * workload one instance per host or per VM it runs on.
 */
function studySizeProblems(study: Study, limits: SizeLimits): RawIssue[] {
  const f = study.file;
  const fmt = (n: number) => n.toLocaleString("en-US");
  const instances = study.groups.reduce(
    (sum, g) =>
      sum +
      g.workloads.reduce((n, w) => n + g.hosts * (w.vms === undefined ? 1 : w.vms === "all" ? f.vmsPerHost : w.vms), 0),
    0,
  );
  const checks: [number, number, string, PathSegment[]][] = [
    [f.servers, limits.servers, "servers", ["servers"]],
    [f.servers * f.vmsPerHost, limits.vms, "VMs", ["vmsPerHost"]],
    [instances, limits.instances, "workload instances", ["groups"]],
  ];
  return checks
    .filter(([n, limit]) => n > limit)
    .map(([n, limit, noun, path]) => ({
      path,
      budget: true,
      message: `the study describes ${fmt(n)} ${noun}, more than the limit of ${fmt(limit)}; raise the limits with ${limits.override}`,
    }));
}

/** Each design's topology at the study's current values, through the topology loader. */
function generatedProblems(study: Study, file: string, limits: SizeLimits): RawIssue[] {
  const size = studySizeProblems(study, limits);
  if (size.length > 0) return size;
  const out: RawIssue[] = [];
  for (const design of study.designs) {
    const at = ["designs", design];
    let yaml: string;
    try {
      yaml = expandStudy(study, design);
    } catch (e) {
      // The current values cannot be built (too many hosts for a switch): not a mistake in the file,
      // the planner searches the parameters' ranges and says which designs it could not build.
      if (e instanceof DesignError) continue;
      throw e;
    }
    const r = parseTopology(yaml, `<${design} generated from ${file}>`, { limits });
    if (r.ok) continue;
    const [first] = r.issues;
    if (first === undefined) continue;
    const more = r.issues.length > 1 ? ` (and ${r.issues.length - 1} more)` : "";
    const where = `the ${design} topology generated at the study's current values`;
    if (r.issues.every((i) => i.budget === true)) {
      out.push({ path: at, budget: true, message: `${where}: ${first.message}${more}` });
    } else {
      out.push({
        path: at,
        message: `${where} is invalid: ${first.path}: ${first.message}${more} (iovsim expand ${design} shows it; if the study looks right, this is a bug)`,
      });
    }
  }
  return out;
}

type Checked = { ok: true; study: Study } | { ok: false; issues: RawIssue[] };

/** Cross-references: groups, workload targets, SLA rows, design parameters. */
/**
 * Checks a study file's content. `limits` caps its site sizes (`sizes`); the loader passes the ones
 * in force, and a study derived from a loaded one (scaled, one design's) is not capped again.
 */
export function checkStudy(file: StudyFile, limits?: SizeLimits): Checked {
  const issues: RawIssue[] = [];
  const groups: Group[] = [];
  const groupNames = new Set<string>();
  const workloadNames = new Set<string>();
  let next = 1;
  const storage = file.storage.name;
  const generated = GENERATED_NODE_NAMES.find((re) => re.test(storage));
  if (generated !== undefined) {
    issues.push({
      path: ["storage", "name"],
      message: `storage name ${quote(storage)} collides with the nodes the design generators make (host1, lan, tor1, san-a, fi-a, iom1a, …); pick another, e.g. array1`,
    });
  }
  file.groups.forEach((g, gi) => {
    if ((TARGETS as readonly string[]).includes(g.name)) {
      issues.push({
        path: ["groups", gi, "name"],
        message: `a group cannot be named ${g.name}: a workload's to: ${g.name} means ${g.name === "lan" ? "the LAN" : "the storage array"}`,
      });
    }
    if (groupNames.has(g.name)) issues.push({ path: ["groups", gi, "name"], message: `duplicate group ${g.name}` });
    groupNames.add(g.name);
    groups.push({ ...g, ranges: [], hostIo: hostIo(g.io, file.io) });
    next += g.hosts;
    g.workloads.forEach((w, wi) => {
      if (workloadNames.has(w.name))
        issues.push({ path: ["groups", gi, "workloads", wi, "name"], message: `duplicate workload ${w.name}` });
      workloadNames.add(w.name);
      if (typeof w.vms === "number" && w.vms > file.vmsPerHost)
        issues.push({
          path: ["groups", gi, "workloads", wi, "vms"],
          message: `${w.vms} VMs per host, but vmsPerHost is ${file.vmsPerHost}`,
        });
      if (w.vms !== undefined && file.vmsPerHost === 0)
        issues.push({ path: ["groups", gi, "workloads", wi, "vms"], message: "vmsPerHost is 0: there are no VMs" });
    });
  });
  const hosts = next - 1;
  if (hosts > file.servers)
    issues.push({
      path: ["servers"],
      message: `the groups hold ${hosts} hosts, more than the ${file.servers} servers`,
    });
  else {
    const ranges = placeGroups(
      file.groups.map((g) => g.hosts),
      file.servers,
      // A file built in code may leave it out: the schema's default.
      file.placement ?? "grouped",
    );
    groups.forEach((g, gi) => {
      groups[gi] = { ...g, ranges: ranges[gi]! };
    });
  }
  file.groups.forEach((g, gi) => {
    g.workloads.forEach((w, wi) => {
      if (w.to === "lan" || w.to === "storage" || groupNames.has(w.to)) return;
      const known = ["lan", "storage", ...groupNames];
      const guess = didYouMean(w.to, known);
      issues.push({
        path: ["groups", gi, "workloads", wi, "to"],
        message:
          `unknown target ${quote(w.to)}` +
          (guess === undefined ? `; expected one of: ${known.join(", ")}` : ` (did you mean "${guess}"?)`),
      });
    });
  });
  const redundant = (file.redundancy ?? "redundant") === "redundant";
  if (!redundant && file.survive === "single-failure")
    issues.push({
      path: ["redundancy"],
      message: "redundancy none contradicts survive: single-failure (a single box would be a single point of failure)",
    });
  if (redundant) {
    groups.forEach((g, gi) => {
      for (const part of ["eth", "fc"] as const) {
        if (g.hostIo[part].ports >= 2) continue;
        const own = g.io?.[part] !== undefined;
        issues.push({
          path: own
            ? ["groups", gi, "io", part, "ports"]
            : file.io?.[part] !== undefined
              ? ["io", part, "ports"]
              : ["groups", gi],
          message: `group ${g.name}: ${g.hostIo[part].ports} ${part === "eth" ? "Ethernet" : "FC"} port per server; a redundant design needs at least 2 (sides A and B), or redundancy: none`,
        });
      }
    });
  }
  file.sizes?.forEach((n, i) => {
    if (limits !== undefined && n > limits.servers)
      issues.push({ path: ["sizes", i], budget: true, message: tooManyServers(n, limits) });
    else if (n < file.groups.length)
      issues.push({
        path: ["sizes", i],
        message: `${n} servers cannot hold one server of each of the ${file.groups.length} groups`,
      });
  });
  file.sla.forEach((row, i) => {
    if (!workloadNames.has(row.workload)) {
      const guess = didYouMean(row.workload, [...workloadNames]);
      issues.push({
        path: ["sla", i, "workload"],
        message: `unknown workload ${quote(row.workload)}${guess === undefined ? "" : ` (did you mean "${guess}"?)`}`,
      });
    }
  });
  // Marking by workload names the study's workloads (the generated topology checks the classes and policies).
  for (const design of DESIGNS)
    for (const name of Object.keys(file.qos?.[design]?.workloads ?? {}))
      if (!workloadNames.has(name)) {
        const guess = didYouMean(name, [...workloadNames]);
        issues.push({
          path: ["qos", design, "workloads", name],
          message: `unknown workload ${quote(name)}${guess === undefined ? "" : ` (did you mean "${guess}"?)`}`,
        });
      }

  const designs = DESIGNS.filter((d) => file.designs[d] !== undefined);
  if (designs.length === 0) issues.push({ path: ["designs"], message: "expected at least one design" });
  const parameters: Partial<Record<Design, Record<string, StudyParameter>>> = {};
  for (const design of designs) {
    const spec = file.designs[design]!;
    const out: Record<string, StudyParameter> = {};
    const defs = PARAMS[design];
    for (const [pname, param] of Object.entries(spec.parameters)) {
      const path = ["designs", design, "parameters", pname];
      const def = defs.find((d) => d.name === pname);
      if (def === undefined) {
        const known = defs.map((d) => d.name);
        const guess = didYouMean(pname, known);
        issues.push({
          path,
          message:
            `unknown ${design} parameter ${quote(pname)}` +
            (guess === undefined ? `; parameters: ${known.join(", ")}` : ` (did you mean "${guess}"?)`),
        });
        continue;
      }
      const resolved = resolveParam(def, param, path, issues);
      if (resolved !== undefined) out[pname] = resolved;
    }
    for (const def of defs) {
      out[def.name] ??= { def, value: def.default, candidates: [def.default], ranged: false };
    }
    parameters[design] = out;
  }
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, study: { file, groups, designs, parameters } };
}

function resolveParam(
  def: ParamDef,
  param: StudyParam,
  path: readonly PathSegment[],
  issues: RawIssue[],
): StudyParameter | undefined {
  const spec = typeof param === "object" ? param : { value: param };
  const valuePath = typeof param === "object" ? [...path, "value"] : path;
  const problem = valueProblem(def, spec.value);
  if (problem !== undefined) {
    issues.push({ path: valuePath, message: problem });
    return undefined;
  }
  let candidates: ParamValue[] = [spec.value];
  if (spec.range !== undefined && spec.choices !== undefined) {
    issues.push({ path, message: "give either range or choices, not both" });
    return undefined;
  }
  if (spec.range !== undefined) {
    const [min, max] = spec.range;
    const at = [...path, "range"];
    if (def.kind !== "int") {
      issues.push({ path: at, message: `${def.name} takes choices (${def.choices.join(", ")}), not a range` });
      return undefined;
    }
    const bad = [min, max].map((v) => valueProblem(def, v)).find((p) => p !== undefined);
    if (bad !== undefined || min > max) {
      issues.push({ path: at, message: bad ?? `range [${min}, ${max}]: min is above max` });
      return undefined;
    }
    candidates = Array.from({ length: max - min + 1 }, (_, i) => min + i);
  }
  if (spec.choices !== undefined) {
    const bad = spec.choices.map((v) => valueProblem(def, v)).find((p) => p !== undefined);
    if (bad !== undefined) {
      issues.push({ path: [...path, "choices"], message: bad });
      return undefined;
    }
    candidates = [...spec.choices];
  }
  if (!candidates.includes(spec.value)) {
    issues.push({
      path: valuePath,
      message: `${def.name} = ${spec.value} lies outside the study's own ${spec.range ? "range" : "choices"}`,
    });
    return undefined;
  }
  return { def, value: spec.value, candidates, ranged: spec.range !== undefined };
}
