import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { parse, parseDocument, stringify } from "yaml";
import { buildCatalog, formatCatalogIssues } from "../../../src/catalog/parse.js";
import { builtinCatalogFiles } from "../../../src/catalog/read-files.js";
import type { Catalog } from "../../../src/catalog/types.js";
import { buildCandidate, enumerateCandidates } from "../../../src/planner/candidates.js";
import { type PlanResult, plan } from "../../../src/planner/index.js";
import { parseStudy, type Study } from "../../../src/study/index.js";
import { formatIssues } from "../../../src/topology/index.js";

const STUDY_FILE = new URL("../../../topologies/studies/last-mile.yaml", import.meta.url).pathname;

/**
 * The built-in catalog with every part the traditional rack can use priced (USD) and powered, so that
 * no objective leaves anything out: 48-port 1GbE access switches cheap, the Nexus 2248TP fabric
 * extenders and their 5548UP parents at the catalog's (dearer) prices.
 */
const PRICES: Readonly<Record<string, number>> = {
  "generic-onboard-quad-gbe": 0,
  "qlogic-qle2562": 1600,
  "cisco-nexus-2248tp": 11_000,
  "cisco-nexus-5548up": 24_500,
  "generic-quad-gbe-nic": 400,
  "generic-dual-10g-nic-82599": 2500,
  "qlogic-qle2462": 1200,
  "cisco-mds-9148": 15_000,
  "generic-48x1g-tor": 3000,
  "generic-trident-plus-48x10g": 40_000,
  "cat6-patch": 5,
  "mmf-om3-lc-patch": 30,
  "sfp-plus-dac-passive": 100,
  "fc-4g-sfp-sw": 200,
  "fc-8g-sfp-plus-sw": 400,
  "sfp-10g-sr": 600,
};

async function pricedCatalog(): Promise<Catalog> {
  const sources = (await builtinCatalogFiles()).map((file) => {
    const doc = parseDocument(readFileSync(file, "utf8"));
    const raw = doc.toJS() as { entries: Array<Record<string, unknown>> };
    for (const e of raw.entries) {
      const id = e.id as string;
      if (id in PRICES) {
        e.listPriceUsd = PRICES[id];
        e.watts ??= 10;
        if (e.watts === null) e.watts = 10;
      }
      if (id === "generic-core-network") e.portPriceUsd = { "eth-10g": 500, "fc-8g": 800, "fc-4g": 600 };
    }
    return { file, text: stringify(raw) };
  });
  const r = buildCatalog(sources);
  if (!r.ok) throw new Error(formatCatalogIssues(r.issues));
  return r.catalog;
}

/** The traditional design only, without survive, two choices of access layer, everything else fixed. */
function study(objective: string): Study {
  const raw = parse(readFileSync(STUDY_FILE, "utf8")) as {
    objective?: string;
    survive?: string;
    designs: Record<string, { parameters: Record<string, unknown> }>;
  };
  delete raw.survive;
  raw.designs = { traditional: raw.designs.traditional! };
  const t = raw.designs.traditional!.parameters;
  t.access = { value: "switch", choices: ["switch", "fex"] };
  t.accessUplinks = 1;
  t.fexUplinks = 1;
  t.sanArrayPorts = 1;
  raw.objective = objective;
  const s = parseStudy(stringify(raw), "objective.yaml");
  if (!s.ok) throw new Error(formatIssues(s.issues));
  return s.study;
}

let catalog: Catalog;
beforeAll(async () => {
  catalog = await pricedCatalog();
});

describe("the study's objective", () => {
  it("orders the same candidates differently: the FEX rack has fewer parts, the access-switch rack costs less", async () => {
    const byHardware = (await enumerateCandidates(study("hardware"), "traditional", catalog)).candidates;
    const byCapex = (await enumerateCandidates(study("capex"), "traditional", catalog)).candidates;
    expect(byHardware.map((c) => c.parameters.access)).toEqual(["fex", "switch"]);
    expect(byCapex.map((c) => c.parameters.access)).toEqual(["switch", "fex"]);
    const [fex, switches] = byHardware;
    // The cheapest is not the smallest count: more uplinks, optics and ports, but cheaper boxes.
    expect(switches!.hardware).toBeGreaterThan(fex!.hardware);
    const capex = (c: typeof fex) =>
      buildCandidate(study("hardware"), "traditional", catalog, c!.index, c!.parameters)!.tco.capex.typical;
    expect(capex(switches)).toBeLessThan(capex(fex));
    // Everything is priced: neither order rests on a lower bound.
    for (const c of [...byHardware, ...byCapex]) expect(c.partial, JSON.stringify(c.parameters)).toBe(false);
  });

  it("changes the plan's choice (flow level): hardware picks the FEX, capex and tco the access switches", async () => {
    const run = (objective: string): Promise<PlanResult> =>
      plan(study(objective), catalog, { confirm: false, curve: false });
    const [hw, capex, tco] = await Promise.all([run("hardware"), run("capex"), run("tco")]);
    const access = (p: PlanResult) => p.designs[0]!.chosen?.parameters.access;
    expect(access(hw)).toBe("fex");
    expect(access(capex)).toBe("switch");
    expect(access(tco)).toBe("switch");
    expect(hw.rules.objective).toBe("hardware");
    expect(capex.rules.order).toMatch(/^ascending capex/);
    expect(capex.designs[0]!.chosen!.objective.typical).toBeCloseTo(capex.designs[0]!.chosen!.tco.capex.typical, 9);
  }, 120_000);

  it("defaults to tco", () => {
    const raw = parse(readFileSync(STUDY_FILE, "utf8")) as Record<string, unknown>;
    for (const key of ["objective", "cost", "curve", "draws"]) delete raw[key];
    const s = parseStudy(stringify(raw), "s.yaml");
    if (!s.ok) throw new Error(formatIssues(s.issues));
    expect(s.study.file.objective).toBe("tco");
    expect(s.study.file.curve).toEqual([0.4, 0.6, 0.8, 0.9, 0.95, 1]);
    expect(s.study.file.draws).toBe(1000);
    expect(s.study.file.cost).toMatchObject({ era: "today", years: 3, discount: 0, cablingLabour: true });
  });

  it("rejects an unknown objective and a PUE below 1, naming the place", () => {
    const raw = parse(readFileSync(STUDY_FILE, "utf8")) as Record<string, unknown>;
    Object.assign(raw, { objective: "cheapest", cost: { pue: 0.9 } });
    const bad = parseStudy(stringify(raw), "s.yaml");
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    const lines = formatIssues(bad.issues);
    expect(lines).toMatch(
      /s\.yaml:\d+:\d+ objective: unknown objective "cheapest"; expected one of: tco, capex, watts, hardware/,
    );
    expect(lines).toMatch(/s\.yaml:\d+:\d+ cost\.pue: a PUE is at least 1/);
  });
});
