/**
 * axe-core (WCAG 2.x A/AA and best practices) on every view of the page: each
 * reference rack loaded, running, paused with a fault and done; each lesson open, run
 * and checked; the what-if comparison; a plan; the YAML editor showing errors; the
 * details of a server, an interface and a link; the phone layout. Zero critical and zero
 * serious violations in each. Screenshots of each design with its virtual interfaces
 * drawn go to test-results/ (and docs/screenshots/ with IOVSIM_DOCS_SCREENSHOTS=1).
 */
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "./browser.js";
import { axeSerious, choose, docsScreenshot, type OpenPage, openSite, runFast, stepTo } from "./web-site.js";

async function expectClean(page: Page, view: string): Promise<void> {
  const v = await axeSerious(page);
  expect(v.map((x) => `${view}: ${x.impact} ${x.id} (${x.help}) at ${x.nodes.join(" ")}`)).toEqual([]);
}

const RACKS = [
  ["ucs-rack.yaml", "host1"],
  ["director-rack.yaml", "host1"],
  ["mriov-rack.yaml", "host1"],
  ["traditional-rack.yaml", "host1"],
] as const;

describe("accessibility (axe-core) of every view", () => {
  let site: OpenPage | undefined;
  let page: Page;
  beforeAll(async () => {
    site = await openSite({ width: 1400, height: 900 });
    page = site.page;
  });
  afterAll(async () => {
    await site?.close();
  });

  it("the page as it opens", async () => {
    await expectClean(page, "first load");
  });

  for (const [file, host] of RACKS)
    it(`${file}: loaded, running, paused with a server selected, done`, async () => {
      await choose(page, file);
      await expectClean(page, `${file} loaded`);
      await page.selectOption("#speed", "0.001");
      await page.click("#run");
      await page.waitForFunction("Number(document.body.dataset.bins ?? 0) > 2");
      await expectClean(page, `${file} running`);
      await page.click("#pause");
      await page.waitForSelector("body[data-state=paused]");
      await page.click(`g.node[data-name="${host}"] rect.box`);
      await expectClean(page, `${file} paused, ${host} selected`);
      // Each design with its virtual interfaces and the selected server's paths drawn.
      await docsScreenshot(page, `web-${file.replace(".yaml", "")}-virtual-interfaces`);
      const iface = page.locator(`g.node[data-name="${host}"] path.iface`).first();
      if ((await iface.count()) > 0) {
        await iface.click({ force: true });
        await expectClean(page, `${file} interface selected`);
      }
      await page.selectOption("#part", "link:0");
      await expectClean(page, `${file} link selected`);
      await page.selectOption("#part", "");
      await runFast(page);
      await expectClean(page, `${file} done`);
    });

  it("a fault injected while paused, and the what-if comparison of a rack", async () => {
    await choose(page, "mriov-rack.yaml");
    await stepTo(page, 3e9, "3ms");
    await page.selectOption("#part", "node:sa-eth-b1-1");
    await page.click("#details #fail");
    await page.waitForSelector("body[data-faults='1']");
    await page.waitForSelector("#topology g.node.blast");
    await expectClean(page, "mriov fault while paused");
    await docsScreenshot(page, "web-mriov-rack-fault");
    await page.selectOption('select[data-knob="param-hostsPerBox"]', "8");
    await page.click("#whatif-run");
    await page.waitForSelector("#whatif[data-state=done]", { timeout: 120_000 });
    await expectClean(page, "what-if comparison (mriov rack)");
  });

  it("each lesson: open, run, checked; lesson 6 planned", async () => {
    for (const id of ["sr-iov", "mr-iov", "vnic-vhba", "lossless", "blast-radius"]) {
      await page.click(`button[data-lesson="${id}"]`);
      await page.waitForSelector("body[data-state=loaded]");
      await expectClean(page, `lesson ${id} open`);
      await runFast(page);
      await page.waitForSelector("#golden[data-state]");
      await expectClean(page, `lesson ${id} done`);
    }
    await page.click('button[data-lesson="last-mile"]');
    await page.waitForSelector("body[data-state=loaded]");
    await page.click("#lesson-plan");
    await page.waitForSelector("#lesson[data-plan-state=done]", { timeout: 120_000 });
    await expectClean(page, "lesson 6 planned");
  });

  it("a loaded plan.json and the YAML editor showing errors", async () => {
    await page.setInputFiles("#plan-file", join(REPO_ROOT, "test/e2e/fixtures/plan.json"));
    await page.waitForSelector("#chart-bom[data-design]");
    await expectClean(page, "plan loaded");
    await page.click("#editor-section summary");
    await page.fill("#editor", "name: broken\ntopology: { nodes: { a: { kind: nonsense } } }\n");
    await page.waitForSelector("#issues:not([hidden]) li");
    await expectClean(page, "YAML editor with errors");
    await page.click("#editor-section summary");
  });
});

describe("accessibility (axe-core) on a phone", () => {
  it("the phone layout, before and after a run", async () => {
    const site = await openSite({ width: 390, height: 844, phone: true });
    try {
      await expectClean(site.page, "phone, first load");
      await choose(site.page, "lessons/2-mr-iov.yaml");
      await runFast(site.page);
      await expectClean(site.page, "phone, lesson 2 done");
    } finally {
      await site.close();
    }
  });
});
