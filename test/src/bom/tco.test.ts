import { describe, expect, it } from "vitest";
import { bom } from "../../../src/bom/bom.js";
import { type CostSettings, tco, tcoRule } from "../../../src/bom/tco.js";
import { buildCatalog, formatCatalogIssues } from "../../../src/catalog/parse.js";
import type { Catalog } from "../../../src/catalog/types.js";
import { topo } from "./helpers.js";

/** A catalog of its own: exact figures, so that every term can be computed by hand. */
const CATALOG = `catalog: 1
entries:
  - id: t-nic
    class: nic
    name: NIC
    vendor: Intel
    confidence: solid
    source: test
    ports: [{ count: 1, link: eth-10g, medium: sfp+ }]
    pcie: { gen: 2, lanes: 8, attach: card }
    watts: 10
    listPriceUsd: 500
  - id: t-switch
    class: ethernet-switch
    name: switch
    vendor: Cisco
    confidence: solid
    source: test
    ports: [{ count: 48, link: eth-10g, medium: sfp+ }]
    rackUnits: 1
    watts: 200
    listPriceUsd: 10000
    portLicence: { included: 1, step: 1, listPriceUsd: 100 }
  - id: t-dac
    class: cable
    name: DAC
    confidence: solid
    source: test
    links: eth-10g
    medium: twinax
    connector: sfp+
    reachM: 5
    watts: 0
    listPriceUsd: 50
  - id: t-core
    class: external-network
    name: core
    confidence: rough
    source: test
    ports: null
    rackUnits: null
    watts: null
    listPriceUsd: null
    portPriceUsd: { eth-10g: 300 }
costModel:
  support:
    - { id: passive, classes: [cable, optic], ratePerYear: { value: 0, confidence: estimate, source: test } }
    - { id: adapters, classes: [nic], ratePerYear: { value: 0, confidence: estimate, source: test } }
    - { id: cisco, vendors: [Cisco], ratePerYear: { value: 0.1, confidence: rough, source: test } }
  pue:
    "2010": { value: 2, confidence: rough, source: test }
    today: { value: 1.5, confidence: solid, source: test }
  kwhPriceUsd:
    "2010": { value: 0.08, confidence: solid, source: test }
    today: { value: 0.1, confidence: solid, source: test }
  labourPerCableUsd: { value: 20, confidence: estimate, source: test }
`;

/** Two hosts on one switch, one uplink to the core: 3 DACs, 2 NICs, 1 switch with 3 ports in use. */
const RACK = `name: r
design: traditional
topology:
  nodes:
    host[1..2]:
      kind: server
      adapters:
        - { name: nic0, type: nic, link: eth-10g, ports: 1, bus: pcie-gen2-x8, model: t-nic }
    tor:
      kind: ethernet-switch
      ports: { eth: 2, up: 1 }
      model: t-switch
    lan:
      kind: lan
      ports: { p: 1 }
      model: t-core
  links:
    - endpoints: ["host[1..2]:nic0/1", "tor:eth[1..2]"]
      type: eth-10g
      length: 2m
    - endpoints: ["tor:up1", "lan:p1"]
      type: eth-10g
      length: 2m
`;

function catalog(text = CATALOG): Catalog {
  const r = buildCatalog([{ file: "t.yaml", text }]);
  if (!r.ok) throw new Error(formatCatalogIssues(r.issues));
  return r.catalog;
}

const SETTINGS: CostSettings = { era: "today", years: 3, discount: 0.25, cablingLabour: true };

