import { beforeAll, describe, expect, it } from "vitest";
import { type Amount, ZERO } from "../../../src/bom/amount.js";
import { bom } from "../../../src/bom/bom.js";
import { tco } from "../../../src/bom/tco.js";
import type { Catalog } from "../../../src/catalog/types.js";
import { type ClaimCheck, type ClaimInput, checkClaims, formatClaims } from "../../../src/report/claims.js";
import type { Design } from "../../../src/topology/types.js";
import { catalog, rack } from "../bom/helpers.js";

const DESIGNS: readonly Design[] = ["traditional", "director", "ucs", "mriov"];

let cat: Catalog;
let inputs: ClaimInput[];
beforeAll(async () => {
  cat = await catalog();
  inputs = DESIGNS.map((design) => {
    const b = bom(rack(design), cat, { era: "2010" });
    return { design, bom: b, tco: tco(b, cat, { era: "2010", years: 3, discount: 0, cablingLabour: true }) };
  });
});

const byId = (checks: readonly ClaimCheck[], id: string): ClaimCheck => {
  const c = checks.find((x) => x.id === id);
  if (c === undefined) throw new Error(`no claim ${id}`);
  return c;
};

describe("the structural vendor claims, on the reference racks", () => {
  it("Xsigo: 2 cables per server (one dual-port HCA), 10 on the traditional host", () => {
    const c = byId(checkClaims(inputs), "xsigo-cables-per-server");
    expect(c.verdict).toBe("agree");
    expect(c.iovsim).toBe("2 data cables per server on the director rack (10 on the traditional rack's VM host)");
  });

  it("UCS: the 8 NIC + 2 HBA host has 10 cables, a blade none (midplane traces), ~1.75 shared uplinks per blade", () => {
    const c = byId(checkClaims(inputs), "ucs-cables-per-server");
    expect(c.verdict).toBe("agree");
    expect(c.iovsim).toContain("10 data cables per traditional VM host; 0 per UCS blade");
  });

  it("NextIO / VirtenSys: one PCIe cable per box, so two per server on the redundant box pairs: partly", () => {
    const c = byId(checkClaims(inputs), "nextio-cables");
    expect(c.verdict).toBe("partly");
    expect(c.iovsim).toMatch(/^2 data cables per server/);
  });

  it("Xsigo: 70 % fewer cables, within 10 points on the reference racks", () => {
    const c = byId(checkClaims(inputs), "xsigo-cables");
    expect(c.verdict).toBe("agree");
    expect(c.iovsim).toMatch(/^\d+ data cables against \d+: (6\d|7\d|80) % fewer$/);
  });
});

describe("the capital-cost claims", () => {
  const amount = (typical: number, unknown = 0): Amount => ({ ...ZERO, min: typical, typical, max: typical, unknown });
  const withCapex = (capex: Record<string, Amount>): ClaimInput[] =>
    inputs.map((i) => ({ ...i, tco: { ...i.tco, capex: capex[i.design]! } }));

  it("are undecided, never guessed, exactly when either side leaves prices out", () => {
    const checks = checkClaims(inputs);
    const capex = (d: Design) => inputs.find((i) => i.design === d)!.tco.capex;
    for (const [id, d] of [
      ["xsigo-capital", "director"],
      ["nextio-acquisition", "mriov"],
    ] as const) {
      const c = byId(checks, id);
      const partial = capex(d).unknown > 0 || capex("traditional").unknown > 0;
      expect(c.verdict === "undecided", id).toBe(partial);
      if (partial) expect(c.reason, id).toMatch(/units unpriced\): a saving between lower bounds is unknown$/);
    }
  });

  it("agree when the saving reaches 'up to X %', partly when there is a smaller one, disagree when there is none", () => {
    const trad = amount(100_000);
    const c1 = checkClaims(
      withCapex({ traditional: trad, director: amount(45_000), ucs: trad, mriov: amount(70_000) }),
    );
    expect(byId(c1, "xsigo-capital")).toMatchObject({ verdict: "agree" });
    expect(byId(c1, "xsigo-capital").reason).toBe("iovsim's saving (55 %) reaches the claimed 50 %");
    expect(byId(c1, "nextio-acquisition")).toMatchObject({ verdict: "partly" });
    const c2 = checkClaims(
      withCapex({ traditional: trad, director: amount(120_000), ucs: trad, mriov: amount(60_000) }),
    );
    expect(byId(c2, "xsigo-capital")).toMatchObject({
      verdict: "disagree",
      reason: "no saving on this configuration: the design costs 20 % more",
    });
    expect(byId(c2, "nextio-acquisition").verdict).toBe("agree");
    const c3 = checkClaims(
      withCapex({ traditional: amount(100_000, 3), director: amount(45_000), ucs: trad, mriov: trad }),
    );
    expect(byId(c3, "xsigo-capital").verdict).toBe("undecided");
  });
});

describe("the printed checks", () => {
  it("give each claim, its source, iovsim's figure, the verdict and why; and a count", () => {
    const text = formatClaims(checkClaims(inputs));
    expect(text).toMatch(/^AGREE {5}70 % fewer cables \(Xsigo I\/O Director\)$/m);
    expect(text).toMatch(/^ {10}source: /m);
    expect(text).toMatch(/^ {10}iovsim: /m);
    expect(text).toMatch(/^ {10}why: /m);
    expect(text).toMatch(/^6 claims: \d agree, \d partly, \d disagree, \d undecided \(unpriced figures\)$/m);
  });
});
