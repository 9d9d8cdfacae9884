import { describe, expect, it } from "vitest";
import {
  BORDER,
  CLASSES_CASING,
  contrastRatio,
  FAILED,
  FAILED_MARK,
  INTERFACE_COLOURS,
  KIND_COLOURS,
  LOSSLESS_CASING,
  PAUSED,
  SELECTED,
  TEXT,
  TEXT_MUTED,
  UTIL_STOPS,
  utilColour,
  WORKLOAD_COLOURS,
} from "../../web/src/palette.js";

const WHITE = "#ffffff";

describe("contrastRatio", () => {
  it("is 21 for black on white, 1 for a colour on itself, and symmetric", () => {
    expect(contrastRatio("#000000", WHITE)).toBeCloseTo(21, 6);
    expect(contrastRatio("#7b8794", "#7b8794")).toBe(1);
    expect(contrastRatio("rgb(29, 35, 42)", WHITE)).toBeCloseTo(contrastRatio(WHITE, "#1d232a"), 12);
  });
});

describe("the palette", () => {
  it("keeps text at 4.5:1 on white and on every device's fill", () => {
    for (const t of [TEXT, TEXT_MUTED]) expect(contrastRatio(t, WHITE), t).toBeGreaterThanOrEqual(4.5);
    for (const [kind, fill] of Object.entries(KIND_COLOURS))
      expect(contrastRatio(TEXT, fill), kind).toBeGreaterThanOrEqual(4.5);
  });

  it("keeps every graphic at 3:1 on white: links at any utilization, marks, interfaces, workloads", () => {
    for (let u = 0; u <= 1; u += 0.05)
      expect(contrastRatio(utilColour(u), WHITE), `util ${u}`).toBeGreaterThanOrEqual(3);
    for (const c of [
      ...UTIL_STOPS.map((s) => s[1]),
      BORDER,
      SELECTED,
      FAILED,
      FAILED_MARK,
      PAUSED,
      LOSSLESS_CASING,
      CLASSES_CASING,
    ])
      expect(contrastRatio(c, WHITE), c).toBeGreaterThanOrEqual(3);
    for (const c of [...Object.values(INTERFACE_COLOURS), ...WORKLOAD_COLOURS])
      expect(contrastRatio(c, WHITE), c).toBeGreaterThanOrEqual(3);
  });

  it("gives every device's border 3:1 against its fill", () => {
    for (const [kind, fill] of Object.entries(KIND_COLOURS))
      expect(contrastRatio(BORDER, fill), kind).toBeGreaterThanOrEqual(3);
  });
});
