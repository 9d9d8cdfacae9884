import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { defaultAdapter } from "../../../src/bom/defaults.js";
import { blockFor, installedPorts } from "../../../src/catalog/catalog.js";
import { buildCatalog, type CatalogSource, formatCatalogIssues } from "../../../src/catalog/parse.js";
import { builtinCatalogFiles, loadCatalog } from "../../../src/catalog/read-files.js";
import type { Catalog, CatalogEntry, Figure } from "../../../src/catalog/types.js";
import { ADAPTER_CLASSES, CATALOG_CLASSES } from "../../../src/catalog/types.js";
import { linkProtocolIds } from "../../../src/link/catalog.js";
import { ADAPTER_TYPES, NODE_KINDS } from "../../../src/topology/schema.js";
import type { ResolvedAdapter } from "../../../src/topology/types.js";
import { billionLaughs } from "../../helpers/yaml-bomb.js";

let sources: CatalogSource[];
let catalog: Catalog;

beforeAll(async () => {
  sources = (await builtinCatalogFiles()).map((file) => ({ file, text: readFileSync(file, "utf8") }));
  const r = await loadCatalog();
  if (!r.ok) throw new Error(formatCatalogIssues(r.issues));
  catalog = r.catalog;
});

/** The built-in files plus one more, merged. */
function withExtra(text: string, file = "user.yaml") {
  return buildCatalog([...sources, { file, text }]);
}

/** The printed issues of a catalog that must be rejected. */
function rejected(text: string, file = "user.yaml"): string {
  const r = withExtra(text, file);
  if (r.ok) throw new Error("expected the catalog to be rejected");
  return formatCatalogIssues(r.issues);
}

function get(id: string): CatalogEntry {
  const e = catalog.entries.get(id);
  if (e === undefined) throw new Error(`no ${id}`);
  return e;
}

/** Every figure of an entry, with its field name. */
function figures(e: CatalogEntry): [string, Figure][] {
  const out: [string, Figure][] = [];
  for (const [k, v] of Object.entries(e)) {
    if (v !== null && typeof v === "object" && "value" in v && "confidence" in v) out.push([k, v as Figure]);
  }
  if ("ports" in e && e.ports !== null) {
    e.ports.forEach((b, i) => {
      out.push([`ports[${i}].count`, b.count]);
    });
  }
  return out;
}

const NIC = `catalog: 1
entries:
  - id: my-nic
    class: nic
    name: My NIC
    confidence: rough
    source: my lab
    ports: [{ count: 2, link: eth-10g, medium: sfp+ }]
    pcie: { gen: 3, lanes: 8, attach: card }
    watts: 7
    listPriceUsd: 300
`;

