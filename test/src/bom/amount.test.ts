import { beforeAll, describe, expect, it } from "vitest";
import {
  add,
  amountOf,
  type CostLine,
  exact,
  factorOf,
  partial,
  pickMax,
  pickMin,
  scale,
  sum,
  ZERO,
} from "../../../src/bom/amount.js";
import { bom } from "../../../src/bom/bom.js";
import type { Catalog, Figure } from "../../../src/catalog/types.js";
import { catalog, topo } from "./helpers.js";

const fig = (value: number | null, range: [number, number] | null, confidence: Figure["confidence"]): Figure => ({
  value,
  range,
  confidence,
  source: "test",
  note: null,
});

describe("amounts with ranges", () => {
  it("carry a figure's [min, max] through a sum: 2 × [100, 300] + 3 × 50 = [350, 750], typical 550", () => {
    const lines: CostLine[] = [
      { term: "t", what: "a", count: 2, factors: [factorOf("price:a", fig(200, [100, 300], "rough"))] },
      { term: "t", what: "b", count: 3, factors: [factorOf("price:b", fig(50, null, "solid"))] },
    ];
    const a = amountOf(lines);
    expect(a).toMatchObject({ min: 350, typical: 550, max: 750, unknown: 0 });
    expect(a.basis).toEqual({ solid: 150, derived: 0, vendorClaim: 0, rough: 400, estimate: 0 });
  });

  it("multiply ranged factors end to end: 10 W × [1.5, 1.7] PUE × [0.1, 0.2] $/kWh × 8.76 kWh/W", () => {
    const line: CostLine = {
      term: "energy",
      what: "x",
      count: 1,
      factors: [
        factorOf("watts:x", fig(10, null, "solid")),
        exact(8.76),
        factorOf("pue", fig(1.6, [1.5, 1.7], "rough")),
        factorOf("kwh", fig(0.15, [0.1, 0.2], "estimate")),
      ],
    };
    const a = amountOf([line]);
    expect(a.min).toBeCloseTo(10 * 8.76 * 1.5 * 0.1, 9);
    expect(a.typical).toBeCloseTo(10 * 8.76 * 1.6 * 0.15, 9);
    expect(a.max).toBeCloseTo(10 * 8.76 * 1.7 * 0.2, 9);
    // A line rests on its weakest figure: here the estimated price.
    expect(a.basis.estimate).toBeCloseTo(a.typical, 9);
  });

  it("never count an unknown as 0: its units are counted and the amount is a lower bound", () => {
    const lines: CostLine[] = [
      { term: "t", what: "a", count: 2, factors: [factorOf("price:a", fig(100, null, "solid"))] },
      { term: "t", what: "u", count: 3, factors: [factorOf("price:u", fig(null, null, "estimate"))] },
    ];
    const a = amountOf(lines);
    expect(a).toMatchObject({ min: 200, typical: 200, max: 200, unknown: 3 });
    expect(partial(a)).toBe(true);
    // The same lines with the unknown priced at 0 are a different, exact amount: the two must never agree.
    const zeroed = amountOf([lines[0]!, { ...lines[1]!, factors: [factorOf("price:u", fig(0, null, "solid"))] }]);
    expect(partial(zeroed)).toBe(false);
    expect(a).not.toEqual(zeroed);
  });

  it("add, sum and scale keep ranges, unknown units (rounded up) and the basis", () => {
    const a = amountOf([{ term: "t", what: "a", count: 1, factors: [factorOf("a", fig(10, [5, 15], "rough"))] }]);
    const b = { ...ZERO, min: 1, typical: 2, max: 3, unknown: 1 };
    expect(add(a, b)).toMatchObject({ min: 6, typical: 12, max: 18, unknown: 1 });
    expect(sum([a, a, b])).toMatchObject({ min: 11, typical: 22, max: 33, unknown: 1 });
    expect(scale(add(a, b), 0.25)).toMatchObject({ min: 1.5, typical: 3, max: 4.5, unknown: 1 });
    expect(scale(a, 0.5).basis.rough).toBe(5);
  });

  it("pick the low and high ends factor by factor", () => {
    const f = factorOf("k", fig(3, [2, 4], "solid"));
    expect([pickMin(f), pickMax(f)]).toEqual([2, 4]);
    expect(factorOf("k", null)).toMatchObject({ typical: null });
  });
});

