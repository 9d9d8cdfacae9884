import { describe, expect, it } from "vitest";
import { Transfer } from "../../../src/fabric/transfer.js";

describe("a transfer's byte counts", () => {
  it("stores the payload given, also a whole number computed in floating point", () => {
    const route = { ports: [], queues: [] };
    expect(new Transfer(null, Math.round(1499.6), route).payload).toBe(1500);
    expect(new Transfer(null, 2 ** 31 + 5, route).reset(null, 64, route).payload).toBe(64);
    expect(new Transfer(null, 2 ** 31 + 5, route).payload).toBe(2 ** 31 + 5);
  });
});
