/**
 * What a real browser shows (issue 14, item 2), each at 1024, 1400 and 1920 px and on a
 * phone: dots on their links, a fault drawn at once while paused, rates over fixed bins
 * of simulated time and never above a link's capacity, keyboard selection and
 * Fail/Restore of every device and link, a status region that speaks at most once a
 * second, contrast, refused bad input, a watchable default speed and replay, charts
 * updated in place, empty charts without fake numbers; phone layout and touch; reduced
 * motion; a clear message from file://.
 * Page-side code is passed as strings: this project's tests have no DOM types.
 */
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contrastRatio } from "../../web/src/palette.js";
import { binTicksFor } from "../../web/src/protocol.js";
import { launchChromium, screenshot } from "./browser.js";
import { choose, docsScreenshot, type OpenPage, openSite, referenceTopology, runFast, stepTo } from "./web-site.js";

const IDLE_GREY = "rgb(123, 135, 148)";

/** Dot centres on the canvas (client px) and their distance to the nearest drawn link. */
const DOT_DISTANCES = `(() => {
  const c = document.getElementById("particles");
  const ctx = c.getContext("2d");
  const img = ctx.getImageData(0, 0, c.width, c.height).data;
  const dpr = c.width / c.getBoundingClientRect().width;
  const cell = Math.max(2, Math.round(6 * dpr));
  const cells = new Map();
  for (let y = 0; y < c.height; y++)
    for (let x = 0; x < c.width; x++) {
      const a = img[(y * c.width + x) * 4 + 3];
      const white = img[(y * c.width + x) * 4] > 230 && img[(y * c.width + x) * 4 + 1] > 230 && img[(y * c.width + x) * 4 + 2] > 230;
      if (a < 200 || white) continue;
      const k = Math.floor(x / cell) + "," + Math.floor(y / cell);
      const e = cells.get(k) ?? { n: 0, x: 0, y: 0 };
      e.n++; e.x += x; e.y += y;
      cells.set(k, e);
    }
  const r = c.getBoundingClientRect();
  const dots = [...cells.values()].filter((e) => e.n >= 4).map((e) => ({ x: r.left + e.x / e.n / dpr, y: r.top + e.y / e.n / dpr }));
  const segs = [...document.querySelectorAll("#topology g.link line.wire")].map((l) => {
    const m = l.getScreenCTM();
    const p = (x, y) => ({ x: m.a * x + m.c * y + m.e, y: m.b * x + m.d * y + m.f });
    return [p(+l.getAttribute("x1"), +l.getAttribute("y1")), p(+l.getAttribute("x2"), +l.getAttribute("y2"))];
  });
  const dist = (q, [a, b]) => {
    const dx = b.x - a.x, dy = b.y - a.y;
    const t = Math.max(0, Math.min(1, ((q.x - a.x) * dx + (q.y - a.y) * dy) / (dx * dx + dy * dy || 1)));
    return Math.hypot(q.x - (a.x + t * dx), q.y - (a.y + t * dy));
  };
  return dots.map((d) => Math.min(...segs.map((s) => dist(d, s))));
})()`;

/** How far off a canvas scaled by width alone, with no offset (the old drawing), would put a point of the view. */
const OLD_MAPPING_ERROR = `(() => {
  const svg = document.getElementById("topology");
  const vb = svg.viewBox.baseVal;
  const m = svg.getScreenCTM();
  const r = svg.getBoundingClientRect();
  const s = svg.clientWidth / vb.width;
  let worst = 0;
  for (const [x, y] of [[vb.x, vb.y], [vb.x + vb.width, vb.y + vb.height], [vb.x + vb.width / 2, vb.y + vb.height / 2]]) {
    const trueX = m.a * x + m.e, trueY = m.d * y + m.f;
    const oldX = r.left + (x - vb.x) * s, oldY = r.top + (y - vb.y) * s;
    worst = Math.max(worst, Math.hypot(trueX - oldX, trueY - oldY));
  }
  return worst;
})()`;

/** Per workload series of the throughput chart: its peak (bits/s). */
const PEAKS = `Object.fromEntries([...document.querySelectorAll("#chart-throughput g.legend-item")].map((g) => [g.getAttribute("data-series"), Number(g.getAttribute("data-peak"))]))`;

