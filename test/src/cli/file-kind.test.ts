import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { detectKind, wrongKindMessage } from "../../../src/cli/file-kind.js";
import { FIXTURES, ROOT } from "./helpers.js";

const read = (path: string) => readFileSync(join(ROOT, path), "utf8");

describe("detectKind", () => {
  it("names every kind of iovsim file from its top-level keys", () => {
    expect(detectKind(read("topologies/ucs-rack.yaml"))).toBe("topology");
    expect(detectKind(read("test/fixtures/topology/mriov.json"))).toBe("topology");
    expect(detectKind(read("topologies/studies/last-mile.yaml"))).toBe("study");
    expect(detectKind(read("catalog/adapters.yaml"))).toBe("catalog");
    expect(detectKind(readFileSync(join(FIXTURES, "plan/plan.json"), "utf8"))).toBe("plan");
    expect(detectKind('{"iovsim":"0.1.0","topology":"x","fingerprint":"f","workloads":[],"links":[]}')).toBe("result");
  });

  it("says nothing when the keys are not clear, so the file's own problems are shown", () => {
    expect(detectKind("")).toBeNull();
    expect(detectKind("name: x\ndesign: ucs\n")).toBeNull();
    expect(detectKind("[1, 2]")).toBeNull();
    expect(detectKind("  topology: nested, not top-level\n")).toBeNull();
    expect(detectKind("{ not json")).toBeNull();
  });

  it("reads quoted keys and ignores comments and nested keys", () => {
    expect(detectKind('# topology: no\n"groups": []\nservers: 4\n')).toBe("study");
    expect(detectKind("catalog: 1\nentries:\n  - topology: x\n")).toBe("catalog");
  });

  it("stays fast on a huge file (scans the first megabyte of YAML only)", () => {
    const huge = `name: x\n${"a".repeat(50 * 1024 * 1024)}\n`;
    expect(detectKind(huge)).toBeNull();
  });
});

describe("the wrong-kind message", () => {
  it("says what the file is and which command takes it, in the file:line:col form", () => {
    expect(wrongKindMessage("s.yaml", "study", "a topology")).toBe(
      "s.yaml:1:1 (file): this is a study, not a topology; use `iovsim plan s.yaml` (or `iovsim expand s.yaml --design D` for one design's topology)",
    );
    expect(wrongKindMessage("c.yaml", "catalog", "a study")).toBe(
      "c.yaml:1:1 (file): this is a catalog, not a study; give it to a command with `--catalog c.yaml` (e.g. `iovsim bom TOPOLOGY --catalog c.yaml`), or check it with `iovsim validate c.yaml`",
    );
  });
});
