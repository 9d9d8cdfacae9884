/**
 * I/O director, HA pair (Xsigo VP780 / Oracle Fabric Interconnect F1-15), at site scale: one dual-port QDR HCA
 * per server, port 1 to an InfiniBand expansion switch of side A, port 2 to side
 * B; each 36-port expansion switch sends `ibUplinks` QDR links up to its side's
 * director (Oracle FI F1-15: 24 IB ports, 15 module slots). A director pair serves
 * at most 250 servers ("up to 250 servers with IB expansion switches", The
 * Register 2012-02-24) and at most what its 24 IB ports reach; a larger site gets
 * more pairs (east-west between pairs crosses the aggregation). The directors'
 * Ethernet modules go to the aggregation (`lan`), their FC modules (NPIV) to SAN
 * fabric A or B.
 *
 * Per server, its group's I/O as virtual interfaces: one vNIC per Ethernet port and
 * one vHBA per FC port, alternating between HCA ports 1 (A) and 2 (B), committed at
 * the port's rate. LAN workloads use the first workload vNIC as an HA vNIC (its
 * standby members on the other side: director HA vNIC switch-over); storage uses
 * every vHBA (host multipathing, all active). Not redundant: one director, one
 * HCA port cabled.
 */

import {
  ensure,
  ethRoles,
  type GenContext,
  header,
  hostBlocks,
  hosts,
  intParam,
  ioText,
  lanNode,
  provenance,
  redundant,
  rng,
  sideOf,
  sides,
  storageNode,
  Text,
  vifRates,
  workloadsAndSla,
  writeCables,
} from "./common.js";
import { planSan, sanNodes } from "./san.js";
import { attachHosts, type Cable, type HostRun, PortBank, span } from "./wiring.js";

const IB_SWITCH_PORTS = 36;
const DIRECTOR_IB_PORTS = 24;
const DIRECTOR_SLOTS = 15;
const DIRECTOR_MAX_SERVERS = 250;
const ETH_MODULE_PORTS = 4;
const FC_MODULE_PORTS = 2;