/** Text and graphics colours now on screen, with what they stand on. */
const COLOURS = `(() => {
  const rgb = (s) => s;
  const bg = (el) => {
    for (let e = el; e !== null; e = e.parentElement) {
      const c = getComputedStyle(e).backgroundColor;
      if (c && c !== "rgba(0, 0, 0, 0)" && c !== "transparent") return c;
    }
    return "rgb(255, 255, 255)";
  };
  const visible = (e) => { const b = e.getBoundingClientRect(); return b.width > 0 && b.height > 0 && getComputedStyle(e).visibility !== "hidden" && e.closest("[hidden]") === null && (e.closest("details") === null || e.closest("details").open || e.tagName === "SUMMARY" || e.closest("summary") !== null); };
  const text = [];
  for (const e of document.querySelectorAll("body *")) {
    if (e.closest("svg") !== null || !visible(e)) continue;
    const own = [...e.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim() !== "");
    if (!own) continue;
    const s = getComputedStyle(e);
    const px = parseFloat(s.fontSize);
    const large = px >= 24 || (px >= 18.66 && Number(s.fontWeight) >= 700);
    text.push({ what: e.tagName + "#" + e.id + " " + e.textContent.trim().slice(0, 30), fg: s.color, bg: bg(e), min: large ? 3 : 4.5 });
  }
  for (const t of document.querySelectorAll("svg text")) {
    if (!visible(t) || t.textContent.trim() === "" || t.getAttribute("display") === "none") continue;
    const node = t.closest("g.node");
    const box = node === null ? null : node.querySelector("rect.box");
    text.push({ what: "svg text " + t.textContent.slice(0, 30), fg: getComputedStyle(t).fill, bg: box === null ? "rgb(255, 255, 255)" : getComputedStyle(box).fill, min: 4.5 });
  }
  const graphics = [];
  const add = (sel, prop) => {
    for (const e of document.querySelectorAll(sel)) {
      if (!visible(e) && e.tagName !== "line") continue;
      const c = getComputedStyle(e)[prop];
      // White is the gap between a lossless link's two rails, not a mark of its own.
      if (c && c !== "none" && !c.startsWith("rgba(0, 0, 0, 0)") && c !== "rgb(255, 255, 255)") graphics.push({ what: sel, fg: c, bg: "rgb(255, 255, 255)", min: 3 });
    }
  };
  add("#topology g.link line.wire", "stroke");
  add("#topology g.link line.casing", "stroke");
  add("#topology g.node rect.box", "stroke");
  add("#topology path.iface", "fill");
  add("#topology .marks path", "stroke");
  add(".charts path.series", "stroke");
  add("#legend svg.swatch line", "stroke");
  return { text, graphics };
})()`;

async function failedDrawn(page: Page): Promise<{ links: number; crosses: number; blast: number; busy: number }> {
  return (await page.evaluate(`({
    links: document.querySelectorAll("#topology g.link.failed").length,
    crosses: document.querySelectorAll("#topology .marks path.failed").length,
    blast: document.querySelectorAll("#topology g.node.blast").length,
    busy: [...document.querySelectorAll("#topology g.link:not(.failed) line.wire")].filter((l) => l.getAttribute("stroke") !== "#7b8794" && getComputedStyle(l).stroke !== "${IDLE_GREY}").length,
  })`)) as { links: number; crosses: number; blast: number; busy: number };
}

