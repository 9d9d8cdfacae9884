import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expandCommand } from "../../../src/cli/expand.js";
import { parseTopology } from "../../../src/topology/index.js";
import { captureOutput } from "../../helpers/output.js";

const STUDY = new URL("../../../topologies/studies/last-mile.yaml", import.meta.url).pathname;

const io = captureOutput();

describe("expandCommand", () => {
  it("prints a topology that parseTopology accepts", async () => {
    expect(await expandCommand(STUDY, { design: "ucs", set: ["iomUplinks=4"] })).toBe(0);
    expect(io.err).toBe("");
    const r = parseTopology(io.out, "out.yaml");
    expect(r.ok).toBe(true);
    expect(io.out).toContain('- endpoints: ["iom[1..5]a:fabric[1..4]", "fi-a:p[1..20]"]');
  });

  it("exits 2 on an unknown design, an unknown parameter or a bad --set", async () => {
    expect(await expandCommand(STUDY, { design: "infiniband" })).toBe(2);
    expect(io.err).toContain('unknown design "infiniband"; expected one of: traditional, director, ucs, mriov');
    expect(await expandCommand(STUDY, { design: "ucs", set: ["iomUplink=2"] })).toBe(2);
    expect(io.err).toContain('unknown ucs parameter "iomUplink"');
    expect(await expandCommand(STUDY, { design: "ucs", set: ["iomUplinks"] })).toBe(2);
    expect(await expandCommand(STUDY, { design: "ucs", set: ["iomUplinks=3"] })).toBe(2);
    expect(io.out).toBe("");
  });

  it("exits 3 with file:line:col lines on an invalid study", async () => {
    const dir = mkdtempSync(join(tmpdir(), "iovsim-study-"));
    const file = join(dir, "bad.yaml");
    writeFileSync(file, "name: bad\nservers: 0\nvmsPerHost: 8\ngroups: []\ndesigns: {}\n");
    expect(await expandCommand(file, { design: "ucs" })).toBe(3);
    expect(io.err.replaceAll(file, "bad.yaml")).toMatchInlineSnapshot(`
      "bad.yaml:2:10 servers: expected a whole number ≥ 1, got the number 0
      bad.yaml:4:1 groups: expected at least one group
      bad.yaml: 2 problems; nothing written
      "
    `);
    expect(io.out).toBe("");
  });
});
