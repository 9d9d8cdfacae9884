/**
 * Cisco UCS unified fabric as run (issue 12 items 5 and 7; Cisco Live "UCS Networking Deep Dive"):
 * blades in 5108 chassis, one VIC each with a 10GbE trace to the chassis' A and B
 * IOMs; IOM uplinks to a fabric interconnect pair, at most 20 chassis per pair
 * (and what the FI's ports allow); a larger site gets more FI pairs (domains;
 * east-west between them crosses the aggregation). LAN and FCoE share the traces
 * and IOM uplinks (lossless: PFC on the whole link until per-class PFC exists);
 * the FIs' Ethernet uplinks go to the aggregation (`lan`), their FC uplinks (NPV
 * end-host mode) to SAN fabric A or B.
 *
 * Per blade, its group's I/O as virtual interfaces: one vNIC per Ethernet port and
 * one vHBA per FC port, alternating fabrics A and B, committed at the port's rate.
 * Storage uses every vHBA (multipathing, A and B both active). LAN: host teaming over
 * the workload vNICs on both fabrics (`lanFailover: teaming`), or the first workload
 * vNIC on fabric A with UCS fabric failover to B (`fabric-failover`: 2 VIFs each).
 *
 * VIF rule per FI series (src/design/ucs-fi.ts): the 6100 series' 15n − 2; for the
 * 6200 series no published rule was found: not checked (the file says so) beyond the
 * VIC's own 128.
 *
 * LAN pin group (`bulkPinGroup` = k > 0): in end-host mode each vNIC is pinned to
 * one FI uplink, so a bulk TCP stream fills its uplink's drop-tail buffer and the
 * other vNICs pinned there lose frames. A pin group keeps the last k LAN uplinks of
 * each FI for the vNICs of hosts that run bulk workloads; every other vNIC is pinned
 * round robin to the first lanUp − k. It is a workaround for a fabric without
 * classes: with a QoS policy putting the bulk traffic in its own system class (the
 * built-in study's Bronze for the backup), the bulk stream fills only that class's
 * queue and the other vNICs on its uplink keep theirs, so the study no longer searches it.
 */

import {
  ensure,
  ethRoles,
  type GenContext,
  header,
  hosts,
  intParam,
  ioOf,
  ioText,
  lanNode,
  provenance,
  redundant,
  rng,
  sideOf,
  sides,
  storageNode,
  strParam,
  Text,
  vifRates,
  workloadsAndSla,
  writeCables,
} from "./common.js";
import { planSan, sanNodes } from "./san.js";
import { FI_SPECS, vifsPerIom } from "./ucs-fi.js";
import { span } from "./wiring.js";

const BLADES_PER_CHASSIS = 8;
const MAX_CHASSIS_PER_DOMAIN = 20;
const VIC_MAX_VIFS = 128;

