import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseTopology } from "../../../src/topology/load.js";

const ucs = readFileSync(new URL("../../fixtures/designs/ucs-chassis.yaml", import.meta.url), "utf8");

describe("survive: single-failure in a topology file", () => {
  it("is read into the resolved topology", () => {
    const r = parseTopology(`${ucs}\nsurvive: single-failure\n`, "ucs-chassis.yaml");
    expect(r.ok && r.topology.survive).toBe("single-failure");
  });

  it("is null when the file does not ask for it", () => {
    const r = parseTopology(ucs, "ucs-chassis.yaml");
    expect(r.ok && r.topology.survive).toBeNull();
  });

  it("accepts no other value", () => {
    const r = parseTopology(`${ucs}\nsurvive: double-failure\n`, "ucs-chassis.yaml");
    expect(r.ok).toBe(false);
  });
});
