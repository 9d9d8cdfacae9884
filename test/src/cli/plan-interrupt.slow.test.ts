import { afterAll, describe, expect, it } from "vitest";
import { removeTempDirs } from "./helpers.js";
import { interruptAtRandom } from "./interrupts.js";

// `npm run test:slow`: the check, 50 seeded interrupts of `iovsim plan`, half while it
// plans and half while it writes; each must leave the complete old set or the complete new one.
afterAll(removeTempDirs);

describe("iovsim plan interrupted at 50 random points", () => {
  it("leaves the complete old set or the complete new set every time", async () => {
    const found = await interruptAtRandom(50, 15);
    console.info(`50 interrupts of iovsim plan: ${found.old} left the old set, ${found.new} the new one`);
    expect(found.old + found.new).toBe(50);
    // Both outcomes occur, so the points reach both sides of the commit.
    expect(found.old).toBeGreaterThan(0);
    expect(found.new).toBeGreaterThan(0);
  }, 1_800_000);
});
