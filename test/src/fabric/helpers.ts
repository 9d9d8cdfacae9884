/** Small hand-built fabrics for the fabric tests. */
import { Simulation } from "../../../sim/simulation.js";
import { Fabric, Node, type NodeOptions, SwitchNode, type SwitchOptions } from "../../../src/fabric/index.js";

export const NS = 1_000;
export const US = 1_000_000;
export const MS = 1_000_000_000;

/** A fabric on a fresh simulation, with endpoint and switch nodes by name. */
export function newFabric(): { sim: Simulation; fabric: Fabric } {
  const sim = new Simulation();
  return { sim, fabric: new Fabric(sim) };
}

export function endpoints(fabric: Fabric, names: readonly string[], options: NodeOptions = {}): void {
  for (const n of names) fabric.addNode(new Node(n, options));
}

export function aSwitch(fabric: Fabric, name: string, options: SwitchOptions = {}): SwitchNode {
  return fabric.addNode(new SwitchNode(name, options));
}

/** Payload bits per second, given bytes over ticks. */
export function bps(bytes: number, ticks: number): number {
  return (bytes * 8 * 1e12) / ticks;
}
