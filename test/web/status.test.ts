import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Status } from "../../web/src/status.js";

describe("the status region", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("speaks at most once a second, the newest text always arrives, and the visible line follows at once", () => {
    const el: { textContent: string | null } = { textContent: "" };
    const changes: Array<[number, string]> = [];
    const visible: { textContent: string | null } = { textContent: "" };
    const s = new Status(
      visible,
      new Proxy(el, {
        set(t, k, v) {
          if (k === "textContent") changes.push([performance.now(), v as string]);
          return Reflect.set(t, k, v);
        },
      }),
    );
    for (let i = 0; i < 50; i++) {
      s.set(`t = ${i}`);
      expect(visible.textContent).toBe(`t = ${i}`);
      vi.advanceTimersByTime(100);
    }
    vi.advanceTimersByTime(1000);
    expect(changes.length).toBeLessThanOrEqual(7);
    for (let i = 1; i < changes.length; i++) expect(changes[i]![0] - changes[i - 1]![0]).toBeGreaterThanOrEqual(1000);
    expect(changes.at(-1)![1]).toBe("t = 49");
  });

  it("waits out the second by its own clock when a timer fires early", () => {
    const fakeTimeout = globalThis.setTimeout;
    vi.spyOn(globalThis, "setTimeout").mockImplementation(((fn: () => void, ms: number) =>
      fakeTimeout(fn, Math.max(0, ms - 1))) as typeof setTimeout);
    const times: number[] = [];
    const el = { textContent: "" as string | null };
    const s = new Status(
      { textContent: "" },
      new Proxy(el, {
        set(t, k, v) {
          if (k === "textContent") times.push(performance.now());
          return Reflect.set(t, k, v);
        },
      }),
    );
    s.set("a");
    vi.advanceTimersByTime(10);
    s.set("b");
    vi.advanceTimersByTime(2000);
    expect(times).toHaveLength(2);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(1000);
    expect(el.textContent).toBe("b");
  });
});
