/**
 * Traditional rack as built (issue 12 item 3): every server has its own NICs and
 * FC HBAs, sized by its group's I/O (the study's `io`); its ports alternate
 * between an A and a B access switch, which carry the port roles (management,
 * vMotion, the workload team) as VLANs. Access switches come in pairs joined by a
 * peer link (vPC / stack), as many pairs as the ports need; each switch uplinks
 * to the site's aggregation (the `lan` node; east-west between pairs crosses it).
 * With `access: fex`, 1GbE ports land on Nexus 2248TP fabric extenders, single-
 * homed to a Nexus 5548UP parent pair that also takes the 10GbE ports. FC goes
 * to SAN fabrics A and B (src/design/san.ts). Not redundant: one side only.
 */

import {
  ensure,
  ethRoles,
  type GenContext,
  type HostBlock,
  header,
  hostBlocks,
  hosts,
  intParam,
  ioText,
  lanNode,
  provenance,
  redundant,
  sideOf,
  sides,
  storageNode,
  strParam,
  Text,
  workloadsAndSla,
  writeCables,
} from "./common.js";
import { planSan, sanNodes } from "./san.js";
import { attachHosts, type Cable, type HostRun, PortBank, span, text } from "./wiring.js";

/** 48 x 1GbE + 4 x 10GbE uplinks (Catalyst 2960-S / 3750 class). */
const SW1G = { model: "generic-48x1g-tor", host: 48, up: 4 } as const;
/** 48 x 10GbE + 4 x 40GbE uplinks (Trident+ class); 10GbE on the uplinks here. */
const SW10G = { model: "generic-trident-plus-48x10g", host: 48, up: 4 } as const;
/** Nexus 2248TP: 48 x 1GbE host ports, 4 x 10GbE fabric ports. */
const FEX = { model: "cisco-nexus-2248tp", host: 48, fabric: 4 } as const;
/** Nexus 5548UP: 32 fixed ports (the expansion bay left empty). */
const PARENT = { model: "cisco-nexus-5548up", ports: 32 } as const;
const PEER_LINKS = 2;

const NIC = {
  "eth-1g": { ports: 4, bus: "pcie-gen2-x4", onboard: "generic-onboard-quad-gbe", card: "generic-quad-gbe-nic" },
  "eth-10g": {
    ports: 2,
    bus: "pcie-gen2-x8",
    onboard: "generic-dual-10g-nic-82599",
    card: "generic-dual-10g-nic-82599",
  },
} as const;

const HBA = {
  "fc-8g": { model: "qlogic-qle2562", bus: "pcie-gen2-x8" },
  "fc-4g": { model: "qlogic-qle2462", bus: "pcie-gen1-x4" },
} as const;

/** The name of a host's k-th Ethernet port (0-based). */
function ethPort(io: HostBlock["io"], k: number): string {
  const per = NIC[io.eth.link].ports;
  return `nic${Math.floor(k / per)}/${(k % per) + 1}`;
}

function fcPort(k: number): string {
  return `hba${Math.floor(k / 2)}/${(k % 2) + 1}`;
}

interface EthSide {
  /** 1GbE and 10GbE host runs on this side. */
  readonly g1: HostRun[];
  readonly g10: HostRun[];
}

