import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseTopology } from "../../src/topology/load.js";
import type { ResolvedTopology } from "../../src/topology/types.js";
import { applyLayoutFile, computeLayout, toLayoutFile, VIEW_WIDTH } from "../../web/src/layout.js";
import { portPositions } from "../../web/src/ports.js";

function rack(file: string): ResolvedTopology {
  const r = parseTopology(readFileSync(new URL(`../../topologies/${file}`, import.meta.url), "utf8"), file);
  if (!r.ok) throw new Error(`${file} does not load`);
  return r.topology;
}

describe.each(["ucs-rack.yaml", "director-rack.yaml", "mriov-rack.yaml", "traditional-rack.yaml"])(
  "layout of %s",
  (file) => {
    const topo = rack(file);
    const layout = computeLayout(topo);

    it("is deterministic: the same positions every time", () => {
      expect(JSON.stringify(computeLayout(topo).nodes)).toBe(JSON.stringify(layout.nodes));
    });

    it("puts the 40 servers in one row, in name order, and every box inside the view without overlaps", () => {
      const servers = layout.nodes.filter((n) => n.kind === "server");
      expect(servers).toHaveLength(40);
      expect(new Set(servers.map((s) => s.y)).size).toBe(1);
      const xs = servers.map((s) => s.x);
      expect(xs).toEqual([...xs].sort((a, b) => a - b));
      expect(servers.map((s) => s.name)).toEqual(Array.from({ length: 40 }, (_, i) => `host${i + 1}`));
      for (const n of layout.nodes) {
        expect(n.x - n.w / 2, n.name).toBeGreaterThanOrEqual(0);
        expect(n.x + n.w / 2, n.name).toBeLessThanOrEqual(VIEW_WIDTH);
      }
      const rows = new Map<number, typeof layout.nodes>();
      for (const n of layout.nodes) rows.set(n.y, [...(rows.get(n.y) ?? []), n]);
      for (const row of rows.values()) {
        const sorted = [...row].sort((a, b) => a.x - b.x);
        for (let i = 1; i < sorted.length; i++)
          expect(sorted[i]!.x - sorted[i]!.w / 2, sorted[i]!.name).toBeGreaterThanOrEqual(
            sorted[i - 1]!.x + sorted[i - 1]!.w / 2 - 1e-9,
          );
      }
    });

    it("places the LAN above the servers, and both ends of every link on a box edge", () => {
      const lan = layout.byName.get("lan")!;
      expect(lan.y).toBeLessThan(layout.byName.get("host1")!.y);
      const ends = portPositions(topo, layout);
      topo.links.forEach((l, i) => {
        for (const [end, node] of [
          [ends[i]![0], l.a.node],
          [ends[i]![1], l.b.node],
        ] as const) {
          const box = layout.byName.get(node)!;
          expect(Math.abs(end.x - box.x), `${node}`).toBeLessThanOrEqual(box.w / 2);
          expect([box.y - box.h / 2, box.y + box.h / 2]).toContain(end.y);
        }
      });
    });
  },
);

describe("layout files", () => {
  it("round-trips dragged positions and ignores unknown names and bad values", () => {
    const topo = rack("ucs-rack.yaml");
    const layout = computeLayout(topo);
    layout.byName.get("fi-a")!.x += 33.25;
    const saved = JSON.parse(JSON.stringify(toLayoutFile(topo.name, layout)));
    saved.positions.ghost = { x: 1, y: 2 };
    saved.positions.lan = { x: "left", y: 0 };
    const fresh = computeLayout(topo);
    expect(applyLayoutFile(fresh, saved)).toBe(layout.nodes.length - 1);
    expect(fresh.byName.get("fi-a")!.x).toBe(layout.byName.get("fi-a")!.x);
    expect(fresh.byName.get("lan")!.x).toBe(computeLayout(topo).byName.get("lan")!.x);
    expect(() => applyLayoutFile(fresh, { nodes: [] })).toThrow(/layout/);
  });
});
