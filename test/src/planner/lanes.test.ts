import { afterEach, describe, expect, it, vi } from "vitest";
import { inLanes, RECHECK_MS } from "../../../src/planner/lanes.js";

/** Work that ends after `ms`, counting how many run at once. */
function tracked() {
  let running = 0;
  let most = 0;
  const started: number[] = [];
  const run = async (i: number) => {
    started.push(i);
    most = Math.max(most, ++running);
    await new Promise((r) => setTimeout(r, 1 + (i % 3)));
    running--;
  };
  return { run, started, most: () => most };
}

describe("work in lanes", () => {
  it("runs every piece once, in order of start, never more than the width at once", async () => {
    const t = tracked();
    await inLanes(10, 3, t.run);
    expect(t.started).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(t.most()).toBe(3);
  });

  it("runs one at a time at width 0 or 1, and all at once when the width passes the count", async () => {
    for (const [width, most] of [
      [0, 1],
      [1, 1],
      [50, 4],
      [Number.POSITIVE_INFINITY, 4],
    ] as const) {
      const t = tracked();
      await inLanes(4, width, t.run);
      expect(t.most(), `width ${width}`).toBe(most);
    }
  });

  it("starts nothing after a failure and throws it once the running pieces end", async () => {
    const started: number[] = [];
    const run = async (i: number) => {
      started.push(i);
      await new Promise((r) => setTimeout(r, 1));
      if (i === 1) throw new Error("piece 1 failed");
    };
    await expect(inLanes(10, 2, run)).rejects.toThrow("piece 1 failed");
    expect(started.length).toBeLessThan(10);
  });

  describe("with a width that changes (queue workers joining or leaving)", () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it("widens within a recheck while nothing ends, and narrows only as pieces end", async () => {
      vi.useFakeTimers();
      let width = 1;
      const started: number[] = [];
      const gates: Array<() => void> = [];
      const run = (i: number) =>
        new Promise<void>((resolve) => {
          started.push(i);
          gates[i] = resolve;
        });
      const all = inLanes(6, () => width, run);
      expect(started).toEqual([0]);
      width = 3;
      await vi.advanceTimersByTimeAsync(RECHECK_MS);
      expect(started).toEqual([0, 1, 2]);
      // Two workers leave: the running pieces go on, and none starts until fewer than one runs.
      width = 1;
      gates[0]!();
      gates[1]!();
      await vi.advanceTimersByTimeAsync(RECHECK_MS);
      expect(started).toEqual([0, 1, 2]);
      gates[2]!();
      await vi.advanceTimersByTimeAsync(0);
      expect(started).toEqual([0, 1, 2, 3]);
      width = 2;
      gates[3]!();
      await vi.advanceTimersByTimeAsync(0);
      expect(started).toEqual([0, 1, 2, 3, 4, 5]);
      gates[4]!();
      gates[5]!();
      await all;
      expect(vi.getTimerCount()).toBe(0);
    });

    it("throws a piece's failure and stops its recheck", async () => {
      vi.useFakeTimers();
      const all = inLanes(
        3,
        () => 2,
        (i) => (i === 0 ? Promise.reject(new Error("piece 0 failed")) : Promise.resolve()),
      );
      await expect(all).rejects.toThrow("piece 0 failed");
      expect(vi.getTimerCount()).toBe(0);
    });
  });
});
