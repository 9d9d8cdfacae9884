/**
 * MR-IOV shared PCIe adapters (NextIO vNET I/O Maestro, VirtenSys VIO-4000), in box pairs: each
 * server has two PCIe extender cards, one cable to box A and one to box B of its
 * pair (VirtenSys sold "active-active or active-passive pairs", The Register
 * forums; NextIO boxes sat at the top of rack); each box's shared NICs and HBAs
 * serve all of its servers and are the site's only LAN and SAN ports. A pair
 * serves `hostsPerBox` servers (VirtenSys: silicon for 16); a larger site gets more
 * pairs. Active/active: each box presents its own functions, so the host teams
 * its vNICs over A and B and multipaths its vHBAs (host teaming and multipathing).
 * Shared FC ports go to SAN fabric A (box A) or B (box B), shared Ethernet ports
 * to the aggregation.
 *
 * Per server, its group's I/O as functions: one vNIC per Ethernet port and one
 * vHBA per FC port, alternating boxes A and B, each pinned to a port of its box's
 * shared adapters in blocks of servers (even spreading, as an administrator assigns
 * functions to adapters; a failed adapter takes its functions along, so teaming or
 * multipathing moves their flows). Where a box's servers differ in I/O, its adapters
 * arbitrate by weight: a server's Gb/s of that kind on that side. Not redundant:
 * one box, one extender per server.
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
  Text,
  workloadsAndSla,
  writeCables,
} from "./common.js";
import { planSan, sanNodes } from "./san.js";
import { span } from "./wiring.js";

/** NextIO vNET I/O Maestro: 8 I/O module slots. */
const BOX_SLOTS = 8;
const ADAPTER_PORTS = 2;

interface Box {
  /** 1-based box (pair) number. */
  readonly i: number;
  readonly first: number;
  readonly last: number;
}

const gbps = (link: string): number => Number(/-(\d+)g$/.exec(link)?.[1] ?? 10);

