import { describe, expect, it } from "vitest";
import { elapsed, processCpuSeconds, threadCpuSeconds } from "../../bench/thread-cpu.js";

describe("a thread's CPU time", () => {
  it.runIf(process.platform === "linux")(
    "grows while the calling thread computes, a test pool's worker thread too",
    () => {
      const before = threadCpuSeconds();
      let x = 0;
      for (let i = 0; i < 2e7; i++) x += Math.sqrt(i);
      const after = threadCpuSeconds();
      expect(x).toBeGreaterThan(0);
      expect(before).not.toBeNull();
      expect(after!).toBeGreaterThan(before!);
    },
  );

  it("is part of the process's, which grows with it", () => {
    const before = processCpuSeconds();
    let x = 0;
    for (let i = 0; i < 2e7; i++) x += Math.sqrt(i);
    expect(x).toBeGreaterThan(0);
    expect(processCpuSeconds()).toBeGreaterThan(before);
    const main = threadCpuSeconds();
    if (main !== null) expect(main).toBeLessThanOrEqual(processCpuSeconds());
  });

  it("is unknown, not zero, when either reading is missing", () => {
    expect(elapsed(null, 2)).toBeNull();
    expect(elapsed(1, null)).toBeNull();
    expect(elapsed(1, 2.5)).toBe(1.5);
  });
});
