import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { loadCatalog } from "../../../src/catalog/read-files.js";
import type { Catalog } from "../../../src/catalog/types.js";
import { expandStudy } from "../../../src/design/index.js";
import { plan } from "../../../src/planner/plan.js";
import {
  type ComponentMargin,
  componentsToConfirm,
  flowSurvive,
  SURVIVE_CONFIRM,
} from "../../../src/planner/survive.js";
import { parseStudy, type Study } from "../../../src/study/index.js";
import { formatIssues, parseTopology } from "../../../src/topology/index.js";
import type { ResolvedTopology } from "../../../src/topology/types.js";

const read = (path: string) => readFileSync(new URL(`../../../${path}`, import.meta.url), "utf8");

function rack(name: string): ResolvedTopology {
  const r = parseTopology(read(`topologies/${name}.yaml`), `${name}.yaml`);
  if (!r.ok) throw new Error(formatIssues(r.issues));
  return r.topology;
}

function study(edit: (text: string) => string = (t) => t): Study {
  const r = parseStudy(edit(read("topologies/studies/last-mile.yaml")), "study.yaml");
  if (!r.ok) throw new Error(formatIssues(r.issues));
  return r.study;
}

describe("flowSurvive", () => {
  it("passes the director rack: every shared component has a twin the routes move to; a margin for each", () => {
    const check = flowSurvive(rack("director-rack"));
    expect(check).toMatchObject({ fidelity: "flow", status: "met", reasons: [] });
    expect(check.components).toBeGreaterThanOrEqual(10);
    expect(check.margins).toHaveLength(check.components);
    for (const m of check.margins) expect(m.margin).toBeLessThan(1);
    // Least margin first.
    expect(check.margins.map((m) => m.margin)).toEqual([...check.margins.map((m) => m.margin)].sort((a, b) => b - a));
  });

  it("fails a non-redundant MR-IOV site: a PCIe box is the only path of its servers", () => {
    const s = study((t) =>
      t.replace("survive: single-failure\n", "").replace("redundancy: redundant", "redundancy: none"),
    );
    const r = parseTopology(expandStudy(s, "mriov"), "mriov");
    if (!r.ok) throw new Error(formatIssues(r.issues));
    const check = flowSurvive(r.topology);
    expect(check.status).toBe("missed");
    expect(check.reasons.some((x) => /^pbox-a1 failed: no path left for .*(db-io|vm-lan)/.test(x))).toBe(true);
    // A search stops at the first component that breaks a row.
    const quick = flowSurvive(r.topology, "all", { stopAtFirstMiss: true, firstKinds: ["pcie-switch"] });
    expect(quick.components).toBe(1);
    expect(quick.failedKinds).toEqual(["pcie-switch"]);
    // It names the workloads the failure broke, as a search's pruning reads them (their sides).
    const named = quick.reasons.flatMap((x) => x.replace(/^.*?failed: (no path left for )?/, "").split(", "));
    expect(quick.missedWorkloads.length).toBeGreaterThan(0);
    for (const w of quick.missedWorkloads) expect(named.some((x) => x === w || x.startsWith(`${w} `))).toBe(true);
    expect(quick.missedWorkloads).toEqual([...quick.missedWorkloads].sort());
    expect(flowSurvive(rack("director-rack")).missedWorkloads).toEqual([]);
  });

  it("can fail just the busiest component of each kind (the site-size curve)", () => {
    const t = rack("mriov-rack");
    const busiest = flowSurvive(t, "busiest-per-kind");
    const kinds = new Set(busiest.margins.map((m) => m.kind));
    expect(busiest.components).toBe(kinds.size);
    expect(busiest.components).toBeLessThan(flowSurvive(t).components);
  });
});

describe("componentsToConfirm", () => {
  const m = (label: string, kind: string, margin: number, flagged: string[] = []): ComponentMargin => ({
    label,
    kind,
    target: { kind: "node", node: label },
    margin,
    flagged,
  });

  it("takes per kind the least margin, kinds in lossy contention first, then by margin", () => {
    const picked = componentsToConfirm([
      m("san-a", "fc-switch", 0.4),
      m("san-b", "fc-switch", 0.5),
      m("fi-a", "fabric-interconnect", 0.3, ["backup"]),
      m("iom1a", "fabric-extender", 0.9),
      m("iom2a", "fabric-extender", 0.2),
    ]);
    expect(SURVIVE_CONFIRM).toBe(2);
    expect(picked.map((x) => x.label)).toEqual(["fi-a", "iom1a"]);
    expect(componentsToConfirm([m("a", "x", 0.1)], 5).map((x) => x.label)).toEqual(["a"]);
  });
});

describe("plan with survive: single-failure", () => {
  let catalog: Catalog;
  beforeAll(async () => {
    const c = await loadCatalog([]);
    if (!c.ok) throw new Error("catalog");
    catalog = c.catalog;
  });

  it("confirms the director's choice with degraded packet runs of the components the flow level trusts least", async () => {
    // A narrower director space (16 combinations).
    const s = study((t) =>
      t
        .replace("ethModules: { value: 1, range: [1, 4] }", "ethModules: { value: 1, range: [1, 2] }")
        .replace("fcModules: { value: 1, range: [1, 4] }", "fcModules: { value: 1, range: [1, 2] }")
        .replace("ibUplinks: { value: 2, range: [1, 4] }", "ibUplinks: { value: 2, range: [1, 2] }"),
    );
    const r = await plan(s, catalog, { designs: ["director"], replications: 2, curve: false });
    const d = r.designs[0]!;
    expect(d.verdict).toBe("met");
    const sv = d.chosen!.survive!;
    expect(sv).toMatchObject({ fidelity: "packet", status: "met" });
    expect(sv.components).toBeGreaterThanOrEqual(10);
    expect(sv.confirmed).toHaveLength(SURVIVE_CONFIRM);
    expect(d.notes.join("\n")).toMatch(
      /survive: single-failure met: judged at flow level over \d+ shared components, 2 confirmed at packet level/,
    );
    // Degraded runs only for candidates confirmed at packet level: SURVIVE_CONFIRM each.
    expect(r.size.survive.packetRuns % SURVIVE_CONFIRM).toBe(0);
    expect(r.size.survive.packetRuns).toBeGreaterThanOrEqual(SURVIVE_CONFIRM);
    expect(r.size.survive.flowEvaluations).toBeGreaterThanOrEqual(sv.components);
  }, 180_000);
});