export function generateTraditional(ctx: GenContext): string {
  const access = strParam(ctx, "access");
  const uplinks = intParam(ctx, "accessUplinks");
  const fexUplinks = intParam(ctx, "fexUplinks");
  const arrayPorts = intParam(ctx, "sanArrayPorts");
  const isl = intParam(ctx, "sanIsl");
  const pair = redundant(ctx);
  const blocks = hostBlocks(ctx);
  const sideNames = sides(ctx);

  // Host ports per side and speed.
  const eth: EthSide[] = sideNames.map(() => ({ g1: [], g10: [] }));
  const fc: HostRun[][] = sideNames.map(() => []);
  for (const b of blocks) {
    for (let s = 0; s < sideNames.length; s++) {
      const ports: string[] = [];
      for (let k = 0; k < b.io.eth.ports; k++) if (sideOf(ctx, k) === s) ports.push(ethPort(b.io, k));
      const run = { first: b.first, last: b.last, ports, type: b.io.eth.link };
      (b.io.eth.link === "eth-1g" ? eth[s]!.g1 : eth[s]!.g10).push(run);
      const fcPorts: string[] = [];
      for (let k = 0; k < b.io.fc.ports; k++) if (sideOf(ctx, k) === s) fcPorts.push(fcPort(k));
      fc[s]!.push({ first: b.first, last: b.last, ports: fcPorts, type: b.io.fc.link });
    }
  }

  // Access layer.
  const nodes: Array<{ name: string; kind: "ethernet-switch" | "fabric-extender"; model: string; ports: object }> = [];
  const cables: Cable[] = [];
  const lanCables: Array<{ a: string; count: number }> = [];
  const summary: string[] = [];
  if (access === "switch") {
    for (const [speed, spec] of [
      ["1g", SW1G],
      ["10g", SW10G],
    ] as const) {
      // 1GbE switches: peer link on two uplink ports; 10GbE: on two host ports.
      const peerOnUp = speed === "1g";
      const hostPorts = pair && !peerOnUp ? spec.host - PEER_LINKS : spec.host;
      const upForLan = pair && peerOnUp ? spec.up - PEER_LINKS : spec.up;
      ensure(
        uplinks <= upForLan,
        `traditional: ${uplinks} uplinks per ${speed === "1g" ? "1GbE" : "10GbE"} access switch; it has ${upForLan} free uplink ports`,
      );
      const counts: number[] = [];
      sideNames.forEach((side, s) => {
        const runs = speed === "1g" ? eth[s]!.g1 : eth[s]!.g10;
        const name = (i: number) => `sw${speed}-${side}${i + 1}`;
        const r = attachHosts(runs, (i) => new PortBank(name(i), "eth", 1, hostPorts));
        cables.push(...r.cables);
        counts.push(r.switches);
        for (let i = 0; i < r.switches; i++) {
          nodes.push({
            name: name(i),
            kind: "ethernet-switch",
            model: spec.model,
            ports: { eth: spec.host, up: spec.up },
          });
          const first = pair && peerOnUp ? PEER_LINKS + 1 : 1;
          lanCables.push({ a: `${name(i)}:${rngText("up", first, first + uplinks - 1)}`, count: uplinks });
        }
      });
      if (pair) {
        const pairs = Math.min(counts[0]!, counts[1]!);
        for (let i = 0; i < pairs; i++) {
          const a = `sw${speed}-a${i + 1}`;
          const b = `sw${speed}-b${i + 1}`;
          const port = peerOnUp ? "up" : "eth";
          const first = peerOnUp ? 1 : spec.host - PEER_LINKS + 1;
          cables.push({
            a: span(`${a}:${port}`, first, first + PEER_LINKS - 1),
            b: span(`${b}:${port}`, first, first + PEER_LINKS - 1),
            type: "eth-10g",
            length: "1m",
            comment: "peer link (vPC / stack)",
          });
        }
      }
      const total = counts.reduce((x, y) => x + y, 0);
      if (total > 0)
        summary.push(
          `${total} ${speed === "1g" ? "1GbE" : "10GbE"} access switches (${spec.model}, ${counts.join(" + ")} per side${pair ? ", peer-linked in pairs" : ""})`,
        );
    }
  } else {
    // FEX: 1GbE ports on 2248TPs single-homed to a 5548UP per side; 10GbE ports on the 5548UPs.
    const reserved = (pair ? PEER_LINKS : 0) + uplinks;
    const down = PARENT.ports - reserved;
    ensure(down >= FEX.fabric, `traditional: ${uplinks} uplinks leave a 5548UP too few ports for its FEXes`);
    sideNames.forEach((side, s) => {
      const fexName = (i: number) => `fex-${side}${i + 1}`;
      const parentName = (i: number) => `n5k-${side}${i + 1}`;
      const fx = attachHosts(eth[s]!.g1, (i) => new PortBank(fexName(i), "host", 1, FEX.host));
      cables.push(...fx.cables);
      const parents: PortBank[] = [];
      const parent = (i: number) => {
        parents[i] ??= new PortBank(parentName(i), "eth", 1, down);
        return parents[i]!;
      };
      const direct = attachHosts(eth[s]!.g10, parent);
      cables.push(...direct.cables);
      let p = Math.max(0, direct.switches - 1);
      for (let i = 0; i < fx.switches; i++) {
        if (parent(p).free < fexUplinks) p++;
        nodes.push({
          name: fexName(i),
          kind: "fabric-extender",
          model: FEX.model,
          ports: { host: FEX.host, fabric: FEX.fabric },
        });
        cables.push({
          a: span(`${fexName(i)}:fabric`, 1, fexUplinks),
          b: parent(p).take(fexUplinks),
          type: "eth-10g",
          length: "3m",
        });
      }
      for (let i = 0; i < parents.length; i++) {
        nodes.push({ name: parentName(i), kind: "ethernet-switch", model: PARENT.model, ports: { eth: PARENT.ports } });
        lanCables.push({ a: `${parentName(i)}:${rngText("eth", down + 1, down + uplinks)}`, count: uplinks });
      }
      summary.push(
        `side ${side.toUpperCase()}: ${fx.switches} x 2248TP FEX (${fexUplinks} fabric links each) on ${parents.length} x 5548UP`,
      );
    });
    if (pair) {
      const n = Math.min(
        nodes.filter((x) => x.name.startsWith("n5k-a")).length,
        nodes.filter((x) => x.name.startsWith("n5k-b")).length,
      );
      for (let i = 0; i < n; i++)
        cables.push({
          a: span(`n5k-a${i + 1}:eth`, PARENT.ports - 1, PARENT.ports),
          b: span(`n5k-b${i + 1}:eth`, PARENT.ports - 1, PARENT.ports),
          type: "eth-10g",
          length: "1m",
          comment: "vPC peer link",
        });
    }
  }
  // Side A's boxes before side B's, each side in the order made (a stable sort).
  nodes.sort((x, y) => order(x.name) - order(y.name));

  const array = ctx.study.file.storage.name;
  const san = planSan(
    sideNames.map((side, s) => ({
      side,
      runs: fc[s]!.flatMap((r) => r.ports.map((p) => ({ span: span("host", r.first, r.last, `:${p}`), type: r.type }))),
    })),
    ctx.study.file.san.attach,
    arrayPorts,
    isl,
    array,
  );
  const lanPorts = lanCables.reduce((a, c) => a + c.count, 0);

  const out = new Text();
  out.comment(
    0,
    "TRADITIONAL: no I/O virtualization; every server has its own NICs and FC HBAs and a cable per port.",
    `Per server: its group's I/O (${[...new Set(blocks.map((b) => ioText(b.io)))].join("; ")}): quad-port 1GbE NICs`,
    "  (the first onboard) or dual-port 10GbE NICs, dual-port FC HBAs. Ports alternate sides A and B; the roles",
    "  (management, vMotion, the workload team) ride as VLANs on A/B pairs (VMware Cloud Provider stack: 4 NICs,",
    "  2 vSwitches, 2 ToR switches as the redundant minimum; Intel Ethernet cloud white paper: 8-12 GbE ports per host).",
    `Access (${access}): ${summary.join("; ")}; ${uplinks} x 10GbE up per ${access === "fex" ? "5548UP" : "switch"} to the aggregation (lan).`,
    `SAN: ${san.summary}.`,
    ...(pair ? [] : ["NOT REDUNDANT: one access side and one SAN fabric (redundancy: none)."]),
    "",
    ...provenance(ctx),
  );
  header(out, ctx);
  out.line(0, "topology:");
  out.line(1, "nodes:");
  for (const b of blocks) hostNode(out, ctx, b);
  for (const n of nodes) {
    out.line(2, `${n.name}:`);
    out.line(3, `kind: ${n.kind}`);
    out.field(3, "model", n.model);
    out.field(3, "ports", n.ports);
    if (n.kind === "fabric-extender") out.field(3, "pinning", "port-channel");
  }
  sanNodes(out, san);
  storageNode(out, ctx, san.arrayPorts);
  lanNode(out, lanPorts);
  out.line(1, "links:");
  out.comment(2, "server ports to the access layer, alternating sides A and B");
  writeCables(out, cables);
  out.comment(2, "access uplinks to the aggregation");
  let next = 1;
  for (const c of lanCables) {
    out.link(c.a, `lan:${rngText("p", next, next + c.count - 1)}`, "eth-10g", { length: "30m" });
    next += c.count;
  }
  out.comment(2, `FC: ${san.attach === "direct" ? "direct to the array" : "SAN fabrics A and B"}`);
  writeCables(out, san.cables);
  workloadsAndSla(out, ctx, (g) => {
    const io = g.hostIo;
    const team = ethRoles(io).team.map((k) => ethPort(io, k));
    const storage = Array.from({ length: io.fc.ports }, (_, k) => fcPort(k));
    return { lan: team.length === 1 ? team[0]! : team, storage: storage.length === 1 ? storage[0]! : storage };
  });
  return out.toString();
}

