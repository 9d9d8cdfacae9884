import { describe, expect, it } from "vitest";
import { PARAMS } from "../../../src/design/params.js";
import { Dominance } from "../../../src/planner/dominance.js";
import type { StudyParameter } from "../../../src/study/load.js";

/** UCS's parameters as a study sets them: LAN and FC uplinks and array ports as ranges, the IOM uplinks a choice. */
function ucs(iomChoices: number[] = [1, 2]): Record<string, StudyParameter> {
  const def = (name: string) => PARAMS.ucs.find((d) => d.name === name)!;
  const range = (name: string, lo: number, hi: number): StudyParameter =>
    ({
      def: def(name),
      value: lo,
      candidates: Array.from({ length: hi - lo + 1 }, (_, i) => lo + i),
      ranged: true,
    }) as StudyParameter;
  return {
    iomUplinks: {
      def: def("iomUplinks"),
      value: iomChoices[0],
      candidates: iomChoices,
      ranged: false,
    } as StudyParameter,
    fiLanUplinks: range("fiLanUplinks", 1, 8),
    fiFcUplinks: range("fiFcUplinks", 1, 8),
    sanArrayPorts: range("sanArrayPorts", 1, 8),
    bulkPinGroup: range("bulkPinGroup", 0, 2),
  };
}

const at = (iom: number, lan: number, fc: number, ports: number, pin = 0) => ({
  iomUplinks: iom,
  fiLanUplinks: lan,
  fiFcUplinks: fc,
  sanArrayPorts: ports,
  bulkPinGroup: pin,
});

describe("Dominance", () => {
  it("takes a candidate with no more of any capacity than one that missed to miss too", () => {
    const d = new Dominance(ucs());
    d.miss(at(1, 3, 3, 3), new Set(["lan", "san"]));
    expect(d.dominated(at(1, 2, 3, 1))).toBe(true);
    expect(d.dominated(at(1, 4, 1, 1))).toBe(false);
    expect(d.dominated(at(1, 3, 4, 3))).toBe(false);
  });

  it("lets a miss on LAN rows answer for every SAN capacity, and not for more LAN capacity", () => {
    const d = new Dominance(ucs());
    d.miss(at(1, 3, 1, 1), new Set(["lan"]));
    expect(d.dominated(at(1, 3, 8, 8))).toBe(true);
    expect(d.dominated(at(1, 4, 1, 1))).toBe(false);
  });

  it("answers only for the same choices and for parameters that add no capacity (a pin group) at the same value", () => {
    const d = new Dominance(ucs());
    d.miss(at(1, 3, 3, 3, 1), new Set(["lan", "san"]));
    expect(d.dominated(at(2, 1, 1, 1, 1))).toBe(false);
    expect(d.dominated(at(1, 1, 1, 1, 0))).toBe(false);
    expect(d.dominated(at(1, 1, 1, 1, 1))).toBe(true);
  });

  it("notes nothing for a miss with no side", () => {
    const d = new Dominance(ucs());
    d.miss(at(1, 8, 8, 8), new Set());
    expect(d.dominated(at(1, 1, 1, 1))).toBe(false);
  });
});

describe("the way out of a skipped region", () => {
  it("is the least candidates above the one met that no miss answers for", () => {
    const d = new Dominance(ucs());
    d.miss(at(1, 3, 2, 4), new Set(["san"]));
    // SAN capacities (FC uplinks, array ports) bounded, LAN free: one step past either.
    expect(d.exits(at(1, 1, 1, 1))).toEqual([at(1, 1, 3, 1), at(1, 1, 1, 5)]);
    d.miss(at(1, 3, 8, 6), new Set(["san"]));
    expect(d.exits(at(1, 1, 1, 1))).toEqual([at(1, 1, 1, 7)]);
    // Not dominated: itself.
    expect(d.exits(at(1, 1, 1, 7))).toEqual([at(1, 1, 1, 7)]);
    // Other choices are another lattice.
    expect(d.exits(at(2, 1, 1, 1))).toEqual([at(2, 1, 1, 1)]);
  });

  it("is empty when every way up stays answered to the top", () => {
    const d = new Dominance(ucs());
    d.miss(at(1, 8, 8, 8), new Set(["lan", "san"]));
    expect(d.exits(at(1, 2, 2, 2))).toEqual([]);
  });

  it("steps past misses that answer only for both sides' corner", () => {
    const d = new Dominance(ucs());
    d.miss(at(1, 2, 2, 2), new Set(["lan", "san"]));
    d.miss(at(1, 4, 1, 1), new Set(["lan", "san"]));
    const exits = d.exits(at(1, 1, 1, 1));
    for (const e of exits) expect(d.dominated(e)).toBe(false);
    expect(exits).toEqual(expect.arrayContaining([at(1, 3, 1, 2), at(1, 1, 3, 1), at(1, 5, 1, 1)]));
    // Each is least: none above another.
    for (const a of exits)
      for (const b of exits)
        if (a !== b)
          expect(["fiLanUplinks", "fiFcUplinks", "sanArrayPorts"].every((k) => Number(a[k]) <= Number(b[k]))).toBe(
            false,
          );
  });
});

