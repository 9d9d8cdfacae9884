import type { ResolvedTopology } from "../topology/types.js";

/**
 * The hardware a topology uses, counted from the file alone (no catalog yet:
 * no prices or watts). Cables are the file's links; switch ports are connected
 * ports on switching devices (switches, directors, fabric interconnects, fabric
 * extenders, PCIe switches).
 */
export interface HardwareCount {
  servers: number;
  adapters: number;
  cables: number;
  switchPorts: number;
  switchingDevices: number;
  cablesPerServer: number;
}

const SWITCHING = new Set([
  "ethernet-switch",
  "fc-switch",
  "ib-switch",
  "pcie-switch",
  "io-director",
  "fabric-interconnect",
  "fabric-extender",
]);

export function countHardware(topo: ResolvedTopology): HardwareCount {
  let servers = 0;
  let adapters = 0;
  let switchPorts = 0;
  let switchingDevices = 0;
  for (const n of topo.nodes) {
    if (n.kind === "server") {
      servers++;
      adapters += n.adapters.length;
    } else if (n.kind === "shared-adapter") adapters++;
    else if (SWITCHING.has(n.kind)) {
      switchingDevices++;
      switchPorts += n.ports.filter((p) => p.peer !== null).length;
    }
  }
  return {
    servers,
    adapters,
    cables: topo.links.length,
    switchPorts,
    switchingDevices,
    cablesPerServer: servers === 0 ? 0 : topo.links.length / servers,
  };
}
