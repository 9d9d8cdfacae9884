import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { byId, sortById } from "../../../src/network/distance-table.js";

describe("candidate order", () => {
  // Routes pick among candidates by position (hash or pin): the order must be the id order,
  // short lists (insertion, in place) and long ones alike.
  test.prop(
    [
      fc.oneof(
        fc.uniqueArray(fc.string({ maxLength: 6 }), { maxLength: 16 }),
        fc.uniqueArray(fc.string({ maxLength: 6 }), { minLength: 17, maxLength: 80, size: "max" }),
      ),
    ],
    { numRuns: 300 },
  )("sorts ports by id as Array.sort with byId does", (ids) => {
    const ports = ids.map((id) => ({ id }));
    const expected = [...ports].sort(byId).map((p) => p.id);
    sortById(ports);
    expect(ports.map((p) => p.id)).toEqual(expected);
  });
});
