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
    // UCS: the IOMs' 80 host ports in use (160 installed) are midplane ports, counted apart.
    expect(pick(of("ucs"))).toEqual([40, 32, 64, 284, 5, 4, 8]);
    expect(of("ucs").totals).toMatchObject({ backplanePorts: 80, backplanePortsInstalled: 160 });
    // The NextIO box's host-port count is unknown: its installed ports are left out (and counted as unknown).
    expect(pick(of("mriov"))).toEqual([98, 80, 162, 148, 27, 48, 24]);
    expect(of("mriov").totals.switchPortsInstalledUnknown).toBe(6);
    expect(of("ucs").totals).toMatchObject({ chassis: 5, enclosureRackUnits: 30, ioModules: 12 });
    // Ports with a cable in them: the IOMs' 80 blade-facing ports are midplane traces, the boxes' 18 slots in-box.
    expect([...boms.values()].map((b) => b.totals.switchPortsCabled)).toEqual([468, 164, 64, 144]);
  });

  it("price what the catalog prices and count the rest as unpriced", () => {
    for (const [name, b] of boms) {
      // The total is the sum of the priced items; an unpriced item is counted, never added as 0.
      const priced = b.items.filter((i) => i.totalCostUsd !== null);
      const known = priced.reduce((sum, i) => sum + i.totalCostUsd!, 0);
      expect(b.totals.costUsd, name).toBeCloseTo(known, 6);
      const unpriced = b.items.filter((i) => i.unitCostUsd === null).reduce((n, i) => n + i.count, 0);
      expect(b.totals.unpricedItems, name).toBe(unpriced);
      expect(formatBom(b), name).toMatch(
        unpriced > 0 ? /list cost\s+≥ \$[\d,]+ .*items unpriced/ : /list cost\s+\$[\d,]+/,
      );
    }
    // At the catalog's midpoints: 32 SR optics x $1,245 ($995-1,495) and 172 8G FC optics x $450 ($300-600) in the
    // traditional rack; its two MDS 9148s at the 16-port base's $9,500 (port licences are priced apart).
    const t = of("traditional");
    const unit = (b: Bom, kind: string) => b.items.find((i) => i.kind === kind && i.role === "data")!;
    expect(unit(t, "sfp-10g-sr")).toMatchObject({ count: 32, totalCostUsd: 32 * 1245 });
    expect(unit(t, "fc-8g-sfp-plus-sw")).toMatchObject({ count: 172, totalCostUsd: 172 * 450 });
    expect(unit(t, "cisco-mds-9148")).toMatchObject({ count: 2, unitCostUsd: 9500 });
    // Director: four 36-port QDR switches (two per side) at $9,900 ($7,200-12,600); MR-IOV: 80 PCIe x8 cables
    // (two per server) at $130 ($60-200).
    expect(unit(of("director"), "mellanox-is4-36p-qdr")).toMatchObject({ count: 4, unitCostUsd: 9900 });
    expect(unit(of("mriov"), "pcie-external-cable-x8")).toMatchObject({ count: 80, unitCostUsd: 130 });
  });

  it("price and power every adapter, director, fabric interconnect, IOM, module and chassis they use", () => {
    const fromAdaptersAndDirectors = (kind: string) =>
      /(adapters|directors-and-fabric-interconnects)\.yaml$/.test(cat.entries.get(kind)?.origin.file ?? "");
    const cost = (b: Bom) =>
      b.items.filter((i) => fromAdaptersAndDirectors(i.kind)).map((i) => [i.kind, i.count, i.unitCostUsd, i.watts]);
    for (const [name, b] of boms) {
      for (const [kind, , price, watts] of cost(b)) {
        expect(price, `${name} ${kind}`).not.toBeNull();
        expect(watts, `${name} ${kind}`).not.toBeNull();
      }
    }
    const total = (b: Bom) => cost(b).reduce((s, [, n, p]) => s + (n as number) * (p as number), 0);
    // Range midpoints: onboard LAN $0 (in the server price), quad GbE $425, dual 10GbE $700, QLE2562 $1,600.
    expect(total(of("traditional"))).toBe(36 * 0 + 36 * 425 + 6 * 700 + 41 * 1600);
    // QDR HCA $1,300, F1-15 $37,500, 2 x 8G FC module $6,000, 4 x 10GbE module $11,500.
    expect(total(of("director"))).toBe(40 * 1300 + 2 * 37500 + 2 * 6000 + 2 * 11500);
    // M81KR $1,500, 2204XP $5,250, 6248UP $27,500, E16UP $11,000, 5108 with 4 PSUs $7,750.
    expect(total(of("ucs"))).toBe(40 * 1500 + 10 * 5250 + 2 * 27500 + 2 * 11000 + 5 * 7750);
    // Extender card $200 (two per server), NextIO 2 x 10GbE module $1,100, 2 x 8G FC module $1,850.
    expect(total(of("mriov"))).toBe(80 * 200 + 12 * 1100 + 6 * 1850);
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

  it("give docs/architecture.md §5's bom object", () => {
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
      unitCostUsd: 7750,
      watts: 165,
    });
  });

  it("compare against the traditional baseline", () => {
    const r = reduction(of("ucs"), of("traditional"));
    const cables = r.rows.find((x) => x.metric === "cables")!;
    expect(cables).toMatchObject({ baseline: 460, value: 40, saved: 420, partial: false });
    expect(cables.change).toBeCloseTo(40 / 460 - 1, 12);
    const cost = r.rows.find((x) => x.metric === "list cost (USD)")!;
    // Both racks are fully priced: the saving is the difference of the two totals.
    const [ucs, traditional] = [of("ucs").totals.costUsd!, of("traditional").totals.costUsd!];
    expect(cost).toMatchObject({ partial: false, baseline: traditional, value: ucs, saved: traditional - ucs });
    expect(cost.change).toBeCloseTo(ucs / traditional - 1, 12);
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