function order(name: string): number {
  const m = /-(a|b)\d+$/.exec(name);
  return m === null ? 0 : m[1] === "a" ? 0 : 1;
}

function rngText(prefix: string, first: number, last: number): string {
  return text(span(prefix, first, last));
}

function hostNode(out: Text, ctx: GenContext, b: HostBlock): void {
  const nic = NIC[b.io.eth.link];
  const hba = HBA[b.io.fc.link];
  const nics = Math.ceil(b.io.eth.ports / nic.ports);
  const hbas = Math.ceil(b.io.fc.ports / 2);
  out.line(2, `${hosts(b.first, b.last)}:`);
  out.line(3, "kind: server");
  out.field(3, "vms", ctx.study.file.vmsPerHost);
  out.field(3, "pcie", { slots: nics + hbas });
  out.line(3, "adapters:");
  for (let i = 0; i < nics; i++) {
    const model = i === 0 ? nic.onboard : nic.card;
    out.line(4, `- ${adapter(`nic${i}`, "nic", b.io.eth.link, nic.ports, nic.bus, model)}`);
  }
  for (let i = 0; i < hbas; i++) out.line(4, `- ${adapter(`hba${i}`, "hba", b.io.fc.link, 2, hba.bus, hba.model)}`);
}

function adapter(name: string, type: string, link: string, ports: number, bus: string, model: string): string {
  return `{ name: ${name}, type: ${type}, link: ${link}, ports: ${ports}, bus: ${bus}, model: ${model} }`;
}
