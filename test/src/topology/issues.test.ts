import { describe, expect, it } from "vitest";
import { formatIssues, formatPath } from "../../../src/topology/issues.js";

describe("issue paths", () => {
  it("print keys with dots and indices in brackets", () => {
    expect(formatPath(["topology", "nodes", "host3", "adapters", 0, "kind"])).toBe(
      "topology.nodes.host3.adapters[0].kind",
    );
  });

  it("quote keys that are not plain identifiers", () => {
    expect(formatPath(["topology", "nodes", "host[1..2]"])).toBe('topology.nodes["host[1..2]"]');
    expect(formatPath(["weights", "fi-a"])).toBe("weights.fi-a");
  });

  it("name the top of the file (top)", () => {
    expect(formatPath([])).toBe("(top)");
  });
});

describe("formatting issues", () => {
  it("prints one line per issue, sorted by line then column", () => {
    const at = (line: number, col: number, path: string) => ({ file: "f.yaml", line, col, path, message: "m" });
    expect(formatIssues([at(9, 1, "c"), at(2, 8, "b"), at(2, 3, "a")])).toBe(
      "f.yaml:2:3 a: m\nf.yaml:2:8 b: m\nf.yaml:9:1 c: m",
    );
  });

  it("prints nothing for no issues", () => {
    expect(formatIssues([])).toBe("");
  });
});
