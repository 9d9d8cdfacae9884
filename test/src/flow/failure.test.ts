import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { siteTopology } from "../../../bench/site.js";
import { RandomStreams } from "../../../sim/random.js";
import { Simulation } from "../../../sim/simulation.js";
import { evaluateFlows, FlowModel } from "../../../src/flow/index.js";
import { buildNetwork } from "../../../src/network/build.js";
import { sharedComponents } from "../../../src/run/blast.js";
import { faultLabel, faultPorts } from "../../../src/run/faults.js";
import { parseTopology } from "../../../src/topology/load.js";
import type { ResolvedTopology } from "../../../src/topology/types.js";

function rack(design: string): ResolvedTopology {
  const file = `${design}-rack.yaml`;
  const loaded = parseTopology(readFileSync(new URL(`../../../topologies/${file}`, import.meta.url), "utf8"), file);
  if (!loaded.ok) throw new Error(`${file} does not load`);
  return loaded.topology;
}

/** Each shared component failed in turn: the incremental answer next to a fresh evaluation of the failed network. */
function compareFailures(
  topo: ResolvedTopology,
  every = 1,
): { components: number; rerouted: number; resolved: number; flows: number } {
  const model = new FlowModel(topo);
  const fresh = buildNetwork(topo, new Simulation(), new RandomStreams(topo.experiment.seed, 0), () => {});
  let rerouted = 0;
  let resolved = 0;
  const components = sharedComponents(topo).filter((_, i) => i % every === 0);
  for (const c of components) {
    const incremental = model.withDown(faultPorts(topo, model.net.fabric, c.target));
    const down = faultPorts(topo, fresh.fabric, c.target);
    for (const p of down) p.routingDown = true;
    fresh.invalidateRoutes();
    const full = evaluateFlows(topo, { network: fresh });
    for (const p of down) p.routingDown = false;
    fresh.invalidateRoutes();
    expect(incremental.workloads, faultLabel(c.target)).toEqual(full.workloads);
    expect(incremental.flows).toBe(full.flows);
    rerouted += incremental.rerouted;
    resolved += incremental.resolved;
  }
  // The model is back to its own answer afterwards.
  expect(model.result().workloads).toEqual(evaluateFlows(topo).workloads);
  return { components: components.length, rerouted, resolved, flows: model.result().flows };
}

describe("FlowModel.withDown (one failed component, re-solved incrementally)", () => {
  for (const design of ["traditional", "director", "ucs", "mriov"]) {
    it(`gives exactly a fresh evaluation's answer for every shared component of the ${design} rack`, () => {
      const r = compareFailures(rack(design));
      expect(r.components).toBeGreaterThan(3);
    });
  }

  it("on a 256-host MR-IOV site re-routes only the flows whose routes read a failed port", () => {
    const topo = siteTopology("mriov", { servers: 256 }).topology;
    const r = compareFailures(topo, 9);
    // Each failure touches one box pair's hosts: far below all flows.
    expect(r.rerouted / r.components).toBeLessThan(r.flows / 8);
    // The shared array and LAN core join every flow into one water-filling component: each failure re-solves the site.
    expect(r.resolved).toBe(r.components * r.flows);
  });
});