for (const width of [1024, 1400, 1920]) {
  describe(`the page at ${width} px`, () => {
    let site: OpenPage | undefined;
    let page: Page;

    beforeAll(async () => {
      site = await openSite({ width, height: 900 });
      page = site.page;
    });
    afterAll(async () => {
      await site?.close();
    });

    it("starts at a watchable speed, draws empty charts with no made-up numbers, and no console errors", async () => {
      expect(await page.inputValue("#speed")).toBe("0.001");
      const ticks = (await page.evaluate(
        `[...document.querySelectorAll("#chart-throughput .tick text, #chart-queue .tick text, #chart-latency .y-axis .tick text")].map((t) => t.textContent)`,
      )) as string[];
      expect(ticks).toEqual([]);
      expect(await page.locator("#chart-throughput text.empty").isVisible()).toBe(true);
      expect(site!.errors).toEqual([]);
    });

    it("draws the moving dots on their links", async () => {
      await choose(page, "ucs-rack.yaml");
      await page.selectOption("#speed", "0.001");
      await page.click("#run");
      await page.waitForFunction("Number(document.getElementById('particles').dataset.sampled ?? 0) > 100", undefined, {
        timeout: 30_000,
      });
      await page.waitForTimeout(400);
      await page.click("#pause");
      await page.waitForSelector("body[data-state=paused]");
      const distances = (await page.evaluate(DOT_DISTANCES)) as number[];
      expect(distances.length).toBeGreaterThanOrEqual(3);
      // A dot is drawn centred on its link; the centre of a blob of pixels (two dots may touch) stays within a dot's radius.
      for (const d of distances) expect(d).toBeLessThanOrEqual(4);
      expect([...distances].sort((a, b) => a - b)[Math.floor(distances.length / 2)]!).toBeLessThanOrEqual(1.5);
      // At 1920 px the view is letterboxed: a canvas scaled by width with no offset would miss the links.
      if (width === 1920) expect((await page.evaluate(OLD_MAPPING_ERROR)) as number).toBeGreaterThan(20);
      await screenshot(page, `web-ucs-dots-${width}`, false);
    });

    it("draws a fault injected while paused at once, keeping the last bin's rates", async () => {
      await choose(page, "ucs-rack.yaml");
      await stepTo(page, 6e9, "6ms");
      await page.selectOption("#part", "node:fi-a");
      await page.click("#details #fail");
      await page.waitForSelector("body[data-faults='1']");
      await page.waitForFunction("document.querySelectorAll('#topology g.link.failed').length > 0");
      const drawn = await failedDrawn(page);
      expect(Number(await page.getAttribute("body", "data-now"))).toBe(6e9 + 1);
      // fi-a's own links in the rack: 5 chassis × 2 IOM uplinks, 4 LAN uplinks, 2 FC uplinks to san-a.
      expect(drawn.links).toBeGreaterThanOrEqual(5 * 2 + 4 + 2);
      expect(drawn.crosses).toBe(drawn.links);
      expect(drawn.blast).toBeGreaterThan(0);
      expect(drawn.busy).toBeGreaterThan(0);
      expect(await page.getAttribute('g.node[data-name="fi-a"]', "class")).toContain("failed");
      expect(await page.locator("#fault-status td", { hasText: "fi-a" }).count()).toBe(1);
      // A plain pause keeps the picture too (no zero-length window).
      await page.selectOption("#part", "");
      await page.selectOption("#speed", "0.001");
      for (let i = 0; i < 3; i++) {
        await page.click("#run");
        await page.waitForSelector("body[data-state=running]");
        await page.waitForTimeout(300 + 170 * i);
        await page.click("#pause");
        await page.waitForSelector("body[data-state=paused]");
        expect((await failedDrawn(page)).busy).toBeGreaterThan(0);
      }
      if (width === 1400) await docsScreenshot(page, "web-ucs-fault-paused");
    });

    it("computes rates over fixed bins of simulated time, never above the links' capacity, the same at any speed", async () => {
      const topo = await referenceTopology("ucs-rack.yaml");
      const end = topo.experiment.warmupTicks + topo.experiment.durationTicks;
      const bins = end / binTicksFor(end);
      await choose(page, "ucs-rack.yaml");
      await runFast(page);
      await page.waitForFunction(`document.getElementById("chart-throughput").dataset.points === "${bins}"`);
      expect(Number(await page.getAttribute("body", "data-bins"))).toBe(bins);
      const fast = (await page.evaluate(PEAKS)) as Record<string, number>;
      // backup runs on host29 and host30: two 10 Gb/s vNICs.
      expect(fast.backup).toBeGreaterThan(1e9);
      expect(fast.backup).toBeLessThanOrEqual(20e9);
      for (const [name, peak] of Object.entries(fast)) expect(peak, name).toBeLessThanOrEqual(32 * 20e9);
      await choose(page, "ucs-rack.yaml");
      await page.selectOption("#speed", "0.02");
      await page.click("#run");
      await page.waitForSelector("body[data-state=done]", { timeout: 60_000 });
      await page.waitForFunction(`document.getElementById("chart-throughput").dataset.points === "${bins}"`);
      expect((await page.evaluate(PEAKS)) as Record<string, number>).toEqual(fast);
    });

    it("selects and fails and restores every device and link from the keyboard", async () => {
      await choose(page, "lessons/5-blast-radius.yaml");
      await stepTo(page, 1e9, "1ms");
      // Roving focus over the devices: arrows move, Enter selects.
      await page.focus('#topology g.node[tabindex="0"]');
      const first = await page.evaluate("document.activeElement.getAttribute('data-name')");
      await page.keyboard.press("ArrowRight");
      const second = (await page.evaluate("document.activeElement.getAttribute('data-name')")) as string;
      expect(second).not.toBe(first);
      await page.keyboard.press("Enter");
      expect(await page.getAttribute(`g.node[data-name="${second}"]`, "aria-pressed")).toBe("true");
      expect(await page.textContent("#details h2")).toBe(second);
      await page.keyboard.press("Escape");
      const parts = (await page.evaluate(
        `[...document.querySelectorAll("#part option")].map((o) => o.value).filter((v) => v !== "")`,
      )) as string[];
      const topo = await referenceTopology("lessons/5-blast-radius.yaml");
      expect(parts.length).toBe(topo.nodes.length + topo.links.length);
      await page.selectOption("#part", "");
      let faults = 0;
      for (const part of parts) {
        await page.focus("#part");
        await page.keyboard.press("ArrowDown");
        expect(await page.inputValue("#part")).toBe(part);
        for (let i = 0; i < 25 && (await page.evaluate("document.activeElement.id")) !== "fail"; i++)
          await page.keyboard.press("Tab");
        expect(await page.evaluate("document.activeElement.id"), part).toBe("fail");
        const drawn = part.startsWith("node:")
          ? `g.node[data-name="${part.slice(5)}"].failed`
          : `g.link[data-index="${part.slice(5)}"].failed`;
        await page.keyboard.press("Enter");
        await page.waitForSelector(`body[data-faults='${++faults}']`);
        await page.waitForSelector(`#topology ${drawn}`);
        expect(await page.evaluate("document.activeElement.id"), part).toBe("restore");
        await page.keyboard.press("Enter");
        await page.waitForSelector(`body[data-faults='${++faults}']`);
        await page.waitForSelector(`#topology ${drawn}`, { state: "detached" });
      }
    });

    it("speaks in its status region at most once a second", async () => {
      await choose(page, "ucs-rack.yaml");
      // Each live region's writes are timed as they happen (its textContent setter wrapped),
      // not when a MutationObserver's callback runs: that callback waits for the script that
      // wrote to end, so on a busy page it timed one write late and the next on time, and a
      // gap of exactly a second measured 989 ms. The page writes live regions only through
      // textContent; the observer stays to catch any other kind of write.
      await page.evaluate(`(() => {
        window.statusChanges = [];
        window.otherStatusWrites = 0;
        const text = Object.getOwnPropertyDescriptor(Node.prototype, "textContent");
        for (const el of document.querySelectorAll("[role=status], [aria-live=polite], [aria-live=assertive]")) {
          Object.defineProperty(el, "textContent", {
            configurable: true,
            get() { return text.get.call(this); },
            set(v) {
              if (v !== text.get.call(this)) window.statusChanges.push(performance.now());
              window.ownWrite = true;
              text.set.call(this, v);
            },
          });
          new MutationObserver(() => {
            if (!window.ownWrite) window.otherStatusWrites++;
            window.ownWrite = false;
          }).observe(el, { childList: true, characterData: true, subtree: true });
        }
      })()`);
      await page.selectOption("#speed", "0.001");
      await page.click("#run");
      await page.waitForTimeout(3500);
      await page.click("#pause");
      const times = (await page.evaluate("window.statusChanges")) as number[];
      expect(await page.evaluate("window.otherStatusWrites")).toBe(0);
      expect(times.length).toBeGreaterThanOrEqual(2);
      const gaps = times.slice(1).map((t, i) => t - times[i]!);
      // The page measures its second by performance.now(), which is coarsened (100 µs without
      // cross-origin isolation), and the test times each write a moment after the page did.
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(999);
    });

    it("keeps text at 4.5:1 and graphics at 3:1 against what they stand on", async () => {
      await choose(page, "ucs-rack.yaml");
      await runFast(page);
      const { text, graphics } = (await page.evaluate(COLOURS)) as Record<
        "text" | "graphics",
        Array<{ what: string; fg: string; bg: string; min: number }>
      >;
      expect(text.length).toBeGreaterThan(50);
      expect(graphics.length).toBeGreaterThan(100);
      const low = [...text, ...graphics]
        .map((c) => ({ ...c, ratio: contrastRatio(c.fg, c.bg) }))
        .filter((c) => c.ratio < c.min)
        .map((c) => `${c.what}: ${c.fg} on ${c.bg} = ${c.ratio.toFixed(2)}`);
      expect(low).toEqual([]);
    });

    it("refuses a bad Seed or Duration with a message instead of running something else", async () => {
      await choose(page, "lessons/1-sr-iov.yaml");
      for (const [field, value, words] of [
        ["#seed", "1.5", "Seed"],
        ["#seed", "abc", "Seed"],
        ["#duration", "abc", "Duration"],
        ["#duration", "0ms", "Duration"],
      ] as const) {
        await page.fill(field, value);
        await page.click("#run");
        await page.waitForSelector("#input-error:not([hidden])");
        expect(await page.textContent("#input-error")).toContain(words);
        expect(await page.getAttribute(field, "aria-invalid")).toBe("true");
        expect(await page.getAttribute("body", "data-state")).toBe("loaded");
        expect(await page.evaluate("document.activeElement.id")).toBe(field.slice(1));
        await page.fill(field, "");
      }
      await page.fill("#seed", "1");
      expect(await page.locator("#input-error").isHidden()).toBe(true);
    });

    it("replays a fast run at the watchable speed, and updates the charts in place", async () => {
      await choose(page, "ucs-rack.yaml");
      const first = await runFast(page);
      await page.waitForSelector("#replay:not([hidden])");
      await page.click("#replay");
      await page.waitForSelector("body[data-state=running]");
      expect(await page.inputValue("#speed")).toBe("0.001");
      await page.waitForFunction("Number(document.body.dataset.bins) > 0");
      const bins = Number(await page.getAttribute("body", "data-bins"));
      await page.evaluate(`window.chartPath = document.querySelector("#chart-throughput path.series")`);
      await page.waitForTimeout(2000);
      // 1 ms of simulated time per second: after 2 s the 22 ms run is still near its start.
      expect(Number(await page.getAttribute("body", "data-now"))).toBeLessThan(4e9);
      expect(Number(await page.getAttribute("body", "data-bins"))).toBeGreaterThan(bins);
      // The same chart elements, redrawn in place (not removed and made anew per snapshot).
      expect(
        await page.evaluate(
          `window.chartPath.isConnected && document.querySelector("#chart-throughput path.series") === window.chartPath`,
        ),
      ).toBe(true);
      await page.selectOption("#speed", "max");
      await page.waitForSelector("body[data-state=done]", { timeout: 60_000 });
      const again = JSON.parse((await page.textContent("#result-json")) ?? "") as typeof first;
      expect(again.fingerprint).toBe(first.fingerprint);
    });

    it("fits every device's label inside its box and clear of its neighbours' (the MR-IOV rack's 16 shared adapters)", async () => {
      await choose(page, "mriov-rack.yaml");
      const boxes =
        (await page.evaluate(`[...document.querySelectorAll("#topology g.node:not(.kind-server)")].map((g) => {
        const box = g.querySelector("rect.box").getBoundingClientRect();
        const text = g.querySelector("text.label").getBoundingClientRect();
        return { name: g.dataset.name, box: [box.left, box.right], text: [text.left, text.right, text.top, text.bottom] };
      })`)) as { name: string; box: [number, number]; text: [number, number, number, number] }[];
      expect(boxes.length).toBeGreaterThan(20);
      for (const b of boxes) {
        expect(b.text[0], `${b.name}'s label`).toBeGreaterThanOrEqual(b.box[0] - 0.5);
        expect(b.text[1], `${b.name}'s label`).toBeLessThanOrEqual(b.box[1] + 0.5);
      }
      const overlapping = boxes.flatMap((a, i) =>
        boxes
          .slice(i + 1)
          .filter(
            (b) => a.text[0] < b.text[1] && b.text[0] < a.text[1] && a.text[2] < b.text[3] && b.text[2] < a.text[3],
          )
          .map((b) => `${a.name} / ${b.name}`),
      );
      expect(overlapping).toEqual([]);
    });

    it("lights one host's links, interfaces and paths and fades the rest (the traditional rack's hairball)", async () => {
      await choose(page, "traditional-rack.yaml");
      await stepTo(page, 3e9, "3ms");
      await page.click('g.node[data-name="host25"] rect.box');
      const lit = (await page.evaluate(`({
        on: document.querySelectorAll("#topology g.link.on-path").length,
        all: document.querySelectorAll("#topology g.link").length,
        faded: [...document.querySelectorAll("#topology g.link:not(.on-path)")].filter((g) => Number(getComputedStyle(g).opacity) < 0.2).length,
      })`)) as { on: number; all: number; faded: number };
      expect(lit.on).toBeGreaterThanOrEqual(10);
      expect(lit.on).toBeLessThan(lit.all / 4);
      expect(lit.faded).toBe(lit.all - lit.on);
      expect(await page.locator("#details ul.routes li").count()).toBeGreaterThan(0);
      if (width === 1920) await docsScreenshot(page, "web-traditional-host25-paths");
    });
  });
}

