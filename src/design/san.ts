/**
 * The SAN every design reaches its array through (issue 12 item 2): per side (A,
 * B) the FC ports that carry the design's storage traffic (host HBA ports, fabric
 * interconnect FC uplinks in NPV end-host mode, an I/O director's FC module ports
 * under NPIV, shared FC adapters' ports) go to FC switches, and the switches to
 * the array.
 *
 * - One 48-port switch per side (MDS 9148 class) while its ports suffice for the
 *   initiators and the array ports; beyond that an edge–core fabric: edge switches
 *   of 48 − `isl` initiator ports, each with `isl` ISLs spread round robin over the
 *   side's core switches, which hold the array ports.
 * - `direct`: every initiator port cabled straight to its own array port (no FC
 *   switch). Its caveat, named in the file: a UCS fabric interconnect must run in
 *   FC switch mode with zoning on the FI, a director or shared adapter needs the
 *   array ports in point-to-point mode and zoning (LUN masking) on the array; the
 *   array needs as many ports as there are initiators.
 */

import { rng, type Text } from "./common.js";
import { type Cable, PortBank, type Span, size } from "./wiring.js";

export const FC_SWITCH_PORTS = 48;
export const FC_SWITCH_MODEL = "cisco-mds-9148";

/** The FC ports of one side that carry storage traffic. */
export interface SanInitiators {
  readonly side: string;
  readonly runs: readonly { readonly span: Span; readonly type: string }[];
}

export interface SanPlan {
  /** FC switches, in order (name, role). */
  readonly switches: readonly {
    readonly name: string;
    readonly side: string;
    readonly role: "edge" | "core" | "single";
  }[];
  readonly cables: readonly Cable[];
  /** Array ports used. */
  readonly arrayPorts: number;
  readonly attach: "switched" | "direct";
  /** One line for the file's header comment. */
  readonly summary: string;
}

/**
 * Plans the SAN: `arrayPortsPerSide` ports from each side's switches to the array,
 * `isl` ISLs per edge switch when a side needs more than one switch.
 */
export function planSan(
  sides: readonly SanInitiators[],
  attach: "switched" | "direct",
  arrayPortsPerSide: number,
  isl: number,
  array: string,
): SanPlan {
  const arrayBank = new PortBank(array, "fc", 1, Number.MAX_SAFE_INTEGER);
  const cables: Cable[] = [];
  const switches: SanPlan["switches"][number][] = [];
  const fcArray = { type: "fc-8g", length: "10m" } as const;
  if (attach === "direct") {
    for (const side of sides)
      for (const run of side.runs) cables.push({ a: run.span, b: arrayBank.take(size(run.span)), ...fcArray });
    const n = cables.reduce((a, c) => a + size(c.a), 0);
    return {
      switches,
      cables,
      arrayPorts: n,
      attach,
      summary: `FC direct-attached: ${n} initiator ports cabled straight to ${n} array ports (no FC switch: FI in FC switch mode / array ports point-to-point, zoning on the FI or array)`,
    };
  }
  const parts: string[] = [];
  for (const side of sides) {
    const initiators = side.runs.reduce((a, r) => a + size(r.span), 0);
    if (initiators === 0) continue;
    if (initiators + arrayPortsPerSide <= FC_SWITCH_PORTS) {
      const name = `san-${side.side}`;
      switches.push({ name, side: side.side, role: "single" });
      const bank = new PortBank(name, "fc", 1, FC_SWITCH_PORTS - arrayPortsPerSide);
      for (const run of side.runs) cables.push({ a: run.span, b: bank.take(size(run.span)), type: run.type });
      const up = new PortBank(name, "fc", FC_SWITCH_PORTS - arrayPortsPerSide + 1, FC_SWITCH_PORTS);
      cables.push({ a: up.take(arrayPortsPerSide), b: arrayBank.take(arrayPortsPerSide), ...fcArray });
      parts.push(`${name} (${initiators} initiator + ${arrayPortsPerSide} array ports)`);
      continue;
    }
    // Edge–core: edges take initiators, cores take the edges' ISLs and the array ports.
    const perEdge = FC_SWITCH_PORTS - isl;
    const edges = Math.ceil(initiators / perEdge);
    const cores = Math.ceil((edges * isl + arrayPortsPerSide) / FC_SWITCH_PORTS);
    const edgeName = (i: number) => `san-${side.side}${i + 1}`;
    const coreName = (i: number) => `san-${side.side}-core${i + 1}`;
    for (let i = 0; i < edges; i++) switches.push({ name: edgeName(i), side: side.side, role: "edge" });
    for (let i = 0; i < cores; i++) switches.push({ name: coreName(i), side: side.side, role: "core" });
    const edgeBanks = Array.from({ length: edges }, (_, i) => new PortBank(edgeName(i), "fc", 1, perEdge));
    let e = 0;
    for (const run of side.runs) {
      let offset = 0;
      const n = size(run.span);
      while (offset < n) {
        const bank = edgeBanks[e]!;
        if (bank.free === 0) {
          e++;
          continue;
        }
        const k = Math.min(n - offset, bank.free);
        const a = { ...run.span, first: run.span.first + offset, last: run.span.first + offset + k - 1 };
        cables.push({ a, b: bank.take(k), type: run.type });
        offset += k;
      }
    }
    const coreBanks = Array.from({ length: cores }, (_, i) => new PortBank(coreName(i), "fc", 1, FC_SWITCH_PORTS));
    for (let i = 0; i < edges; i++) {
      const up = new PortBank(edgeName(i), "fc", perEdge + 1, FC_SWITCH_PORTS);
      for (let k = 0; k < isl; k++) {
        // ISL k of edge i goes to core (i · isl + k) mod cores: spread evenly.
        const core = coreBanks[(i * isl + k) % cores]!;
        cables.push({ a: up.take(1), b: core.take(1), type: "fc-8g", length: "10m" });
      }
    }
    for (let k = 0; k < arrayPortsPerSide; k++) {
      const core = coreBanks[k % cores]!;
      cables.push({ a: core.take(1), b: arrayBank.take(1), ...fcArray });
    }
    parts.push(
      `${rng(`san-${side.side}`, 1, edges)} edge (${initiators} initiator ports, ${isl} ISLs each) + ${rng(`san-${side.side}-core`, 1, cores)} core (${arrayPortsPerSide} array ports)`,
    );
  }
  const arrayPorts = cables.filter((c) => c.b.pre.startsWith(`${array}:`)).reduce((a, c) => a + size(c.b), 0);
  return {
    switches,
    cables,
    arrayPorts,
    attach,
    summary: `FC through A/B SAN switches (${FC_SWITCH_MODEL}, ${FC_SWITCH_PORTS} x 8G): ${parts.join("; ")}`,
  };
}

/** The FC switch nodes. */
export function sanNodes(out: Text, plan: SanPlan): void {
  for (const sw of plan.switches) {
    out.line(2, `${sw.name}:`);
    out.line(3, "kind: fc-switch");
    out.field(3, "model", FC_SWITCH_MODEL);
    out.field(3, "ports", { fc: FC_SWITCH_PORTS });
  }
}
