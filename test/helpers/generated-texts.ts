import { readFileSync } from "node:fs";
import { expandStudy } from "../../src/design/index.js";
import { combinations } from "../../src/planner/candidates.js";
import { parseStudy, type Study } from "../../src/study/index.js";
import { formatIssues } from "../../src/topology/index.js";
import type { Design } from "../../src/topology/types.js";

const STUDY = readFileSync(new URL("../../topologies/studies/last-mile.yaml", import.meta.url), "utf8");

/** The built-in study. */
export function lastMileStudy(): Study {
  const r = parseStudy(STUDY, "study.yaml");
  if (!r.ok) throw new Error(formatIssues(r.issues));
  return r.study;
}

/** Generated texts of a design at a size: the first, a middle and the last combination the generator builds. */
export function generatedTexts(site: Study, design: Design): string[] {
  const combos = combinations(site, design);
  const out: string[] = [];
  for (const i of [0, Math.floor(combos.length / 2), combos.length - 1]) {
    for (let k = i; k < combos.length; k++) {
      try {
        out.push(expandStudy(site, design, combos[k]!));
        break;
      } catch {
        // Refused by the generator: the next one.
      }
    }
  }
  return out;
}
