import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bomCommand } from "../../../src/cli/bom.js";
import { UsageError } from "../../../src/cli/load.js";
import { captureOutput } from "../../helpers/output.js";
import { PCIE_CABLE_AT_100_USD } from "./helpers.js";

const RACKS = new URL("../../../topologies/", import.meta.url).pathname;
const io = captureOutput();

function temp(name: string, text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), "iovsim-bom-")), name);
  writeFileSync(file, text);
  return file;
}

describe("iovsim bom", () => {
  it("prints the table, and with --baseline the reduction", async () => {
    expect(await bomCommand(`${RACKS}ucs-rack.yaml`, { baseline: `${RACKS}traditional-rack.yaml` })).toBe(0);
    expect(io.out).toContain("Bill of materials: ucs-rack (ucs), 40 servers");
    expect(io.out).toMatch(/cables\s+40 {2}\(1\.00 per server\); not cables: 80 midplane traces/);
    expect(io.out).toContain("Against the baseline traditional-rack (traditional)");
    expect(io.err).toBe("");
  });

  it("prints JSON with the bom, the catalog files and the reduction", async () => {
    expect(await bomCommand(`${RACKS}mriov-rack.yaml`, { json: true, kwhPrice: 0.3 })).toBe(0);
    const j = JSON.parse(io.out);
    expect(j.bom.topology).toBe("mriov-rack");
    expect(j.bom.totals).toMatchObject({ cables: 168, inBoxSlots: 18, adapters: 98 });
    expect(j.bom.energy.kwhPriceUsd).toBe(0.3);
    expect(j.reduction).toBeNull();
    expect(j.catalog).toContain("catalog/adapters.yaml");
  });

  it("lets a user catalog replace a built-in entry", async () => {
    const file = temp("prices.yaml", PCIE_CABLE_AT_100_USD);
    expect(await bomCommand(`${RACKS}mriov-rack.yaml`, { json: true })).toBe(0);
    const builtin = JSON.parse(io.out).bom;
    io.out = "";
    expect(await bomCommand(`${RACKS}mriov-rack.yaml`, { json: true, catalog: [file] })).toBe(0);
    const j = JSON.parse(io.out);
    // The 80 PCIe x8 cables (two per server: box A and box B): the built-in $130 (midpoint of $60-200)
    // replaced by the user's $100.
    const cable = (b: { items: { kind: string; unitCostUsd: number | null }[] }) =>
      b.items.find((i) => i.kind === "pcie-external-cable-x8")?.unitCostUsd;
    expect([cable(builtin), cable(j.bom)]).toEqual([130, 100]);
    expect(j.bom.totals.costUsd).toBeCloseTo(builtin.totals.costUsd - 80 * 30, 6);
  });

  it("exits 3 with file:line:col lines for an unknown model", async () => {
    const text = readFileSync(`${RACKS}director-rack.yaml`, "utf8").replace(
      "model: oracle-fi-f1-15",
      "model: oracle-fi-f1-16",
    );
    const file = temp("director.yaml", text);
    expect(await bomCommand(file, {})).toBe(3);
    expect(io.out).toBe("");
    expect(io.err).toMatch(
      new RegExp(
        `^${file}:\\d+:14 topology\\.nodes\\.dir-a\\.model: no catalog entry oracle-fi-f1-16 \\(did you mean oracle-fi-f1-15\\?\\)\\n`,
      ),
    );
    expect(io.err).toContain(`${file}: 1 problem with catalog models; nothing written`);
  });

  it("exits 3 for an invalid topology or catalog file", async () => {
    expect(await bomCommand(temp("t.yaml", "name: x\n"), {})).toBe(3);
    expect(io.err).toMatch(/t\.yaml:1:1 .*design/);
    io.err = "";
    const bad = temp("bad.yaml", "catalog: 1\nentries:\n  - id: x\n    class: nic\n");
    expect(await bomCommand(`${RACKS}ucs-rack.yaml`, { catalog: [bad] })).toBe(3);
    expect(io.err).toMatch(/bad\.yaml:3:\d+ entries\[0\]\.name: x: missing a display name/);
    expect(io.err).toMatch(/catalog: \d+ problems; nothing written/);
  });

  it("refuses a negative energy price", async () => {
    await expect(bomCommand(`${RACKS}ucs-rack.yaml`, { kwhPrice: -1 })).rejects.toThrow(UsageError);
  });
});
