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
  // Narrowed spaces keep the test short (the study's UCS space alone has 2,048 combinations).
  const narrow = STUDY.replace("accessUplinks: { value: 2, range: [1, 2] }", "accessUplinks: 2")
    .replace("fexUplinks: { value: 2, range: [1, 4] }", "fexUplinks: { value: 2, range: [1, 2] }")
    .replace("lanFailover: { value: teaming, choices: [teaming, fabric-failover] }", "lanFailover: teaming")
    .replace("bulkPinGroup: { value: 0, range: [0, 1] }", "bulkPinGroup: 0")
    .replace("fiLanUplinks: { value: 4, range: [1, 8] }", "fiLanUplinks: { value: 4, range: [1, 4] }")
    .replaceAll("sanArrayPorts: { value: 2, range: [1, 4] }", "sanArrayPorts: 2");

  it.each<Design>(["director", "ucs", "mriov", "traditional"])(
    "walks the %s design in exactly the order of building and sorting everything",
    async (design) => {
      const s = study(narrow);
      const full = await enumerateCandidates(s, design, catalog);
      const order = new CandidateOrder(s, design, catalog);
      expect(await walk(order)).toEqual(full.candidates.map((c) => c.index));
      const counts = order.counts();
      expect(counts.exhausted).toBe(true);
      expect(counts.enumerated).toBe(combinations(s, design).length);
      expect(counts.refused).toBe(full.counts.refused);
      expect(counts.infeasible).toBe(full.counts.infeasible);
    },
    120_000,
  );

  it("builds only what the search reaches: the least hardware of the UCS design without building all 2,048", async () => {
    const order = new CandidateOrder(reference, "ucs", catalog);
    const first = await order.at(0);
    expect(combinations(reference, "ucs")).toHaveLength(2048);
    expect(order.counts().built).toBeLessThan(2048 / 8);
    const full = await enumerateCandidates(study(narrow), "ucs", catalog);
    // No candidate of a sub-space has less hardware than the whole space's least.
    expect(first!.score).toBeLessThanOrEqual(full.candidates[0]!.score);
  }, 120_000);

  // hostsPerBox is a choice in the study because more hosts per box means fewer boxes and adapters;
  // given as a range, one step up lowers the hardware score and the walk must notice.
  const descending = () =>
    study(
      STUDY.replace("hostsPerBox: { value: 16, choices: [8, 16] }", "hostsPerBox: { value: 16, range: [12, 16] }")
        .replace("ethAdaptersPerBox: { value: 2, range: [1, 4] }", "ethAdaptersPerBox: { value: 2, range: [1, 2] }")
        .replace("fcAdaptersPerBox: { value: 1, range: [1, 4] }", "fcAdaptersPerBox: { value: 1, range: [1, 2] }")
        .replaceAll("sanArrayPorts: { value: 2, range: [1, 4] }", "sanArrayPorts: 2"),
    );

  it("throws MonotonicityError when one step up a range lowers the hardware score", async () => {
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
    expect(d.chosen!.hardwareScore).toBeGreaterThanOrEqual(full.candidates[0]!.score);
  }, 60_000);
});
