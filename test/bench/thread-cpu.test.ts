import { describe, expect, it } from "vitest";
import { elapsed, mainThreadCpuSeconds } from "../../bench/thread-cpu.js";

describe("the main thread's CPU time", () => {
  it.runIf(process.platform === "linux")("grows while the main thread computes", () => {
    const before = mainThreadCpuSeconds();
    let x = 0;
    for (let i = 0; i < 2e7; i++) x += Math.sqrt(i);
    const after = mainThreadCpuSeconds();
    expect(x).toBeGreaterThan(0);
    expect(before).not.toBeNull();
    expect(after!).toBeGreaterThan(before!);
  });

  it("is unknown, not zero, when either reading is missing", () => {
    expect(elapsed(null, 2)).toBeNull();
    expect(elapsed(1, null)).toBeNull();
    expect(elapsed(1, 2.5)).toBe(1.5);
  });
});
