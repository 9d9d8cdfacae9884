/**
 * Cisco UCS unified fabric (reference.md §4): blades in 5108 chassis, one VIC
 * each with two 10GbE traces to the chassis' A and B IOMs, IOM uplinks to a
 * pair of fabric interconnects that hold the only LAN and FC ports. LAN
 * workloads use fabric A, storage (FCoE, lossless) fabric B. At the defaults it
 * writes topologies/ucs-rack.yaml.
 *
 * LAN pin group (`bulkPinGroup` = k > 0): in end-host mode each vNIC is pinned to
 * one FI uplink, so a bulk TCP stream fills its uplink's drop-tail buffer and the
 * other vNICs pinned there lose frames. A pin group keeps the last k uplinks of
 * FI A for the hosts that run bulk workloads; every other host's vNIC is pinned
 * round robin to the first lanUp − k. The blades are then written one by one.
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

const BLADES_PER_CHASSIS = 8;
const FI_PORTS = 32;
const FI_EXPANSION_PORTS = 16;

/** The IOM model that offers `uplinks` fabric ports (2204XP: 4, 2208XP: 8). */
function iomModel(uplinks: number): { model: string; fabricPorts: number } {
  return uplinks <= 4 ? { model: "cisco-ucs-2204xp", fabricPorts: 4 } : { model: "cisco-ucs-2208xp", fabricPorts: 8 };
}

export function generateUcs(ctx: GenContext): string {
  const n = ctx.study.file.servers;
  const up = intParam(ctx, "iomUplinks");
  const lanUp = intParam(ctx, "fiLanUplinks");
  const fcUp = intParam(ctx, "fiFcUplinks");
  const pinGroup = intParam(ctx, "bulkPinGroup");
  const chassis = Math.ceil(n / BLADES_PER_CHASSIS);
  /** Whole chassis: one node key and one trace entry per side; else one per chassis (the last one partly filled). */
  const whole = n % BLADES_PER_CHASSIS === 0;
  const chassisBlades = Array.from({ length: chassis }, (_, i) => ({
    c: i + 1,
    first: i * BLADES_PER_CHASSIS + 1,
    last: Math.min(n, (i + 1) * BLADES_PER_CHASSIS),
  }));
  ensure(
    chassis * up <= FI_PORTS,
    `ucs: ${chassis} chassis x 2 IOMs x ${up} uplinks exceed the fabric interconnects' ${FI_PORTS} ports each`,
  );
  ensure(
    lanUp + fcUp <= FI_EXPANSION_PORTS,
    `ucs: ${lanUp} LAN + ${fcUp} FC uplinks exceed the ${FI_EXPANSION_PORTS}-port expansion module`,
  );
  const bulkHosts = new Set<number>();
  for (const g of ctx.study.groups)
    if (g.workloads.some((w) => w.pattern === "bulk")) for (let h = g.first; h <= g.last; h++) bulkHosts.add(h);
  if (pinGroup > 0) {
    ensure(bulkHosts.size > 0, "ucs: a bulk pin group needs hosts with bulk workloads; the study has none");
    ensure(
      pinGroup < lanUp,
      `ucs: a pin group of ${pinGroup} leaves none of the ${lanUp} LAN uplinks for the other vNICs`,
    );
  }
  /** The FI-A uplink a host's vnic-a is pinned to (pin group only). */
  const pins = new Map<number, string>();
  let bulkNext = 0;
  let otherNext = 0;
  for (let h = 1; h <= n && pinGroup > 0; h++) {
    const port = bulkHosts.has(h)
      ? lanUp - pinGroup + 1 + (bulkNext++ % pinGroup)
      : 1 + (otherNext++ % (lanUp - pinGroup));
    pins.set(h, `fi-a:eth1/${port}`);
  }
  const iom = iomModel(up);
  const vifLimit = 15 * up - 2;
  ensure(vifLimit >= 4, `ucs: ${up} IOM uplinks allow ${vifLimit} VIFs per blade (15n - 2), fewer than the 4 needed`);
  const blades = hosts(1, n);
  const chassisRange = rng("chassis", 1, chassis);

  const out = new Text();
  out.comment(
    0,
    "UCS: Cisco Unified Computing System, one domain, unified fabric (reference.md §4.1, §4.2).",
    `Per blade (${n}, ${BLADES_PER_CHASSIS} per 5108 chassis, ${chassis} chassis): vic0 (M81KR class), 2 x 10GbE traces,`,
    "  vifs vnic-a / vhba-a on fabric A, vnic-b / vhba-b on fabric B; LAN on A, storage (FCoE, lossless) on B.",
    `Shared: 2 IOMs per chassis (${iom.model}, ${BLADES_PER_CHASSIS} host ports, ${up} of ${iom.fabricPorts} fabric ports cabled,`,
    `  static pinning: ${BLADES_PER_CHASSIS / up} blades per uplink; VIFs per blade 15n - 2 = ${vifLimit});`,
    `  fi-a / fi-b (6248UP: ${FI_PORTS} unified ports, E16UP expansion): ${lanUp} x 10GbE to the LAN, ${fcUp} x 8G FC to the array.`,
    ...(pinGroup > 0
      ? [
          `LAN pin group: fi-a eth1/${lanUp - pinGroup + 1}..${lanUp} for the vNICs of ${bulkHosts.size} hosts with bulk workloads,`,
          `  the other hosts' vnic-a pinned round robin to eth1/1..${lanUp - pinGroup}.`,
        ]
      : []),
    "",
    ...provenance(ctx),
  );
  header(out, ctx);
  out.line(0, "topology:");
  out.line(1, "nodes:");
  if (pinGroup > 0)
    for (let h = 1; h <= n; h++)
      bladeNodes(out, ctx, `host${h}`, `chassis${Math.ceil(h / BLADES_PER_CHASSIS)}`, undefined, pins.get(h));
  else if (whole) bladeNodes(out, ctx, blades, chassisRange, `${BLADES_PER_CHASSIS} blades per chassis`);
  else for (const b of chassisBlades) bladeNodes(out, ctx, hosts(b.first, b.last), `chassis${b.c}`);
  for (const side of ["a", "b"]) {
    out.line(2, `${rng("iom", 1, chassis, side)}:`);
    out.line(3, "kind: fabric-extender");
    out.field(3, "model", iom.model);
    out.field(3, "chassis", chassisRange);
    out.field(3, "ports", { host: BLADES_PER_CHASSIS, fabric: iom.fabricPorts });
    out.field(3, "pinning", "static");
  }
  for (const side of ["a", "b"]) {
    out.line(2, `fi-${side}:`);
    out.line(3, "kind: fabric-interconnect");
    out.field(3, "model", "cisco-ucs-6248up");
    out.field(3, "ports", { p: FI_PORTS });
    out.line(3, "modules:");
    out.line(4, `- { name: eth1, link: eth-10g, ports: ${lanUp}, model: cisco-ucs-fi-e16up }`);
    out.line(4, `- { name: fc1, link: fc-8g, ports: ${fcUp}, model: cisco-ucs-fi-e16up }`);
  }
  const array = ctx.study.file.storage.name;
  storageNode(out, ctx, 2 * fcUp);
  lanNode(out, 2 * lanUp);
  out.line(1, "links:");
  out.comment(2, "blade traces: vic0/1 to the chassis' A-side IOM, vic0/2 to its B-side IOM");
  const traces = whole
    ? [{ blades, iom: (side: string) => rng("iom", 1, chassis, side), count: BLADES_PER_CHASSIS }]
    : chassisBlades.map((b) => ({
        blades: hosts(b.first, b.last),
        iom: (side: string) => `iom${b.c}${side}`,
        count: b.last - b.first + 1,
      }));
  for (const [port, side] of [
    ["vic0/1", "a"],
    ["vic0/2", "b"],
  ] as const) {
    for (const t of traces) {
      const lossless = side === "b" ? { lossless: true, comment: "FCoE (vhba-b)" } : {};
      out.link(`${t.blades}:${port}`, `${t.iom(side)}:${rng("host", 1, t.count)}`, "eth-10g", {
        length: "0.5m",
        ...lossless,
      });
    }
  }
  out.comment(2, `IOM uplinks, ${up} x 10GbE each, to the fabric interconnects`);
  out.link(`${rng("iom", 1, chassis, "a")}:${rng("fabric", 1, up)}`, `fi-a:${rng("p", 1, chassis * up)}`, "eth-10g", {
    length: "3m",
  });
  out.link(`${rng("iom", 1, chassis, "b")}:${rng("fabric", 1, up)}`, `fi-b:${rng("p", 1, chassis * up)}`, "eth-10g", {
    length: "3m",
    lossless: true,
    comment: "FCoE (vhba-b)",
  });
  out.comment(2, `FI uplinks: ${lanUp} x 10GbE to the LAN, ${fcUp} x 8G native FC to the array`);
  out.link(`fi-a:eth1/${rng("", 1, lanUp)}`, `lan:${rng("p", 1, lanUp)}`, "eth-10g", { length: "30m" });
  out.link(`fi-b:eth1/${rng("", 1, lanUp)}`, `lan:${rng("p", lanUp + 1, 2 * lanUp)}`, "eth-10g", { length: "30m" });
  out.link(`fi-a:fc1/${rng("", 1, fcUp)}`, `${array}:${rng("fc", 1, fcUp)}`, "fc-8g", { length: "10m" });
  out.link(`fi-b:fc1/${rng("", 1, fcUp)}`, `${array}:${rng("fc", fcUp + 1, 2 * fcUp)}`, "fc-8g", { length: "10m" });
  workloadsAndSla(out, ctx, { lan: "vnic-a", storage: "vhba-b" });
  return out.toString();
}

