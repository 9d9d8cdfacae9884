import { describe, expect, it } from "vitest";
import { check, formatGolden, type Golden } from "../../web/src/lessons/golden.js";

const g = (value: number, unit: Golden["unit"], digits?: number): Golden => ({
  label: "x",
  source: { from: "links", field: "dropped" },
  unit,
  value,
  ...(digits === undefined ? {} : { digits }),
});

describe("golden numbers", () => {
  it("are written as the lessons write them", () => {
    expect(formatGolden(1.94, "Gb/s", 3)).toBe("1.94 Gb/s");
    expect(formatGolden(3.3, "Gb/s", 3)).toBe("3.30 Gb/s");
    expect(formatGolden(330, "µs", 3)).toBe("330 µs");
    expect(formatGolden(0.996, "Gb/s", 3)).toBe("0.996 Gb/s");
    expect(formatGolden(80, "share", 2)).toBe("80 %");
    expect(formatGolden(913, "count")).toBe("913");
  });

  it("hold when the measured value rounds to the stated one, and not otherwise", () => {
    expect(check(g(1.94, "Gb/s", 3), 1.9398e9).ok).toBe(true);
    expect(check(g(1.94, "Gb/s", 3), 1.946e9).ok).toBe(false);
    expect(check(g(10.7, "µs", 3), 10.73e-6).ok).toBe(true);
    expect(check(g(913, "count"), 914).ok).toBe(false);
    expect(check(g(913, "count"), null)).toMatchObject({ ok: false, shown: "–" });
  });
});
