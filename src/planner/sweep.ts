/**
 * Sweeps (OMNeT++-style iteration variables): `iovsim sweep STUDY --set k=v1,v2
 * … --sizes n1,n2 …` plans the study at every point of the grid (the cartesian
 * product of the values, last variable fastest, then the sizes) and makes one
 * table: a row per grid point and design. A few points' plans run side by side
 * on the same Evaluator (in this thread, on worker threads or on the Redis
 * queue): the evaluator's concurrency + 1 (on the queue, the worker threads
 * listening, read again as the sweep goes), so a sweep keeps the workers busy
 * without holding the whole grid in memory.
 *
 * A variable is a dotted path into the study file (`objective`, `cost.years`,
 * `groups.1.workloads.0.rate`, `designs.ucs.parameters.iomUplinks.value`); its
 * values are YAML scalars; a section the file leaves to its defaults is made. Each edited study is checked like a file (a point
 * that makes it invalid is an error naming the variable). A size n is the
 * study's site at n servers as the site-size curve scales it (`scaleStudy`:
 * every group keeps its share, array ports and capacity per unit follow the
 * site; at most `SizeLimits.servers`, 4,096 unless `--allow-large`), not its first n servers.
 */

import { parse } from "yaml";
import type { Catalog } from "../catalog/types.js";
import { checkStudyYaml, type Study, tooManyServers } from "../study/load.js";
import { parseYaml } from "../topology/document.js";
import { formatIssues, formatPath } from "../topology/issues.js";
import { DEFAULT_LIMITS, type SizeLimits } from "../topology/size.js";
import { inLanes } from "./lanes.js";
import { type PlanOptions, plan } from "./plan.js";
import { scaleStudy } from "./site-scale.js";
import type { PlanProgress, PlanResult } from "./types.js";

export interface SweepVariable {
  readonly path: string;
  /** The values as written (YAML scalars). */
  readonly values: readonly string[];
}

/** `k=v1,v2,…`; throws a RangeError saying what was expected. */
export function parseSet(text: string): SweepVariable {
  const eq = text.indexOf("=");
  const path = eq < 0 ? "" : text.slice(0, eq).trim();
  const values =
    eq < 0
      ? []
      : text
          .slice(eq + 1)
          .split(",")
          .map((v) => v.trim());
  if (path === "" || !/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/.test(path) || values.length === 0 || values.includes(""))
    throw new RangeError(`--set must be path=value1,value2,… (e.g. objective=tco,capex), got ${JSON.stringify(text)}`);
  return { path, values };
}

/** One grid point: the variables' values (as written) and the site size (null: the study's). */
export interface SweepPoint {
  readonly values: Readonly<Record<string, string>>;
  readonly size: number | null;
}

/** The grid: the cartesian product of the variables' values (last fastest), then the sizes. */
export function sweepGrid(variables: readonly SweepVariable[], sizes: readonly number[] | null): SweepPoint[] {
  let points: Record<string, string>[] = [{}];
  for (const v of variables) points = points.flatMap((p) => v.values.map((x) => ({ ...p, [v.path]: x })));
  const s = sizes === null || sizes.length === 0 ? [null] : sizes;
  return points.flatMap((values) => s.map((size) => ({ values, size })));
}

function setPath(raw: unknown, path: string, value: unknown): void {
  const keys = path.split(".");
  let at = raw as Record<string, unknown>;
  for (const [i, k] of keys.entries()) {
    if (at === null || typeof at !== "object")
      throw new RangeError(`--set ${path}: ${keys.slice(0, i).join(".")} is not a map or list in the study`);
    if (i === keys.length - 1) {
      at[k] = value;
      return;
    }
    // A section the file leaves to its defaults (e.g. cost) is made; the schema then checks every key.
    if (!(k in at)) {
      if (Array.isArray(at)) throw new RangeError(`--set ${path}: the study has no ${keys.slice(0, i + 1).join(".")}`);
      at[k] = {};
    }
    at = at[k] as Record<string, unknown>;
  }
}

/** A --set path's segments as the study's issues name them (list positions as numbers). */
function segments(path: string): (string | number)[] {
  return path.split(".").map((k) => (/^\d+$/.test(k) ? Number(k) : k));
}

/**
 * The study at one grid point, checked like a file; throws a RangeError naming the point's problems.
 * The values are set in the parsed document itself, so a problem elsewhere keeps its line and column in
 * the file, and a problem under a variable's path says which --set put it there.
 */
export function studyAt(text: string, file: string, point: SweepPoint, limits: SizeLimits = DEFAULT_LIMITS): Study {
  const yaml = parseYaml(text, file);
  if (!yaml.ok) throw new RangeError(`${file} is not a valid study:\n${formatIssues(yaml.issues)}`);
  const raw = yaml.value;
  for (const [path, written] of Object.entries(point.values)) {
    const value: unknown = parse(written);
    setPath(raw, path, value);
    // Where the path exists the document keeps its key's (and a scalar's) place in the file. The document
    // only places issues (the checks read `raw`): through an alias it cannot be edited, and places stay the file's.
    try {
      yaml.doc.setIn(path.split("."), yaml.doc.createNode(value));
    } catch {}
  }
  const label = `${file} with ${pointLabel(point)}`;
  const r = checkStudyYaml({ ...yaml, value: raw }, file, { limits });
  if (!r.ok) {
    const set = Object.entries(point.values).map(([path, value]) => ({ at: formatPath(segments(path)), path, value }));
    const issues = r.issues.map((issue) => {
      const by = set.find(
        ({ at }) => issue.path === at || issue.path.startsWith(`${at}.`) || issue.path.startsWith(`${at}[`),
      );
      return by === undefined ? issue : { ...issue, message: `${issue.message} (from --set ${by.path}=${by.value})` };
    });
    throw new RangeError(`${label} is not a valid study:\n${formatIssues(issues)}`);
  }
  if (point.size === null) return r.study;
  const least = r.study.file.groups.length;
  if (point.size > limits.servers) throw new RangeError(`--sizes ${tooManyServers(point.size, limits)}`);
  if (!Number.isSafeInteger(point.size) || point.size < least)
    throw new RangeError(
      `--sizes ${point.size}: a sweep scales the study's site to n servers (at least ${least}: one server per group)`,
    );
  return scaleStudy(r.study, point.size);
}

