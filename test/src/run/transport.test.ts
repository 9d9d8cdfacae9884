import { describe, expect, it } from "vitest";
import { Replication } from "../../../src/run/replication.js";
import { loadTopologyFile } from "../../../src/topology/read-file.js";

describe("FabricTransport", () => {
  it("keeps each flow's routes at its own place among its instance's targets", async () => {
    for (const design of ["mriov", "ucs"]) {
      const loaded = await loadTopologyFile(
        new URL(`../../../topologies/${design}-rack.yaml`, import.meta.url).pathname,
      );
      if (!loaded.ok) throw new Error(`${design}-rack does not load`);
      const rep = new Replication(loaded.topology, 0);
      let source = 0;
      let several = 0;
      for (const w of loaded.topology.workloads) {
        for (const inst of w.instances) {
          const key = `${w.name}:${inst.host}${inst.vm === null ? "" : `/${inst.vm}`}`;
          if (inst.to.nodes.length > 1) several++;
          // Backwards, so a table that filled places by order of asking would be caught.
          for (let t = inst.to.nodes.length - 1; t >= 0; t--) {
            expect(rep.transport.routeOf(source, t)).toBe(rep.net.routes(inst, key, t, w.unit));
          }
          source++;
        }
      }
      expect(source).toBe(rep.transport.sources.length);
      if (design === "mriov") expect(several).toBeGreaterThan(0);
    }
  });
});
