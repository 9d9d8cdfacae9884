import type { RandomStreams } from "../../sim/random.js";
import type { ResolvedFault, ResolvedTopology } from "../topology/types.js";

/**
 * Fault times drawn from the topology's random failure processes for one
 * replication. Every node of a listed kind alternates up and down times, both
 * exponential (means mtbf and mttr: a memoryless failure and repair model), from
 * its own stream `failures:<node>`, so adding a node never changes another's
 * draws. Faults after `endTicks` are not kept; a node down at the end stays down.
 */
export function drawFailures(topo: ResolvedTopology, streams: RandomStreams, endTicks: number): ResolvedFault[] {
  const out: ResolvedFault[] = [];
  for (const f of topo.failures) {
    for (const node of topo.nodes) {
      if (node.kind !== f.kind) continue;
      const rng = streams.stream(`failures:${node.name}`);
      let t = 0;
      for (;;) {
        t += Math.max(1, Math.round(-Math.log(1 - rng.random()) * f.mtbfTicks));
        if (t >= endTicks) break;
        out.push({ atTicks: t, action: "fail", target: { kind: "node", node: node.name } });
        t += Math.max(1, Math.round(-Math.log(1 - rng.random()) * f.mttrTicks));
        if (t >= endTicks) break;
        out.push({ atTicks: t, action: "restore", target: { kind: "node", node: node.name } });
      }
    }
  }
  return out;
}

/** The file's timed faults and the drawn ones, by time (stable: file order first at equal times). */
export function allFaults(topo: ResolvedTopology, streams: RandomStreams, endTicks: number): readonly ResolvedFault[] {
  if (topo.failures.length === 0) return topo.faults;
  return [...topo.faults, ...drawFailures(topo, streams, endTicks)].sort((a, b) => a.atTicks - b.atTicks);
}
