import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FAILOVER_DEFAULTS, failoverMarkdownTable, failoverTimes, MECHANISMS } from "../../../src/run/failover.js";
import { tableCells as cells } from "../../helpers/markdown.js";

describe("failover per mechanism", () => {
  it("gives every mechanism a default with a source and a confidence", () => {
    for (const m of MECHANISMS) {
      const d = FAILOVER_DEFAULTS[m];
      expect(d.seconds, m).toBeGreaterThan(0);
      expect(d.source.length, m).toBeGreaterThan(20);
      expect(d.confidence, m).toMatch(/^(solid|vendor-claim|rough|derived|unverified|estimate)$/);
    }
    // Storage paths fail over by host multipathing in every design: one figure, not one per design.
    expect(FAILOVER_DEFAULTS.multipath.seconds).toBe(5);
  });

  it("takes a topology's overrides per mechanism, or one time (or off) for all", () => {
    const t = failoverTimes({ teaming: 2e9, haVnic: null });
    expect(t.teaming).toBe(2e9);
    expect(t.haVnic).toBeNull();
    expect(t.multipath).toBe(5e12);
    expect(Object.values(failoverTimes({ teaming: 1 }, 7))).toEqual(MECHANISMS.map(() => 7));
    expect(Object.values(failoverTimes({}, null))).toEqual(MECHANISMS.map(() => null));
  });

  it("docs/failover.md lists the defaults exactly as the code defines them", () => {
    const doc = readFileSync(new URL("../../../docs/failover.md", import.meta.url), "utf8");
    const begin = "<!-- failover:begin -->";
    const table = doc.slice(doc.indexOf(begin) + begin.length, doc.indexOf("<!-- failover:end -->"));
    expect(cells(table)).toEqual(cells(failoverMarkdownTable()));
  });
});
