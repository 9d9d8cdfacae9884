import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { scaleStudy } from "../../../src/planner/site-scale.js";
import { MAX_ALIAS_COUNT } from "../../../src/topology/document.js";
import { parseGeneratedYaml } from "../../../src/topology/generated-yaml.js";
import { parseTopology, parseTopologyQuick } from "../../../src/topology/load.js";
import { generatedTexts, lastMileStudy } from "../../helpers/generated-texts.js";

const OPTIONS = { uniqueKeys: true, maxAliasCount: MAX_ALIAS_COUNT };

describe("a generator's YAML parsed entry by entry", () => {
  const base = lastMileStudy();

  it.each(["director", "mriov", "traditional", "ucs"] as const)(
    "holds the same data as the text parsed whole (%s, 32 and 96 servers)",
    (design) => {
      for (const n of [32, 96]) {
        const site = scaleStudy(base, n);
        for (const text of generatedTexts(site, design)) {
          const whole = parse(text, OPTIONS);
          expect(parseGeneratedYaml(text, OPTIONS)).toEqual(whole);
          // Again, now from remembered pieces: the same, and the pieces were not changed by the first use.
          expect(parseGeneratedYaml(text, OPTIONS)).toEqual(whole);
        }
      }
    },
  );

  it("gives a topology equal to the full parse's", () => {
    const site = scaleStudy(base, 64);
    for (const design of site.designs) {
      const [text] = generatedTexts(site, design);
      const quick = parseTopologyQuick(text!, "g.yaml");
      const full = parseTopology(text!, "g.yaml");
      expect(quick.ok && full.ok).toBe(true);
      if (quick.ok && full.ok) expect(JSON.stringify(quick.topology)).toBe(JSON.stringify(full.topology));
    }
  });

  const shaped = (nodes: string, links = '    - endpoints: ["a:p1", "b:p1"]\n      type: eth-10g\n') =>
    `# made\nname: t\ntopology:\n  nodes:\n${nodes}  links:\n${links}workloads: []\n`;

  it("keeps a block scalar's lines that look like comments or entries", () => {
    const text = shaped(
      "    a:\n      kind: server\n      notes: |\n        # not a comment\n          deeper\n    b: { kind: server }\n",
    );
    expect(parseGeneratedYaml(text, OPTIONS)).toEqual(parse(text, OPTIONS));
  });

  it("leaves a node named twice to the whole parse, which names the error", () => {
    const text = shaped("    a: { kind: server }\n    a: { kind: server }\n");
    expect(parseGeneratedYaml(text, OPTIONS)).toBeUndefined();
    const quick = parseTopologyQuick(text, "t.yaml");
    const full = parseTopology(text, "t.yaml");
    expect(quick.ok).toBe(false);
    expect(quick).toEqual(full);
  });

  it("leaves an alias to an anchor in another piece to the whole parse", () => {
    const text = shaped("    a: &box { kind: server }\n    b: *box\n");
    expect(parseGeneratedYaml(text, OPTIONS)).toBeUndefined();
  });

  it("leaves text of another shape to the whole parse", () => {
    expect(parseGeneratedYaml("name: t\ntopology: { nodes: {}, links: [] }\n", OPTIONS)).toBeUndefined();
    expect(parseGeneratedYaml("name: t\ntopology:\n  nodes:\n  x\n", OPTIONS)).toBeUndefined();
    expect(parseGeneratedYaml("name: t\ntopology:\n  nodes:\n      a: 1\n", OPTIONS)).toBeUndefined();
  });

  it("shares frozen pieces, so no result can change another", () => {
    const text = shaped("    a: { kind: server, vms: 2 }\n");
    const one = parseGeneratedYaml(text, OPTIONS) as { topology: { nodes: { a: { vms: number } } } };
    expect(Object.isFrozen(one.topology.nodes.a)).toBe(true);
    expect(() => {
      one.topology.nodes.a.vms = 3;
    }).toThrow(TypeError);
  });
});
