import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { scaleStudy } from "../../../src/planner/site-scale.js";
import { parseStudy, type Study } from "../../../src/study/index.js";
import { formatIssues } from "../../../src/topology/index.js";

const STUDY = readFileSync(new URL("../../../topologies/studies/last-mile.yaml", import.meta.url), "utf8");

function study(text = STUDY): Study {
  const r = parseStudy(text, "study.yaml");
  if (!r.ok) throw new Error(formatIssues(r.issues));
  return r.study;
}

describe("scaleStudy", () => {
  const site = study();

  it("keeps every group's share of the site (largest remainders), at least one server each", () => {
    const at = (n: number) => scaleStudy(site, n).groups.map((g) => [g.name, g.hosts]);
    expect(at(40)).toEqual(site.groups.map((g) => [g.name, g.hosts]));
    // 400 servers: 10 x each group.
    expect(at(400)).toEqual([
      ["virtualized", 350],
      ["latency-sensitive", 10],
      ["database", 20],
      ["backup", 10],
      ["storage-heavy", 10],
    ]);
    // 32 servers: the small groups keep one server each; the last mile stays 4 of 32.
    expect(at(32)).toEqual([
      ["virtualized", 27],
      ["latency-sensitive", 1],
      ["database", 2],
      ["backup", 1],
      ["storage-heavy", 1],
    ]);
    expect(scaleStudy(site, 128).file.servers).toBe(128);
    expect(() => scaleStudy(site, 4)).toThrow(RangeError);
  });

  it("scales the site-scale parameters' range (array ports), fixes those that change no hardware", () => {
    const big = scaleStudy(site, 400);
    // [1, 4] x 10 → [10, 40].
    expect(big.parameters.traditional!.sanArrayPorts!.candidates).toEqual(range(10, 40));
    // At 1,000 servers x 25: [25, 100] → [25, 64] (the generator's limit).
    expect(scaleStudy(site, 1000).parameters.director!.sanArrayPorts!.candidates).toEqual(range(25, 64));
    expect(scaleStudy(site, 32).parameters.mriov!.sanArrayPorts!.candidates).toEqual([1, 2, 3, 4]);
    // What changes no hardware stays at the study's value: hardware is what the curve compares.
    expect(big.parameters.ucs!.lanFailover!.candidates).toEqual(["teaming"]);
    expect(big.parameters.ucs!.bulkPinGroup!.candidates).toEqual([0]);
  });

  it("lets capacity per unit grow with the site, from the study's lowest value to N / servers times its highest", () => {
    const at128 = scaleStudy(site, 128).parameters; // x 3.2
    // fiLanUplinks [1, 8] → [1, 16] (8 x 3.2 = 26, the generator's limit 16); fiFcUplinks [1, 4] → [1, 13].
    expect(at128.ucs!.fiLanUplinks!.candidates).toEqual(range(1, 16));
    expect(at128.ucs!.fiFcUplinks!.candidates).toEqual(range(1, 13));
    expect(at128.director!.fcModules!.candidates).toEqual(range(1, 13));
    expect(at128.mriov!.fcAdaptersPerBox!.candidates).toEqual(range(1, 8));
    // Choices stay choices; hosts per box is no capacity: not widened.
    expect(at128.ucs!.iomUplinks!.candidates).toEqual([1, 2, 4, 8]);
    expect(at128.mriov!.hostsPerBox!.candidates).toEqual([8, 16]);
    // At or below the study's size nothing grows.
    expect(scaleStudy(site, 32).parameters.ucs!.fiFcUplinks!.candidates).toEqual(range(1, 4));
  });

  it("widens SAN ISLs only where some configuration has an edge–core SAN at that size", () => {
    // Traditional: every host's HBAs are initiators, 128 per fabric: edge–core; the study fixes 2 → [2, 7].
    expect(scaleStudy(site, 128).parameters.traditional!.sanIsl!.candidates).toEqual(range(2, 7));
    // Director at 128: its FC modules (at most 13 x 2 ports) and array ports fit one switch per fabric.
    expect(scaleStudy(site, 128).parameters.director!.sanIsl!.candidates).toEqual([2]);
    expect(scaleStudy(site, 256).parameters.director!.sanIsl!.candidates).toEqual(range(2, 13));
  });
});

function range(a: number, b: number): number[] {
  return Array.from({ length: b - a + 1 }, (_, i) => a + i);
}
