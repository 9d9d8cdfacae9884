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
    // A VM host's 8 × 1GbE + 2 × FC as vNICs and vHBAs alternating fabrics A and B: 5 on each VIC port.
    expect(parts.glyphs.map((g) => `${g.kind} ${g.name} ${g.port}`)).toEqual([
      "vnic vnic1 vic0/1",
      "vnic vnic3 vic0/1",
      "vnic vnic5 vic0/1",
      "vnic vnic7 vic0/1",
      "vhba vhba1 vic0/1",
      "vnic vnic2 vic0/2",
      "vnic vnic4 vic0/2",
      "vnic vnic6 vic0/2",
      "vnic vnic8 vic0/2",
      "vhba vhba2 vic0/2",
    ]);
    // Under its port: a fifth glyph starts a second column beside the first, still nearer its port than the other.
    for (const g of parts.glyphs) expect(Math.abs(g.x - parts.portX.get(g.port)!)).toBeLessThanOrEqual(7);
    // Five per port, at most PER_COLUMN (4) per column.
    expect(interfaceRows(s)).toBe(4);
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
