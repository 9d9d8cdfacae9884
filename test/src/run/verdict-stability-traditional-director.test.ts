import { describe, expect, it } from "vitest";
import { flipped, twoPrecisions } from "./verdict-stability.helpers.js";

// Issue 13's "verdict stability", on two of the four reference racks (the other two in
// verdict-stability-ucs-mriov.test.ts, so the files run side by side).
describe.each(["traditional", "director"])("the %s rack's verdicts", (design) => {
  it("do not change when the precision target is halved (0.1 → 0.05)", async () => {
    const { coarse, fine } = await twoPrecisions(design);
    expect(flipped(coarse, fine)).toEqual([]);
    // The rows were decided, and the finer target took more replications (or hit the same cap).
    expect(coarse.sla.filter((r) => r.status !== "undecided").length).toBeGreaterThan(0);
    // (A coarse run may already use the replication cap and be precise to 0.05 there: the director rack's 10.)
    expect(
      fine.replications > coarse.replications ||
        fine.precision!.stop === "max-replications" ||
        fine.replications === fine.precision!.maxReplications,
    ).toBe(true);
    for (const r of fine.sla) expect(r.warmup === null || r.window === null).toBe(false);
  });
});
