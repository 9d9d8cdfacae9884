/**
 * Walks each lesson in the page as a learner would — open it, follow what it says to
 * click, run it — and checks that the page shows the lesson's key numbers (golden
 * values) and that they are the same as Node computes them; then the lesson's what-if.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runToEnd, variant } from "../../web/src/lessons/evaluate.js";
import { checkRun, formatGolden } from "../../web/src/lessons/golden.js";
import { LESSONS } from "../../web/src/lessons/lessons.js";
import { REPO_ROOT } from "./browser.js";
import { docsScreenshot, type OpenPage, openSite, runFast } from "./web-site.js";

/** The page's key-number table: label → [the lesson says, this run, verdict]. */
async function goldenTable(page: Page): Promise<Record<string, [string, string, string]>> {
  return (await page.evaluate(`Object.fromEntries([...document.querySelectorAll("#golden tbody tr")].map((tr) =>
    [tr.dataset.label, [...tr.cells].slice(1).map((c) => c.textContent)]))`)) as Record<
    string,
    [string, string, string]
  >;
}

/** What a lesson says to click: the devices it names, selected one after another. */
const CLICKS: Record<string, readonly string[]> = {
  "sr-iov": ["server1"],
  "mr-iov": ["shared-nic", "server1", "server2"],
  "vnic-vhba": ["blade1", "blade2"],
  lossless: ["server2"],
  "blast-radius": ["sa-eth1"],
};

describe("the lessons, walked in the page", () => {
  let site: OpenPage | undefined;
  let page: Page;
  beforeAll(async () => {
    site = await openSite({ width: 1400, height: 1000 });
    page = site.page;
  });
  afterAll(async () => {
    await site?.close();
  });

  for (const lesson of LESSONS.filter((l) => l.plan !== true))
    it(`${lesson.title}: the page shows the lesson's key numbers, as Node computes them; then the what-if`, async () => {
      await page.click(`button[data-lesson="${lesson.id}"]`);
      await page.waitForSelector("body[data-state=loaded]");
      expect(await page.textContent("#lesson .question")).toBe(lesson.question);
      expect(await page.inputValue("#source")).toBe(lesson.file);
      await runFast(page);
      await page.waitForSelector("#golden[data-state]");
      for (const name of CLICKS[lesson.id] ?? []) {
        await page.click(`g.node[data-name="${name}"] rect.box`);
        expect(await page.locator("#topology g.link.on-path").count(), name).toBeGreaterThan(0);
      }
      const text = await readFile(join(REPO_ROOT, "topologies", lesson.file), "utf8");
      const initial = Object.fromEntries(lesson.knobs.map((k) => [k.id, k.initial]));
      const v = variant({ text, file: lesson.file }, lesson.knobs, initial);
      const node = checkRun(lesson.golden, runToEnd(v.topo, v.failoverTicks));
      const table = await goldenTable(page);
      for (const c of node) {
        const row = table[c.golden.label]!;
        expect(row[0], c.golden.label).toBe(formatGolden(c.golden.value, c.golden.unit, c.golden.digits));
        expect(row[1], c.golden.label).toBe(c.shown);
        expect(row[2], c.golden.label).toBe("✓ as stated");
      }
      expect(await page.getAttribute("#golden", "data-state")).toBe("match");
      await docsScreenshot(page, `lesson-${lesson.doc}`);
      if (lesson.whatIf !== undefined) {
        // The lesson's what-if is preset in the panel: run both and read the changed column.
        await page.click("#whatif-run");
        await page.waitForSelector("#whatif[data-state=done]", { timeout: 120_000 });
        for (const g of lesson.whatIf.golden) {
          const cells = (await page
            .locator(`#whatif-table tr[data-row="golden:${g.label}"] td`)
            .allTextContents()) as string[];
          expect(cells.length, `what-if row ${g.label}`).toBe(2);
          expect(cells[1], `what-if ${g.label}`).toBe(formatGolden(g.value, g.unit, g.digits));
        }
      }
    });

  it("6. the last-mile lesson: planned in the page at flow level, to the lesson's key numbers", async () => {
    const lesson = LESSONS.find((l) => l.plan === true)!;
    await page.click(`button[data-lesson="${lesson.id}"]`);
    await page.waitForSelector("body[data-state=loaded]");
    expect(await page.isVisible("#design-label")).toBe(true);
    await page.click("#lesson-plan");
    await page.waitForSelector("#lesson[data-plan-state=done]", { timeout: 120_000 });
    const table = await goldenTable(page);
    for (const g of lesson.golden) {
      const row = table[g.label]!;
      expect(row[1], g.label).toBe(formatGolden(g.value, g.unit, g.digits));
      expect(row[2], g.label).toBe("✓ as stated");
    }
    expect(await page.locator("#chart-last-mile path.series").count()).toBe(3);
    await docsScreenshot(page, `lesson-${lesson.doc}`, { fullPage: true });
  });
});