describe("on a phone (390 × 844, touch)", () => {
  let site: OpenPage | undefined;
  let page: Page;
  beforeAll(async () => {
    site = await openSite({ width: 390, height: 844, phone: true });
    page = site.page;
  });
  afterAll(async () => {
    await site?.close();
  });

  it("keeps text legible and the page from overflowing sideways, also after a run", async () => {
    await choose(page, "ucs-rack.yaml");
    await runFast(page);
    const sizes = (await page.evaluate(`(() => {
      const small = [];
      const visible = (e) => { const b = e.getBoundingClientRect(); return b.width > 0 && b.height > 0 && e.closest("[hidden]") === null && (e.closest("details") === null || e.closest("details").open || e.closest("summary") !== null); };
      for (const e of document.querySelectorAll("body *")) {
        if (e.closest("svg") !== null || !visible(e)) continue;
        if (![...e.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim() !== "")) continue;
        const px = parseFloat(getComputedStyle(e).fontSize);
        if (px < 12) small.push(e.tagName + " " + px + " " + e.textContent.trim().slice(0, 20));
      }
      for (const t of document.querySelectorAll("#topology text, .charts svg text")) {
        if (!visible(t) || t.textContent.trim() === "") continue;
        const m = t.getScreenCTM();
        const px = parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b);
        if (px < 11) small.push("svg " + px.toFixed(1) + " " + t.textContent.slice(0, 20));
      }
      return { small, scrollWidth: document.documentElement.scrollWidth, innerWidth };
    })()`)) as { small: string[]; scrollWidth: number; innerWidth: number };
    expect(sizes.innerWidth).toBe(390);
    expect(sizes.scrollWidth).toBeLessThanOrEqual(390);
    expect(sizes.small).toEqual([]);
    await docsScreenshot(page, "web-phone-ucs");
  });

  it("scrolls when a finger drags over a device (it does not move the device)", async () => {
    await choose(page, "ucs-rack.yaml");
    await page.evaluate(`document.getElementById("view-section").scrollIntoView()`);
    // The device under the finger, mid-screen (the 40-server rack is taller than the phone's screen).
    await page.evaluate(
      `document.querySelector('g.node[data-name="iom1a"] rect.box').scrollIntoView({ block: "center", inline: "center" })`,
    );
    const box = (await page.locator('g.node[data-name="iom1a"] rect.box').boundingBox())!;
    const before = (await page.evaluate(
      `({ y: scrollY + document.getElementById("scroller").scrollTop, x: document.getElementById("scroller").scrollLeft, t: document.querySelector('g.node[data-name="iom1a"]').getAttribute("transform") })`,
    )) as {
      y: number;
      x: number;
      t: string;
    };
    // A finger dragged over the device, as the browser's touch events (CDP), up and then to the left.
    const cdp = await page.context().newCDPSession(page);
    const drag = async (x: number, y: number, dx: number, dy: number): Promise<void> => {
      await cdp.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: [{ x, y }] });
      for (let i = 1; i <= 10; i++)
        await cdp.send("Input.dispatchTouchEvent", {
          type: "touchMove",
          touchPoints: [{ x: x + (dx * i) / 10, y: y + (dy * i) / 10 }],
        });
      await cdp.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
      await page.waitForTimeout(300);
    };
    // Each drag goes the way there is room to scroll (a finger moving up scrolls down): the page, or the
    // topology's own scroller when the rack is taller than its box.
    const room = (await page.evaluate(
      `(() => { const s = document.getElementById("scroller"); return { down: document.documentElement.scrollHeight - innerHeight - scrollY + s.scrollHeight - s.clientHeight - s.scrollTop, right: s.scrollWidth - s.clientWidth - s.scrollLeft }; })()`,
    )) as { down: number; right: number };
    const dy = room.down > 150 ? -200 : 200;
    const dx = room.right > 100 ? -150 : 150;
    await drag(box.x + box.width / 2, box.y + box.height / 2, 0, dy);
    const moved = (await page.locator('g.node[data-name="iom1a"] rect.box').boundingBox())!;
    await drag(moved.x + moved.width / 2, moved.y + moved.height / 2, dx, 0);
    const after = (await page.evaluate(
      `({ y: scrollY + document.getElementById("scroller").scrollTop, x: document.getElementById("scroller").scrollLeft, t: document.querySelector('g.node[data-name="iom1a"]').getAttribute("transform") })`,
    )) as typeof before;
    expect(after.t).toBe(before.t);
    expect(Math.abs(after.y - before.y)).toBeGreaterThan(100);
    expect(Math.sign(after.y - before.y)).toBe(-Math.sign(dy));
    expect(Math.abs(after.x - before.x)).toBeGreaterThan(50);
    expect(Math.sign(after.x - before.x)).toBe(-Math.sign(dx));
  });

  it("draws a fault injected while paused at once", async () => {
    await choose(page, "lessons/5-blast-radius.yaml");
    await stepTo(page, 2e9, "2ms");
    await page.selectOption("#part", "node:sa-eth2");
    await page.click("#details #fail");
    await page.waitForSelector("body[data-faults='1']");
    const drawn = await failedDrawn(page);
    expect(drawn.links).toBe(2);
    expect(drawn.blast).toBeGreaterThan(0);
  });
});