export function generateMriov(ctx: GenContext): string {
  const n = ctx.study.file.servers;
  const perBox = intParam(ctx, "hostsPerBox");
  const eth = intParam(ctx, "ethAdaptersPerBox");
  const fc = intParam(ctx, "fcAdaptersPerBox");
  const arrayPorts = intParam(ctx, "sanArrayPorts");
  const pair = redundant(ctx);
  const sideNames = sides(ctx);
  ensure(eth + fc <= BOX_SLOTS, `mriov: ${eth + fc} shared adapters exceed a box's ${BOX_SLOTS} slots`);
  const boxes: Box[] = [];
  for (let first = 1, i = 1; first <= n; first += perBox, i++)
    boxes.push({ i, first, last: Math.min(n, first + perBox - 1) });
  const fcPorts = fc * ADAPTER_PORTS;
  const ethPorts = eth * ADAPTER_PORTS;
  const box = (side: string, b: Box) => `pbox-${side}${b.i}`;
  const sa = (kind: string, side: string, b: Box) => `sa-${kind}-${side}${b.i}-`;

  const array = ctx.study.file.storage.name;
  const san = planSan(
    sideNames.map((side) => ({
      side,
      runs: boxes.flatMap((b) =>
        Array.from({ length: fc }, (_, k) => ({
          span: span(`${sa("fc", side, b)}${k + 1}:fc`, 1, ADAPTER_PORTS),
          type: "fc-8g",
        })),
      ),
    })),
    ctx.study.file.san.attach,
    arrayPorts,
    intParam(ctx, "sanIsl"),
    array,
  );

  const out = new Text();
  out.comment(
    0,
    "MR-IOV: shared PCIe I/O, NextIO vNET I/O Maestro / VirtenSys VIO-4000 style (The Register 2011-10-19: 8 I/O modules",
    "  per box; VirtenSys: silicon for 16 servers, active-active or active-passive pairs).",
    `Per server (${n}): ${pair ? "ext0 and ext1, PCIe extenders on pcie-gen2-x8 links to boxes A and B of its pair: 2 cables" : "ext0, a PCIe extender on a pcie-gen2-x8 link to its box: 1 cable"};`,
    `  its group's I/O (${[...new Set(ctx.study.groups.map((g) => ioText(g.hostIo)))].join("; ")}) as one vNIC per Ethernet port and`,
    "  one vHBA per FC port, alternating boxes A and B: vNICs teamed by the host, vHBAs multipathed (active/active).",
    `Shared: ${boxes.length} MR-aware PCIe box ${pair ? "pair(s)" : "(es)"} of up to ${perBox} servers, each box with ${eth} shared dual-port 10GbE and`,
    `  ${fc} shared dual-port 8G FC adapter(s): ${ethPorts} x 10GbE to the aggregation and ${fcPorts} x 8G FC to its SAN fabric.`,
    "Spreading: each vNIC and vHBA pinned to a port of its box's shared adapters in blocks of servers (its LAN or",
    "  SAN path; east-west traffic turns in the shared NIC's embedded switch).",
    `SAN: ${san.summary}.`,
    ...(pair ? [] : ["NOT REDUNDANT: one box per group of servers, one extender each (redundancy: none)."]),
    "",
    ...provenance(ctx),
  );
  header(out, ctx);
  out.line(0, "topology:");
  out.line(1, "nodes:");
  for (const b of boxes) hostNodes(out, ctx, b, eth, fc, sa);
  for (const b of boxes)
    for (const side of sideNames) {
      out.line(2, `${box(side, b)}:`);
      out.line(3, "kind: pcie-switch");
      out.field(3, "model", "nextio-vnet-io-maestro");
      out.field(3, "mrAware", true);
      out.field(3, "ports", { host: perBox, slot: eth + fc });
    }
  for (const b of boxes)
    for (const [s, side] of sideNames.entries()) {
      for (const [kind, count, model, link] of [
        ["eth", eth, "nextio-vnet-2x10gbe", "eth-10g"],
        ["fc", fc, "nextio-vnet-2x8gfc", "fc-8g"],
      ] as const) {
        out.line(2, `${rng(sa(kind, side, b), 1, count)}:`);
        out.line(3, "kind: shared-adapter");
        out.field(3, "model", model);
        out.field(3, "ports", { [kind]: ADAPTER_PORTS });
        out.field(3, "bus", "pcie-gen2-x8");
        out.field(3, "link", link);
        out.field(3, "hosts", hosts(b.first, b.last));
        const weights = boxWeights(ctx, b, s, kind);
        if (weights === null) out.field(3, "arbitration", "round-robin");
        else {
          out.field(3, "arbitration", "weighted");
          out.field(3, "weights", weights);
        }
      }
    }
  sanNodes(out, san);
  storageNode(out, ctx, san.arrayPorts);
  lanNode(out, boxes.length * sideNames.length * ethPorts);
  out.line(1, "links:");
  out.comment(
    2,
    pair ? "PCIe cables: ext0/1 to box A, ext1/1 to box B of the server's pair" : "one PCIe cable per server",
  );
  for (const b of boxes)
    sideNames.forEach((side, s) => {
      out.link(
        `${hosts(b.first, b.last)}:ext${s}/1`,
        `${box(side, b)}:${rng("host", 1, b.last - b.first + 1)}`,
        "pcie-gen2-x8",
      );
    });
  out.comment(2, "the shared adapters in the boxes' slots");
  for (const b of boxes)
    for (const side of sideNames) {
      out.link(`${box(side, b)}:${rng("slot", 1, eth)}`, `${rng(sa("eth", side, b), 1, eth)}:bus`, "pcie-gen2-x8", {
        length: "0.3m",
      });
      out.link(
        `${box(side, b)}:${rng("slot", eth + 1, eth + fc)}`,
        `${rng(sa("fc", side, b), 1, fc)}:bus`,
        "pcie-gen2-x8",
        { length: "0.3m" },
      );
    }
  out.comment(2, "shared Ethernet ports to the aggregation");
  let k = 0;
  for (const b of boxes)
    for (const side of sideNames) {
      out.link(
        `${rng(sa("eth", side, b), 1, eth)}:${rng("eth", 1, ADAPTER_PORTS)}`,
        `lan:${rng("p", k * ethPorts + 1, (k + 1) * ethPorts)}`,
        "eth-10g",
        { length: "30m" },
      );
      k++;
    }
  out.comment(2, `shared FC ports: ${san.attach === "direct" ? "direct to the array" : "SAN fabrics A and B"}`);
  writeCables(out, san.cables);
  workloadsAndSla(out, ctx, (g) => {
    const team = ethRoles(g.hostIo).team.map((i) => `vnic${i + 1}`);
    const storage = Array.from({ length: g.hostIo.fc.ports }, (_, i) => `vhba${i + 1}`);
    return {
      lan: team.length === 1 ? team[0]! : team,
      storage: storage.length === 1 ? storage[0]! : storage,
    };
  });
  return out.toString();
}

