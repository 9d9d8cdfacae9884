import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadCatalog } from "../../src/catalog/read-files.js";
import { parseStudy } from "../../src/study/index.js";
import { formatIssues } from "../../src/topology/issues.js";
import { parseTopology } from "../../src/topology/load.js";
import { planAtFlowLevel, runToEnd, variant } from "../../web/src/lessons/evaluate.js";
import { checkPlan, checkRun, formatGolden, type Golden, type GoldenCheck } from "../../web/src/lessons/golden.js";
import { LESSONS } from "../../web/src/lessons/lessons.js";

const read = (path: string): string => readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");

/** "label: lesson says X, model gives Y" for every number that moved (empty when all hold). */
function moved(checks: readonly GoldenCheck[]): string[] {
  return checks
    .filter((c) => !c.ok)
    .map(
      (c) =>
        `${c.golden.label}: the lesson says ${formatGolden(c.golden.value, c.golden.unit, c.golden.digits)}, the model gives ${c.shown}`,
    );
}

/** The rows of a page's Markdown tables, cells trimmed (a formatter may pad them to align columns). */
function tableRows(doc: string): Set<string> {
  return new Set(
    doc
      .split("\n")
      .filter((l) => l.trim().startsWith("|"))
      .map((l) => l.trim().replace(/\s*\|\s*/g, "|")),
  );
}

/** A key number as a row of its page's tables: `|label|value|`. */
const row = (g: Golden): string => `|${g.label}|${formatGolden(g.value, g.unit, g.digits)}|`;

const initial = (knobs: (typeof LESSONS)[number]["knobs"]): Record<string, string> =>
  Object.fromEntries(knobs.map((k) => [k.id, k.initial]));

describe("lessons", () => {
  it("are six, each with a topology in topologies/lessons/ and a page in docs/learn/", () => {
    expect(LESSONS.length).toBeGreaterThanOrEqual(6);
    for (const l of LESSONS) {
      expect(read(`topologies/${l.file}`).length, l.file).toBeGreaterThan(0);
      expect(read(`docs/learn/${l.doc}.md`).length, l.doc).toBeGreaterThan(0);
    }
  });

  for (const lesson of LESSONS.filter((l) => l.plan !== true)) {
    describe(lesson.title, () => {
      const text = read(`topologies/${lesson.file}`);

      it("loads as the CLI loads it", () => {
        const r = parseTopology(text, lesson.file);
        expect(r.ok ? "" : formatIssues(r.issues)).toBe("");
      });

      it("gives the key numbers the lesson states", () => {
        const v = variant({ text, file: lesson.file }, lesson.knobs, initial(lesson.knobs));
        expect(moved(checkRun(lesson.golden, runToEnd(v.topo, v.failoverTicks)))).toEqual([]);
      });

      if (lesson.whatIf !== undefined) {
        const w = lesson.whatIf;
        it(`gives the stated numbers with ${JSON.stringify(w.set)}`, () => {
          const v = variant({ text, file: lesson.file }, lesson.knobs, { ...initial(lesson.knobs), ...w.set });
          expect(moved(checkRun(w.golden, runToEnd(v.topo, v.failoverTicks)))).toEqual([]);
        });
      }

      it("states its key numbers in docs/learn as the page shows them", () => {
        const rows = tableRows(read(`docs/learn/${lesson.doc}.md`));
        for (const g of [...lesson.golden, ...(lesson.whatIf?.golden ?? [])]) expect([...rows]).toContain(row(g));
      });

      it("has knobs whose every other choice changes the topology or the run", () => {
        const key = (v: ReturnType<typeof variant>): string =>
          JSON.stringify([v.topo, v.failoverTicks === undefined ? "default" : v.failoverTicks]);
        const base = key(variant({ text, file: lesson.file }, lesson.knobs, initial(lesson.knobs)));
        for (const k of lesson.knobs)
          for (const c of k.choices) {
            const v = variant({ text, file: lesson.file }, lesson.knobs, { ...initial(lesson.knobs), [k.id]: c.value });
            if (c.value === k.initial) expect(key(v), `${k.id}=${c.value}`).toBe(base);
            else expect(key(v), `${k.id}=${c.value}`).not.toBe(base);
          }
      });
    });
  }

  for (const lesson of LESSONS.filter((l) => l.plan === true)) {
    it(`${lesson.title}: the flow-level plan gives the key numbers the lesson states`, async () => {
      const s = parseStudy(read(`topologies/${lesson.file}`), lesson.file);
      if (!s.ok) throw new Error(formatIssues(s.issues));
      const c = await loadCatalog();
      if (!c.ok) throw new Error("the built-in catalog does not load");
      expect(moved(checkPlan(lesson.golden, await planAtFlowLevel(s.study, c.catalog)))).toEqual([]);
      const rows = tableRows(read(`docs/learn/${lesson.doc}.md`));
      for (const g of lesson.golden) expect([...rows]).toContain(row(g));
    }, 120_000);
  }
});
