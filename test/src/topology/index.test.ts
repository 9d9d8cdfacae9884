import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as topology from "../../../src/topology/index.js";

const DIR = new URL("../../../src/topology/", import.meta.url);

describe("the topology module", () => {
  it("stays browser-safe: only read-file.ts imports Node modules", () => {
    const nodeOnly = readdirSync(DIR)
      .filter((f) => f.endsWith(".ts"))
      .filter((f) => /from "node:/.test(readFileSync(new URL(f, DIR), "utf8")));
    expect(nodeOnly).toEqual(["read-file.ts"]);
  });

  it("exports the public API, without the Node-only file reader", () => {
    expect(Object.keys(topology).sort()).toEqual([
      "BOUNDS",
      "DEFAULT_LENGTH_METRES",
      "DEFAULT_LIMITS",
      "DESIGNS",
      "LARGE_LIMITS",
      "MAX_EXPANSION",
      "METRICS",
      "NODE_KINDS",
      "PATTERNS",
      "TICKS_PER_METRE",
      "estimateRun",
      "expandNames",
      "formatIssue",
      "formatIssues",
      "parseRanges",
      "parseTopology",
      "topologyJsonSchema",
      "topologyJsonSchemaText",
      "topologySchema",
      "zipEndpoints",
      "zipIndex",
    ]);
  });
});