export function pointLabel(point: SweepPoint): string {
  const parts = Object.entries(point.values).map(([k, v]) => `${k}=${v}`);
  if (point.size !== null) parts.push(`servers=${point.size}`);
  return parts.join(" ") || "(the study as written)";
}

/** One row of the sweep's table: a grid point's plan for one design. */
export interface SweepRow {
  readonly values: Readonly<Record<string, string>>;
  readonly servers: number;
  readonly design: string;
  readonly verdict: string;
  readonly confirmed: boolean;
  readonly parameters: string;
  readonly objective: string;
  readonly objectiveTypical: number | null;
  readonly hardwareScore: number | null;
}

export interface SweepResult {
  readonly variables: readonly string[];
  readonly rows: SweepRow[];
  readonly plans: PlanResult[];
}

export interface SweepOptions extends Omit<PlanOptions, "onProgress"> {
  /** The size limits each point's study is checked against (default DEFAULT_LIMITS; `--allow-large`: LARGE_LIMITS). */
  readonly limits?: SizeLimits;
  /** Points planned side by side (default: the evaluator's concurrency + 1); the answer does not depend on it. */
  readonly pointsAtOnce?: number;
  /** A point's plan progress (`point`: its index in the grid), and each point as its plan ends. */
  readonly onProgress?: (
    p: PlanProgress & { readonly point: number; readonly pointsDone: number },
  ) => void | Promise<void>;
}

/** Plans every point of the grid on `options.evaluator`, a few at a time; rows in grid order, designs sorted. */
export async function sweep(
  text: string,
  file: string,
  catalog: Catalog,
  variables: readonly SweepVariable[],
  sizes: readonly number[] | null,
  options: SweepOptions = {},
): Promise<SweepResult> {
  const grid = sweepGrid(variables, sizes);
  const studies = grid.map((p) => studyAt(text, file, p, options.limits));
  const { onProgress, pointsAtOnce, limits: _limits, ...planOptions } = options;
  // A few points at a time, not the whole grid: each plan holds its searches' candidates until it ends (a
  // grid of large sites would hold them all at once), and one plan already keeps several workers busy.
  const plans: PlanResult[] = new Array(studies.length);
  let pointsDone = 0;
  // Read again as points end: on the queue, workers that join widen the sweep.
  const width = pointsAtOnce ?? (() => (planOptions.evaluator?.concurrency ?? 1) + 1);
  await inLanes(studies.length, width, async (point) => {
    plans[point] = await plan(studies[point]!, catalog, {
      ...planOptions,
      ...(onProgress === undefined ? {} : { onProgress: (p: PlanProgress) => onProgress({ ...p, point, pointsDone }) }),
    });
    pointsDone++;
  });
  const rows = plans.flatMap((p, i) =>
    p.designs.map((d) => ({
      values: grid[i]!.values,
      servers: studies[i]!.file.servers,
      design: d.design,
      verdict: d.verdict,
      confirmed: d.confirmed,
      parameters:
        d.chosen === null
          ? ""
          : Object.entries(d.chosen.parameters)
              .map(([k, v]) => `${k}=${v}`)
              .join(" "),
      objective: p.rules.objective,
      objectiveTypical: d.chosen?.objective.typical ?? null,
      hardwareScore: d.chosen?.hardwareScore ?? null,
    })),
  );
  return { variables: variables.map((v) => v.path), rows, plans };
}

const CSV_SAFE = /^[^",\n\r]*$/;
const csvCell = (v: string | number | boolean | null): string => {
  const s = v === null ? "" : String(v);
  return CSV_SAFE.test(s) ? s : `"${s.replaceAll('"', '""')}"`;
};

/** The sweep as CSV: a column per variable, then servers, design, verdict, confirmed, parameters, objective. */
export function sweepCsv(r: SweepResult): string {
  const head = [
    ...r.variables,
    "servers",
    "design",
    "verdict",
    "confirmed",
    "parameters",
    "objective_name",
    "objective_typical",
    "hardware_score",
  ];
  const lines = r.rows.map((row) =>
    [
      ...r.variables.map((v) => row.values[v] ?? ""),
      row.servers,
      row.design,
      row.verdict,
      row.confirmed,
      row.parameters,
      row.objective,
      row.objectiveTypical === null ? null : Math.round(row.objectiveTypical * 100) / 100,
      row.hardwareScore,
    ]
      .map(csvCell)
      .join(","),
  );
  return `${[head.join(","), ...lines].join("\n")}\n`;
}
