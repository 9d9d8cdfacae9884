import { describe, expect, it } from "vitest";
import { holdNsPerEvent } from "../../bench/locality-probe.js";

describe("the locality probe's event-queue figure", () => {
  it("times the hold model on the main thread, or says it cannot off Linux", () => {
    const ns = holdNsPerEvent(1000, 200_000);
    if (process.platform === "linux") expect(ns).toBeGreaterThan(0);
    else expect(ns).toBeNull();
  });
});
