import { describe, expect, it } from "vitest";
import { formatCurve } from "../../../src/report/plan-terminal.js";
import { fixturePlan } from "./helpers.js";

describe("formatCurve", () => {
  const LEGEND = "* not confirmed at packet level";

  it("explains the star when a row carries it", () => {
    const curve = fixturePlan().lastMileCurve!;
    curve.rows = curve.rows.map((r, i) => ({ ...r, confirmed: i !== 0 }));
    const text = formatCurve(curve).join("\n");
    expect(text).toContain("$17,957*");
    expect(text).toContain(LEGEND);
  });

  it("prints no legend when every row with a figure is confirmed", () => {
    const curve = fixturePlan().lastMileCurve!;
    curve.rows = curve.rows.map((r) => ({ ...r, confirmed: true }));
    expect(formatCurve(curve).join("\n")).not.toContain(LEGEND);
  });
});
