import { describe, expect, it } from "vitest";
import { bom } from "../../../src/bom/bom.js";
import { loadCatalog } from "../../../src/catalog/read-files.js";
import { scaleStudy } from "../../../src/planner/site-scale.js";
import type { Study } from "../../../src/study/index.js";
import { MAX_ALIAS_COUNT } from "../../../src/topology/document.js";
import { expandNodes } from "../../../src/topology/expand.js";
import { parseGeneratedYaml } from "../../../src/topology/generated-yaml.js";
import { parseHardwareQuick, parseTopology, parseTopologyQuick } from "../../../src/topology/load.js";
import { quickSchemaParse } from "../../../src/topology/quick-schema.js";
import { topologySchema } from "../../../src/topology/schema.js";
import type { Design } from "../../../src/topology/types.js";
import { generatedTexts, lastMileStudy } from "../../helpers/generated-texts.js";

const OPTIONS = { uniqueKeys: true, maxAliasCount: MAX_ALIAS_COUNT };

/** Generated texts of a design at a size, and their data with node keys expanded (what the schema's pass reads). */
function expanded(site: Study, design: Design): Array<{ text: string; data: unknown }> {
  return generatedTexts(site, design).map((text) => ({
    text,
    data: expandNodes(parseGeneratedYaml(text, OPTIONS)).data,
  }));
}

describe("the schema's pass over generated topologies, entry by entry", () => {
  const base = lastMileStudy();

  it.each(["director", "mriov", "traditional", "ucs"] as const)(
    "gives the data the whole file's schema gives (%s, 32 and 96 servers), also from remembered entries",
    (design) => {
      for (const n of [32, 96]) {
        for (const { data } of expanded(scaleStudy(base, n), design)) {
          const whole = topologySchema.parse(data);
          expect(quickSchemaParse(data)).toEqual(whole);
          expect(quickSchemaParse(data)).toEqual(whole);
        }
      }
    },
  );

  it("parses a body shared by a key's expanded nodes once: they share its frozen data", () => {
    const { data } = expanded(scaleStudy(base, 64), "director")[0]!;
    const parsed = quickSchemaParse(data)!;
    const raw = (data as { topology: { nodes: Record<string, unknown> } }).topology.nodes;
    const names = Object.keys(raw);
    const [a, b] = names.filter((x, i) => names.some((y, j) => j !== i && raw[y] === raw[x]));
    expect(a).toBeDefined();
    expect(parsed.topology.nodes[a!]).toBe(parsed.topology.nodes[b!]);
    expect(Object.isFrozen(parsed.topology.nodes[a!])).toBe(true);
  });

  it("answers undefined for what the schema refuses or what has another shape, and the quick parse then gives the full parse's issues", () => {
    const { text, data } = expanded(scaleStudy(base, 32), "traditional")[0]!;
    const d = data as { topology: { nodes: Record<string, Record<string, unknown>>; links: unknown[] } };
    const first = Object.keys(d.topology.nodes)[0]!;
    const badNode = { ...d, topology: { ...d.topology, nodes: { ...d.topology.nodes, [first]: { kind: "toaster" } } } };
    expect(quickSchemaParse(badNode)).toBeUndefined();
    expect(quickSchemaParse({ ...d, topology: { ...d.topology, links: [{ endpoints: ["a"] }] } })).toBeUndefined();
    expect(quickSchemaParse({ ...d, topology: { ...d.topology, extra: 1 } })).toBeUndefined();
    expect(quickSchemaParse({ ...d, sla: "all" })).toBeUndefined();
    expect(quickSchemaParse(null)).toBeUndefined();
    const broken = text.replace(/^name: .*$/m, "name: 7");
    expect(parseTopologyQuick(broken, "t.yaml")).toEqual(parseTopology(broken, "t.yaml"));
  });
});

describe("a generated topology's hardware alone (a candidate's price)", () => {
  const base = lastMileStudy();

  it.each(["director", "mriov", "traditional", "ucs"] as const)(
    "resolves without its workloads and gives the BOM the whole topology gives (%s, 32 and 96 servers)",
    async (design) => {
      const catalog = await loadCatalog();
      if (!catalog.ok) throw new Error("the built-in catalog does not load");
      for (const n of [32, 96]) {
        const site = scaleStudy(base, n);
        for (const { text } of expanded(site, design)) {
          const hardware = parseHardwareQuick(text, "t.yaml");
          const whole = parseTopologyQuick(text, "t.yaml");
          if (!hardware.ok || !whole.ok) throw new Error("a generated topology does not load");
          // Resolved on its own (not the whole topology it falls back to): no workloads, rows or faults.
          expect(hardware.topology.workloads).toEqual([]);
          expect(whole.topology.workloads.length).toBeGreaterThan(0);
          expect(hardware.topology.nodes).toEqual(whole.topology.nodes);
          const options = { era: site.file.cost.era, years: site.file.cost.years };
          expect(bom(hardware.topology, catalog.catalog, options)).toEqual(
            bom(whole.topology, catalog.catalog, options),
          );
        }
      }
    },
  );
});
