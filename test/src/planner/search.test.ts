import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadCatalog } from "../../../src/catalog/read-files.js";
import { buildCandidate } from "../../../src/planner/candidates.js";
import { hardwareKey } from "../../../src/planner/search.js";
import { parseStudy } from "../../../src/study/index.js";
import { formatIssues } from "../../../src/topology/index.js";

const STUDY = readFileSync(new URL("../../../topologies/studies/last-mile.yaml", import.meta.url), "utf8");

describe("the smaller neighbour's hardware key", () => {
  it("is the same for UCS candidates that differ only in how vNICs are pinned or fail over, not in their uplinks", async () => {
    const r = parseStudy(STUDY, "study.yaml");
    if (!r.ok) throw new Error(formatIssues(r.issues));
    const c = await loadCatalog([]);
    if (!c.ok) throw new Error("catalog");
    const base = { fiModel: "6248up", iomUplinks: 2, fiLanUplinks: 4, fiFcUplinks: 2, sanArrayPorts: 2, sanIsl: 2 };
    const build = (p: Record<string, string | number>) =>
      buildCandidate(r.study, "ucs", c.catalog, 0, { ...base, lanFailover: "teaming", bulkPinGroup: 0, ...p })!;
    const chosen = build({ bulkPinGroup: 1 });
    // Other pins and failover, the same boxes, cables and ports: no step down.
    expect(build({ bulkPinGroup: 0 }).yaml).not.toBe(chosen.yaml);
    expect(hardwareKey(build({ bulkPinGroup: 0 }))).toBe(hardwareKey(chosen));
    expect(hardwareKey(build({ lanFailover: "fabric-failover" }))).toBe(hardwareKey(chosen));
    // One LAN uplink fewer per fabric interconnect is other hardware.
    expect(hardwareKey(build({ bulkPinGroup: 1, fiLanUplinks: 3 }))).not.toBe(hardwareKey(chosen));
  });
});
