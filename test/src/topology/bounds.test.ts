import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { BOUNDS, boundProblem, boundsMarkdownTable } from "../../../src/topology/bounds.js";
import { tableCells as cells } from "../../helpers/markdown.js";

describe("the physical bounds", () => {
  it("are the table docs/topology-format.md prints", () => {
    const doc = readFileSync(new URL("../../../docs/topology-format.md", import.meta.url), "utf8");
    const begin = "<!-- bounds:begin -->";
    const table = doc.slice(doc.indexOf(begin) + begin.length, doc.indexOf("<!-- bounds:end -->"));
    expect(cells(table)).toEqual(cells(boundsMarkdownTable()));
  });

  it("say which side was passed and why, and let the edges through", () => {
    expect(boundProblem("rate", 1e3, "1Kbps")).toBeUndefined();
    expect(boundProblem("rate", 1.6e12, "1.6Tbps")).toBeUndefined();
    expect(boundProblem("rate", 999, "999bps")).toBe(
      "999bps is below 1 Kb/s: below 1 kb/s a single frame takes seconds",
    );
    expect(boundProblem("rate", 1.7e12, "1.7Tbps")).toBe(
      "1.7Tbps is above 1.6 Tb/s: the fastest link there is, 1.6 Tb/s Ethernet",
    );
    expect(boundProblem("vms", Number.NaN, "vms")).toBe("vms is not a number");
  });

  it("carry a source and a confidence for every figure from the outside world", () => {
    for (const [name, b] of Object.entries(BOUNDS)) {
      if (b.confidence === "model") expect(b.source, name).toBeNull();
      else expect(b.source, name).toMatch(/\S/);
      expect(b.min, name).toBeLessThanOrEqual(b.max);
    }
  });
});
