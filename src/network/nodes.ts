/**
 * The fabric's nodes for a topology (see build.ts's header): a server is its host node and
 * its adapters' node; switches, directors, fabric interconnects, extenders and PCIe
 * switches forward with the file's latency and mode; shared adapters, storage arrays and
 * the LAN are plain nodes. Storage arrays also get their service model (packet level).
 */
import type { RandomStreams } from "../../sim/random.js";
import type { Simulation } from "../../sim/simulation.js";
import { Node } from "../fabric/node.js";
import { SwitchNode } from "../fabric/switch-node.js";
import type { ResolvedTopology } from "../topology/types.js";
import type { Message } from "../workload/message.js";
import { toDistribution } from "./distribution.js";
import { ADAPTER_LATENCY, hostName } from "./port-plan.js";
import { mediaPreset, StorageArray } from "./storage-array.js";

/** The nodes of `topo`, in its order. */
export function fabricNodes(topo: ResolvedTopology): Node[] {
  const nodes: Node[] = [];
  for (const n of topo.nodes) {
    switch (n.kind) {
      case "server":
        nodes.push(new Node(hostName(n.name), { kind: "host" }));
        // The adapters share one node; each adapter's latency is set on the ports into it (port-plan.ts).
        nodes.push(new Node(n.name, { kind: "adapter", latencyTicks: ADAPTER_LATENCY }));
        break;
      case "ethernet-switch":
      case "fc-switch":
      case "ib-switch":
        nodes.push(
          new SwitchNode(n.name, {
            kind: n.kind,
            latencyTicks: n.latencyTicks,
            forwarding: n.forwarding,
            sharedBufferBytes: n.bufferBytes,
          }),
        );
        break;
      case "pcie-switch":
      case "io-director":
      case "fabric-interconnect":
        nodes.push(
          new SwitchNode(n.name, {
            kind: n.kind,
            latencyTicks: n.latencyTicks,
            forwarding: "cut-through",
            sharedBufferBytes: n.bufferBytes ?? Number.POSITIVE_INFINITY,
          }),
        );
        break;
      case "fabric-extender":
        nodes.push(new SwitchNode(n.name, { kind: n.kind, latencyTicks: n.latencyTicks, forwarding: "cut-through" }));
        break;
      case "shared-adapter":
        nodes.push(new Node(n.name, { kind: n.kind, latencyTicks: ADAPTER_LATENCY }));
        break;
      case "storage-array":
      case "lan":
        nodes.push(new Node(n.name, { kind: n.kind }));
        break;
    }
  }
  return nodes;
}

/** The storage arrays of `topo` on `sim`, each serving I/Os from its own stream. */
export function storageArrays(
  topo: ResolvedTopology,
  sim: Simulation,
  streams: RandomStreams,
  onServed: (array: StorageArray, msg: Message) => void,
): Map<string, StorageArray> {
  const arrays = new Map<string, StorageArray>();
  for (const n of topo.nodes) {
    if (n.kind !== "storage-array") continue;
    const service =
      n.service === null
        ? mediaPreset(n.media ?? "flash")
        : { read: toDistribution(n.service.read), write: toDistribution(n.service.write) };
    const array: StorageArray = new StorageArray(
      n.name,
      sim,
      n.concurrency,
      service.read,
      service.write,
      streams.stream(`array:${n.name}`),
      (msg) => onServed(array, msg),
    );
    arrays.set(n.name, array);
  }
  return arrays;
}
