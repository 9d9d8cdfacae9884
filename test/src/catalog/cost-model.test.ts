import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { licencesNeeded, supportRuleFor } from "../../../src/catalog/cost-model.js";
import { buildCatalog, type CatalogSource, formatCatalogIssues } from "../../../src/catalog/parse.js";
import { builtinCatalogFiles } from "../../../src/catalog/read-files.js";
import type { BoxEntry, Catalog, IoModuleEntry } from "../../../src/catalog/types.js";

let sources: CatalogSource[];
let catalog: Catalog;

beforeAll(async () => {
  sources = (await builtinCatalogFiles()).map((file) => ({ file, text: readFileSync(file, "utf8") }));
  const r = buildCatalog(sources);
  if (!r.ok) throw new Error(formatCatalogIssues(r.issues));
  catalog = r.catalog;
});

function withExtra(text: string): Catalog {
  const r = buildCatalog([...sources, { file: "user.yaml", text }]);
  if (!r.ok) throw new Error(formatCatalogIssues(r.issues));
  return r.catalog;
}

function rejected(text: string): string {
  const r = buildCatalog([...sources, { file: "user.yaml", text }]);
  if (r.ok) throw new Error("expected the catalog to be rejected");
  return formatCatalogIssues(r.issues);
}

describe("the built-in cost model (catalog/cost-model.yaml)", () => {
  it("gives a sourced PUE for 2010 and for today, neither of them 1.0", () => {
    for (const era of ["2010", "today"] as const) {
      const pue = catalog.costModel.pue[era];
      expect(pue.value, era).not.toBeNull();
      expect(pue.value!, era).toBeGreaterThan(1.2);
      expect(pue.source, era).toMatch(/Uptime Institute/);
    }
  });

  it("gives the EIA commercial electricity price for 2010 and today", () => {
    expect(catalog.costModel.kwhPriceUsd["2010"].value).toBe(0.1016);
    expect(catalog.costModel.kwhPriceUsd.today.range).toEqual([0.1231, 0.1252]);
    expect(catalog.costModel.kwhPriceUsd["2010"].source).toMatch(/EIA/);
  });

  it("has a support rate for every entry, each with a source", () => {
    for (const e of catalog.entries.values()) {
      const rule = supportRuleFor(catalog.costModel, e.vendor, e.class);
      expect(rule, e.id).not.toBeNull();
      expect(rule!.ratePerYear.source.length, e.id).toBeGreaterThan(20);
    }
  });

  it("puts Cisco boxes on SMARTnet, adapters on the server's contract, cables on none", () => {
    const rule = (id: string) => {
      const e = catalog.entries.get(id)!;
      return supportRuleFor(catalog.costModel, e.vendor, e.class)!.id;
    };
    expect(rule("cisco-ucs-6248up")).toBe("cisco-smartnet");
    expect(rule("cisco-m81kr-vic")).toBe("server-adapters");
    expect(rule("oracle-fi-f1-15")).toBe("enterprise-hardware");
    expect(rule("generic-48x1g-tor")).toBe("enterprise-hardware");
    const cable = [...catalog.entries.values()].find((e) => e.class === "cable")!;
    expect(rule(cable.id)).toBe("passive-parts");
  });

  it("matches a vendor among several ('NVIDIA/Mellanox') case-insensitively", () => {
    const model = {
      ...catalog.costModel,
      support: [{ id: "m", vendors: ["mellanox"], classes: [], ratePerYear: catalog.costModel.labourPerCableUsd }],
    };
    expect(supportRuleFor(model, "NVIDIA/Mellanox", "ib-switch")?.id).toBe("m");
    expect(supportRuleFor(model, "Intel", "ib-switch")).toBeNull();
    expect(supportRuleFor(model, null, "ib-switch")).toBeNull();
  });
});

