import { describe, expect, it } from "vitest";
import { expandNodes } from "../../../src/topology/expand.js";

const file = (nodes: Record<string, unknown>) => ({ name: "t", topology: { nodes } });

describe("expanding node keys before validation", () => {
  it("gives each expanded name its own entry, in order, and remembers the key", () => {
    const e = expandNodes(file({ "h[1..2]": { kind: "server" }, sw: { kind: "lan" } }));
    expect(Object.keys((e.data as { topology: { nodes: object } }).topology.nodes)).toEqual(["h1", "h2", "sw"]);
    expect(e.origins.get("h2")).toEqual({ key: "h[1..2]", index: 1, count: 2 });
    expect(e.issues).toEqual([]);
  });

  it("zips ranges anywhere in a node's field values", () => {
    const e = expandNodes(file({ "b[1..2]": { kind: "server", adapters: [{ vifs: [{ pin: "fi:eth1/[1..2]" }] }] } }));
    const nodes = (e.data as { topology: { nodes: Record<string, { adapters: { vifs: { pin: string }[] }[] }> } })
      .topology.nodes;
    expect(nodes.b2?.adapters[0]?.vifs[0]?.pin).toBe("fi:eth1/2");
  });

  it("leaves a shared adapter's hosts as a list for the resolver", () => {
    const e = expandNodes(file({ "sa[1..2]": { kind: "shared-adapter", hosts: "h[1..4]" } }));
    const nodes = (e.data as { topology: { nodes: Record<string, { hosts: string }> } }).topology.nodes;
    expect(nodes.sa1?.hosts).toBe("h[1..4]");
    expect(e.issues).toEqual([]);
  });

  it("reports invalid keys and duplicates", () => {
    const e = expandNodes(file({ "1h": {}, "h[1..2]": {}, h2: {} }));
    expect(e.issues.map((i) => i.message)).toEqual([
      'invalid node name "1h": names start with a letter, then letters, digits, _ . or -',
      "duplicate node name h2 (from h[1..2])",
    ]);
  });

  it("leaves files without a nodes map to the schema", () => {
    expect(expandNodes({ topology: [] })).toEqual({ data: { topology: [] }, origins: new Map(), issues: [] });
    expect(expandNodes(null).data).toBeNull();
  });
});
