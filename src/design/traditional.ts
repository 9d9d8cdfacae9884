/**
 * Traditional baseline (reference.md §5): every host has its own NICs and a
 * dual-port FC HBA and a cable per port; one top-of-rack switch per NIC-port
 * role (management, vMotion, the VM-traffic team, spares) and a dual FC SAN.
 * At the defaults it writes topologies/traditional-rack.yaml.
 */

import {
  ensure,
  type GenContext,
  header,
  hosts,
  intParam,
  lanNode,
  provenance,
  rng,
  storageNode,
  strParam,
  Text,
  workloadsAndSla,
} from "./common.js";

/** Ports of a ToR / SAN switch (48-port access and MDS 9148 class). */
const TOR_PORTS = 48;
const TOR_UPLINK_PORTS = 4;
const SAN_PORTS = 48;

const NIC = {
  "eth-1g": {
    ports: 4,
    bus: "pcie-gen2-x4",
    onboard: "generic-onboard-quad-gbe",
    card: "generic-quad-gbe-nic",
    tor: "generic-48x1g-tor",
    what: "quad 1GbE",
  },
  "eth-10g": {
    ports: 2,
    bus: "pcie-gen2-x8",
    onboard: "generic-dual-10g-nic-82599",
    card: "generic-dual-10g-nic-82599",
    tor: "generic-trident-plus-48x10g",
    what: "dual 10GbE",
  },
} as const;

const HBA = {
  "fc-8g": { model: "qlogic-qle2562", bus: "pcie-gen2-x8" },
  "fc-4g": { model: "qlogic-qle2462", bus: "pcie-gen1-x4" },
} as const;