/** A key of blades (`host[1..32]`) in `chassis` (a name or a range that zips with the key). */
function bladeNodes(out: Text, ctx: GenContext, key: string, chassis: string, comment?: string, pin?: string): void {
  out.line(2, `${key}:`);
  out.line(3, "kind: server");
  out.field(3, "chassis", chassis, comment);
  out.field(3, "chassisModel", "cisco-ucs-5108");
  out.field(3, "vms", ctx.study.file.vmsPerHost);
  out.field(3, "pcie", { slots: 1 });
  out.line(3, "adapters:");
  out.line(4, "- name: vic0");
  out.line(5, "type: vic");
  out.line(5, "link: eth-10g");
  out.line(5, "ports: 2");
  out.line(5, "bus: pcie-gen2-x16");
  out.line(5, "maxVifs: 128");
  out.line(5, "model: cisco-m81kr-vic");
  out.line(5, "vifs:");
  out.line(
    6,
    `- { name: vnic-a, type: vnic, port: vic0/1, committed: 1Gbps, peak: 10Gbps, fabric: A${pin === undefined ? "" : `, pin: "${pin}"`} }`,
  );
  out.line(6, "- { name: vnic-b, type: vnic, port: vic0/2, committed: 1Gbps, peak: 10Gbps, fabric: B }");
  out.line(6, "- { name: vhba-a, type: vhba, port: vic0/1, committed: 2Gbps, fabric: A }");
  out.line(6, "- { name: vhba-b, type: vhba, port: vic0/2, committed: 2Gbps, fabric: B }");
}
