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
import lesson1 from "../../topologies/lessons/1-sr-iov.yaml?raw";
import lesson2 from "../../topologies/lessons/2-mr-iov.yaml?raw";
import lesson3 from "../../topologies/lessons/3-vnic-vhba.yaml?raw";
import lesson4 from "../../topologies/lessons/4-lossless.yaml?raw";
import lesson5 from "../../topologies/lessons/5-blast-radius.yaml?raw";
import lesson6 from "../../topologies/lessons/6-last-mile.yaml?raw";
import mriov from "../../topologies/mriov-rack.yaml?raw";
import lastMile from "../../topologies/studies/last-mile.yaml?raw";
import traditional from "../../topologies/traditional-rack.yaml?raw";
import ucs from "../../topologies/ucs-rack.yaml?raw";

export interface Builtin {
  readonly file: string;
  readonly text: string;
  readonly group: "Reference racks" | "Lessons" | "Studies";
  /** A reference rack is the built-in study expanded with this design at its default parameters. */
  readonly rackOf?: Design;
}

/** The built-in study the reference racks are generated from. */
export const RACK_STUDY = { file: "studies/last-mile.yaml", text: lastMile };

export const BUILTINS: readonly Builtin[] = [
  { file: "ucs-rack.yaml", text: ucs, group: "Reference racks", rackOf: "ucs" },
  { file: "director-rack.yaml", text: director, group: "Reference racks", rackOf: "director" },
  { file: "mriov-rack.yaml", text: mriov, group: "Reference racks", rackOf: "mriov" },
  { file: "traditional-rack.yaml", text: traditional, group: "Reference racks", rackOf: "traditional" },
  { file: "lessons/1-sr-iov.yaml", text: lesson1, group: "Lessons" },
  { file: "lessons/2-mr-iov.yaml", text: lesson2, group: "Lessons" },
  { file: "lessons/3-vnic-vhba.yaml", text: lesson3, group: "Lessons" },
  { file: "lessons/4-lossless.yaml", text: lesson4, group: "Lessons" },
  { file: "lessons/5-blast-radius.yaml", text: lesson5, group: "Lessons" },
  { file: "lessons/6-last-mile.yaml", text: lesson6, group: "Lessons" },
  { file: RACK_STUDY.file, text: lastMile, group: "Studies" },
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
