import { describe, expect, it } from "vitest";
import { callgrindTotals, functionAt, missesByFunction, perfMap } from "../../bench/cache-probe.js";

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

  it("names V8's code by the perf map, the later code at an address winning", () => {
    const ranges = perfMap(["1000 100 JS:~old", "1000 80 JS:*new", "2000 10 Builtins_X", "not a line"].join("\n"));
    expect(functionAt(ranges, 0x1010)).toBe("JS:*new");
    expect(functionAt(ranges, 0x1090)).toBe("JS:~old");
    expect(functionAt(ranges, 0x2005)).toBe("Builtins_X");
    expect(functionAt(ranges, 0x3000)).toBeNull();
  });

  it("puts last-level misses on functions, skipping the inclusive cost of calls", () => {
    const text = [
      "positions: instr line",
      "events: Ir DLmr DLmw",
      "fn=(1) ???",
      "0x1010 0 5 2 1",
      "+8 0 5 1 0",
      "cfn=(2) memcpy",
      "calls=3 0x9000 0",
      "* 0 30 7 7",
      "fn=(2)",
      "0x9000 0 30 4 0",
      "fn=(3) 0x000000000002000",
      "0x2004 0 2 0 3",
    ].join("\n");
    const ranges = perfMap("1000 100 JS:*start\n2000 10 JS:*enqueue");
    expect(Object.fromEntries(missesByFunction(text, ranges))).toEqual({ "JS:*start": 4, memcpy: 4, "JS:*enqueue": 3 });
  });
});