describe("a miss an overloaded tier explains", () => {
  it("answers for no more of the tier's parameter whatever the other capacities", () => {
    const d = new Dominance(ucs());
    d.missTier(at(1, 2, 2, 3), "fiFcUplinks");
    expect(d.dominated(at(1, 2, 1, 8))).toBe(true);
    expect(d.dominated(at(1, 2, 2, 8))).toBe(true);
    expect(d.dominated(at(1, 2, 3, 1))).toBe(false);
    // Other choices are another lattice.
    expect(d.dominated(at(2, 1, 1, 1))).toBe(false);
  });

  it("answers only at the same value of its `equal` parameters (which hosts a unit serves)", () => {
    // UCS's FC uplink tier names fiLanUplinks (a 6100 FI's LAN uplinks take ports from its chassis).
    const d = new Dominance(ucs());
    d.missTier(at(1, 2, 2, 3), "fiFcUplinks");
    expect(d.dominated(at(1, 2, 1, 8))).toBe(true);
    expect(d.dominated(at(1, 1, 1, 8))).toBe(false);
    expect(d.dominated(at(1, 3, 1, 8))).toBe(false);
  });

  it("answers only at the same count when one port, not the whole tier, was overloaded", () => {
    const d = new Dominance(ucs());
    d.missTier(at(1, 2, 2, 3), "sanArrayPorts", true);
    expect(d.dominated(at(1, 8, 8, 3))).toBe(true);
    expect(d.dominated(at(1, 8, 8, 2))).toBe(false);
    expect(d.dominated(at(1, 8, 8, 4))).toBe(false);
  });

  it("is left by one more of the parameter or another value of an `equal` one", () => {
    const d = new Dominance(ucs());
    d.missTier(at(1, 1, 2, 1), "fiFcUplinks");
    expect(d.exits(at(1, 1, 1, 1))).toEqual([at(1, 2, 1, 1), at(1, 1, 3, 1)]);
    for (const e of d.exits(at(1, 1, 1, 1))) expect(d.dominated(e)).toBe(false);
  });

  it("ignores a parameter the study fixes", () => {
    const d = new Dominance(ucs([1]));
    d.missTier(at(1, 2, 2, 3), "iomUplinks");
    expect(d.dominated(at(1, 1, 1, 1))).toBe(false);
  });
});

describe("a miss at the ISLs of an edge switch", () => {
  // UCS with ISLs as a range too: the ISL tier regroups initiators (answers only at its count), names the FI
  // uplinks as `equal` and holds only from its array-port count up (fewer array ports: one switch, no ISLs).
  const withIsl = () => {
    const p = ucs();
    const def = PARAMS.ucs.find((d) => d.name === "sanIsl")!;
    p.sanIsl = { def, value: 1, candidates: [1, 2, 3, 4], ranged: true } as StudyParameter;
    return p;
  };
  const isl = (lan: number, fc: number, ports: number, n: number) => ({ ...at(1, lan, fc, ports), sanIsl: n });

  it("answers at the same ISL count and FI uplinks, for as many array ports or more", () => {
    const d = new Dominance(withIsl());
    d.missTier(isl(2, 2, 5, 2), "sanIsl");
    expect(d.dominated(isl(2, 2, 5, 2))).toBe(true);
    expect(d.dominated(isl(2, 2, 8, 2))).toBe(true);
    expect(d.dominated(isl(2, 2, 4, 2))).toBe(false);
    expect(d.dominated(isl(2, 2, 5, 1))).toBe(false);
    expect(d.dominated(isl(2, 3, 5, 2))).toBe(false);
  });

  it("is left by another ISL count or FI uplink count, never by more array ports", () => {
    const d = new Dominance(withIsl());
    d.missTier(isl(2, 2, 5, 2), "sanIsl");
    expect(d.exits(isl(2, 2, 5, 2))).toEqual([isl(3, 2, 5, 2), isl(2, 3, 5, 2), isl(2, 2, 5, 3)]);
  });
});

describe("a choice of capacities (UCS's IOM uplinks 1, 2, 4, 8)", () => {
  it("counts fewer as less capacity, more as more", () => {
    const d = new Dominance(ucs([1, 2, 4, 8]));
    d.miss(at(2, 3, 3, 3), new Set(["lan", "san"]));
    expect(d.dominated(at(1, 3, 3, 3))).toBe(true);
    expect(d.dominated(at(2, 2, 3, 3))).toBe(true);
    expect(d.dominated(at(4, 3, 3, 3))).toBe(false);
  });

  it("answers, when its tier was overloaded, for no more of it whatever the FI uplinks and array ports", () => {
    const d = new Dominance(ucs([1, 2, 4, 8]));
    d.missTier(at(2, 3, 3, 3), "iomUplinks");
    expect(d.dominated(at(2, 8, 8, 8))).toBe(true);
    expect(d.dominated(at(1, 8, 8, 8))).toBe(true);
    expect(d.dominated(at(4, 1, 1, 1))).toBe(false);
  });

  it("answers only at the same choice when one IOM port, not the whole IOM, was overloaded", () => {
    const d = new Dominance(ucs([1, 2, 4, 8]));
    d.missTier(at(2, 3, 3, 3), "iomUplinks", true);
    expect(d.dominated(at(2, 8, 8, 8))).toBe(true);
    expect(d.dominated(at(1, 8, 8, 8))).toBe(false);
  });

  it("is never stepped on the way out of a skipped region (the search tries each choice apart)", () => {
    const d = new Dominance(ucs([1, 2, 4, 8]));
    d.missTier(at(2, 3, 3, 3), "iomUplinks");
    // Every candidate with 2 IOM uplinks is answered for: no way out within that choice.
    expect(d.exits(at(2, 1, 1, 1))).toEqual([]);
    const e = new Dominance(ucs([1, 2, 4, 8]));
    e.miss(at(2, 3, 3, 3), new Set(["lan"]));
    expect(e.exits(at(2, 1, 1, 1))).toEqual([at(2, 4, 1, 1)]);
  });
});