describe("a user file's cost model", () => {
  it("replaces what it sets and keeps the rest", () => {
    const c = withExtra(`catalog: 1
entries: []
costModel:
  pue:
    today: { value: 1.3, confidence: solid, source: our site's metering 2024 }
`);
    expect(c.costModel.pue.today).toMatchObject({
      value: 1.3,
      confidence: "solid",
      source: "our site's metering 2024",
    });
    expect(c.costModel.pue["2010"]).toEqual(catalog.costModel.pue["2010"]);
    expect(c.costModel.support).toEqual(catalog.costModel.support);
  });

  it("replaces the support rules as a whole list", () => {
    const c = withExtra(`catalog: 1
entries: []
costModel:
  support:
    - { id: flat, ratePerYear: { value: 0.2, confidence: rough, source: our contract } }
`);
    expect(c.costModel.support.map((r) => r.id)).toEqual(["flat"]);
  });

  it("needs a source and a confidence on every figure", () => {
    expect(
      rejected(`catalog: 1
entries: []
costModel:
  labourPerCableUsd: 25
`),
    ).toMatch(/^user\.yaml:4:\d+ costModel\.labourPerCableUsd: expected a figure \{ value, confidence, source/m);
  });
});

describe("port licences and upstream port prices", () => {
  it("buys ceil(max(0, used − included) / step) licences", () => {
    expect(licencesNeeded({ included: 12, step: 1 }, 8)).toBe(0);
    expect(licencesNeeded({ included: 12, step: 1 }, 12)).toBe(0);
    expect(licencesNeeded({ included: 12, step: 1 }, 20)).toBe(8);
    expect(licencesNeeded({ included: 8, step: 4 }, 13)).toBe(2);
    expect(licencesNeeded({ included: 0, step: 8 }, 1)).toBe(1);
  });

  it("reads a box's portLicence and a core's portPriceUsd", () => {
    const c = withExtra(`catalog: 1
entries:
  - id: fi-with-licences
    class: fabric-interconnect
    name: FI with licences
    confidence: rough
    source: test
    ports: [{ count: 32, link: eth-10g, medium: sfp+ }]
    rackUnits: 1
    watts: 350
    listPriceUsd: 20000
    portLicence: { included: 12, step: 1, listPriceUsd: [2000, 2800], partNumber: LIC-10GE }
  - id: mod-with-licences
    class: io-module
    name: module
    confidence: rough
    source: test
    ports: [{ count: 16, link: eth-10g, medium: sfp+ }]
    fits: [fi-with-licences]
    watts: 40
    listPriceUsd: 8000
    portLicence: { included: 8, step: 1, listPriceUsd: 2400, source: a price list, confidence: solid }
  - id: core
    class: external-network
    name: core
    confidence: estimate
    source: test
    ports: null
    rackUnits: null
    watts: null
    listPriceUsd: null
    portPriceUsd: { eth-10g: [500, 1500], fc-8g: { value: null, note: not found } }
`);
    const fi = c.entries.get("fi-with-licences") as BoxEntry;
    expect(fi.portLicence).toMatchObject({ included: 12, step: 1, partNumber: "LIC-10GE", confidence: "rough" });
    expect(fi.portLicence!.listPriceUsd).toMatchObject({ value: 2400, range: [2000, 2800] });
    const mod = c.entries.get("mod-with-licences") as IoModuleEntry;
    expect(mod.portLicence).toMatchObject({ included: 8, confidence: "solid", source: "a price list" });
    const core = c.entries.get("core") as BoxEntry;
    expect(core.portPriceUsd!["eth-10g"]).toMatchObject({ value: 1000, range: [500, 1500], confidence: "estimate" });
    expect(core.portPriceUsd!["fc-8g"]).toMatchObject({ value: null, note: "not found" });
  });

  it("refuses portPriceUsd on a switch and an unknown link protocol", () => {
    const text = rejected(`catalog: 1
entries:
  - id: sw
    class: ethernet-switch
    name: sw
    confidence: rough
    source: test
    ports: null
    rackUnits: 1
    watts: null
    listPriceUsd: null
    portPriceUsd: { eth-10g: 500 }
  - id: core2
    class: external-network
    name: core
    confidence: rough
    source: test
    ports: null
    rackUnits: null
    watts: null
    listPriceUsd: null
    portPriceUsd: { eth-11g: 500 }
`);
    expect(text).toMatch(/entries\[0\]\.portPriceUsd: sw: only an external-network entry has upstream port prices/);
    expect(text).toMatch(/entries\[1\]\.portPriceUsd\.eth-11g: core2: "eth-11g" names no link protocol/);
  });
});
