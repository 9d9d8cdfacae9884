import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { linkMatches } from "../../../src/catalog/pattern.js";

/** The regular-expression matcher linkMatches replaced: the reference for what a pattern means. */
function byRegExp(pattern: string, id: string): boolean {
  const escaped = pattern.split("*").map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`^${escaped.join(".*")}$`).test(id);
}

describe("link protocol patterns", () => {
  it("match ids exactly without a star, and any run of characters at a star", () => {
    expect(linkMatches("eth-10g", "eth-10g")).toBe(true);
    expect(linkMatches("eth-10g", "eth-1g")).toBe(false);
    expect(linkMatches("fc-*", "fc-8g")).toBe(true);
    expect(linkMatches("fc-*", "eth-8g")).toBe(false);
    expect(linkMatches("eth-*g", "eth-100g")).toBe(true);
    expect(linkMatches("*", "")).toBe(true);
    expect(linkMatches("pcie-gen*-x8", "pcie-gen3-x16")).toBe(false);
    expect(linkMatches("**-*-**", "pcie-gen3-x16")).toBe(true);
  });

  it("agree with the regular-expression meaning on random patterns and ids", () => {
    const text = fc.string({ unit: fc.constantFrom("a", "b", "-", "*"), maxLength: 12 });
    const id = fc.string({ unit: fc.constantFrom("a", "b", "-"), maxLength: 12 });
    fc.assert(
      fc.property(text, id, (p, i) => {
        expect(linkMatches(p, i)).toBe(byRegExp(p, i));
      }),
      { seed: 15, numRuns: 2000 },
    );
  });

  it("match twenty-four stars against a failing id in a handful of steps (the regular expression took over a minute)", () => {
    // No timing assertion: the old matcher would not return at all within the test's timeout.
    expect(linkMatches(`${"*".repeat(24)}x`, "eth-100g-and-then-some-more")).toBe(false);
    expect(linkMatches(`${"a*".repeat(5000)}z`, "a".repeat(5000))).toBe(false);
  });
});
