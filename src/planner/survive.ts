/**
 * `survive: single-failure` in the planner: every SLA row still holds, and no
 * server loses its last path, after any one shared component fails (the
 * components `iovsim blast` fails: switches, directors, fabric interconnects,
 * IOMs, PCIe boxes, shared adapters, director/FI modules).
 *
 * What is judged is the state after failover: the routes already avoid the
 * failed component (the failover outage itself is `iovsim blast`'s subject).
 * - Flow level: one water-filling solve per component on a network whose
 *   failed ports are marked down for routing; flows with no path are stranded.
 * - Packet level (confirmation): one replication per component with the
 *   component failed from t = 0 and failover 0 (`degradedJobs`).
 */

import { RandomStreams } from "../../sim/random.js";
import { Simulation } from "../../sim/simulation.js";
import { evaluateFlows } from "../flow/index.js";
import type { RunResult } from "../metrics/result.js";
import { buildNetwork } from "../network/build.js";
import { sharedComponents } from "../run/blast.js";
import { faultLabel, faultPorts } from "../run/faults.js";
import type { ResolvedTopology } from "../topology/types.js";
import { flowSla, key } from "./sla.js";
import type { ReplicationJob, SurviveCheck } from "./types.js";

export type { SurviveCheck } from "./types.js";

/** Flow-level single-failure check (the topology's own SLA rows, point estimates). */
export function flowSurvive(topo: ResolvedTopology): SurviveCheck {
  const components = sharedComponents(topo);
  const reasons: string[] = [];
  // One network, its routes recomputed per component (the flow model only reads ports and routes).
  const net = buildNetwork(topo, new Simulation(), new RandomStreams(topo.experiment.seed, 0), () => {});
  for (const c of components) {
    const down = faultPorts(topo, net.fabric, c.target);
    for (const p of down) p.routingDown = true;
    net.invalidateRoutes();
    const flow = evaluateFlows(topo, { network: net });
    for (const p of down) p.routingDown = false;
    net.invalidateRoutes();
    const label = faultLabel(c.target);
    const stranded = flow.workloads.filter((w) => w.stranded > 0).map((w) => w.name);
    if (stranded.length > 0) reasons.push(`${label} failed: no path left for ${stranded.join(", ")}`);
    const missed = flowSla(topo, flow).sla.filter((r) => r.status !== "met");
    if (missed.length > 0)
      reasons.push(`${label} failed: ${missed.map((r) => `${key(r.workload, r.metric)} ${r.status}`).join(", ")}`);
  }
  reasons.sort();
  return { fidelity: "flow", status: reasons.length === 0 ? "met" : "missed", components: components.length, reasons };
}

/** One packet-level job per shared component: failed from t = 0, routes already around it. */
export function degradedJobs(
  topo: ResolvedTopology,
  yaml: string,
  file: string,
): Array<{ label: string; job: ReplicationJob }> {
  return sharedComponents(topo).map((c) => ({
    label: faultLabel(c.target),
    job: {
      yaml,
      file,
      replication: 0,
      faults: [{ atTicks: 0, action: "fail", target: c.target }],
      failoverTicks: 0,
    },
  }));
}

/** The packet-level verdict from the degraded runs (one per component, in `degradedJobs` order). */
export function packetSurvive(labels: readonly string[], runs: readonly RunResult[]): SurviveCheck {
  const reasons: string[] = [];
  runs.forEach((run, i) => {
    const label = labels[i]!;
    const noPath = run.workloads
      .filter((w) => Object.keys(w.dropReasons).some((r) => r.startsWith("no path")))
      .map((w) => w.name);
    if (noPath.length > 0) reasons.push(`${label} failed: no path left for ${noPath.join(", ")}`);
    const missed = run.sla.filter((r) => r.status === "missed");
    if (missed.length > 0)
      reasons.push(`${label} failed: ${missed.map((r) => `${key(r.workload, r.metric)} missed`).join(", ")}`);
  });
  reasons.sort();
  return { fidelity: "packet", status: reasons.length === 0 ? "met" : "missed", components: runs.length, reasons };
}
