import { describe, expect, it } from "vitest";
import { callgrindTotals } from "../../bench/cache-probe.js";

describe("the cache probe's reading of callgrind's output", () => {
  it("names each total by its event", () => {
    const text = [
      "version: 1",
      "events: Ir Dr Dw I1mr D1mr D1mw ILmr DLmr DLmw",
      "fn=(below main)",
      "0 5 1",
      "summary: 100 40 20 3 7 2 1 4 5",
      "totals: 100 40 20 3 7 2 1 4 5",
    ].join("\n");
    expect(callgrindTotals(text)).toEqual({
      Ir: 100,
      Dr: 40,
      Dw: 20,
      I1mr: 3,
      D1mr: 7,
      D1mw: 2,
      ILmr: 1,
      DLmr: 4,
      DLmw: 5,
    });
  });

  it("refuses an output without totals rather than reading zeros", () => {
    expect(() => callgrindTotals("events: Ir\n")).toThrow(/without events and totals/);
  });
});
