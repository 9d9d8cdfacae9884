import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { packHops } from "../../../src/flow/hops.js";
import { FlowModel } from "../../../src/flow/index.js";
import { routeCursor } from "../../../src/flow/route-table.js";
import type { FlowSet } from "../../../src/flow/solve.js";
import { parseTopology } from "../../../src/topology/load.js";

function flowSetOf(design: string): FlowSet {
  const file = `${design}-rack.yaml`;
  const loaded = parseTopology(readFileSync(new URL(`../../../topologies/${file}`, import.meta.url), "utf8"), file);
  if (!loaded.ok) throw new Error(`${file} does not load`);
  // The solve's view of the model (private: the model hands it only to its solves).
  return (new FlowModel(loaded.topology) as unknown as { flowSet: FlowSet }).flowSet;
}

describe("a solve's packed hops", () => {
  for (const design of ["traditional", "director", "ucs", "mriov"]) {
    it(`name, for every hop of the ${design} rack, its leg's wire figures at its port and at the leg's first port`, () => {
      const m = flowSetOf(design);
      const list: number[] = [];
      for (let s = 0; s < m.slots.length; s++) if (m.routes.has(s)) list.push(s);
      const local = Int32Array.from(m.ports, (_, i) => i);
      const hops = packHops(m, list, local);
      const c = routeCursor();
      let rows = 0;
      list.forEach((s, k) => {
        const wire = m.wires[m.slots[s]!.workload]!;
        m.routes.at(s, c);
        const io = m.units[m.slots[s]!.workload] === "io";
        const legs = io ? [c.from, c.split, c.to] : [c.from, c.split];
        let h = hops.start[k]!;
        for (let dir = 0; dir + 1 < legs.length; dir++) {
          const [from, to] = [legs[dir]!, legs[dir + 1]!];
          const first = wire.expected(m.ports[c.port[from]!]!.protocol, c.mtu, dir as 0 | 1);
          for (let j = from; j < to; j++, h++) {
            const at = wire.expected(m.ports[c.port[j]!]!.protocol, c.mtu, dir as 0 | 1);
            const row = hops.at[h]!;
            expect([hops.legs.wire[row], hops.legs.wire2[row], hops.legs.wire3[row], hops.legs.transfers[row]]).toEqual(
              [at.wire, at.wire2, at.wire3, at.transfers],
            );
            expect(hops.legs.transfers[hops.first[h]!]).toBe(first.transfers);
            expect(hops.local[h]).toBe(c.port[j]);
            expect(hops.queue[h]).toBe(c.queue[j]);
            expect(hops.legEnd[h]).toBe(j === to - 1 ? 1 : 0);
            rows++;
          }
        }
        expect(h).toBe(hops.start[k + 1]);
      });
      // One row per distinct figure, not per hop.
      expect(hops.legs.wire.length).toBeLessThan(rows / 4);
    });
  }
});
