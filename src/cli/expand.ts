import { DesignError, expandStudy, isDesign, type ParamValue, parseParamValue } from "../design/index.js";
import { DESIGNS, formatIssues, parseTopology } from "../topology/index.js";
import { EXIT, type ExitCode } from "./exit-codes.js";
import { ISSUES_URL } from "./internal-error.js";
import { loadStudyOrCode } from "./load.js";
import { printErr } from "./terminal.js";

export interface ExpandOptions {
  readonly design: string;
  /** `param=value` overrides of the study's current values. */
  readonly set?: readonly string[] | undefined;
}

function usage(message: string): ExitCode {
  printErr(`iovsim expand: ${message}\n`);
  return EXIT.usage;
}

/**
 * `iovsim expand STUDY --design D [--set p=v …]`: prints the explicit topology
 * the design's generator makes from the study, as YAML on stdout. Exit 3 with
 * `file:line:col path: message` lines when the study is invalid; 2 for an
 * unknown design or parameter, a bad `--set`, or a combination the generator
 * cannot build; 70 if the generated topology fails its own validation (a bug).
 */
export async function expandCommand(study: string, opts: ExpandOptions): Promise<ExitCode> {
  if (!isDesign(opts.design)) return usage(`unknown design "${opts.design}"; expected one of: ${DESIGNS.join(", ")}`);
  const overrides: Record<string, ParamValue> = {};
  for (const item of opts.set ?? []) {
    const at = item.indexOf("=");
    if (at <= 0) return usage(`--set expects param=value, got "${item}"`);
    overrides[item.slice(0, at).trim()] = parseParamValue(item.slice(at + 1).trim());
  }
  const loaded = await loadStudyOrCode(study);
  if (typeof loaded === "number") return loaded;
  let yaml: string;
  try {
    yaml = expandStudy(loaded, opts.design, overrides);
  } catch (e) {
    if (e instanceof DesignError) return usage(e.message);
    throw e;
  }
  const check = parseTopology(yaml, `<${opts.design} generated from ${study}>`);
  if (!check.ok) {
    printErr(
      `${formatIssues(check.issues)}\niovsim expand: the generated topology is invalid — a bug in iovsim, not in your study; please report it (the study and this text) to ${ISSUES_URL}\n`,
    );
    return EXIT.internal;
  }
  process.stdout.write(yaml);
  return EXIT.ok;
}
