import { readFile } from "node:fs/promises";
import { LineCounter, parseDocument } from "yaml";
import { formatCatalogIssues } from "../catalog/parse.js";
import { loadCatalog } from "../catalog/read-files.js";
import { DesignError, expandStudy } from "../design/index.js";
import { planSchema } from "../planner/plan-schema.js";
import { formatIssues, parseTopology } from "../topology/index.js";
import { limitsFor, type SizeLimits } from "../topology/size.js";
import type { TopologyIssue } from "../topology/types.js";
import { EXIT, type ExitCode } from "./exit-codes.js";
import { detectKind, usesOf } from "./file-kind.js";
import { loadStudyOrCode, loadTopologyOrCode } from "./load.js";
import { printErr, printOut } from "./terminal.js";

function problems(n: number): string {
  return `${n} problem${n === 1 ? "" : "s"}`;
}

/**
 * `iovsim validate FILE`: recognizes a topology, a study, a catalog or a plan
 * and checks it as the command that takes it would. Exit 0 and a one-line
 * summary, or 3 and one line per problem (`file:line:col path: message`).
 * - topology: schema, references and the semantic checks (what `run` loads);
 * - study: the same, and every design's generated topology at the study's values;
 * - catalog: merged over the built-in catalog, as `--catalog FILE` would be;
 * - plan.json: against the published schema (`schema/plan.schema.json`).
 */
export async function validateCommand(file: string, opts: { allowLarge?: boolean } = {}): Promise<ExitCode> {
  const limits = limitsFor(opts.allowLarge);
  let text: string | null = null;
  try {
    text = await readFile(file, "utf8");
  } catch {
    // The topology loader below says why (no such file, a directory …).
  }
  const kind = text === null ? null : detectKind(text);
  switch (kind) {
    case "study":
      return validateStudy(file, limits);
    case "catalog":
      return validateCatalog(file);
    case "plan":
      return validatePlan(file, text ?? "");
    case "result":
      printErr(
        `${file}:1:1 (file): this is a run result (what \`iovsim run --json\` writes); ${usesOf("result", file)} — validate checks topologies, studies, catalogs and plans\n`,
      );
      return EXIT.invalidInput;
    default:
      return validateTopology(file, limits);
  }
}

async function validateTopology(file: string, limits: SizeLimits): Promise<ExitCode> {
  const topo = await loadTopologyOrCode(file, limits);
  if (typeof topo === "number") return topo;
  const instances = topo.workloads.reduce((a, w) => a + w.instances.length, 0);
  printOut(
    `${file}: ok — topology ${topo.name} (${topo.design}): ${topo.nodes.length} nodes, ${topo.links.length} links, ` +
      `${topo.workloads.length} workloads (${instances} instances), ${topo.sla.length} SLA rows\n`,
  );
  return EXIT.ok;
}

async function validateStudy(file: string, limits: SizeLimits): Promise<ExitCode> {
  const study = await loadStudyOrCode(file, limits);
  if (typeof study === "number") return study;
  // Each design's topology at the study's current values, as `plan` and `expand` make it.
  const issues: TopologyIssue[] = [];
  const refused: string[] = [];
  for (const design of study.designs) {
    let yaml: string;
    try {
      yaml = expandStudy(study, design);
    } catch (e) {
      if (!(e instanceof DesignError)) throw e;
      refused.push(`${file}:1:1 designs.${design}: ${e.message}`);
      continue;
    }
    const r = parseTopology(yaml, `<${design} generated from ${file}>`, { limits });
    if (!r.ok) issues.push(...r.issues);
  }
  if (issues.length + refused.length > 0) {
    const lines = [...refused, ...(issues.length > 0 ? [formatIssues(issues)] : [])];
    printErr(`${lines.join("\n")}\n${file}: ${problems(refused.length + issues.length)} in the generated topologies\n`);
    return EXIT.invalidInput;
  }
  const servers = study.groups.reduce((a, g) => a + g.hosts, 0);
  printOut(
    `${file}: ok — study ${study.file.name}: ${servers} servers in ${study.groups.length} groups, ` +
      `${study.file.sla?.length ?? 0} SLA rows; designs ${study.designs.join(", ")} each generate a valid topology\n`,
  );
  return EXIT.ok;
}

async function validateCatalog(file: string): Promise<ExitCode> {
  const r = await loadCatalog([file]);
  if (!r.ok) {
    printErr(`${formatCatalogIssues(r.issues)}\n${file}: ${problems(r.issues.length)}\n`);
    return EXIT.invalidInput;
  }
  const own = [...r.catalog.entries.values()].filter((e) => e.origin.file === file).length;
  printOut(
    `${file}: ok — catalog: ${own} entr${own === 1 ? "y" : "ies"} from this file, ${r.catalog.entries.size} with the built-in catalog\n`,
  );
  return EXIT.ok;
}

/** 1-based line and column of the value at `path` in a JSON/YAML text (the document's start when not found). */
function positionOf(text: string, path: readonly PropertyKey[]): { line: number; col: number } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n) as unknown[], true) as { range?: [number, number, number] } | undefined;
    if (node?.range !== undefined) return lineCounter.linePos(node.range[0]);
  }
  return { line: 1, col: 1 };
}

function dotted(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) out += typeof p === "number" ? `[${p}]` : out === "" ? String(p) : `.${String(p)}`;
  return out === "" ? "(top)" : out;
}

async function validatePlan(file: string, text: string): Promise<ExitCode> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    printErr(`${file}:1:1 (syntax): not JSON: ${(e as Error).message}\n`);
    return EXIT.invalidInput;
  }
  const r = planSchema.safeParse(raw);
  if (!r.success) {
    const lines = r.error.issues.map((i) => {
      const at = positionOf(text, i.path);
      return `${file}:${at.line}:${at.col} ${dotted(i.path)}: ${i.message}`;
    });
    printErr(`${lines.join("\n")}\n${file}: ${problems(lines.length)} against schema/plan.schema.json\n`);
    return EXIT.invalidInput;
  }
  const p = r.data;
  printOut(
    `${file}: ok — plan of study ${p.study} (iovsim ${p.iovsim}): ${p.designs.map((d) => `${d.design} ${d.verdict}`).join(", ")}\n`,
  );
  return EXIT.ok;
}
