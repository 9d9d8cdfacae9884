import { describe, expect, it } from "vitest";
import { small, Transfer } from "../../../src/fabric/transfer.js";

describe("a transfer's byte counts", () => {
  it("keeps every value as it is (small() only changes how V8 stores a whole number)", () => {
    for (const n of [0, 1, 1500, 9216, 2 ** 31 - 1, -7]) expect(small(n)).toBe(n);
    // Not whole, or past int32: returned unchanged rather than truncated or wrapped.
    for (const n of [1.5, 1546.875, 2 ** 31, 2 ** 40 + 3]) expect(small(n)).toBe(n);
  });

  it("stores the payload given, also a whole number computed in floating point", () => {
    const route = { ports: [], queues: [] };
    expect(new Transfer(null, Math.round(1499.6), route).payload).toBe(1500);
    expect(new Transfer(null, 2 ** 31 + 5, route).reset(null, 64, route).payload).toBe(64);
    expect(new Transfer(null, 2 ** 31 + 5, route).payload).toBe(2 ** 31 + 5);
  });
});
