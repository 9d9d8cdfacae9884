import { describe, expect, it } from "vitest";
import { UnitError } from "../../../sim/units.js";
import { didYouMean, parseLength } from "../../../src/topology/fields.js";

describe("cable lengths", () => {
  it("are read in metres", () => {
    expect(parseLength("3m")).toBe(3);
    expect(parseLength("0.5 m")).toBe(0.5);
  });

  it("need the unit", () => {
    expect(() => parseLength("3")).toThrow(UnitError);
    expect(() => parseLength("3km")).toThrowErrorMatchingInlineSnapshot(
      `[UnitError: expected a length like "3m" (metres), got "3km"]`,
    );
  });
});

describe("suggestions for misspelt fields", () => {
  it("find the close one", () => {
    expect(didYouMean("latncy", ["latency", "buffer", "ports"])).toBe("latency");
    expect(didYouMean("Ports", ["latency", "buffer", "ports"])).toBe("ports");
  });

  it("say nothing when nothing is close", () => {
    expect(didYouMean("colour", ["latency", "buffer", "ports"])).toBeUndefined();
  });
});
