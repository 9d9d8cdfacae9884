/**
 * I/O director, HA pair (reference.md §3): one dual-port QDR HCA per host,
 * vNICs and vHBAs carried over InfiniBand to two directors (fabric A active,
 * B standby) through 36-port IB expansion switches; the directors' Ethernet and
 * FC modules are the site's only LAN and SAN ports. At the defaults it writes
 * topologies/director-rack.yaml.
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
  Text,
  workloadsAndSla,
} from "./common.js";

const IB_SWITCH_PORTS = 36;
const DIRECTOR_IB_PORTS = 24;
const DIRECTOR_SLOTS = 15;
const ETH_MODULE_PORTS = 4;
const FC_MODULE_PORTS = 2;

export function generateDirector(ctx: GenContext): string {
  const n = ctx.study.file.servers;
  const up = intParam(ctx, "ibUplinks");
  const eth = intParam(ctx, "ethModules");
  const fc = intParam(ctx, "fcModules");
  ensure(
    n + up <= IB_SWITCH_PORTS,
    `director: ${n} hosts + ${up} uplinks exceed a ${IB_SWITCH_PORTS}-port InfiniBand switch`,
  );
  ensure(up <= DIRECTOR_IB_PORTS, `director: ${up} uplinks exceed the director's ${DIRECTOR_IB_PORTS} IB ports`);
  ensure(eth + fc <= DIRECTOR_SLOTS, `director: ${eth + fc} I/O modules exceed ${DIRECTOR_SLOTS} slots`);
  const lanPerDir = eth * ETH_MODULE_PORTS;
  const fcPerDir = fc * FC_MODULE_PORTS;

  const out = new Text();
  out.comment(
    0,
    "DIRECTOR: Xsigo I/O Director / Oracle Fabric Interconnect style, HA pair (reference.md §3, §11.2).",
    `Per host (${n}): hca0, dual-port QDR InfiniBand HCA (ConnectX-2 class, PCIe 2.0 x8): 2 cables;`,
    "  vifs vnic-a / vhba-a on hca0/1 (fabric A, active), vnic-b / vhba-b on hca0/2 (fabric B, standby).",
    `Shared: ib-a / ib-b, ${IB_SWITCH_PORTS}-port QDR switches (hosts on ib1.., ${up} x QDR up to the director);`,
    `  dir-a / dir-b (Oracle FI F1-15: ${DIRECTOR_IB_PORTS} IB ports, ${DIRECTOR_SLOTS} module slots) with ${eth} x (4 x 10GbE)`,
    `  and ${fc} x (2 x 8G FC) modules: ${lanPerDir} x 10GbE to the LAN and ${fcPerDir} x 8G FC to the array each.`,
    "",
    ...provenance(ctx),
  );
  header(out, ctx);
  out.line(0, "topology:");
  out.line(1, "nodes:");
  out.line(2, `${hosts(1, n)}:`);
  out.line(3, "kind: server");
  out.field(3, "vms", ctx.study.file.vmsPerHost);
  out.field(3, "pcie", { slots: 1 });
  out.line(3, "adapters:");
  out.line(4, "- name: hca0");
  out.line(5, "type: hca");
  out.line(5, "link: ib-qdr-4x");
  out.line(5, "ports: 2");
  out.line(5, "bus: pcie-gen2-x8");
  out.line(5, "model: oracle-xsigo-ib-hca-qdr");
  out.line(5, "vifs:");
  out.line(6, "- { name: vnic-a, type: vnic, port: hca0/1, committed: 1Gbps, peak: 10Gbps }");
  out.line(6, "- { name: vnic-b, type: vnic, port: hca0/2, committed: 1Gbps, peak: 10Gbps }");
  out.line(6, "- { name: vhba-a, type: vhba, port: hca0/1, committed: 2Gbps }");
  out.line(6, "- { name: vhba-b, type: vhba, port: hca0/2, committed: 2Gbps }");
  for (const side of ["a", "b"]) {
    out.line(2, `ib-${side}:`);
    out.line(3, "kind: ib-switch");
    out.field(3, "model", "mellanox-is4-36p-qdr");
    out.field(3, "ports", { ib: IB_SWITCH_PORTS });
  }
  for (const side of ["a", "b"]) {
    out.line(2, `dir-${side}:`);
    out.line(3, "kind: io-director");
    out.field(3, "model", "oracle-fi-f1-15");
    out.field(3, "ports", { ib: DIRECTOR_IB_PORTS });
    out.line(3, "modules:");
    for (let i = 1; i <= eth; i++)
      out.line(4, `- { name: eth${i}, link: eth-10g, ports: ${ETH_MODULE_PORTS}, model: xsigo-mod-4x10gbe }`);
    for (let i = 1; i <= fc; i++)
      out.line(4, `- { name: fc${i}, link: fc-8g, ports: ${FC_MODULE_PORTS}, model: xsigo-mod-2x8gfc }`);
  }
  const array = ctx.study.file.storage.name;
  storageNode(out, ctx, 2 * fcPerDir);
  lanNode(out, 2 * lanPerDir);
  out.line(1, "links:");
  out.comment(2, "hosts to the IB expansion switches: port 1 to fabric A, port 2 to fabric B");
  out.link(`${hosts(1, n)}:hca0/1`, `ib-a:${rng("ib", 1, n)}`, "ib-qdr-4x");
  out.link(`${hosts(1, n)}:hca0/2`, `ib-b:${rng("ib", 1, n)}`, "ib-qdr-4x");
  out.comment(2, `${up} x QDR from each IB switch up to its director`);
  const firstUp = IB_SWITCH_PORTS - up + 1;
  for (const side of ["a", "b"])
    out.link(`ib-${side}:${rng("ib", firstUp, IB_SWITCH_PORTS)}`, `dir-${side}:${rng("ib", 1, up)}`, "ib-qdr-4x");
  out.comment(2, "Ethernet modules to the LAN");
  ["a", "b"].forEach((side, k) => {
    out.link(
      `dir-${side}:${rng("eth", 1, eth)}/${rng("", 1, ETH_MODULE_PORTS)}`,
      `lan:${rng("p", k * lanPerDir + 1, (k + 1) * lanPerDir)}`,
      "eth-10g",
      { length: "30m" },
    );
  });
  out.comment(2, "FC modules to the array");
  ["a", "b"].forEach((side, k) => {
    out.link(
      `dir-${side}:${rng("fc", 1, fc)}/${rng("", 1, FC_MODULE_PORTS)}`,
      `${array}:${rng("fc", k * fcPerDir + 1, (k + 1) * fcPerDir)}`,
      "fc-8g",
      { length: "10m" },
    );
  });
  workloadsAndSla(out, ctx, { lan: "vnic-a", storage: "vhba-a" });
  return out.toString();
}