/** Per-host weights at a box's adapters of `kind` on side `s` (Gb/s of that I/O there), or null when all are equal. */
function boxWeights(ctx: GenContext, b: Box, s: number, kind: "eth" | "fc"): Record<string, number> | null {
  const w: Record<string, number> = {};
  for (let h = b.first; h <= b.last; h++) {
    const io = ioOf(ctx, h);
    const part = io[kind];
    let ports = 0;
    for (let k = 0; k < part.ports; k++) if (sideOf(ctx, k) === s) ports++;
    w[`host${h}`] = Math.max(1, ports) * gbps(part.link);
  }
  const values = new Set(Object.values(w));
  return values.size <= 1 ? null : w;
}

/**
 * A box's servers, in blocks of consecutive servers with the same I/O and the same
 * vHBA pins (each vHBA of a side pinned to one FC port of its box, in blocks).
 */
function hostNodes(
  out: Text,
  ctx: GenContext,
  b: Box,
  eth: number,
  fc: number,
  sa: (kind: string, side: string, b: Box) => string,
): void {
  const pair = redundant(ctx);
  const sideNames = sides(ctx);
  const count = b.last - b.first + 1;
  const portName = (kind: "eth" | "fc", side: string, p: number) =>
    `${sa(kind, side, b)}${Math.floor(p / ADAPTER_PORTS) + 1}:${kind}${(p % ADAPTER_PORTS) + 1}`;
  /** The m-th vif of a kind of host j (0-based in its box) on a side: a port of that side's adapters, in blocks of hosts. */
  const pinOf = (kind: "eth" | "fc", adapters: number, side: number, j: number, m: number): string => {
    const ports = adapters * ADAPTER_PORTS;
    return portName(kind, sideNames[side]!, (Math.floor((j * ports) / count) + m) % ports);
  };
  /** The vif lines of host h. */
  const vifs = (h: number): string[] => {
    const io = ioOf(ctx, h);
    const j = h - b.first;
    const lines: string[] = [];
    const seen = [0, 0];
    for (let k = 0; k < io.eth.ports; k++) {
      const s = sideOf(ctx, k);
      const pin = pinOf("eth", eth, s, j, seen[s]!++);
      lines.push(`- { name: vnic${k + 1}, type: vnic, port: ext${s}/1, pin: "${pin}" }`);
    }
    seen.fill(0);
    for (let k = 0; k < io.fc.ports; k++) {
      const s = sideOf(ctx, k);
      const pin = pinOf("fc", fc, s, j, seen[s]!++);
      lines.push(`- { name: vhba${k + 1}, type: vhba, port: ext${s}/1, pin: "${pin}" }`);
    }
    return lines;
  };
  let from = b.first;
  let lines = vifs(from);
  for (let h = b.first; h <= b.last; h++) {
    const nextLines = h < b.last ? vifs(h + 1) : null;
    if (nextLines !== null && nextLines.join("\n") === lines.join("\n")) continue;
    out.line(2, `${hosts(from, h)}:`);
    out.line(3, "kind: server");
    out.field(3, "vms", ctx.study.file.vmsPerHost);
    out.field(3, "pcie", { slots: pair ? 2 : 1 });
    out.line(3, "adapters:");
    for (let s = 0; s < sideNames.length; s++) {
      out.line(4, `- name: ext${s}`);
      out.line(5, "type: pcie-extender");
      out.line(5, "link: pcie-gen2-x8");
      out.line(5, "ports: 1");
      out.line(5, "bus: pcie-gen2-x8");
      out.line(5, "model: pcie-extender-host-card");
      const own = lines.filter((l) => l.includes(`port: ext${s}/1`));
      if (own.length > 0) {
        out.line(5, "vifs:");
        for (const l of own) out.line(6, l);
      }
    }
    from = h + 1;
    if (nextLines !== null) lines = nextLines;
  }
}
