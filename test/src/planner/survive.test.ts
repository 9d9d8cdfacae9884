import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { loadCatalog } from "../../../src/catalog/read-files.js";
import type { Catalog } from "../../../src/catalog/types.js";
import { plan } from "../../../src/planner/plan.js";
import { flowSurvive } from "../../../src/planner/survive.js";
import { parseStudy, type Study } from "../../../src/study/index.js";
import { formatIssues, parseTopology } from "../../../src/topology/index.js";
import type { ResolvedTopology } from "../../../src/topology/types.js";

const read = (path: string) => readFileSync(new URL(`../../../${path}`, import.meta.url), "utf8");

function rack(name: string): ResolvedTopology {
  const r = parseTopology(read(`topologies/${name}.yaml`), `${name}.yaml`);
  if (!r.ok) throw new Error(formatIssues(r.issues));
  return r.topology;
}

describe("flowSurvive", () => {
  it("passes the director rack: every shared component has a twin the routes move to", () => {
    const check = flowSurvive(rack("director-rack"));
    expect(check).toMatchObject({ fidelity: "flow", status: "met", reasons: [] });
    expect(check.components).toBeGreaterThanOrEqual(4);
  });

  it("fails the MR-IOV rack: a PCIe box is the only path of its 16 hosts", () => {
    const check = flowSurvive(rack("mriov-rack"));
    expect(check.status).toBe("missed");
    expect(check.reasons.some((r) => /failed: no path left for .*db-io/.test(r))).toBe(true);
  });
});

describe("plan with survive: single-failure", () => {
  let catalog: Catalog;
  const study = (survive: boolean): Study => {
    let text = read("topologies/studies/last-mile.yaml");
    if (survive) text = text.replace(/^# survive: single-failure.*$/m, "survive: single-failure");
    // A narrower MR-IOV space (12 combinations, not 48): every one is searched when none survives.
    text = text.replace(
      "ethAdaptersPerBox: { value: 2, range: [1, 4] }",
      "ethAdaptersPerBox: { value: 2, range: [1, 2] }",
    );
    text = text.replace(
      "fcAdaptersPerBox: { value: 2, range: [1, 4] }",
      "fcAdaptersPerBox: { value: 2, range: [1, 2] }",
    );
    const r = parseStudy(text, "study.yaml");
    if (!r.ok) throw new Error(formatIssues(r.issues));
    return r.study;
  };
  beforeAll(async () => {
    const c = await loadCatalog([]);
    if (!c.ok) throw new Error("catalog");
    catalog = c.catalog;
  });

  it("finds no MR-IOV configuration (every host hangs off one box) though one meets without failures", async () => {
    const without = await plan(study(false), catalog, { designs: ["mriov"], confirm: false });
    expect(without.designs[0]!.verdict).toBe("met");
    const r = await plan(study(true), catalog, { designs: ["mriov"], confirm: false });
    const d = r.designs[0]!;
    expect(d.verdict).toBe("none");
    expect(d.notes.join("\n")).toMatch(/after any single failure .*no path left/);
  });

  it("confirms the director's choice with one degraded packet run per shared component", async () => {
    const r = await plan(study(true), catalog, { designs: ["director"], replications: 3 });
    const d = r.designs[0]!;
    expect(d.verdict).toBe("met");
    expect(d.chosen!.survive).toMatchObject({ fidelity: "packet", status: "met" });
    const components = d.chosen!.survive!.components;
    expect(components).toBeGreaterThanOrEqual(4);
    // Degraded runs only for candidates that meet without a failure: a whole number of sets, at least one.
    expect(r.size.survive.packetRuns % components).toBe(0);
    expect(r.size.survive.packetRuns).toBeGreaterThanOrEqual(components);
    expect(r.size.survive.flowEvaluations).toBeGreaterThanOrEqual(components);
  });
});
