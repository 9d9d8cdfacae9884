import { beforeAll, describe, expect, it } from "vitest";
import { loadCatalog } from "../../../src/catalog/read-files.js";
import type { Catalog } from "../../../src/catalog/types.js";
import { expandStudy, type ParamValue } from "../../../src/design/index.js";
import {
  buildCandidate,
  CandidateOrder,
  enumerateCandidates,
  landCandidate,
  MonotonicityError,
  shipCandidate,
} from "../../../src/planner/candidates.js";
import { Dominance } from "../../../src/planner/dominance.js";
import { plan } from "../../../src/planner/plan.js";
import type { Study } from "../../../src/study/index.js";
import type { Design } from "../../../src/topology/types.js";
import { expectWalkEqualsFullSort, narrow, STUDY, study, walk } from "./candidates-helpers.js";

let catalog: Catalog;
let reference: Study;
beforeAll(async () => {
  const c = await loadCatalog([]);
  if (!c.ok) throw new Error("catalog");
  catalog = c.catalog;
  reference = study(STUDY);
});

describe("CandidateOrder", () => {
  // Each design's space narrowed (a few dozen combinations, every kind of parameter still
  // varying): the walk must equal building and sorting everything. The whole spaces are walked
  // in candidates.slow.test.ts (`npm run test:slow`).
  const NARROW: Record<Design, Record<string, ParamValue[]>> = {
    director: { ibUplinks: [1, 2, 3], ethModules: [1, 2, 3], fcModules: [1, 2], sanArrayPorts: [2] },
    ucs: {
      iomUplinks: [2, 4],
      fiLanUplinks: [1, 2, 3],
      fiFcUplinks: [1, 2, 3],
      bulkPinGroup: [0, 1],
      lanFailover: ["teaming"],
      sanArrayPorts: [2],
    },
    mriov: { hostsPerBox: [8, 16], ethAdaptersPerBox: [1, 2, 3], fcAdaptersPerBox: [1, 2, 3], sanArrayPorts: [2] },
    traditional: { access: ["switch", "fex"], accessUplinks: [1, 2], fexUplinks: [1, 2], sanArrayPorts: [1, 2] },
  };

  it.each<Design>(["director", "ucs", "mriov", "traditional"])(
    "walks a narrowed %s space in exactly the order of building and sorting everything",
    async (design) => {
      const s = narrow(reference, design, NARROW[design]);
      await expectWalkEqualsFullSort(s, design, catalog);
    },
  );

  it("builds only what the search reaches: the least hardware of 96 UCS combinations after building a few", async () => {
    const s = narrow(reference, "ucs", {
      iomUplinks: [1, 2, 4],
      fiLanUplinks: [1, 2, 3, 4],
      fiFcUplinks: [1, 2, 3, 4],
      bulkPinGroup: [0, 1],
      lanFailover: ["teaming"],
      sanArrayPorts: [2],
    });
    const order = new CandidateOrder(s, "ucs", catalog);
    const first = await order.at(0);
    const full = await enumerateCandidates(s, "ucs", catalog);
    expect(full.counts.enumerated).toBe(96);
    expect(first!.index).toBe(full.candidates[0]!.index);
    expect(order.counts().built).toBeLessThan(full.counts.enumerated / 4);
  });

  /**
   * UCS's space with its ranges as the study gives them (LAN, FC uplinks and array ports) and two misses,
   * walked to the end: the candidates no miss answers for, in walk order. The misses are noted up front,
   * or (`noteAt`) once the walk has handed out that rank, as a search notes them while its walk runs ahead.
   */
  const ucsSpace = () => narrow(reference, "ucs", { iomUplinks: [1, 2], lanFailover: ["teaming"], bulkPinGroup: [0] });
  async function walkPastMisses(s: Study, noteAt?: number) {
    const point = (iom: number, lan: number, fc: number, ports: number) => ({
      ...Object.fromEntries(Object.entries(s.parameters.ucs!).map(([k, p]) => [k, p.value])),
      iomUplinks: iom,
      fiLanUplinks: lan,
      fiFcUplinks: fc,
      sanArrayPorts: ports,
    });
    const dominance = new Dominance(s.parameters.ucs!);
    const note = () => {
      dominance.miss(point(1, 3, 1, 3), new Set(["lan"]));
      dominance.miss(point(1, 4, 2, 2), new Set(["san"]));
    };
    if (noteAt === undefined) note();
    const order = new CandidateOrder(
      s,
      "ucs",
      catalog,
      undefined,
      undefined,
      (p) => dominance.dominated(p),
      (p) => dominance.exits(p),
    );
    const walked: number[] = [];
    for (let r = 0; ; r++) {
      const c = await order.at(r);
      if (c === undefined) break;
      if (r === noteAt) note();
      if (!dominance.dominated(c.parameters)) walked.push(c.index);
    }
    return { walked, order, dominance };
  }

  it("walks past what the search skips without stepping through it: the rest in exactly the full sort's order, fewer built", async () => {
    const s = ucsSpace();
    const { walked, order, dominance } = await walkPastMisses(s);
    const full = await enumerateCandidates(s, "ucs", catalog);
    const expected = full.candidates.filter((c) => !dominance.dominated(c.parameters)).map((c) => c.index);
    expect(walked).toEqual(expected);
    expect(expected.length).toBeLessThan(full.candidates.length);
    expect(order.counts().built).toBeLessThan(full.counts.enumerated - order.skippedUnbuilt());
  });

  it("goes on from the way out of a node that a miss noted after it was reached skips, in the full sort's order", async () => {
    const s = ucsSpace();
    const early = await walkPastMisses(s);
    const late = await walkPastMisses(s, 10);
    // Every candidate the early walk keeps, in its order; besides them only what was walked before the note.
    expect(late.walked.filter((i) => early.walked.includes(i))).toEqual(early.walked);
    expect(late.walked.length - early.walked.length).toBeLessThanOrEqual(11);
  });

  // hostsPerBox is a choice in the study because more hosts per box means fewer boxes and adapters;
  // given as a range, one step up lowers the objective (fewer adapters, boxes and cables cost less) and the
  // walk must notice.
  const descending = () =>
    study(
      STUDY.replace("hostsPerBox: { value: 16, choices: [8, 16] }", "hostsPerBox: { value: 16, range: [12, 16] }")
        .replace("ethAdaptersPerBox: { value: 2, range: [1, 4] }", "ethAdaptersPerBox: { value: 2, range: [1, 2] }")
        .replace("fcAdaptersPerBox: { value: 1, range: [1, 4] }", "fcAdaptersPerBox: { value: 1, range: [1, 2] }")
        .replaceAll("sanArrayPorts: { value: 2, range: [1, 4] }", "sanArrayPorts: 2"),
    );

  it("throws MonotonicityError when one step up a range lowers the objective", async () => {
    const order = new CandidateOrder(descending(), "mriov", catalog);
    await expect(walk(order)).rejects.toBeInstanceOf(MonotonicityError);
  });

  it("the planner then builds and sorts everything, and says so", async () => {
    // Narrowed to 20 combinations; every step from 4 to 8 hosts per box still lowers the score (10 … 5 box pairs).
    const s = narrow(descending(), "mriov", {
      hostsPerBox: [4, 5, 6, 7, 8],
      ethAdaptersPerBox: [1, 2],
      fcAdaptersPerBox: [1, 2],
    });
    const r = await plan(s, catalog, { designs: ["mriov"], confirm: false });
    const d = r.designs[0]!;
    expect(d.notes.some((n) => n.startsWith("every candidate built and sorted"))).toBe(true);
    expect(d.candidates.built).toBe(d.candidates.enumerated - d.candidates.refused);
    const full = await enumerateCandidates(s, "mriov", catalog);
    expect(d.chosen!.objective.typical).toBeGreaterThanOrEqual(full.candidates[0]!.score);
  });
});

