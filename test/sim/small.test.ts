import { describe, expect, it } from "vitest";
import { small } from "../../sim/small.js";

describe("small()", () => {
  it("keeps every value as it is (small() only changes how V8 stores a whole number)", () => {
    for (const n of [0, 1, 1500, 9216, 2 ** 31 - 1, -7]) expect(small(n)).toBe(n);
    // Not whole, or past int32: returned unchanged rather than truncated or wrapped.
    for (const n of [1.5, 1546.875, 2 ** 31, 2 ** 40 + 3]) expect(small(n)).toBe(n);
  });
});
