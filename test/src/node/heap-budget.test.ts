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
    let garbage: number[][] | null = Array.from({ length: 400 }, () => new Array<number>(50_000).fill(1.5));
    const withGarbage = process.memoryUsage().heapUsed;
    garbage = null;
    const budget = withGarbage - 100 * 2 ** 20;
    // Still counted in the heap: a reading alone would pass the budget.
    expect(process.memoryUsage().heapUsed).toBeGreaterThan(budget);
    expect(garbage).toBeNull();
    expect(heapBudget(budget)).not.toThrow();
  });
});