/** Two hosts with one NIC each and a switch; the user file prices the NIC as a range and leaves the switch unpriced. */
const RACK = `name: r
design: traditional
topology:
  nodes:
    host[1..2]:
      kind: server
      adapters:
        - { name: nic0, type: nic, link: eth-10g, ports: 1, bus: pcie-gen2-x8, model: test-nic }
    tor:
      kind: ethernet-switch
      ports: { eth: 2 }
      model: test-switch
  links:
    - endpoints: ["host[1..2]:nic0/1", "tor:eth[1..2]"]
      type: eth-10g
      length: 2m
`;

const PRICES = `catalog: 1
entries:
  - id: test-nic
    class: nic
    name: test NIC
    confidence: rough
    source: test
    ports: [{ count: 1, link: eth-10g, medium: sfp+ }]
    pcie: { gen: 2, lanes: 8, attach: card }
    watts: [5, 9]
    listPriceUsd: [400, 800]
  - id: test-switch
    class: ethernet-switch
    name: test switch
    confidence: estimate
    source: test
    ports: [{ count: 48, link: eth-10g, medium: sfp+ }]
    rackUnits: 1
    watts: null
    listPriceUsd: null
  - id: test-switch-no-ports
    class: ethernet-switch
    name: test switch, ports not found
    confidence: estimate
    source: test
    ports: null
    rackUnits: 1
    watts: null
    listPriceUsd: null
`;

describe("a BOM's totals as ranges", () => {
  let cat: Catalog;
  beforeAll(async () => {
    cat = await catalog(PRICES);
  });

  it("propagate each item's price range to the list cost, and count the unpriced switch", () => {
    const b = bom(topo(RACK), cat, { management: false });
    const nic = b.items.find((i) => i.kind === "test-nic")!;
    expect(nic.cost).toMatchObject({ min: 800, typical: 1200, max: 1600, unknown: 0 });
    expect(nic.power).toMatchObject({ min: 10, typical: 14, max: 18 });
    const t = b.totals;
    expect(t.cost.unknown).toBeGreaterThanOrEqual(1); // the switch, never $0
    expect(t.unpricedKinds).toContain("test-switch");
    // Every priced item's range adds up: the total's ends are the sums of the items' ends.
    const priced = b.items.filter((i) => i.unitCostUsd !== null);
    expect(t.cost.min).toBeCloseTo(
      priced.reduce((s, i) => s + i.cost.min, 0),
      9,
    );
    expect(t.cost.max).toBeCloseTo(
      priced.reduce((s, i) => s + i.cost.max, 0),
      9,
    );
    expect(t.cost.typical).toBeCloseTo(t.costUsd!, 9);
    expect([t.cost.min, t.cost.max]).toEqual(t.costRangeUsd);
    expect(t.cost.basis.rough).toBeGreaterThanOrEqual(1200);
  });

  it("counts the hardware score from front-panel ports and upstream ports, a lower bound when a port count is unknown", () => {
    const b = bom(topo(RACK), cat, { management: false });
    const t = b.totals;
    expect(t.hardwareScore).toBe(t.adapters + t.cables + t.optics + t.switchPortsInstalled + t.lanPorts + t.sanPorts);
    expect(t.hardwareScore).toBe(2 + 2 + t.optics + 48);
    expect(t.hardwareScoreUnknown).toBe(0);
    // A switch whose port inventory the catalog lacks: its ports are left out and the score says "at least".
    const noPorts = bom(topo(RACK.replace("model: test-switch", "model: test-switch-no-ports")), cat, {
      management: false,
    }).totals;
    expect(noPorts.hardwareScoreUnknown).toBe(1);
    expect(noPorts.switchPortsInstalledUnknown).toBe(1);
    expect(noPorts.hardwareScore).toBe(t.hardwareScore - 48);
  });
});
