import { beforeAll, describe, expect, it } from "vitest";
import { loadCatalog } from "../../../src/catalog/read-files.js";
import type { Catalog } from "../../../src/catalog/types.js";
import { CandidateOrder, enumerateCandidates } from "../../../src/planner/candidates.js";
import type { Study } from "../../../src/study/index.js";
import type { Design } from "../../../src/topology/types.js";
import { expectWalkEqualsFullSort, STUDY, study } from "./candidates-helpers.js";

// `npm run test:slow`: the walks over the built-in study's whole parameter spaces (a minute or
// more on a busy machine); candidates.test.ts walks narrowed spaces of every design in `npm test`.

let catalog: Catalog;
let reference: Study;
beforeAll(async () => {
  const c = await loadCatalog([]);
  if (!c.ok) throw new Error("catalog");
  catalog = c.catalog;
  reference = study(STUDY);
});

describe("CandidateOrder over the built-in study's whole spaces", () => {
  // The UCS design's space is the largest (2,048 combinations): its LAN failover choice fixed here (1,024).
  const narrowUcs = STUDY.replace(
    "lanFailover: { value: teaming, choices: [teaming, fabric-failover] }",
    "lanFailover: teaming",
  );

  it.each<Design>(["director", "ucs", "mriov", "traditional"])(
    "walks the %s design in exactly the order of building and sorting everything",
    async (design) => {
      const s = design === "ucs" ? study(narrowUcs) : reference;
      await expectWalkEqualsFullSort(s, design, catalog);
    },
  );

  it("builds only what the search reaches: the least hardware of the UCS design without building its whole space", async () => {
    const order = new CandidateOrder(reference, "ucs", catalog);
    const first = await order.at(0);
    const full = await enumerateCandidates(reference, "ucs", catalog);
    expect(first!.index).toBe(full.candidates[0]!.index);
    expect(order.counts().built).toBeLessThan(full.counts.enumerated / 4);
  });
});
