import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  countNames,
  expandNames,
  hasRange,
  MAX_EXPANSION,
  parseRanges,
  zipEndpoints,
  zipIndex,
} from "../../../src/topology/ranges.js";

function names(text: string): readonly string[] {
  const r = expandNames(text);
  if (!r.ok) throw new Error(r.message);
  return r.value;
}

function problem(result: { ok: boolean; message?: string }): string | undefined {
  return result.ok ? undefined : result.message;
}

describe("expanding names", () => {
  it("turns host[1..4] into host1 … host4", () => {
    expect(names("host[1..4]")).toEqual(["host1", "host2", "host3", "host4"]);
  });

  it("keeps the zero padding of [01..12]", () => {
    expect(names("host[08..11]")).toEqual(["host08", "host09", "host10", "host11"]);
    expect(names("r[001..002]")).toEqual(["r001", "r002"]);
  });

  it("does not pad [0..2]: a lone 0 is not padding", () => {
    expect(names("p[0..2]")).toEqual(["p0", "p1", "p2"]);
  });

  it("takes the cartesian product of several ranges, left range outermost", () => {
    expect(names("c[1..2]b[1..3]")).toEqual(["c1b1", "c1b2", "c1b3", "c2b1", "c2b2", "c2b3"]);
  });

  it("allows ranges anywhere in the text, as in ports and endpoints", () => {
    expect(names("fi-a:eth1/[1..2]")).toEqual(["fi-a:eth1/1", "fi-a:eth1/2"]);
    expect(names("[1..2]x")).toEqual(["1x", "2x"]);
  });

  it("leaves a name without ranges as it is", () => {
    expect(names("tor")).toEqual(["tor"]);
    expect(names("odd[name]")).toEqual(["odd[name]"]);
  });

  it("expands a one-element range to one name", () => {
    expect(names("h[5..5]")).toEqual(["h5"]);
  });

  it("rejects a range that runs backwards", () => {
    expect(problem(expandNames("host[5..1]"))).toBe("range [5..1] runs backwards: write [1..5]");
  });

  it("rejects malformed and empty ranges", () => {
    expect(problem(expandNames("host[1..]"))).toBe(
      "malformed range [1..]: write [first..last] with whole numbers, e.g. host[1..32]",
    );
    expect(problem(expandNames("host[..]"))).toMatch(/^malformed range \[\.\.\]/);
    expect(problem(expandNames("host[a..b]"))).toMatch(/^malformed range \[a\.\.b\]/);
  });

  it("refuses expansions beyond the limit instead of exhausting memory", () => {
    expect(problem(expandNames("h[1..1000]x[1..1001]"))).toBe(
      `h[1..1000]x[1..1001] expands to 1,001,000 names, more than the limit of ${MAX_EXPANSION.toLocaleString("en-US")}`,
    );
  });

  it("refuses ranges with numbers of more than nine digits", () => {
    expect(problem(expandNames("h[1..10000000000]"))).toBe("range [1..10000000000] has numbers of more than 9 digits");
  });

  it("counts the names of a range without making them", () => {
    expect(countNames("host[1..1000000]")).toBe(1_000_000);
    expect(countNames("c[1..4]b[1..8]")).toBe(32);
    expect(countNames("lan")).toBe(1);
    expect(countNames("host[a..b]")).toBeUndefined();
  });

  it("scans brackets in linear time: an open bracket before 200,000 dots is plain text, not a range", () => {
    // The regular expression this replaces took about 20 s here (quadratic backtracking).
    const text = `[${".".repeat(200_000)}`;
    expect(hasRange(text)).toBe(false);
    expect(names(text)).toEqual([text]);
  });

  it("tells names with ranges from names without, repeatedly", () => {
    for (let i = 0; i < 3; i++) {
      expect(hasRange("host[1..2]")).toBe(true);
      expect(hasRange("host1")).toBe(false);
      expect(names("a[1..2]")).toHaveLength(2);
    }
  });

  const rangeArb = fc
    .record({ first: fc.integer({ min: 0, max: 40 }), size: fc.integer({ min: 1, max: 5 }), pad: fc.boolean() })
    .map(({ first, size, pad }) => {
      const last = first + size - 1;
      const width = String(last).length + 1;
      const firstText = pad ? String(first).padStart(width, "0") : String(first);
      return { text: `[${firstText}..${last}]`, size, width: pad ? width : 0 };
    });
  const nameArb = fc.array(fc.tuple(fc.stringMatching(/^[a-z]{1,3}$/), rangeArb), { minLength: 1, maxLength: 3 });

  it("expands to as many names as the product of the range sizes", () => {
    fc.assert(
      fc.property(nameArb, (parts) => {
        const text = parts.map(([prefix, r]) => prefix + r.text).join("");
        const product = parts.reduce((n, [, r]) => n * r.size, 1);
        expect(names(text)).toHaveLength(product);
        expect(new Set(names(text)).size).toBe(product);
      }),
    );
  });

  it("keeps the padding width of every padded range", () => {
    fc.assert(
      fc.property(rangeArb, (r) => {
        const parsed = parseRanges(`h${r.text}`);
        expect(parsed.ok).toBe(true);
        for (const n of names(`h${r.text}`)) {
          const digits = n.slice(1);
          expect(digits.length).toBeGreaterThanOrEqual(r.width);
          if (r.width > 0) expect(digits).toHaveLength(r.width);
        }
      }),
    );
  });
});

describe("zipping", () => {
  it("pairs endpoints of equal length one to one", () => {
    expect(zipEndpoints(["a1", "a2"], ["b1", "b2"])).toEqual({
      ok: true,
      value: [
        ["a1", "b1"],
        ["a2", "b2"],
      ],
    });
  });

  it("repeats a single endpoint against a range", () => {
    expect(zipEndpoints(["a"], ["b1", "b2"])).toEqual({
      ok: true,
      value: [
        ["a", "b1"],
        ["a", "b2"],
      ],
    });
  });

  it("rejects endpoints of unequal length", () => {
    expect(problem(zipEndpoints(names("h[1..32]"), names("s[1..16]")))).toBe(
      "endpoints expand to 32 and 16 names: ranges in the two endpoints must have equal length",
    );
  });

  it("zips a field value with its key: same position, the only name, or consecutive blocks", () => {
    expect([0, 1, 2, 3].map((i) => zipIndex(4, 4, i))).toEqual([0, 1, 2, 3]);
    expect([0, 1, 2, 3].map((i) => zipIndex(4, 1, i))).toEqual([0, 0, 0, 0]);
    expect([0, 7, 8, 31].map((i) => zipIndex(32, 4, i))).toEqual([0, 0, 1, 3]);
  });

  it("does not zip counts that do not fit together", () => {
    expect(zipIndex(32, 5, 0)).toBeUndefined();
    expect(zipIndex(2, 4, 0)).toBeUndefined();
  });
});
