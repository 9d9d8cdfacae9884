import type { ResolvedTopology } from "../topology/types.js";

/**
 * The hardware a topology uses, counted from the file alone (no catalog yet:
 * no prices or watts). Cables are the file's links except a blade chassis'
 * midplane traces (server ↔ fabric extender) and a PCIe box's slots (PCIe switch
 * ↔ shared adapter); switch ports are connected ports on switching devices
 * (switches, directors, fabric interconnects, fabric extenders, PCIe switches).
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
  const kind = new Map(topo.nodes.map((n) => [n.name, n.kind]));
  const inside = (a: string, b: string): boolean => {
    const pair = [kind.get(a), kind.get(b)].sort().join("+");
    return pair === "fabric-extender+server" || pair === "pcie-switch+shared-adapter";
  };
  const cables = topo.links.filter((l) => !inside(l.a.node, l.b.node)).length;
  return {
    servers,
    adapters,
    cables,
    switchPorts,
    switchingDevices,
    cablesPerServer: servers === 0 ? 0 : cables / servers,
  };
}
