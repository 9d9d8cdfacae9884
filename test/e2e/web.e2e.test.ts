/**
 * The web visualizer (web/) in Chromium: built once with Vite (production), served
 * from 127.0.0.1, driven with playwright-core. The page's final numbers must equal
 * the CLI's result JSON for the same file and seed (computed here in Node with the
 * same calls `iovsim run --json` makes), with and without a pause, and with a fault
 * injected at runtime versus the same fault in the topology's `faults:` list.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ResolvedFault } from "../../src/topology/types.js";
import { REPO_ROOT, screenshot } from "./browser.js";
import {
  choose as chooseFile,
  cliResult,
  comparable,
  type OpenPage,
  openSite,
  referenceTopology,
  runFast,
  waitForResult,
} from "./web-site.js";

const RACKS = ["ucs-rack.yaml", "director-rack.yaml", "mriov-rack.yaml", "traditional-rack.yaml"];

describe("web visualizer in Chromium", () => {
  let dir: string | undefined;
  let site: OpenPage | undefined;
  let page: Page;
  let errors: string[] = [];
  const dialogs: string[] = [];

  const choose = (file: string): Promise<void> => chooseFile(page, file);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "iovsim-web-files-"));
    site = await openSite();
    page = site.page;
    errors = site.errors;
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
  });

  afterAll(async () => {
    await site?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("builds without warnings and loads with no console errors", async () => {
    expect(site!.site.warnings).toEqual([]);
    expect(await page.locator("g.node").count()).toBeGreaterThan(32);
    await screenshot(page, "web-loaded");
    expect(errors).toEqual([]);
  });

  for (const file of RACKS)
    it(`runs ${file} to the CLI's numbers (same seed)`, async () => {
      await choose(file);
      const pageResult = await runFast(page);
      const cli = cliResult(await referenceTopology(file));
      expect(pageResult.events).toBe(cli.events);
      expect(comparable(pageResult)).toBe(comparable(cli));
      // Real transfers were sampled and replayed along their links (and the numbers above did not move).
      expect(Number(await page.getAttribute("#particles", "data-sampled"))).toBeGreaterThan(0);
      await screenshot(page, `web-${file.replace(".yaml", "")}-done`);
      expect(errors).toEqual([]);
    });

  it("gives the same numbers after a pause and a resume, with another seed", async () => {
    await choose("traditional-rack.yaml");
    await page.fill("#seed", "7");
    await page.selectOption("#speed", "0.005"); // 5 ms simulated per second: the pause lands mid-run
    await page.click("#run");
    await page.waitForFunction("Number(document.body.dataset.now ?? 0) > 3e9");
    await page.click("#pause");
    await page.waitForSelector("body[data-state=paused]");
    const pausedAt = Number(await page.getAttribute("body", "data-now"));
    await screenshot(page, "web-paused");
    await page.selectOption("#speed", "max");
    await page.click("#run");
    const pageResult = await waitForResult(page);
    expect(pausedAt).toBeGreaterThan(0);
    expect(pausedAt).toBeLessThan(pageResult.simulatedSeconds * 1e12);
    const cli = cliResult(await referenceTopology("traditional-rack.yaml"), 7);
    expect(pageResult.seed).toBe(7);
    expect(comparable(pageResult)).toBe(comparable(cli));
    await page.fill("#seed", "");
  });

  it("failing fi-a in the UCS rack changes throughput as the same fault in `faults:` does", async () => {
    await choose("ucs-rack.yaml");
    await page.fill("#step-size", "6ms");
    await page.click("#step");
    await page.waitForFunction('document.body.dataset.now === "6000000000"');
    await page.click('g.node[data-name="fi-a"]');
    await page.click("#details #fail");
    await page.waitForSelector("body[data-faults='1']");
    await page.fill("#step-size", "100us");
    await page.click("#step");
    await page.waitForFunction("Number(document.body.dataset.now) > 6e9");
    expect(await page.locator("g.node.blast").count()).toBeGreaterThan(0);
    await screenshot(page, "web-ucs-fi-a-failed");
    const pageResult = await runFast(page);

    const topo = await referenceTopology("ucs-rack.yaml");
    // The page's fault acts at the next tick after the pause (see Replication.inject).
    const fault: ResolvedFault = { atTicks: 6e9 + 1, action: "fail", target: { kind: "node", node: "fi-a" } };
    const cli = cliResult({ ...topo, faults: [fault] });
    const healthy = cliResult(topo);
    // The fingerprint hashes handler ids, which differ when the fault manager is created
    // at runtime; every count and measurement is the same.
    expect(comparable(pageResult, ["fingerprint"])).toBe(comparable(cli, ["fingerprint"]));
    expect(pageResult.faults.map((f) => f.target)).toEqual(["fi-a"]);
    const lan = (r: typeof cli): number =>
      r.workloads.filter((w) => w.name !== "backup").reduce((a, w) => a + w.deliveredBps, 0);
    expect(lan(pageResult)).not.toBe(lan(healthy));
    expect(pageResult.workloads.some((w) => (w.dropReasons["failed: fi-a"] ?? 0) > 0)).toBe(true);
    expect(errors).toEqual([]);
  });

  it("switching design updates the BOM chart (plan.json fixture)", async () => {
    await page.setInputFiles("#plan-file", join(REPO_ROOT, "test/e2e/fixtures/plan.json"));
    await page.waitForSelector("#chart-bom[data-design]");
    const first = await page.getAttribute("#chart-bom", "data-design");
    const totals1 = await page.textContent("#bom-totals");
    expect(await page.locator("#chart-bom rect.bom-bar").count()).toBe(4 * 5);
    await page.selectOption("#plan-design", "ucs");
    await page.waitForSelector("#chart-bom[data-design=ucs]");
    expect(first).not.toBe("ucs");
    expect(await page.textContent("#bom-totals")).not.toBe(totals1);
    expect(await page.textContent("#bom-totals")).toContain("ucs");
    const selected = await page
      .locator("#chart-bom rect.bom-bar.selected")
      .evaluateAll((els) => els.map((e) => e.getAttribute("data-design")));
    expect(new Set(selected)).toEqual(new Set(["ucs"]));
    expect(await page.locator("#chart-last-mile path.series").count()).toBe(4);
    await screenshot(page, "web-plan-bom");
    expect(errors).toEqual([]);
  });

  it("shows a broken YAML's error lines (file:line:col) and keeps working", async () => {
    await choose("ucs-rack.yaml");
    const good = await readFile(join(REPO_ROOT, "topologies/traditional-rack.yaml"), "utf8");
    await page.click("#editor-section summary");
    const broken = good
      .replace("kind: ethernet-switch", "kind: ethernet-swich")
      .replace("rate: 40Mbps", "rate: 40MBps");
    await page.fill("#editor", broken);
    await page.waitForSelector("#issues:not([hidden]) li");
    const lines = await page.locator("#issues li").allTextContents();
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const l of lines) expect(l).toMatch(/^ucs-rack\.yaml:\d+:\d+ \S+: /);
    expect(lines.join("\n")).toContain("kind");
    await page.click("#apply");
    // The previous topology stays loaded and usable.
    expect(await page.getAttribute("body", "data-state")).toBe("loaded");
    await screenshot(page, "web-broken-yaml");
    await page.fill("#editor", good.replace("duration: 20ms", "duration: 3ms"));
    await page.waitForSelector("#issues[hidden]", { state: "attached" });
    await page.click("#apply");
    await page.waitForSelector("body[data-state=loaded]");
    const r = await runFast(page);
    expect(r.topology).toBe("traditional-rack");
    expect(r.simulatedSeconds).toBeCloseTo(0.005, 12);
    expect(errors).toEqual([]);
  });

  it("lays out deterministically; a dragged layout downloads as <name>.layout.json and loads back", async () => {
    await page.selectOption("#source", "director-rack.yaml");
    await page.waitForSelector("body[data-state=loaded]");
    await choose("ucs-rack.yaml");
    const positions = (): Promise<string[]> =>
      page
        .locator("g.node")
        .evaluateAll((els) => els.map((e) => `${e.getAttribute("data-name")} ${e.getAttribute("transform")}`));
    const first = await positions();
    await page.selectOption("#source", "director-rack.yaml");
    await page.waitForSelector("body[data-state=loaded]");
    await page.selectOption("#source", "ucs-rack.yaml");
    await page.waitForSelector("body[data-state=loaded]");
    expect(await positions()).toEqual(first);

    await page.locator('g.node[data-name="fi-b"] rect.box').scrollIntoViewIfNeeded();
    const box = (await page.locator('g.node[data-name="fi-b"] rect.box').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 60, box.y + box.height / 2 + 30, { steps: 5 });
    await page.mouse.up();
    const dragged = await positions();
    expect(dragged).not.toEqual(first);
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#layout-save")]);
    expect(download.suggestedFilename()).toBe("ucs-rack.layout.json");
    const file = join(dir!, "ucs-rack.layout.json");
    await download.saveAs(file);
    const saved = JSON.parse(await readFile(file, "utf8")) as { topology: string; positions: Record<string, unknown> };
    expect(saved.topology).toBe("ucs-rack");
    expect(Object.keys(saved.positions)).toContain("fi-b");

    await page.click("#layout-reset");
    expect(await positions()).toEqual(first);
    await page.setInputFiles("#layout-file", file);
    const want = dragged.find((d) => d.startsWith("fi-b "))!;
    await page.waitForFunction(
      `document.querySelector('g.node[data-name="fi-b"]')?.getAttribute("transform") === ${JSON.stringify(want.slice(5))}`,
    );
    await screenshot(page, "web-layout-dragged");
  });

  it("loads a dropped file", async () => {
    const text = (await readFile(join(REPO_ROOT, "topologies/director-rack.yaml"), "utf8")).replace(
      "name: director-rack",
      "name: dropped-rack",
    );
    // A drop event as the browser makes it for a file dragged in from the desktop.
    await page.evaluate(`(() => {
      const dt = new DataTransfer();
      dt.items.add(new File([${JSON.stringify(text)}], "dropped.yaml", { type: "text/yaml" }));
      document.body.dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }));
    })()`);
    await page.waitForFunction("document.getElementById('description').textContent.startsWith('dropped-rack')");
    expect(await page.getAttribute("body", "data-state")).toBe("loaded");
  });

  it("expands a study with the chosen design", async () => {
    await page.selectOption("#source", "studies/last-mile.yaml");
    await page.waitForSelector("#design-label:not([hidden])");
    const designs = await page.locator("#design option").allTextContents();
    expect(designs.length).toBeGreaterThan(1);
    await page.selectOption("#design", "mriov");
    await page.waitForFunction("document.getElementById('description').textContent.includes('(mriov)')");
    expect(await page.locator('g.node[data-name="host32"]').count()).toBe(1);
    const r = await runFast(page);
    expect(r.design).toBe("mriov");
    expect(errors).toEqual([]);
  });

  it("renders names from the file as text, never as HTML", async () => {
    const xss = "<script>alert(1)</script>";
    const scripts = await page.locator("script").count();
    // Node names cannot hold "<" (the CLI's error message quotes the name): shown as text.
    const bad = (await readFile(join(REPO_ROOT, "topologies/traditional-rack.yaml"), "utf8")).replace(
      /^ {4}lan:/m,
      `    "${xss}":`,
    );
    await page.fill("#editor", bad);
    await page.waitForSelector("#issues:not([hidden]) li");
    expect(await page.locator("#issues").textContent()).toContain(xss);
    await expect(page.locator("#issues li", { hasText: xss }).first().isVisible()).resolves.toBe(true);
    // A description is free text: it is shown, as text.
    const good = (await readFile(join(REPO_ROOT, "topologies/traditional-rack.yaml"), "utf8")).replace(
      /^description: >-\n( {2}.*\n)+/m,
      `description: "${xss} <img src=x onerror=alert(2)>"\n`,
    );
    expect(good).toContain(xss);
    await page.fill("#editor", good);
    await page.click("#apply");
    await page.waitForSelector("body[data-state=loaded]");
    expect(await page.textContent("#description")).toContain(xss);
    await screenshot(page, "web-xss-as-text");
    expect(await page.locator("script").count()).toBe(scripts);
    expect(await page.locator("img").count()).toBe(0);
    expect(dialogs).toEqual([]);
  });
});
