import { readFileSync } from "node:fs";
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import { beforeAll, describe, expect, it } from "vitest";
import { loadCatalog } from "../../../src/catalog/read-files.js";
import { type PlanResult, plan } from "../../../src/planner/index.js";
import { PLAN_SCHEMA_ID, planJsonSchema, planJsonSchemaText } from "../../../src/planner/plan-schema.js";
import { parseStudy } from "../../../src/study/index.js";
import { formatIssues } from "../../../src/topology/index.js";

const root = (p: string): string => new URL(`../../../${p}`, import.meta.url).pathname;
const STUDY_FILE = root("topologies/studies/last-mile.yaml");
const SCHEMA_FILE = root("schema/plan.schema.json");

/** Validates against the committed file with ajv (a standard validator), not against zod; compiled on first use. */
let compiled: ValidateFunction | undefined;
function errors(data: unknown): ErrorObject[] {
  compiled ??= new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true }).compile(
    JSON.parse(readFileSync(SCHEMA_FILE, "utf8")) as object,
  );
  return compiled(data) ? [] : [...(compiled.errors ?? [])];
}

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

/** Real plan.json files: the reference study without `survive` (one design, a two-point curve) and, with it, director at flow level only; JSON round-tripped. */
let real: PlanResult;
let surviving: PlanResult;
beforeAll(async () => {
  const c = await loadCatalog([]);
  if (!c.ok) throw new Error("catalog");
  const text = readFileSync(STUDY_FILE, "utf8");
  const study = (t: string) => {
    const s = parseStudy(t, STUDY_FILE);
    if (!s.ok) throw new Error(formatIssues(s.issues));
    return s.study;
  };
  const withoutSurvive = text.replace(/^survive: single-failure\n/m, "");
  expect(withoutSurvive).not.toBe(text);
  const [a, b] = await Promise.all([
    plan(study(withoutSurvive), c.catalog, { replications: 2, designs: ["mriov"], curve: [0.6, 1] }),
    plan(study(text), c.catalog, { replications: 2, designs: ["director"], confirm: false }),
  ]);
  real = clone(a);
  surviving = clone(b);
});

describe("the published plan.json schema", () => {
  it("equals a fresh generation from the zod schema (regenerate: npx vitest run test/src/planner/plan-schema.test.ts -u)", async () => {
    await expect(planJsonSchemaText()).toMatchFileSnapshot("../../../schema/plan.schema.json");
  });

  it("is draft 2020-12 with an id, closed at the top", () => {
    expect(planJsonSchema()).toMatchObject({
      $schema: "https://json-schema.org/draft/2020-12/schema",
      $id: PLAN_SCHEMA_ID,
      type: "object",
      additionalProperties: false,
    });
  });

  it("validates a real plan (mriov, curve at 60 % and 100 %)", () => {
    expect(errors(real).map((e) => `${e.instancePath} ${e.message}`)).toEqual([]);
  });

  it("validates the reports' fixture (test/fixtures/plan/plan.json), so the report tests see real shapes", () => {
    const fixture = JSON.parse(readFileSync(new URL("../../fixtures/plan/plan.json", import.meta.url), "utf8"));
    expect(errors(fixture).map((e) => `${e.instancePath} ${e.message}`)).toEqual([]);
  });

  it("validates a real plan with `survive: single-failure` (director, flow level, no curve)", () => {
    expect(errors(surviving).map((e) => `${e.instancePath} ${e.message}`)).toEqual([]);
    expect(surviving.lastMileCurve).toBeNull();
    expect(surviving.curveSize).toBeNull();
    const chosen = surviving.designs[0]!.chosen!;
    expect(chosen.evidence).toMatchObject({ fidelity: "flow", simulatedSeconds: null, samples: null, ci95: null });
    expect(chosen.survive).toMatchObject({ fidelity: "flow", status: "met" });
    expect(chosen.survive!.components).toBeGreaterThan(0);
    expect(surviving.size.survive.flowEvaluations).toBeGreaterThan(0);
  });
});

describe("the schema rejects broken plans, naming the path", () => {
  const paths = (data: unknown): string[] =>
    errors(data).map((e) => `${e.instancePath} ${e.keyword} ${JSON.stringify(e.params)}`);

  it("a missing `designs`", () => {
    const bad = clone(real) as unknown as Record<string, unknown>;
    delete bad.designs;
    expect(paths(bad)).toContain(' required {"missingProperty":"designs"}');
  });

  it('a verdict "maybe"', () => {
    const bad = clone(real);
    (bad.designs[0] as { verdict: string }).verdict = "maybe";
    expect(paths(bad).some((p) => p.startsWith("/designs/0/verdict enum"))).toBe(true);
  });

  it("an extra unknown top-level key", () => {
    const bad = { ...clone(real), extra: 1 };
    expect(paths(bad)).toContain(' additionalProperties {"additionalProperty":"extra"}');
  });

  it("an unknown key deep inside", () => {
    const bad = clone(real);
    (bad.designs[0]!.chosen!.evidence as unknown as Record<string, unknown>).seconds = 1;
    expect(paths(bad)).toContain('/designs/0/chosen/evidence additionalProperties {"additionalProperty":"seconds"}');
  });

  it("a string where a number belongs", () => {
    const bad = clone(real);
    (bad.size.packet as unknown as Record<string, unknown>).simulatedSeconds = "0.1";
    expect(paths(bad)).toContain('/size/packet/simulatedSeconds type {"type":"number"}');
  });

  it("a 0 is not a null, nor a null a 0", () => {
    const bad = clone(real);
    (bad.size as unknown as Record<string, unknown>).boms = null;
    expect(paths(bad)).toContain('/size/boms type {"type":"integer"}');
  });
});

describe("a real plan's key fields", () => {
  it("designs are sorted by name; chosen evidence is flow or packet", () => {
    const names = real.designs.map((d) => d.design);
    expect(names).toEqual(["mriov"]);
    expect(names).toEqual([...names].sort());
    for (const d of real.designs) {
      expect(d.chosen).not.toBeNull();
      expect(["flow", "packet"]).toContain(d.chosen!.evidence.fidelity);
    }
  });

  it("the curve's rows are sorted by share, then design; site = fabric + physical when met", () => {
    const curve = real.lastMileCurve!;
    expect(curve.shares).toEqual([0.6, 1]);
    const keys = curve.rows.map((r) => [r.share, r.design] as const);
    const sorted = [...keys].sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
    expect(keys).toEqual(sorted);
    expect(keys).toEqual([
      [0.6, "mriov"],
      [1, "mriov"],
    ]);
    for (const r of curve.rows) {
      if (r.status !== "met") {
        expect(r.fabric).toBeNull();
        expect(r.site).toBeNull();
        continue;
      }
      expect(r.site!.hardwareScore).toBe(r.fabric!.hardwareScore + r.physical.hardwareScore);
    }
    expect(real.curveSize).not.toBeNull();
  });

  it("the size's simulated seconds ≥ evaluations × first-round replications × simulated seconds per replication", () => {
    // With the study's precision every confirmation runs at least its first round, often more (src/run/precision.ts).
    expect(real.rules.precision).toMatchObject({ relative: 0.1, minReplications: 2 });
    for (const s of [real.size, real.curveSize!]) {
      const p = s.packet;
      expect(p.replications).toBe(2);
      const firstRounds = p.evaluations * p.replications * (p.simulatedSecondsPerReplication ?? 0);
      expect(p.simulatedSeconds).toBeGreaterThanOrEqual(firstRounds - 1e-9);
    }
    expect(real.size.packet.evaluations).toBeGreaterThan(0);
  });
});