describe("with reduced motion", () => {
  it("moves nothing: no dots, a note saying why; the run and its sampling go on", async () => {
    const site = await openSite({ width: 1024, height: 800, reducedMotion: "reduce" });
    try {
      const page = site.page;
      expect(await page.isVisible("#motion-note")).toBe(true);
      await choose(page, "ucs-rack.yaml");
      await page.click("#run");
      await page.waitForFunction("Number(document.getElementById('particles').dataset.sampled ?? 0) > 50", undefined, {
        timeout: 30_000,
      });
      await page.waitForTimeout(500);
      expect(await page.getAttribute("#particles", "data-motion")).toBe("reduced");
      expect(await page.getAttribute("#particles", "data-animating")).not.toBe("1");
      const painted = (await page.evaluate(`(() => {
        const c = document.getElementById("particles");
        if (c.width === 0) return 0;
        const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
        return n;
      })()`)) as number;
      expect(painted).toBe(0);
    } finally {
      await site.close();
    }
  });
});

describe("opened from file://", () => {
  it("says why it cannot run and what to do, instead of a blank page", async () => {
    const site = await openSite();
    const browser = await launchChromium();
    try {
      await browser.page.goto(`file://${join(site.site.dir, "index.html")}`);
      await browser.page.waitForSelector("#file-warning:not([hidden])");
      const text = (await browser.page.textContent("#file-warning")) ?? "";
      expect(text).toContain("file://");
      expect(text).toContain("npm run web");
    } finally {
      await browser.close();
      await site.close();
    }
  });
});
