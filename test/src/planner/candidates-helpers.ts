import { readFileSync } from "node:fs";
import { expect } from "vitest";
import type { Catalog } from "../../../src/catalog/types.js";
import type { ParamValue } from "../../../src/design/index.js";
import { CandidateOrder, combinations, enumerateCandidates } from "../../../src/planner/candidates.js";
import { parseStudy, type Study } from "../../../src/study/index.js";
import { formatIssues } from "../../../src/topology/index.js";
import type { Design } from "../../../src/topology/types.js";

/** The built-in study's text. */
export const STUDY = readFileSync(new URL("../../../topologies/studies/last-mile.yaml", import.meta.url), "utf8");

export function study(text: string): Study {
  const r = parseStudy(text, "study.yaml");
  if (!r.ok) throw new Error(formatIssues(r.issues));
  return r.study;
}

/** The study with some parameters' candidates replaced (a smaller search space, same generators). */
export function narrow(s: Study, design: Design, values: Record<string, ParamValue[]>): Study {
  const params = { ...s.parameters[design] };
  for (const [name, candidates] of Object.entries(values)) {
    const p = params[name];
    if (p === undefined) throw new Error(`the study has no ${design} parameter ${name}`);
    params[name] = { ...p, candidates };
  }
  return { ...s, parameters: { ...s.parameters, [design]: params } };
}

/** Every candidate's enumeration index, in the order's hardware order. */
export async function walk(order: CandidateOrder): Promise<number[]> {
  const out: number[] = [];
  for (let r = 0; ; r++) {
    const c = await order.at(r);
    if (c === undefined) return out;
    out.push(c.index);
  }
}

/** The best-first walk visits exactly the order of building and sorting every candidate, with the same counts. */
export async function expectWalkEqualsFullSort(s: Study, design: Design, catalog: Catalog): Promise<void> {
  const full = await enumerateCandidates(s, design, catalog);
  const order = new CandidateOrder(s, design, catalog);
  expect(await walk(order)).toEqual(full.candidates.map((c) => c.index));
  const counts = order.counts();
  expect(counts.exhausted).toBe(true);
  expect(counts.enumerated).toBe(combinations(s, design).length);
  expect(counts.refused).toBe(full.counts.refused);
  expect(counts.infeasible).toBe(full.counts.infeasible);
}