export function generateUcs(ctx: GenContext): string {
  const n = ctx.study.file.servers;
  const fi = FI_SPECS[strParam(ctx, "fiModel")]!;
  const up = intParam(ctx, "iomUplinks");
  const lanUp = intParam(ctx, "fiLanUplinks");
  const fcUp = intParam(ctx, "fiFcUplinks");
  const pinGroup = intParam(ctx, "bulkPinGroup");
  const failover = strParam(ctx, "lanFailover") === "fabric-failover";
  const arrayPorts = intParam(ctx, "sanArrayPorts");
  const pair = redundant(ctx);
  const sideNames = sides(ctx);
  const iom = fi.iom(up);
  ensure(iom !== null, `ucs: ${fi.model.slice(10).toUpperCase()} IOMs (2104XP) have 4 fabric ports, not ${up}`);
  const uplinkPorts = fi.slots * fi.modulePorts;
  if (fi.lanOnBase) {
    ensure(fcUp <= uplinkPorts, `ucs: ${fcUp} FC uplinks exceed the ${uplinkPorts} FC ports of its expansion modules`);
  } else {
    ensure(
      lanUp + fcUp <= uplinkPorts,
      `ucs: ${lanUp} LAN + ${fcUp} FC uplinks exceed the ${uplinkPorts} expansion ports of a ${fi.model.slice(10).toUpperCase()}`,
    );
  }
  const basePorts = fi.lanOnBase ? fi.base - lanUp : fi.base;
  const chassisPerDomain = Math.min(MAX_CHASSIS_PER_DOMAIN, Math.floor(basePorts / up));
  ensure(chassisPerDomain >= 1, `ucs: ${up} IOM uplinks do not fit the FI's ${basePorts} free ports`);
  const chassis = Math.ceil(n / BLADES_PER_CHASSIS);
  const domains = Math.ceil(chassis / chassisPerDomain);
  const domainOf = (c: number) => Math.floor((c - 1) / chassisPerDomain);
  const fiName = (side: string, d: number) => (domains === 1 ? `fi-${side}` : `fi-${side}${d + 1}`);

  // VIFs per blade: the VIC's limit, and the FI series' namespace per IOM where it is known.
  for (const g of ctx.study.groups) {
    const v = vifsPerIom(g.hostIo.eth.ports, g.hostIo.fc.ports, pair, failover);
    ensure(
      v.total <= VIC_MAX_VIFS,
      `ucs: group ${g.name} needs ${v.total} vNICs + vHBAs per blade; the M81KR VIC allows ${VIC_MAX_VIFS}`,
    );
    if (fi.vifs !== null) {
      const limit = fi.vifs(up);
      ensure(
        Math.max(v.a, v.b) <= limit,
        `ucs: group ${g.name} needs ${Math.max(v.a, v.b)} VIFs per blade through one IOM; a ${fi.model.slice(10).toUpperCase()} with ${up} IOM uplinks gives 15n - 2 = ${limit}`,
      );
    }
  }

  // LAN pin group: which hosts run bulk workloads; their vNICs keep the last k uplinks.
  const bulkHosts = new Set<number>();
  for (const g of ctx.study.groups)
    if (g.workloads.some((w) => w.pattern === "bulk"))
      for (const r of g.ranges) for (let h = r.first; h <= r.last; h++) bulkHosts.add(h);
  if (pinGroup > 0) {
    ensure(bulkHosts.size > 0, "ucs: a bulk pin group needs hosts with bulk workloads; the study has none");
    ensure(
      pinGroup < lanUp,
      `ucs: a pin group of ${pinGroup} leaves none of the ${lanUp} LAN uplinks for the other vNICs`,
    );
  }
  const lanPort = (i: number) => (fi.lanOnBase ? `p${fi.base - lanUp + i}` : `eth1/${i}`);
  /** Uplink (1-based) per host for its vNICs, round robin within the domain (pin group only). */
  const pins = new Map<number, number>();
  const nextBulk = new Map<number, number>();
  const nextOther = new Map<number, number>();
  for (let h = 1; h <= n && pinGroup > 0; h++) {
    const d = domainOf(Math.ceil(h / BLADES_PER_CHASSIS));
    const bulk = bulkHosts.has(h);
    const counter = bulk ? nextBulk : nextOther;
    const k = counter.get(d) ?? 0;
    counter.set(d, k + 1);
    pins.set(h, bulk ? lanUp - pinGroup + 1 + (k % pinGroup) : 1 + (k % (lanUp - pinGroup)));
  }

  const array = ctx.study.file.storage.name;
  const fcModules = fi.lanOnBase ? Math.ceil(fcUp / fi.modulePorts) : 1;
  const fcRuns = (side: string) =>
    Array.from({ length: domains }, (_, d) =>
      fi.lanOnBase
        ? Array.from({ length: fcModules }, (_, m) => {
            const ports = Math.min(fi.modulePorts, fcUp - m * fi.modulePorts);
            return { span: span(`${fiName(side, d)}:fc${m + 1}/`, 1, ports), type: "fc-8g" };
          })
        : [{ span: span(`${fiName(side, d)}:fc1/`, 1, fcUp), type: "fc-8g" }],
    ).flat();
  const san = planSan(
    sideNames.map((side) => ({ side, runs: fcRuns(side) })),
    ctx.study.file.san.attach,
    arrayPorts,
    intParam(ctx, "sanIsl"),
    array,
  );

  const ruleText =
    fi.vifs === null
      ? `VIF namespace of the ${fi.model.slice(10).toUpperCase()} not published in the sources used: VIFs per blade not checked against it (the VIC allows ${VIC_MAX_VIFS})`
      : `VIFs per blade per IOM 15n - 2 = ${fi.vifs(up)}`;
  const out = new Text();
  out.comment(
    0,
    'UCS: Cisco Unified Computing System, unified fabric (Cisco Live "UCS Networking Deep Dive"; UCSM CLI configuration',
    '  guide 2.0, "Managing Virtual Interfaces": a fabric-failover vNIC uses 2 VIFs; Cisco WP c11-736918: 20 chassis per FI pair).',
    `Per blade (${n}, ${BLADES_PER_CHASSIS} per 5108 chassis, ${chassis} chassis): vic0 (M81KR class), 10GbE traces to IOM A and B;`,
    `  its group's I/O (${[...new Set(ctx.study.groups.map((g) => ioText(g.hostIo)))].join("; ")}) as one vNIC per Ethernet port and one`,
    "  vHBA per FC port, alternating fabrics A and B; storage on every vHBA (multipathing, A and B active); LAN",
    failover
      ? "  on the first workload vNIC, fabric A, with UCS fabric failover to B (2 VIFs each)."
      : "  teamed by the host over the workload vNICs on both fabrics (active/active).",
    `Shared: ${domains} domain(s) of up to ${chassisPerDomain} chassis; 2 IOMs per chassis (${iom!.model}, ${up} of ${iom!.fabricPorts} fabric ports`,
    `  cabled, static pinning; ${ruleText}); FI pair ${fi.model} per domain with ${lanUp} x 10GbE to the`,
    `  aggregation and ${fcUp} x 8G FC (NPV end-host mode) to its SAN fabric. LAN and FCoE share traces and IOM uplinks.`,
    `SAN: ${san.summary}.`,
    ...(pinGroup > 0
      ? [
          `LAN pin group: each FI's uplinks ${lanUp - pinGroup + 1}..${lanUp} for the vNICs of ${bulkHosts.size} hosts with bulk workloads,`,
          `  the other vNICs pinned round robin to uplinks 1..${lanUp - pinGroup}.`,
        ]
      : []),
    ...(pair ? [] : ["NOT REDUNDANT: one fabric interconnect and one IOM per chassis (redundancy: none)."]),
    "",
    ...provenance(ctx),
  );
  header(out, ctx);
  out.line(0, "topology:");
  out.line(1, "nodes:");
  // Blades: one key per chassis and I/O (one per blade with a pin group).
  for (let c = 1; c <= chassis; c++) {
    const first = (c - 1) * BLADES_PER_CHASSIS + 1;
    const last = Math.min(n, c * BLADES_PER_CHASSIS);
    let from = first;
    for (let h = first; h <= last; h++) {
      const split =
        h === last ||
        pinGroup > 0 ||
        ioText(ioOf(ctx, h + 1)) !== ioText(ioOf(ctx, h)) ||
        vifKey(ctx, h + 1) !== vifKey(ctx, h);
      if (!split) continue;
      blade(out, ctx, from, h, `chassis${c}`, pins.get(h), (d) => fiName(d, domainOf(c)), lanPort);
      from = h + 1;
    }
  }
  for (const side of sideNames) {
    out.line(2, `${rng("iom", 1, chassis, side)}:`);
    out.line(3, "kind: fabric-extender");
    out.field(3, "model", iom!.model);
    out.field(3, "chassis", rng("chassis", 1, chassis));
    out.field(3, "ports", { host: BLADES_PER_CHASSIS, fabric: iom!.fabricPorts });
    out.field(3, "pinning", "static");
  }
  for (let d = 0; d < domains; d++) {
    for (const side of sideNames) {
      out.line(2, `${fiName(side, d)}:`);
      out.line(3, "kind: fabric-interconnect");
      out.field(3, "model", fi.model);
      out.field(3, "ports", { p: fi.base });
      out.line(3, "modules:");
      if (!fi.lanOnBase) {
        out.line(4, `- { name: eth1, link: eth-10g, ports: ${lanUp}, model: ${fi.moduleModel} }`);
        out.line(4, `- { name: fc1, link: fc-8g, ports: ${fcUp}, model: ${fi.moduleModel} }`);
      } else {
        for (let m = 0; m < fcModules; m++) {
          const ports = Math.min(fi.modulePorts, fcUp - m * fi.modulePorts);
          out.line(4, `- { name: fc${m + 1}, link: fc-8g, ports: ${ports}, model: ${fi.moduleModel} }`);
        }
      }
    }
  }
  sanNodes(out, san);
  storageNode(out, ctx, san.arrayPorts);
  lanNode(out, domains * sideNames.length * lanUp);
  out.line(1, "links:");
  out.comment(2, "blade traces: vic0/1 to the chassis' A-side IOM, vic0/2 to its B-side IOM (LAN and FCoE, lossless)");
  const whole = n % BLADES_PER_CHASSIS === 0;
  sideNames.forEach((side, s) => {
    const full = whole ? chassis : chassis - 1;
    const fcoe = { length: "0.5m", lossless: true, comment: "FCoE and LAN" } as const;
    if (full > 0)
      out.link(
        `${hosts(1, full * BLADES_PER_CHASSIS)}:vic0/${s + 1}`,
        `${rng("iom", 1, full, side)}:${rng("host", 1, BLADES_PER_CHASSIS)}`,
        "eth-10g",
        fcoe,
      );
    if (!whole)
      out.link(
        `${hosts(full * BLADES_PER_CHASSIS + 1, n)}:vic0/${s + 1}`,
        `iom${chassis}${side}:${rng("host", 1, n - full * BLADES_PER_CHASSIS)}`,
        "eth-10g",
        fcoe,
      );
  });
  out.comment(2, `IOM uplinks, ${up} x 10GbE each, to their domain's fabric interconnects`);
  for (let d = 0; d < domains; d++) {
    const c1 = d * chassisPerDomain + 1;
    const c2 = Math.min(chassis, (d + 1) * chassisPerDomain);
    for (const side of sideNames)
      out.link(
        `${rng("iom", c1, c2, side)}:${rng("fabric", 1, up)}`,
        `${fiName(side, d)}:${rng("p", 1, (c2 - c1 + 1) * up)}`,
        "eth-10g",
        { length: "3m", lossless: true, comment: "FCoE and LAN" },
      );
  }
  out.comment(2, `FI uplinks: ${lanUp} x 10GbE to the aggregation each`);
  let k = 0;
  for (let d = 0; d < domains; d++)
    for (const side of sideNames) {
      const ports = fi.lanOnBase ? rng("p", fi.base - lanUp + 1, fi.base) : `eth1/${rng("", 1, lanUp)}`;
      out.link(`${fiName(side, d)}:${ports}`, `lan:${rng("p", k * lanUp + 1, (k + 1) * lanUp)}`, "eth-10g", {
        length: "30m",
      });
      k++;
    }
  out.comment(
    2,
    `FC uplinks: ${san.attach === "direct" ? "direct to the array (FI in FC switch mode)" : "SAN fabrics A and B"}`,
  );
  writeCables(out, san.cables);
  workloadsAndSla(out, ctx, (g) => {
    const team = ethRoles(g.hostIo).team.map((i) => `vnic${i + 1}`);
    const storage = Array.from({ length: g.hostIo.fc.ports }, (_, i) => `vhba${i + 1}`);
    return {
      lan: failover || team.length === 1 || !pair ? team[0]! : team,
      storage: storage.length === 1 ? storage[0]! : storage,
    };
  });
  return out.toString();
}