describe("buildCandidate", () => {
  it("prices a topology once: combinations that change nothing in it share its BOM, as a fresh build prices it", () => {
    // On switch access the traditional generator does not read fexUplinks: the same topology, other comments.
    const base = { access: "switch", accessUplinks: 2, fexUplinks: 1, sanArrayPorts: 2, sanIsl: 2 };
    const a = buildCandidate(reference, "traditional", catalog, 0, base)!;
    const b = buildCandidate(reference, "traditional", catalog, 1, { ...base, fexUplinks: 3 })!;
    expect(b.yaml).not.toBe(a.yaml);
    expect(b.bom).toBe(a.bom);
    // A study object of its own has an empty cache: the same figures from a parse and a BOM of their own.
    const fresh = buildCandidate(study(STUDY), "traditional", catalog, 1, { ...base, fexUplinks: 3 })!;
    expect(fresh.bom).not.toBe(b.bom);
    expect(fresh.bom).toEqual(b.bom);
    expect(fresh.tco).toEqual(b.tco);
    expect(b.topo.links.length).toBe(fresh.topo.links.length);
  });

  it("ships without parsing: the parsed topology is left behind", () => {
    const base = { access: "switch", accessUplinks: 2, fexUplinks: 2, sanArrayPorts: 2, sanIsl: 2 };
    buildCandidate(reference, "traditional", catalog, 0, base);
    const again = buildCandidate(reference, "traditional", catalog, 1, { ...base, fexUplinks: 4 })!;
    const shipped = shipCandidate(again)!;
    expect(Object.keys(shipped)).not.toContain("topo");
    expect(Object.keys(shipped)).not.toContain("yaml");
    expect(Object.keys(shipped.bom).sort()).toEqual(["feasible", "flags", "items", "totals"]);
  });

  it("lands a shipped candidate with its text generated again on first use: the same text and topology", () => {
    const parameters = { access: "fex", accessUplinks: 2, fexUplinks: 2, sanArrayPorts: 2, sanIsl: 2 };
    const built = buildCandidate(reference, "traditional", catalog, 3, parameters)!;
    let generated = 0;
    const landed = landCandidate(shipCandidate(built), () => {
      generated++;
      return expandStudy(reference, "traditional", parameters);
    })!;
    expect(generated).toBe(0);
    expect(landed.yaml).toBe(built.yaml);
    expect(landed.yaml).toBe(built.yaml);
    expect(generated).toBe(1);
    expect(landed.topo.links).toEqual(built.topo.links);
  });
});
