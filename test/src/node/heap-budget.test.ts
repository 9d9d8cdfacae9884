import { describe, expect, it } from "vitest";
import { HeapBudgetError, heapBudget } from "../../../src/node/heap-budget.js";

describe("heapBudget", () => {
  it("throws with what is in use and the budget when live heap passes it", () => {
    const check = heapBudget(1);
    expect(check).toThrow(HeapBudgetError);
    try {
      check();
    } catch (e) {
      expect((e as HeapBudgetError).limitBytes).toBe(1);
      expect((e as HeapBudgetError).usedBytes).toBeGreaterThan(1);
    }
  });

  it("does not count garbage: over the budget only until a full collection", () => {
    // A collection could run between the allocation and the reading (it rarely does: the arrays are large
    // objects, collected only by a full collection): then the reading proves nothing, and the test tries again.
    for (let attempt = 0; attempt < 5; attempt++) {
      let garbage: number[][] | null = Array.from({ length: 400 }, () => new Array<number>(50_000).fill(1.5));
      const withGarbage = process.memoryUsage().heapUsed;
      garbage = null;
      const budget = withGarbage - 100 * 2 ** 20;
      // Still counted in the heap: a reading alone would pass the budget.
      if (garbage !== null || process.memoryUsage().heapUsed <= budget) continue;
      expect(heapBudget(budget)).not.toThrow();
      return;
    }
    throw new Error("the garbage was collected before every reading: the test could not set up its case");
  });
});
