import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { IntStack } from "../../../src/flow/fill.js";

describe("the filling's per-round stacks", () => {
  // The frozen flows' loads are summed in flow order (bit-for-bit answers): the stacks must
  // sort as `Array.sort((a, b) => a - b)` does, short (insertion) and long (in place).
  test.prop(
    [
      fc.oneof(
        fc.uniqueArray(fc.integer({ min: 0, max: 9999 }), { maxLength: 16 }),
        fc.uniqueArray(fc.integer({ min: 0, max: 9999 }), { minLength: 17, maxLength: 200, size: "max" }),
      ),
    ],
    { numRuns: 300 },
  )("sort distinct flow numbers ascending, as Array.sort does", (xs) => {
    const s = new IntStack(10000);
    for (const x of xs) s.push(x);
    s.sort();
    expect(Array.from(s.data.subarray(0, s.n))).toEqual([...xs].sort((a, b) => a - b));
  });
});
