/**
 * What the page can load: the reference racks and the study (bundled with `?raw`, so
 * the built site works offline), or a user's file. Parsing uses the CLI's own code, so
 * the validation messages are the CLI's: `file:line:col path: message`.
 */
import { expandStudy } from "../../src/design/index.js";
import { parseStudy, type Study } from "../../src/study/index.js";
import { formatIssues } from "../../src/topology/issues.js";
import { parseTopology } from "../../src/topology/load.js";
import type { Design, ResolvedTopology } from "../../src/topology/types.js";
import director from "../../topologies/director-rack.yaml?raw";
import mriov from "../../topologies/mriov-rack.yaml?raw";
import lastMile from "../../topologies/studies/last-mile.yaml?raw";
import traditional from "../../topologies/traditional-rack.yaml?raw";
import ucs from "../../topologies/ucs-rack.yaml?raw";

export interface Builtin {
  readonly file: string;
  readonly text: string;
}

export const BUILTINS: readonly Builtin[] = [
  { file: "ucs-rack.yaml", text: ucs },
  { file: "director-rack.yaml", text: director },
  { file: "mriov-rack.yaml", text: mriov },
  { file: "traditional-rack.yaml", text: traditional },
  { file: "studies/last-mile.yaml", text: lastMile },
];

export type Loaded =
  | { readonly ok: true; readonly topology: ResolvedTopology; readonly study: Study | null }
  | { readonly ok: false; readonly lines: readonly string[] };

/** A study describes a site compactly (`groups:`); a topology lists its nodes (`topology:`). */
export function isStudy(text: string): boolean {
  return /^groups\s*:/m.test(text) && !/^topology\s*:/m.test(text);
}

/**
 * Parses a topology, or a study expanded with `design` (its first design when null).
 * Never throws: problems come back as the CLI's error lines.
 */
export function load(text: string, file: string, design: Design | null): Loaded {
  if (!isStudy(text)) {
    const r = parseTopology(text, file);
    return r.ok
      ? { ok: true, topology: r.topology, study: null }
      : { ok: false, lines: formatIssues(r.issues).split("\n") };
  }
  const s = parseStudy(text, file);
  if (!s.ok) return { ok: false, lines: formatIssues(s.issues).split("\n") };
  const d = design !== null && s.study.designs.includes(design) ? design : s.study.designs[0];
  if (d === undefined) return { ok: false, lines: [`${file}: the study compares no designs`] };
  try {
    const yaml = expandStudy(s.study, d);
    const r = parseTopology(yaml, `${file} (${d})`);
    return r.ok
      ? { ok: true, topology: r.topology, study: s.study }
      : { ok: false, lines: formatIssues(r.issues).split("\n") };
  } catch (err) {
    return { ok: false, lines: [`${file}: ${err instanceof Error ? err.message : String(err)}`] };
  }
}
