import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { formatIssues } from "../../../src/topology/index.js";
import { loadTopologyFile } from "../../../src/topology/read-file.js";

const FIXTURES = fileURLToPath(new URL("../../fixtures/topology/", import.meta.url));

describe("loading a topology file from disk", () => {
  it("reads YAML and JSON files", async () => {
    const yaml = await loadTopologyFile(join(FIXTURES, "fc-san.yaml"));
    const json = await loadTopologyFile(join(FIXTURES, "mriov.json"));
    expect(yaml.ok && yaml.topology.name).toBe("fc-san");
    expect(json.ok && json.topology.name).toBe("pcie-box");
  });

  it("names the file in each issue", async () => {
    const dir = mkdtempSync(join(tmpdir(), "iovsim-topology-"));
    const path = join(dir, "bad.yaml");
    writeFileSync(path, "name: x\ndesign: ucs\ntopology: { nodes: { a: { kind: lan } } }\n");
    const r = await loadTopologyFile(path);
    expect(r.ok ? "" : formatIssues(r.issues)).toBe(
      `${path}:3:22 topology.nodes.a.ports: missing port groups like { eth: 48, up: 4 }`,
    );
  });

  it("turns a missing file into one issue", async () => {
    const r = await loadTopologyFile("no/such/topology.yaml");
    expect(r.ok ? "" : formatIssues(r.issues)).toBe(
      "no/such/topology.yaml:1:1 (file): cannot read no/such/topology.yaml: no such file",
    );
  });

  it("turns a directory into one issue", async () => {
    const r = await loadTopologyFile(FIXTURES);
    expect(r.ok ? "" : r.issues[0]?.message).toMatch(/is a directory, not a file$/);
  });
});
