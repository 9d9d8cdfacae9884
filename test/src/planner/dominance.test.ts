import { describe, expect, it } from "vitest";
import { PARAMS } from "../../../src/design/params.js";
import { Dominance } from "../../../src/planner/dominance.js";
import type { StudyParameter } from "../../../src/study/load.js";

/** UCS's parameters as a study sets them: LAN and FC uplinks and array ports as ranges, the IOM uplinks a choice. */
function ucs(): Record<string, StudyParameter> {
  const def = (name: string) => PARAMS.ucs.find((d) => d.name === name)!;
  const range = (name: string, lo: number, hi: number): StudyParameter =>
    ({
      def: def(name),
      value: lo,
      candidates: Array.from({ length: hi - lo + 1 }, (_, i) => lo + i),
      ranged: true,
    }) as StudyParameter;
  return {
    iomUplinks: { def: def("iomUplinks"), value: 1, candidates: [1, 2], ranged: false } as StudyParameter,
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

describe("slab probes", () => {
  it("after a SAN miss, offer per SAN capacity the candidate with the others of the side at their highest", () => {
    const d = new Dominance(ucs());
    d.miss(at(1, 3, 2, 4), new Set(["san"]));
    const probes = d.probes(at(1, 3, 2, 4), "san");
    expect(probes).toEqual([
      { name: "fiFcUplinks", parameters: at(1, 3, 2, 8) },
      { name: "sanArrayPorts", parameters: at(1, 3, 8, 4) },
    ]);
    // A LAN miss: UCS has one LAN capacity, whose slab the miss already answers.
    expect(d.probes(at(1, 3, 2, 4), "lan")).toEqual([]);
  });

  it("answer for a slab when the probe misses too: no more of that one capacity, whatever the others", () => {
    const d = new Dominance(ucs());
    d.miss(at(1, 3, 2, 4), new Set(["san"]));
    expect(d.dominated(at(1, 3, 5, 4))).toBe(false);
    d.miss(at(1, 3, 8, 4), new Set(["san"]));
    expect(d.dominated(at(1, 3, 5, 4))).toBe(true);
    expect(d.dominated(at(1, 8, 8, 3))).toBe(true);
    expect(d.dominated(at(1, 3, 5, 5))).toBe(false);
    expect(d.dominated(at(2, 3, 5, 4))).toBe(false);
    // Answered now: not offered again.
    expect(d.probes(at(1, 3, 3, 4), "san").map((p) => p.name)).toEqual(["fiFcUplinks"]);
  });

  it("are not offered again for a capacity that a met probe showed does not bound the side alone", () => {
    const d = new Dominance(ucs());
    d.miss(at(1, 3, 2, 4), new Set(["san"]));
    d.free(at(1, 3, 2, 4), "san", "fiFcUplinks");
    expect(d.probes(at(1, 3, 2, 5), "san").map((p) => p.name)).toEqual(["sanArrayPorts"]);
    expect(d.probes(at(1, 3, 3, 5), "san").map((p) => p.name)).toEqual(["fiFcUplinks", "sanArrayPorts"]);
    // Other choices are another lattice.
    expect(d.probes(at(2, 3, 2, 4), "san").map((p) => p.name)).toEqual(["fiFcUplinks", "sanArrayPorts"]);
  });
});
