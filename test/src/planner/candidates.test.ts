import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { loadCatalog } from "../../../src/catalog/read-files.js";
import type { Catalog } from "../../../src/catalog/types.js";
import {
  CandidateOrder,
  combinations,
  enumerateCandidates,
  MonotonicityError,
} from "../../../src/planner/candidates.js";
import { plan } from "../../../src/planner/plan.js";
import { parseStudy, type Study } from "../../../src/study/index.js";
import { formatIssues } from "../../../src/topology/index.js";
import type { Design } from "../../../src/topology/types.js";

const STUDY = readFileSync(new URL("../../../topologies/studies/last-mile.yaml", import.meta.url), "utf8");

function study(text: string): Study {
  const r = parseStudy(text, "study.yaml");
  if (!r.ok) throw new Error(formatIssues(r.issues));
  return r.study;
}

let catalog: Catalog;
let reference: Study;
beforeAll(async () => {
  const c = await loadCatalog([]);
  if (!c.ok) throw new Error("catalog");
  catalog = c.catalog;
  reference = study(STUDY);
});

async function walk(order: CandidateOrder): Promise<number[]> {
  const out: number[] = [];
  for (let r = 0; ; r++) {
    const c = await order.at(r);
    if (c === undefined) return out;
    out.push(c.index);
  }
}

describe("CandidateOrder", () => {
  // The traditional design's space is the largest (1,152 combinations): narrowed here to keep the test short.
  const narrowTraditional = STUDY.replace(
    "teamPorts: { value: 4, range: [1, 6] }",
    "teamPorts: { value: 4, range: [2, 4] }",
  ).replace("torUplinks: { value: 4, range: [1, 4] }", "torUplinks: { value: 4, range: [3, 4] }");

  it.each<Design>(["director", "ucs", "mriov", "traditional"])(
    "walks the %s design in exactly the order of building and sorting everything",
    async (design) => {
      const s = design === "traditional" ? study(narrowTraditional) : reference;
      const full = await enumerateCandidates(s, design, catalog);
      const order = new CandidateOrder(s, design, catalog);
      expect(await walk(order)).toEqual(full.candidates.map((c) => c.index));
      const counts = order.counts();
      expect(counts.exhausted).toBe(true);
      expect(counts.enumerated).toBe(combinations(s, design).length);
      expect(counts.refused).toBe(full.counts.refused);
      expect(counts.infeasible).toBe(full.counts.infeasible);
    },
    60_000,
  );

  it("builds only what the search reaches: the least hardware of the UCS design without building all 256", async () => {
    const order = new CandidateOrder(reference, "ucs", catalog);
    const first = await order.at(0);
    const full = await enumerateCandidates(reference, "ucs", catalog);
    expect(first!.index).toBe(full.candidates[0]!.index);
    expect(order.counts().built).toBeLessThan(full.counts.enumerated / 4);
  });

  // hostsPerAdapter is a choice in the study because more hosts per shared adapter means fewer adapters;
  // given as a range, one step up lowers the objective (fewer adapters, boxes and cables cost less) and the
  // walk must notice.
  const descending = () =>
    study(
      STUDY.replace(
        "hostsPerAdapter: { value: 16, choices: [4, 8, 16] }",
        "hostsPerAdapter: { value: 16, range: [4, 16] }",
      ),
    );

  it("throws MonotonicityError when one step up a range lowers the objective", async () => {
    const order = new CandidateOrder(descending(), "mriov", catalog);
    await expect(walk(order)).rejects.toBeInstanceOf(MonotonicityError);
  });

  it("the planner then builds and sorts everything, and says so", async () => {
    const s = descending();
    const r = await plan(s, catalog, { designs: ["mriov"], confirm: false });
    const d = r.designs[0]!;
    expect(d.notes.some((n) => n.startsWith("every candidate built and sorted"))).toBe(true);
    expect(d.candidates.built).toBe(d.candidates.enumerated - d.candidates.refused);
    const full = await enumerateCandidates(s, "mriov", catalog);
    expect(d.chosen!.objective.typical).toBeGreaterThanOrEqual(full.candidates[0]!.score);
  }, 60_000);
});