describe("the 3-year cost of ownership, by hand", () => {
  const cat = catalog();
  const b = bom(topo(RACK), cat, { management: false });

  it("buys what the rack needs: 2 NICs, a switch, 3 DACs, 2 port licences (3 ports used, 1 included), 1 core port", () => {
    expect(b.items.map((i) => [i.kind, i.count])).toEqual([
      ["t-nic", 2],
      ["t-switch", 1],
      ["t-dac", 3],
      ["t-switch/port-licence", 2],
    ]);
    expect(b.upstream).toEqual([
      expect.objectContaining({ node: "lan", link: "eth-10g", count: 1, unitPriceUsd: 300, model: "t-core" }),
    ]);
  });

  it("prices each term as the hand computation does", () => {
    const t = tco(b, cat, SETTINGS);
    // capital: (2 × 500 + 10,000 + 3 × 50) × 0.75
    expect(t.terms.capital.typical).toBeCloseTo(11_150 * 0.75, 9);
    // licences: 2 × 100 × 0.75
    expect(t.terms.licences.typical).toBeCloseTo(150, 9);
    // upstream: 1 core port × 300 × 0.75
    expect(t.terms.upstream.typical).toBeCloseTo(225, 9);
    // labour: 3 cable runs × $20
    expect(t.terms.labour.typical).toBeCloseTo(60, 9);
    // support: the Cisco switch only: 10,000 × 0.75 × 0.1 × 3 years (NICs and cables: rate 0)
    expect(t.terms.support.typical).toBeCloseTo(2_250, 9);
    // energy: (2 × 10 + 200 + 3 × 0) W × 8,760 h × 3 years / 1000 × PUE 1.5 × $0.10
    expect(t.terms.energy.typical).toBeCloseTo((220 * 8760 * 3 * 1.5 * 0.1) / 1000, 9);
    expect(t.capex.typical).toBeCloseTo(8362.5 + 150 + 225 + 60, 9);
    expect(t.opex.typical).toBeCloseTo(2250 + 867.24, 9);
    expect(t.total.typical).toBeCloseTo(11_914.74, 6);
    expect(t.total.unknown).toBe(0);
    expect(t.total.min).toBeCloseTo(t.total.typical, 9);
  });

  it("uses the 2010 era's PUE and price when asked", () => {
    const t = tco(b, cat, { ...SETTINGS, era: "2010" });
    expect(t.terms.energy.typical).toBeCloseTo((220 * 8760 * 3 * 2 * 0.08) / 1000, 9);
    expect(t.figures.pue.value).toBe(2);
  });

  it("leaves labour out when the study says so, and takes the study's support rate over the cost model's", () => {
    const t = tco(b, cat, {
      ...SETTINGS,
      cablingLabour: false,
      support: { cisco: { value: 0.2, range: null, confidence: "solid", source: "our contract", note: null } },
    });
    expect(t.terms.labour.typical).toBe(0);
    expect(t.figures.labourPerCableUsd).toBeNull();
    expect(t.terms.support.typical).toBeCloseTo(4_500, 9);
    expect(t.figures.support.find((s) => s.rule === "cisco")).toMatchObject({ units: 1 });
  });

  it("carries ranges: a switch priced [8,000, 12,000] spreads capital and support", () => {
    const cat2 = catalog(CATALOG.replace("listPriceUsd: 10000", "listPriceUsd: [8000, 12000]"));
    const t = tco(bom(topo(RACK), cat2, { management: false }), cat2, SETTINGS);
    expect(t.terms.capital.min).toBeCloseTo((1000 + 8000 + 150) * 0.75, 9);
    expect(t.terms.capital.max).toBeCloseTo((1000 + 12000 + 150) * 0.75, 9);
    expect(t.terms.support.min).toBeCloseTo(8000 * 0.75 * 0.1 * 3, 9);
    expect(t.terms.support.max).toBeCloseTo(12000 * 0.75 * 0.1 * 3, 9);
  });

  it("never counts an unknown as 0: an unpriced core port and an unknown PUE make the total a lower bound", () => {
    const cat3 = catalog(
      CATALOG.replace("portPriceUsd: { eth-10g: 300 }", "portPriceUsd: { eth-10g: null }").replace(
        "today: { value: 1.5, confidence: solid, source: test }",
        "today: { value: null, confidence: estimate, source: not found }",
      ),
    );
    const t = tco(bom(topo(RACK), cat3, { management: false }), cat3, SETTINGS);
    expect(t.terms.upstream).toMatchObject({ typical: 0, unknown: 1 });
    // Every item's energy needs the PUE: all 6 units (2 NICs, 1 switch, 3 DACs) are unknown.
    expect(t.terms.energy).toMatchObject({ typical: 0, unknown: 6 });
    expect(t.total.unknown).toBe(7);
    expect(t.total.typical).toBeCloseTo(11_914.74 - 225 - 867.24, 6);
  });

  it("says its rule in words", () => {
    expect(tcoRule(SETTINGS)).toMatch(/^3-year cost of ownership = capital \(items at list price × \(1 − 0.25\)\)/);
    expect(tcoRule(SETTINGS)).toContain("never counted as 0");
  });
});