export function generateDirector(ctx: GenContext): string {
  const n = ctx.study.file.servers;
  const up = intParam(ctx, "ibUplinks");
  const eth = intParam(ctx, "ethModules");
  const fc = intParam(ctx, "fcModules");
  const arrayPorts = intParam(ctx, "sanArrayPorts");
  const pair = redundant(ctx);
  const sideNames = sides(ctx);
  ensure(up < IB_SWITCH_PORTS, `director: ${up} uplinks leave no host port on a ${IB_SWITCH_PORTS}-port IB switch`);
  ensure(up <= DIRECTOR_IB_PORTS, `director: ${up} uplinks exceed the director's ${DIRECTOR_IB_PORTS} IB ports`);
  ensure(eth + fc <= DIRECTOR_SLOTS, `director: ${eth + fc} I/O modules exceed ${DIRECTOR_SLOTS} slots`);
  const leavesPerDirector = Math.floor(DIRECTOR_IB_PORTS / up);
  const perDomainMax = Math.min(DIRECTOR_MAX_SERVERS, leavesPerDirector * (IB_SWITCH_PORTS - up));
  const domains = Math.ceil(n / perDomainMax);
  const perDomain = Math.ceil(n / domains);
  const dirName = (side: string, d: number) => (domains === 1 ? `dir-${side}` : `dir-${side}${d + 1}`);
  const blocks = hostBlocks(ctx);

  // Hosts to IB leaf switches, domain by domain; leaves numbered per side across the site.
  const leafCables: Cable[] = [];
  const upCables: Cable[] = [];
  const leaves: string[][] = sideNames.map(() => []);
  for (let d = 0; d < domains; d++) {
    const first = d * perDomain + 1;
    const last = Math.min(n, (d + 1) * perDomain);
    sideNames.forEach((side, s) => {
      const runs: HostRun[] = [{ first, last, ports: [`hca0/${s + 1}`], type: "ib-qdr-4x" }];
      const base = leaves[s]!.length;
      const name = (i: number) => `ib-${side}${base + i + 1}`;
      const r = attachHosts(runs, (i) => new PortBank(name(i), "ib", 1, IB_SWITCH_PORTS - up));
      ensure(
        r.switches <= leavesPerDirector,
        `director: ${r.switches} IB switches x ${up} uplinks exceed the director's ${DIRECTOR_IB_PORTS} IB ports`,
      );
      leafCables.push(...r.cables);
      const dirBank = new PortBank(dirName(side, d), "ib", 1, DIRECTOR_IB_PORTS);
      for (let i = 0; i < r.switches; i++) {
        leaves[s]!.push(name(i));
        upCables.push({
          a: span(`${name(i)}:ib`, IB_SWITCH_PORTS - up + 1, IB_SWITCH_PORTS),
          b: dirBank.take(up),
          type: "ib-qdr-4x",
        });
      }
    });
  }
  const lanPerDir = eth * ETH_MODULE_PORTS;
  const fcPerDir = fc * FC_MODULE_PORTS;
  const array = ctx.study.file.storage.name;
  const san = planSan(
    sideNames.map((side) => ({
      side,
      runs: Array.from({ length: domains }, (_, d) =>
        Array.from({ length: fc }, (_, m) => ({
          span: span(`${dirName(side, d)}:fc${m + 1}/`, 1, FC_MODULE_PORTS),
          type: "fc-8g",
        })),
      ).flat(),
    })),
    ctx.study.file.san.attach,
    arrayPorts,
    intParam(ctx, "sanIsl"),
    array,
  );

  const out = new Text();
  const ios = [...new Set(blocks.map((b) => ioText(b.io)))].join("; ");
  out.comment(
    0,
    "DIRECTOR: Xsigo I/O Director / Oracle Fabric Interconnect style, HA pair (Oracle Fabric Manager 5.0.2 install guide:",
    "  F1-15 24 IB ports, 15 slots; XgOS User's Guide 2014: HA vNIC; The Register 2012-02-24: up to 250 servers).",
    `Per server (${n}): hca0, dual-port QDR InfiniBand HCA (ConnectX-2 class, PCIe 2.0 x8): ${pair ? "2 cables" : "1 cable"};`,
    `  its group's I/O (${ios}) as one vNIC per Ethernet port and one vHBA per FC port,`,
    "  alternating hca0/1 (side A) and hca0/2 (side B); LAN: an HA vNIC (active on A, standby on B); storage: every",
    "  vHBA, multipathed (all active).",
    `Shared: ${domains} director pair(s) of up to ${perDomainMax} servers; ${leaves[0]!.length} x ${IB_SWITCH_PORTS}-port QDR expansion switch(es) per side,`,
    `  ${up} x QDR up each; directors (Oracle FI F1-15: ${DIRECTOR_IB_PORTS} IB ports, ${DIRECTOR_SLOTS} slots) with ${eth} x (4 x 10GbE) and`,
    `  ${fc} x (2 x 8G FC) modules: ${lanPerDir} x 10GbE to the aggregation and ${fcPerDir} x 8G FC (NPIV) to the SAN each.`,
    `SAN: ${san.summary}.`,
    ...(pair ? [] : ["NOT REDUNDANT: one director per domain, one HCA port cabled (redundancy: none)."]),
    "",
    ...provenance(ctx),
  );
  header(out, ctx);
  out.line(0, "topology:");
  out.line(1, "nodes:");
  for (const b of blocks) {
    out.line(2, `${hosts(b.first, b.last)}:`);
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
    const rate = vifRates(ctx, b.io, 32);
    for (let k = 0; k < b.io.eth.ports; k++)
      out.line(
        6,
        `- { name: vnic${k + 1}, type: vnic, port: hca0/${sideOf(ctx, k) + 1}, committed: ${rate.eth[k]}, peak: 10Gbps }`,
      );
    for (let k = 0; k < b.io.fc.ports; k++)
      out.line(6, `- { name: vhba${k + 1}, type: vhba, port: hca0/${sideOf(ctx, k) + 1}, committed: ${rate.fc[k]} }`);
  }
  sideNames.forEach((_, s) => {
    for (const leaf of leaves[s]!) {
      out.line(2, `${leaf}:`);
      out.line(3, "kind: ib-switch");
      out.field(3, "model", "mellanox-is4-36p-qdr");
      out.field(3, "ports", { ib: IB_SWITCH_PORTS });
    }
  });
  for (let d = 0; d < domains; d++) {
    for (const side of sideNames) {
      out.line(2, `${dirName(side, d)}:`);
      out.line(3, "kind: io-director");
      out.field(3, "model", "oracle-fi-f1-15");
      out.field(3, "ports", { ib: DIRECTOR_IB_PORTS });
      out.line(3, "modules:");
      for (let i = 1; i <= eth; i++)
        out.line(4, `- { name: eth${i}, link: eth-10g, ports: ${ETH_MODULE_PORTS}, model: xsigo-mod-4x10gbe }`);
      for (let i = 1; i <= fc; i++)
        out.line(4, `- { name: fc${i}, link: fc-8g, ports: ${FC_MODULE_PORTS}, model: xsigo-mod-2x8gfc }`);
    }
  }
  sanNodes(out, san);
  storageNode(out, ctx, san.arrayPorts);
  const directors = domains * sideNames.length;
  lanNode(out, directors * lanPerDir);
  out.line(1, "links:");
  out.comment(2, "servers to the IB expansion switches: hca0/1 to side A, hca0/2 to side B");
  writeCables(out, leafCables);
  out.comment(2, `${up} x QDR from each IB expansion switch up to its director`);
  writeCables(out, upCables);
  out.comment(2, "Ethernet modules to the aggregation");
  let k = 0;
  for (let d = 0; d < domains; d++)
    for (const side of sideNames) {
      out.link(
        `${dirName(side, d)}:${rng("eth", 1, eth)}/${rng("", 1, ETH_MODULE_PORTS)}`,
        `lan:${rng("p", k * lanPerDir + 1, (k + 1) * lanPerDir)}`,
        "eth-10g",
        { length: "30m" },
      );
      k++;
    }
  out.comment(2, `FC modules: ${san.attach === "direct" ? "direct to the array" : "SAN fabrics A and B"}`);
  writeCables(out, san.cables);
  workloadsAndSla(out, ctx, (g) => {
    const roles = ethRoles(g.hostIo);
    const storage = Array.from({ length: g.hostIo.fc.ports }, (_, i) => `vhba${i + 1}`);
    return { lan: `vnic${roles.team[0]! + 1}`, storage: storage.length === 1 ? storage[0]! : storage };
  });
  return out.toString();
}
