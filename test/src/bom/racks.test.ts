import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { bom, resultBom } from "../../../src/bom/bom.js";
import { reduction } from "../../../src/bom/compare.js";
import { positionModelIssues } from "../../../src/bom/positions.js";
import type { Bom } from "../../../src/bom/types.js";
import type { Catalog } from "../../../src/catalog/types.js";
import { formatBom } from "../../../src/report/bom-table.js";
import { catalog, rack, topo } from "./helpers.js";

let cat: Catalog;
const boms = new Map<string, Bom>();

beforeAll(async () => {
  cat = await catalog();
  for (const name of ["traditional", "director", "ucs", "mriov"]) boms.set(name, bom(rack(name), cat));
});

function of(name: string): Bom {
  return boms.get(name)!;
}

describe("the four reference racks (32 servers each)", () => {
  it("name models the catalog has, of the right class", () => {
    for (const [name, b] of boms) {
      expect(b.issues, name).toEqual([]);
      expect(b.feasible, name).toBe(true);
      // Every node, adapter and module model is named in the file; only servers (and cables) fall back to defaults.
      const defaulted = b.items.filter((i) => i.defaulted).map((i) => i.kind);
      expect(defaulted, name).toEqual([]);
    }
    expect(of("traditional").items.map((i) => i.kind)).toEqual(
      expect.arrayContaining([
        "generic-onboard-quad-gbe",
        "generic-quad-gbe-nic",
        "qlogic-qle2562",
        "generic-48x1g-tor",
        "cisco-mds-9148",
      ]),
    );
    expect(of("director").items.map((i) => i.kind)).toEqual(
      expect.arrayContaining([
        "oracle-xsigo-ib-hca-qdr",
        "mellanox-is4-36p-qdr",
        "oracle-fi-f1-15",
        "xsigo-mod-4x10gbe",
        "xsigo-mod-2x8gfc",
      ]),
    );
    expect(of("ucs").items.map((i) => i.kind)).toEqual(
      expect.arrayContaining([
        "cisco-m81kr-vic",
        "cisco-ucs-2204xp",
        "cisco-ucs-6248up",
        "cisco-ucs-fi-e16up",
        "cisco-ucs-5108",
      ]),
    );
    expect(of("mriov").items.map((i) => i.kind)).toEqual(
      expect.arrayContaining([
        "pcie-extender-host-card",
        "nextio-vnet-io-maestro",
        "nextio-vnet-2x10gbe",
        "nextio-vnet-2x8gfc",
      ]),
    );
  });

  /*
   * Cables (management network included), with the built-in catalog:
   *   traditional 402 = 256 Cat6 host GbE + 64 FC host + 8 FC array + 32 fibre ToR uplinks + 42 management
   *                   → 12.56 per server
   *   director    132 =  64 IB host + 8 IB switch-director + 16 fibre 10GbE + 8 FC + 36 management → 4.13
   *   mriov        82 =  32 PCIe host + 8 fibre 10GbE + 8 FC + 34 management (8 in-box slots are not cables) → 2.56
   *   ucs          58 =  32 DAC IOM-FI + 16 fibre 10GbE + 8 FC + 2 management (64 midplane traces are not cables) → 1.81
   */
  it("the traditional rack has the most cables per server", () => {
    const perServer = (n: string) => of(n).totals.cables / of(n).totals.servers;
    expect([...boms.keys()].map((n) => [n, of(n).totals.cables])).toEqual([
      ["traditional", 402],
      ["director", 132],
      ["ucs", 58],
      ["mriov", 82],
    ]);
    expect(perServer("traditional")).toBeCloseTo(12.5625, 9);
    for (const n of ["director", "ucs", "mriov"]) expect(perServer("traditional")).toBeGreaterThan(perServer(n));
    expect(of("ucs").totals.traces).toBe(64);
    expect(of("mriov").totals.inBoxSlots).toBe(8);
  });

  it("count adapters, optics, switch ports, rack units and management ports", () => {
    const pick = (b: Bom) => {
      const t = b.totals;
      return [t.adapters, t.optics, t.switchPorts, t.switchPortsInstalled, t.rackUnits, t.managementPorts, t.lanPorts];
    };
    expect(pick(of("traditional"))).toEqual([96, 208, 402, 564, 11, 42, 32]);
    expect(pick(of("director"))).toEqual([32, 48, 140, 196, 11, 36, 16]);
    // UCS: the IOMs' 64 host ports in use (128 installed) are midplane ports, counted apart.
    expect(pick(of("ucs"))).toEqual([32, 48, 90, 180, 3, 2, 16]);
    expect(of("ucs").totals).toMatchObject({ backplanePorts: 64, backplanePortsInstalled: 128 });
    // The NextIO box's host-port count is unknown: its installed ports are left out (and counted as unknown).
    expect(pick(of("mriov"))).toEqual([40, 32, 74, 52, 9, 34, 8]);
    expect(of("mriov").totals.switchPortsInstalledUnknown).toBe(2);
    expect(of("ucs").totals).toMatchObject({ chassis: 4, enclosureRackUnits: 24, ioModules: 10 });
    // Ports with a cable in them: the IOMs' 64 blade-facing ports are midplane traces, the boxes' 8 slots in-box.
    expect([...boms.values()].map((b) => b.totals.switchPortsCabled)).toEqual([402, 140, 90, 66]);
  });

  it("price what the catalog prices and count the rest as unpriced", () => {
    // Traditional: 32 quad NICs x $425 + 64 SR optics x $612.50; onboard LAN $0 (in the server price).
    expect(of("traditional").totals).toMatchObject({ costUsd: 32 * 425 + 64 * 612.5, unpricedItems: 589 });
    // Director and UCS: 32 SR optics each; MR-IOV: 32 extender cards x $200 + 16 SR optics.
    expect(of("director").totals).toMatchObject({ costUsd: 32 * 612.5, unpricedItems: 193 });
    expect(of("ucs").totals).toMatchObject({ costUsd: 32 * 612.5, unpricedItems: 123 });
    expect(of("mriov").totals).toMatchObject({ costUsd: 32 * 200 + 16 * 612.5, unpricedItems: 109 });
    for (const b of boms.values()) expect(formatBom(b)).toMatch(/list cost\s+≥ \$[\d,]+ .*items unpriced/);
  });

  it("flag what the catalog contradicts in the files, and what it cannot check", () => {
    expect(of("traditional").flags.map((f) => `${f.severity} ${f.at}`)).toEqual([
      "warning host1/hba0", // bus pcie-gen2-x8 vs the QLE2562's Gen2 x4
      "warning host1/nic1", // bus pcie-gen2-x4 vs a Gen1 x4 quad GbE card
    ]);
    expect(of("ucs").flags.map((f) => f.code)).toEqual(["vif-namespace-unknown"]);
    expect(of("director").flags).toEqual([]);
    expect(of("mriov").flags).toEqual([]);
  });

  it("give DESIGN.md §5's bom object", () => {
    const r = resultBom(of("ucs"));
    expect(Object.keys(r.totals)).toEqual([
      "adapters",
      "cables",
      "optics",
      "switchPorts",
      "rackUnits",
      "costUsd",
      "unpricedItems",
      "watts",
    ]);
    for (const i of r.items) expect(Object.keys(i)).toEqual(["kind", "count", "unitCostUsd", "watts"]);
    expect(r.items.find((i) => i.kind === "cisco-ucs-5108")).toEqual({
      kind: "cisco-ucs-5108",
      count: 4,
      unitCostUsd: null,
      watts: null,
    });
  });

  it("compare against the traditional baseline", () => {
    const r = reduction(of("ucs"), of("traditional"));
    const cables = r.rows.find((x) => x.metric === "cables")!;
    expect(cables).toMatchObject({ baseline: 402, value: 58, saved: 344, partial: false });
    expect(cables.change).toBeCloseTo(58 / 402 - 1, 12);
    const cost = r.rows.find((x) => x.metric === "list cost (USD)")!;
    // Both are lower bounds: the saving is unknown, not the difference of the known parts.
    expect(cost).toMatchObject({ partial: true, baselinePartial: true, valuePartial: true, saved: null, change: null });
    const text = formatBom(of("ucs"), r);
    expect(text).toContain("Against the baseline traditional-rack (traditional)");
    expect(text).toMatch(/cables\s+402\s+58\s+344\s+-86 %/);
  });
});

describe("model problems", () => {
  it("are positioned in the file (file:line:col) for the CLI", () => {
    const text = readFileSync(new URL("../../../topologies/ucs-rack.yaml", import.meta.url), "utf8").replace(
      "model: cisco-ucs-6248up",
      "model: cisco-ucs-6284up",
    );
    const b = bom(topo(text), cat);
    const issues = positionModelIssues(text, "ucs.yaml", b.issues);
    const line = text.split("\n").findIndex((l) => l.includes("cisco-ucs-6284up")) + 1;
    expect(issues).toEqual([
      {
        file: "ucs.yaml",
        line,
        col: 14,
        path: "topology.nodes.fi-a.model",
        message: "no catalog entry cisco-ucs-6284up (did you mean cisco-ucs-6248up?)",
      },
    ]);
  });
});
