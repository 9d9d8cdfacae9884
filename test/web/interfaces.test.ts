import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseTopology } from "../../src/topology/load.js";
import type { ServerNode } from "../../src/topology/types.js";
import { ADAPTER_STRIP, interfaceHeight, interfaceRows, serverParts } from "../../web/src/interfaces.js";

function server(file: string, name: string): ServerNode {
  const r = parseTopology(readFileSync(new URL(`../../topologies/${file}`, import.meta.url), "utf8"), file);
  if (!r.ok) throw new Error(`${file} does not load`);
  return r.topology.nodes.find((n) => n.name === name) as ServerNode;
}

describe("a server's interfaces", () => {
  it("hang each vNIC and vHBA of a UCS blade under the port it rides on", () => {
    const s = server("ucs-rack.yaml", "host1");
    const parts = serverParts(s, 28, 80);
    expect(parts.glyphs.map((g) => `${g.kind} ${g.name} ${g.port}`)).toEqual([
      "vnic vnic-a vic0/1",
      "vhba vhba-a vic0/1",
      "vnic vnic-b vic0/2",
      "vhba vhba-b vic0/2",
    ]);
    for (const g of parts.glyphs) expect(g.x).toBe(parts.portX.get(g.port));
    expect(interfaceRows(s)).toBe(2);
  });

  it("draw one VF per VM slot of an SR-IOV port, inside the box, below the adapter strip", () => {
    const s = server("lessons/1-sr-iov.yaml", "server1");
    const h = 56 + interfaceHeight(interfaceRows(s));
    const parts = serverParts(s, 150, h);
    expect(parts.glyphs.map((g) => g.name)).toEqual(["vf1", "vf2", "vf3", "vf4"]);
    for (const g of parts.glyphs) {
      expect(Math.abs(g.x)).toBeLessThan(75);
      expect(g.y).toBeGreaterThan(-h / 2 + ADAPTER_STRIP);
      expect(g.y).toBeLessThan(h / 2);
    }
  });

  it("need no room on a server without vifs or VFs (the traditional rack)", () => {
    const s = server("traditional-rack.yaml", "host1");
    expect(interfaceRows(s)).toBe(0);
    expect(serverParts(s, 28, 56).glyphs).toEqual([]);
  });
});
