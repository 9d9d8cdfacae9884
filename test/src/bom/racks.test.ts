import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { bom, resultBom } from "../../../src/bom/bom.js";
import { reduction } from "../../../src/bom/compare.js";
import { formatBom } from "../../../src/bom/format.js";
import { positionModelIssues } from "../../../src/bom/positions.js";
import type { Bom } from "../../../src/bom/types.js";
import type { Catalog } from "../../../src/catalog/types.js";
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

describe("the four reference racks (40 servers each)", () => {
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
   *   traditional 460 = 288 Cat6 host GbE (36 VM hosts x 8) + 102 fibre (82 FC host ports, 4 FC array,
   *                     16 access uplinks) + 20 DAC (12 10GbE host ports, 8 peer links) + 50 management → 11.5 per server
   *   director    152 = 80 IB host + 8 IB switch-director + 16 fibre (8 10GbE, 4 FC module, 4 FC array) + 48 management → 3.8
   *   mriov       168 = 80 PCIe host (2 per server) + 40 fibre (24 10GbE, 12 shared FC, 4 FC array) + 48 management → 4.2
   *                     (18 in-box slots are not cables)
   *   ucs          40 = 20 DAC IOM-FI + 16 fibre (8 10GbE, 4 FI FC, 4 FC array) + 4 management → 1.0
   *                     (80 midplane traces are not cables)
   */
  it("the traditional rack has the most cables per server", () => {
    const perServer = (n: string) => of(n).totals.cables / of(n).totals.servers;
    expect([...boms.keys()].map((n) => [n, of(n).totals.cables])).toEqual([
      ["traditional", 460],
      ["director", 152],
      ["ucs", 40],
      ["mriov", 168],
    ]);
    expect(perServer("traditional")).toBeCloseTo(11.5, 9);
    for (const n of ["director", "ucs", "mriov"]) expect(perServer("traditional")).toBeGreaterThan(perServer(n));
    expect(of("ucs").totals.traces).toBe(80);
    expect(of("mriov").totals.inBoxSlots).toBe(18);
  });

  it("count adapters, optics, switch ports, rack units and management ports", () => {
    const pick = (b: Bom) => {
      const t = b.totals;
      return [t.adapters, t.optics, t.switchPorts, t.switchPortsInstalled, t.rackUnits, t.managementPorts, t.lanPorts];
    };
    // Traditional adapters: 36 onboard quad GbE + 36 quad cards + 6 dual 10GbE + 41 dual FC HBAs = 119; optics: 86 FC
    // links and 16 10GbE fibre uplinks, both ends; installed: 8 access (52 ports) + 2 MDS 9148 + 2 management switches.
    expect(pick(of("traditional"))).toEqual([119, 204, 468, 616, 12, 50, 16]);
    expect(pick(of("director"))).toEqual([40, 32, 164, 352, 15, 48, 8]);
    expect(pick(of("ucs"))).toEqual([40, 32, 144, 444, 5, 4, 8]);
    // The NextIO box's host-port count is unknown: its installed ports are left out (and counted as unknown).
    expect(pick(of("mriov"))).toEqual([98, 80, 162, 148, 27, 48, 24]);
    expect(of("mriov").totals.switchPortsInstalledUnknown).toBe(6);
    expect(of("ucs").totals).toMatchObject({ chassis: 5, enclosureRackUnits: 30, ioModules: 12 });
    // Ports with a cable in them: the IOMs' 80 blade-facing ports are midplane traces, the boxes' 18 slots in-box.
    expect([...boms.values()].map((b) => b.totals.switchPortsCabled)).toEqual([468, 164, 64, 144]);
  });

  it("price what the catalog prices and count the rest as unpriced", () => {
    // Traditional: 36 quad NICs x $425 + 6 dual 10GbE NICs x $650 + 32 SR optics x $612.50; onboard LAN $0.
    expect(of("traditional").totals).toMatchObject({ costUsd: 36 * 425 + 6 * 650 + 32 * 612.5, unpricedItems: 685 });
    // Director and UCS: 16 SR optics each; MR-IOV: 80 extender cards x $200 + 48 SR optics.
    expect(of("director").totals).toMatchObject({ costUsd: 16 * 612.5, unpricedItems: 221 });
    expect(of("ucs").totals).toMatchObject({ costUsd: 16 * 612.5, unpricedItems: 118 });
    expect(of("mriov").totals).toMatchObject({ costUsd: 80 * 200 + 48 * 612.5, unpricedItems: 227 });
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
      count: 5,
      unitCostUsd: null,
      watts: null,
    });
  });

  it("compare against the traditional baseline", () => {
    const r = reduction(of("ucs"), of("traditional"));
    const cables = r.rows.find((x) => x.metric === "cables")!;
    expect(cables).toMatchObject({ baseline: 460, value: 40, saved: 420, partial: false });
    expect(cables.change).toBeCloseTo(40 / 460 - 1, 12);
    const cost = r.rows.find((x) => x.metric === "list cost (USD)")!;
    // Both are lower bounds: the saving is unknown, not the difference of the known parts.
    expect(cost).toMatchObject({ partial: true, baselinePartial: true, valuePartial: true, saved: null, change: null });
    const text = formatBom(of("ucs"), r);
    expect(text).toContain("Against the baseline traditional-rack (traditional)");
    expect(text).toMatch(/cables\s+460\s+40\s+420\s+-91 %/);
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