/** Hosts whose vifs are written the same way (same I/O; the pin group splits anyway). */
function vifKey(ctx: GenContext, h: number): string {
  return h > ctx.study.file.servers ? "" : ioText(ioOf(ctx, h));
}

function blade(
  out: Text,
  ctx: GenContext,
  first: number,
  last: number,
  chassis: string,
  pin: number | undefined,
  fi: (side: string) => string,
  lanPort: (i: number) => string,
): void {
  const io = ioOf(ctx, first);
  out.line(2, `${hosts(first, last)}:`);
  out.line(3, "kind: server");
  out.field(3, "chassis", chassis);
  out.field(3, "chassisModel", "cisco-ucs-5108");
  out.field(3, "vms", ctx.study.file.vmsPerHost);
  out.field(3, "pcie", { slots: 1 });
  out.line(3, "adapters:");
  out.line(4, "- name: vic0");
  out.line(5, "type: vic");
  out.line(5, "link: eth-10g");
  out.line(5, "ports: 2");
  out.line(5, "bus: pcie-gen2-x16");
  out.line(5, `maxVifs: ${VIC_MAX_VIFS}`);
  out.line(5, "model: cisco-m81kr-vic");
  out.line(5, "vifs:");
  const rate = vifRates(ctx, io, 10);
  for (let k = 0; k < io.eth.ports; k++) {
    const s = sideOf(ctx, k);
    const side = s === 0 ? "a" : "b";
    const pinText = pin === undefined ? "" : `, pin: "${fi(side)}:${lanPort(pin)}"`;
    out.line(
      6,
      `- { name: vnic${k + 1}, type: vnic, port: vic0/${s + 1}, committed: ${rate.eth[k]}, peak: 10Gbps, fabric: ${side.toUpperCase()}${pinText} }`,
    );
  }
  for (let k = 0; k < io.fc.ports; k++) {
    const s = sideOf(ctx, k);
    out.line(
      6,
      `- { name: vhba${k + 1}, type: vhba, port: vic0/${s + 1}, committed: ${rate.fc[k]}, fabric: ${s === 0 ? "A" : "B"} }`,
    );
  }
}