export function generateTraditional(ctx: GenContext): string {
  const n = ctx.study.file.servers;
  const nicLink = strParam(ctx, "nicLink") as keyof typeof NIC;
  const fcLink = strParam(ctx, "fcLink") as keyof typeof HBA;
  const nics = intParam(ctx, "nics");
  const teamPorts = intParam(ctx, "teamPorts");
  const torUplinks = intParam(ctx, "torUplinks");
  const sanArrayPorts = intParam(ctx, "sanArrayPorts");
  const nic = NIC[nicLink];
  const hba = HBA[fcLink];
  const portNames: string[] = [];
  for (let i = 0; i < nics; i++) for (let j = 1; j <= nic.ports; j++) portNames.push(`nic${i}/${j}`);
  const tors = portNames.length;
  ensure(
    tors >= 2 + teamPorts,
    `traditional: ${nics} x ${nic.what} = ${tors} ports per host, too few for management, vMotion and a team of ${teamPorts}`,
  );
  ensure(n <= TOR_PORTS, `traditional: ${n} servers exceed a ${TOR_PORTS}-port ToR switch (one per port role)`);
  ensure(
    n + sanArrayPorts <= SAN_PORTS,
    `traditional: ${n} servers + ${sanArrayPorts} array ports exceed a ${SAN_PORTS}-port SAN switch`,
  );
  const team = portNames.slice(2, 2 + teamPorts);
  const spare = portNames.slice(2 + teamPorts);
  const fcGbps = fcLink === "fc-8g" ? 8 : 4;

  const out = new Text();
  out.comment(
    0,
    "TRADITIONAL: no I/O virtualization; every host has its own adapters and a cable per port.",
    'Host I/O pinned by reference.md §5.1, "representative baseline: 6-10 x 1GbE + 2 x 4/8G FC per',
    '  heavy-I/O virtualization host" (at the reference values: 8 x 1GbE + 2 x 8G FC, 10 cables per host).',
    `Per host (${n}): ${nics} x ${nic.what} NIC (${nic.onboard} onboard, ${nic.card}), dual-port ${fcGbps}G FC HBA`,
    `  ${hba.model} = ${tors + 2} cables. ${portNames[0]} management, ${portNames[1]} vMotion (cabled, no workload);`,
    `  team ${team.join(", ")}: VM traffic (flow-hashed); spare ${spare.length === 0 ? "none" : spare.join(", ")}.`,
    `Shared: tor1..tor${tors}, one per port role, ${TOR_PORTS} ports + ${TOR_UPLINK_PORTS} x 10GbE up (${torUplinks} cabled);`,
    `  san-a / san-b ${SAN_PORTS} x 8G FC (MDS 9148 class), ${sanArrayPorts} ports each to the array.`,
    "",
    ...provenance(ctx),
  );
  header(out, ctx);
  out.line(0, "topology:");
  out.line(1, "nodes:");
  out.line(2, `${hosts(1, n)}:`);
  out.line(3, "kind: server");
  out.field(3, "vms", ctx.study.file.vmsPerHost);
  out.field(3, "pcie", { slots: nics + 1 });
  out.line(3, "adapters:");
  for (let i = 0; i < nics; i++) {
    const model = i === 0 ? nic.onboard : nic.card;
    out.line(4, `- ${flowAdapter(`nic${i}`, "nic", nicLink, nic.ports, nic.bus, model)}`);
  }
  out.line(4, `- ${flowAdapter("hba0", "hba", fcLink, 2, hba.bus, hba.model)}`);
  const roles = [
    "tor1 management",
    "tor2 vMotion",
    `${rng("tor", 3, 2 + teamPorts)} VM-traffic team`,
    ...(spare.length > 0 ? [`${rng("tor", 3 + teamPorts, tors)} spare / IP storage`] : []),
  ];
  out.comment(2, `one ToR per NIC-port role: ${roles.join(", ")}`);
  out.line(2, `${rng("tor", 1, tors)}:`);
  out.line(3, "kind: ethernet-switch");
  out.field(3, "model", nic.tor);
  out.field(3, "ports", { eth: TOR_PORTS, up: TOR_UPLINK_PORTS });
  for (const side of ["a", "b"]) {
    out.line(2, `san-${side}:`);
    out.line(3, "kind: fc-switch");
    out.field(3, "model", "cisco-mds-9148");
    out.field(3, "ports", { fc: SAN_PORTS });
  }
  storageNode(out, ctx, 2 * sanArrayPorts);
  lanNode(out, tors * torUplinks);
  out.line(1, "links:");
  out.comment(2, `${tors} x ${nicLink} per host, one port role per ToR switch`);
  portNames.forEach((port, k) => {
    out.link(`${hosts(1, n)}:${port}`, `tor${k + 1}:${rng("eth", 1, n)}`, nicLink);
  });
  out.comment(2, `${torUplinks} x 10GbE uplinks per ToR to the LAN`);
  out.link(`${rng("tor", 1, tors)}:${rng("up", 1, torUplinks)}`, `lan:${rng("p", 1, tors * torUplinks)}`, "eth-10g", {
    length: "30m",
  });
  out.comment(2, "dual FC fabric");
  out.link(`${hosts(1, n)}:hba0/1`, `san-a:${rng("fc", 1, n)}`, fcLink);
  out.link(`${hosts(1, n)}:hba0/2`, `san-b:${rng("fc", 1, n)}`, fcLink);
  const array = ctx.study.file.storage.name;
  const firstUp = SAN_PORTS - sanArrayPorts + 1;
  out.link(`san-a:${rng("fc", firstUp, SAN_PORTS)}`, `${array}:${rng("fc", 1, sanArrayPorts)}`, "fc-8g", {
    length: "10m",
  });
  out.link(
    `san-b:${rng("fc", firstUp, SAN_PORTS)}`,
    `${array}:${rng("fc", sanArrayPorts + 1, 2 * sanArrayPorts)}`,
    "fc-8g",
    { length: "10m" },
  );
  workloadsAndSla(out, ctx, { lan: team.length === 1 ? team[0]! : team, storage: ["hba0/1", "hba0/2"] });
  return out.toString();
}

function flowAdapter(name: string, type: string, link: string, ports: number, bus: string, model: string): string {
  return `{ name: ${name}, type: ${type}, link: ${link}, ports: ${ports}, bus: ${bus}, model: ${model} }`;
}