describe("the built-in catalog", () => {
  it("loads and validates: every file, every entry, with a source and a confidence", () => {
    expect(sources.map((s) => s.file.split("/").at(-1))).toEqual([
      "adapters.yaml",
      "cables-and-optics.yaml",
      "cost-model.yaml",
      "directors-and-fabric-interconnects.yaml",
      "pcie.yaml",
      "storage-and-lan.yaml",
      "switches.yaml",
    ]);
    expect(catalog.entries.size).toBeGreaterThan(150);
    for (const e of catalog.entries.values()) {
      expect(e.source.length, e.id).toBeGreaterThan(0);
      for (const [field, f] of figures(e)) {
        expect(f.source.length, `${e.id}.${field}`).toBeGreaterThan(0);
        expect(f.confidence, `${e.id}.${field}`).toMatch(/^(solid|vendor-claim|rough|derived|unverified|estimate)$/);
      }
    }
  });

  it("has entries of every class the topology can name", () => {
    const classes = new Set([...catalog.entries.values()].map((e) => e.class));
    for (const c of CATALOG_CLASSES) expect(classes, c).toContain(c);
  });

  it("never writes 0 for unknown: every zero is derived or explained (passive cable, onboard LAN, part inside a chassis)", () => {
    for (const e of catalog.entries.values()) {
      for (const [field, f] of figures(e)) {
        if (f.value !== 0) continue;
        expect(f.confidence === "derived" || f.confidence === "solid" || f.note !== null, `${e.id}.${field}`).toBe(
          true,
        );
        expect(f.note ?? f.source, `${e.id}.${field}`).toMatch(/passive|onboard|server price|chassis/i);
      }
    }
  });

  it("covers the seed's era and today's hardware", () => {
    const seed = [
      "generic-quad-gbe-nic",
      "generic-dual-10g-nic-82599",
      "generic-fc-hba-4g-dual",
      "qlogic-qle2562",
      "xsigo-vp780",
      "oracle-fi-f1-15",
      "xsigo-mod-10x1gbe",
      "xsigo-mod-4x10gbe",
      "xsigo-mod-2x8gfc",
      "cisco-ucs-6120xp",
      "cisco-ucs-6140xp",
      "cisco-ucs-6248up",
      "cisco-ucs-6296up",
      "cisco-ucs-2104xp",
      "cisco-ucs-2204xp",
      "cisco-ucs-2208xp",
      "cisco-ucs-5108",
      "cisco-m81kr-vic",
      "cisco-vic-1240",
      "cisco-vic-1280",
      "nextio-vnet-io-maestro",
      "virtensys-vio-4000",
      "pcie-extender-host-card",
    ];
    const today = [
      "intel-e810-cqda2",
      "mellanox-connectx6dx",
      "emulex-lpe32002",
      "brocade-g620",
      "broadcom-pex88096",
      "broadcom-pex89144",
      "microchip-switchtec-pfx-gen5",
      "gigaio-fabrex",
      "liqid-fabric",
      "sfp28-dac-25g",
      "qsfp28-100g-sr4",
    ];
    for (const id of [...seed, ...today]) expect(catalog.entries.has(id), id).toBe(true);
    // Unknown stays unknown: no public source gives a Liqid switch's latency or a NextIO box's host-port count.
    const liqid = get("liqid-fabric");
    if (!("latencyNs" in liqid) || liqid.latencyNs === null) throw new Error("liqid-fabric has no latency figure");
    expect(liqid.latencyNs.value).toBeNull();
    const maestro = get("nextio-vnet-io-maestro");
    expect("ports" in maestro && maestro.ports?.find((b) => b.role === "host")?.count.value).toBeNull();
  });

  it("keeps ranges, with the midpoint to compute with, and per-figure confidence", () => {
    const nic = get("generic-quad-gbe-nic");
    expect(nic.listPriceUsd).toMatchObject({ value: 425, range: [400, 450], confidence: "rough" });
    const fi = get("cisco-ucs-6248up");
    expect(fi.confidence).toBe("solid");
    expect(fi.watts).toMatchObject({ value: 350, confidence: "rough" });
    expect(fi.watts.source).toMatch(/rack-planning/);
    expect(installedPorts(fi)).toBe(32);
    expect(blockFor(fi, "fc-8g")?.medium).toBe("sfp+");
  });

  it("has a default model for every adapter type and link, of a class the type accepts", () => {
    const allowed: Record<string, readonly string[]> = {
      nic: ["nic", "cna", "hca"],
      hba: ["hba"],
      cna: ["cna"],
      vic: ["vic", "cna"],
      hca: ["hca"],
      "pcie-extender": ["pcie-extender"],
    };
    const family: Record<string, string> = {
      nic: "eth-",
      hba: "fc-",
      cna: "eth-",
      vic: "eth-",
      hca: "ib-",
      "pcie-extender": "pcie-",
    };
    let checked = 0;
    for (const type of ADAPTER_TYPES) {
      for (const link of linkProtocolIds().filter((l) => l.startsWith(family[type]!))) {
        for (const n of [1, 2, 4]) {
          const a: ResolvedAdapter = {
            name: "a0",
            type,
            link,
            ports: Array.from({ length: n }, (_, i) => `a0/${i + 1}`),
            bus: "pcie-gen2-x8",
            vfs: 0,
            maxVfs: null,
            vfLimitBps: null,
            vifs: [],
            maxVifs: null,
            model: null,
          };
          const id = defaultAdapter(a);
          if (id === null) continue;
          expect(catalog.entries.get(id)?.class, `${type} ${link}: ${id}`).toBeOneOf([...allowed[type]!]);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(50);
    expect(ADAPTER_CLASSES).toContain("shared-adapter");
  });

  it("names only ids it has in the default-model rules of src/bom/defaults.ts", () => {
    const text = readFileSync(new URL("../../../src/bom/defaults.ts", import.meta.url), "utf8");
    const notIds = new Set<string>([...linkProtocolIds(), ...NODE_KINDS, ...ADAPTER_TYPES, ...CATALOG_CLASSES]);
    const quoted = [...text.matchAll(/"([a-z0-9][a-z0-9.+]*(?:-[a-z0-9.+]+)+)"/g)].map((m) => m[1]!);
    const ids = quoted.filter((q) => !notIds.has(q) && !/^(ib|eth|fc|pcie)-/.test(q));
    expect(ids.length).toBeGreaterThan(30);
    for (const id of ids) expect(catalog.entries.has(id), id).toBe(true);
  });
});

describe("user catalog files", () => {
  it("add entries and replace built-in ones by id", () => {
    const r = withExtra(
      `${NIC}  - id: cisco-ucs-6248up
    class: fabric-interconnect
    name: 6248UP with our price
    confidence: rough
    source: our 2012 quote
    ports: [{ count: 32, link: [eth-10g, fc-8g], medium: sfp+ }]
    rackUnits: 1
    moduleSlots: 1
    modules: [cisco-ucs-fi-e16up]
    watts: 350
    listPriceUsd: 20000
`,
    );
    if (!r.ok) throw new Error(formatCatalogIssues(r.issues));
    const fi = r.catalog.entries.get("cisco-ucs-6248up")!;
    expect(fi.listPriceUsd.value).toBe(20000);
    expect(fi.origin.file).toBe("user.yaml");
    expect(r.catalog.entries.get("my-nic")?.class).toBe("nic");
    expect(r.catalog.files.at(-1)).toBe("user.yaml");
  });

  it("reads a port licence: ports included, ports per licence, its price with the licence's own source", () => {
    const r = withExtra(`catalog: 1
entries:
  - id: my-fc-switch
    class: fc-switch
    name: My FC switch
    confidence: rough
    source: my lab
    ports: [{ count: 48, link: fc-8g, medium: sfp+ }]
    rackUnits: 1
    watts: 100
    listPriceUsd: 10000
    portLicence: { included: 16, step: 8, listPriceUsd: [3000, 4000], partNumber: LIC-8P, confidence: estimate, source: my quote }
`);
    if (!r.ok) throw new Error(formatCatalogIssues(r.issues));
    const e = r.catalog.entries.get("my-fc-switch")!;
    if (!("portLicence" in e)) throw new Error("not a box");
    expect(e.portLicence).toMatchObject({ included: 16, step: 8, partNumber: "LIC-8P", confidence: "estimate" });
    expect(e.portLicence?.listPriceUsd).toMatchObject({ value: 3500, range: [3000, 4000], source: "my quote" });
    expect(
      rejected(
        NIC.replace(
          "listPriceUsd: 300",
          "listPriceUsd: 300\n    portLicence: { included: 1, step: 1, listPriceUsd: 5 }",
        ),
      ),
    ).toMatch(/entries\[0\]\.portLicence: my-nic: unknown field "portLicence"/);
  });

  it("reads a port licence on an expansion module (ports licensed with the module, ports per licence)", () => {
    const r = withExtra(`catalog: 1
entries:
  - id: my-expansion
    class: io-module
    name: My 16-port expansion module
    confidence: rough
    source: my quote
    ports: [{ count: 16, link: eth-10g, medium: sfp+ }]
    fits: [cisco-ucs-6248up]
    watts: 40
    listPriceUsd: 10000
    portLicence: { included: 8, step: 1, listPriceUsd: 2000 }
`);
    if (!r.ok) throw new Error(formatCatalogIssues(r.issues));
    const m = r.catalog.entries.get("my-expansion")!;
    if (m.class !== "io-module") throw new Error("not a module");
    expect(m.portLicence).toMatchObject({ included: 8, step: 1, confidence: "rough", source: "my quote" });
    expect(m.portLicence?.listPriceUsd.value).toBe(2000);
  });

  it("reads upstream port prices per link protocol on an external network, and only there", () => {
    const LAN = `catalog: 1
entries:
  - id: my-core
    class: external-network
    name: My core network
    confidence: estimate
    source: my guess
    ports: null
    rackUnits: null
    watts: null
    listPriceUsd: null
    portPriceUsd: { eth-10g: [1000, 2000], fc-8g: { value: 800, confidence: rough, source: a quote } }
`;
    const r = withExtra(LAN);
    if (!r.ok) throw new Error(formatCatalogIssues(r.issues));
    const lan = r.catalog.entries.get("my-core")!;
    if (!("portPriceUsd" in lan)) throw new Error("not a box");
    expect(lan.portPriceUsd?.["eth-10g"]).toMatchObject({ value: 1500, range: [1000, 2000], confidence: "estimate" });
    expect(lan.portPriceUsd?.["fc-8g"]).toMatchObject({ value: 800, confidence: "rough", source: "a quote" });
    expect(rejected(LAN.replace("eth-10g: [1000, 2000]", "eth-10gig: [1000, 2000]"))).toMatch(
      /entries\[0\]\.portPriceUsd(\.eth-10gig)?: my-core: .*eth-10gig.* names no link protocol/,
    );
    expect(rejected(LAN.replace("class: external-network", "class: ethernet-switch"))).toMatch(
      /entries\[0\]\.portPriceUsd: my-core: .*external-network/,
    );
  });

  it("reports a broken entry with its file, line, column, path and id", () => {
    expect(rejected(NIC.replace("watts: 7", "watts: 7W"))).toBe(
      'user.yaml:10:12 entries[0].watts: my-nic: expected a number, a [min, max] range, null (unknown), or { value, confidence, source }, got "7W"',
    );
  });

  it("names the field meant for a misspelt one, and asks for null rather than a missing price", () => {
    const text = rejected(NIC.replace("    watts: 7\n", "    wats: 7\n").replace("    listPriceUsd: 300\n", ""));
    expect(text).toContain('user.yaml:10:11 entries[0].wats: my-nic: unknown field "wats" (did you mean "watts"?)');
    expect(text).toMatch(/entries\[0\]\.listPriceUsd: my-nic: missing a figure: .*null when unknown, never 0/);
  });

  it("rejects unknown classes, link ids, confidences and media", () => {
    expect(rejected(NIC.replace("class: nic", "class: nick"))).toMatch(
      /user\.yaml:4:12 entries\[0\]\.class: my-nic: unknown class "nick"; expected one of: nic, hba/,
    );
    expect(rejected(NIC.replace("link: eth-10g", "link: eth-10gb"))).toMatch(
      /user\.yaml:8:\d+ entries\[0\]\.ports\[0\]\.link: my-nic: "eth-10gb" names no link protocol/,
    );
    expect(rejected(NIC.replace("confidence: rough", "confidence: high"))).toMatch(/unknown confidence "high"/);
    expect(rejected(NIC.replace("medium: sfp+", "medium: sfpp"))).toMatch(/expected a port medium, got "sfpp"/);
    expect(rejected(NIC.replace("watts: 7", "watts: [9, 7]"))).toMatch(/min ≤ max/);
  });

  it("rejects a duplicate id within one file and a reference to a missing entry", () => {
    expect(rejected(`${NIC}${NIC.split("entries:\n")[1]}`)).toMatch(
      /user\.yaml:12:9 entries\[1\]\.id: duplicate id my-nic \(first at entries\[0\]\); ids are unique within a file/,
    );
    const module = `catalog: 1
entries:
  - id: my-module
    class: io-module
    name: My module
    confidence: estimate
    source: guess
    ports: [{ count: 4, link: eth-10g }]
    fits: [oracle-fi-f9]
    watts: null
    listPriceUsd: null
`;
    expect(rejected(module)).toBe("user.yaml:9:12 entries[0].fits[0]: my-module: no catalog entry oracle-fi-f9");
  });

  it("rejects fibre without optics and reports syntax errors and empty files", () => {
    const fibre = `catalog: 1
entries:
  - id: my-fibre
    class: cable
    name: fibre
    confidence: solid
    source: me
    links: eth-10g
    medium: mmf
    watts: 0
    listPriceUsd: null
`;
    expect(rejected(fibre)).toBe(
      "user.yaml:3:5 entries[0].needsOptics: my-fibre: plain fibre (mmf, smf) needs optics: needsOptics: true",
    );
    expect(rejected("catalog: 1\nentries: [\n")).toMatch(/^user\.yaml:\d+:\d+ \(syntax\): /);
    expect(rejected("")).toBe("user.yaml:1:1 (top): the file is empty; expected { catalog: 1, entries: [ … ] }");
  });

  it("refuses figures past 10^12, which would add up to Infinity ($∞) in totals", () => {
    expect(rejected(NIC.replace("listPriceUsd: 300", "listPriceUsd: 1e308"))).toBe(
      "user.yaml:11:19 entries[0].listPriceUsd: my-nic: the number 1e+308 is not a plausible figure: none reaches 10^12",
    );
  });

  it("refuses a billion-laughs alias bomb at parse time, and duplicate and reserved keys", () => {
    expect(rejected(billionLaughs())).toBe(
      "user.yaml:1:1 (syntax): Excessive alias count indicates a resource exhaustion attack",
    );
    expect(rejected(NIC.replace("    watts: 7\n", "    watts: 7\n    watts: 8\n"))).toBe(
      'user.yaml:11:5 entries[0].watts: duplicate key "watts" (first at line 10)',
    );
    expect(rejected(NIC.replace("    watts: 7\n", "    __proto__: { watts: 7 }\n"))).toBe(
      'user.yaml:10:5 entries[0].__proto__: "__proto__" is a reserved name (it would reach JavaScript\'s object prototype); rename the key',
    );
  });

  it("says which file cannot be read", async () => {
    const r = await loadCatalog(["/nonexistent/catalog.yaml"]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(formatCatalogIssues(r.issues)).toContain("cannot read /nonexistent/catalog.yaml: no such file");
  });
});

describe("catalog coverage (for the report)", () => {
  it("counts entries per class and priced ones", () => {
    const rows = new Map<string, { n: number; priced: number }>();
    for (const e of catalog.entries.values()) {
      const r = rows.get(e.class) ?? { n: 0, priced: 0 };
      r.n++;
      if (e.listPriceUsd.value !== null) r.priced++;
      rows.set(e.class, r);
    }
    const total = [...rows.values()].reduce((s, r) => s + r.n, 0);
    const priced = [...rows.values()].reduce((s, r) => s + r.priced, 0);
    expect(total).toBe(catalog.entries.size);
    expect(priced).toBeGreaterThan(5);
    expect(priced).toBeLessThanOrEqual(total);
  });

  it("prices and powers every switch, cable, optic and PCIe entry, each figure with a source and a confidence", () => {
    const files = /\/(switches|cables-and-optics|pcie)\.yaml$/;
    const entries = [...catalog.entries.values()].filter((e) => files.test(e.origin.file));
    expect(entries.length).toBeGreaterThan(60);
    for (const e of entries) {
      for (const f of [e.listPriceUsd, e.watts]) {
        expect(f.value, e.id).not.toBeNull();
        expect(f.source.length, e.id).toBeGreaterThan(0);
      }
      // An estimate says how it was reasoned.
      if (e.listPriceUsd.confidence === "estimate") expect(e.listPriceUsd.note, e.id).not.toBeNull();
      if (e.watts.confidence === "estimate" && e.watts.value !== 0) expect(e.watts.note, e.id).not.toBeNull();
    }
  });

  it("prices and powers every adapter, director, fabric interconnect, module, chassis and server", () => {
    const mine = [...catalog.entries.values()].filter((e) =>
      /(adapters|directors-and-fabric-interconnects|storage-and-lan)\.yaml$/.test(e.origin.file),
    );
    expect(mine.length).toBeGreaterThan(70);
    for (const e of mine) {
      // The BOM never buys arrays or the LAN: their own price and power stay unknown, and say why.
      if (e.class === "storage-array" || e.class === "external-network") {
        expect(e.notes, e.id).toMatch(/Not bought/);
        continue;
      }
      expect(e.listPriceUsd.value, e.id).not.toBeNull();
      expect(e.watts.value, e.id).not.toBeNull();
    }
  });

  it("writes the reasoning next to every estimated price, power and licence figure", () => {
    for (const e of catalog.entries.values()) {
      if (!/(adapters|directors-and-fabric-interconnects|storage-and-lan)\.yaml$/.test(e.origin.file)) continue;
      const figs: [string, Figure | null][] = [
        ["listPriceUsd", e.listPriceUsd],
        ["watts", e.watts],
        ["wattsMax", e.wattsMax],
      ];
      if ("portLicence" in e && e.portLicence !== null) figs.push(["portLicence", e.portLicence.listPriceUsd]);
      if ("portPriceUsd" in e && e.portPriceUsd !== null) {
        for (const [link, f] of Object.entries(e.portPriceUsd)) figs.push([`portPriceUsd.${link}`, f]);
      }
      for (const [field, f] of figs) {
        if (f === null || f.value === null || f.confidence !== "estimate") continue;
        // A sentence or more of reasoning, not a bare tag.
        expect((f.note ?? "").length, `${e.id} ${field}`).toBeGreaterThan(40);
      }
    }
  });

  it("gives the upstream port price of every link an uplink may use on the built-in LAN", () => {
    const lan = get("generic-core-network");
    if (!("portPriceUsd" in lan)) throw new Error("not a box");
    const links = ["eth-1g", "eth-10g", "eth-25g", "eth-40g", "eth-100g", "fc-4g", "fc-8g", "fc-16g", "fc-32g"];
    for (const link of links) {
      const f = lan.portPriceUsd?.[link];
      expect(f?.range, link).not.toBeNull();
      expect(f?.confidence, link).toBe("estimate");
    }
  });
});
