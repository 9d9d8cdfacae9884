/**
 * MR-IOV shared PCIe adapters (reference.md §2.3, §11.5): each host has a
 * PCIe extender card and one cable to a multi-root-aware PCIe box; the box's
 * shared NICs and HBAs serve all of its hosts and are the site's only LAN and
 * SAN ports. vhba0 is pinned in blocks of hosts, one FC port each; vnic0 is left
 * unpinned (flows hash over the box's 10GbE ports). At the defaults it writes
 * topologies/mriov-rack.yaml.
 */

import {
  ensure,
  type GenContext,
  header,
  hosts,
  intParam,
  lanNode,
  letter,
  provenance,
  rng,
  storageNode,
  Text,
  workloadsAndSla,
} from "./common.js";

/** NextIO vNET I/O Maestro: 8 I/O module slots. */
const BOX_SLOTS = 8;
const ADAPTER_PORTS = 2;

interface Box {
  readonly id: string;
  readonly first: number;
  readonly last: number;
}

export function generateMriov(ctx: GenContext): string {
  const n = ctx.study.file.servers;
  const perBox = intParam(ctx, "hostsPerAdapter");
  const eth = intParam(ctx, "ethAdaptersPerBox");
  const fc = intParam(ctx, "fcAdaptersPerBox");
  ensure(eth + fc <= BOX_SLOTS, `mriov: ${eth + fc} shared adapters exceed a box's ${BOX_SLOTS} slots`);
  const boxes: Box[] = [];
  for (let first = 1, i = 0; first <= n; first += perBox, i++)
    boxes.push({ id: letter(i), first, last: Math.min(n, first + perBox - 1) });
  const fcPorts = fc * ADAPTER_PORTS;
  const ethPorts = eth * ADAPTER_PORTS;

  const out = new Text();
  out.comment(
    0,
    "MR-IOV: shared PCIe I/O, NextIO vNET I/O Maestro / VirtenSys VIO-4000 style (reference.md §2.3, §11.5).",
    `Per host (${n}): ext0, a PCIe extender on one pcie-gen2-x8 link to its box: 1 cable; vifs vnic0 and vhba0.`,
    `Shared: ${boxes.length} MR-aware PCIe box(es) of up to ${perBox} hosts, each with ${eth} shared dual-port 10GbE and`,
    `  ${fc} shared dual-port 8G FC adapter(s), round-robin between hosts: ${ethPorts} x 10GbE to the LAN and`,
    `  ${fcPorts} x 8G FC to the array per box. Every shared adapter serves all hosts of its box.`,
    "Spreading: vhba0 pinned in blocks of hosts, one FC port each; vnic0 unpinned (east-west needs the box path).",
    "",
    ...provenance(ctx),
  );
  header(out, ctx);
  out.line(0, "topology:");
  out.line(1, "nodes:");
  for (const box of boxes) hostNodes(out, ctx, box, fc);
  for (const box of boxes) {
    out.line(2, `pbox-${box.id}:`);
    out.line(3, "kind: pcie-switch");
    out.field(3, "model", "nextio-vnet-io-maestro");
    out.field(3, "mrAware", true);
    out.field(3, "ports", { host: perBox, slot: eth + fc });
  }
  for (const box of boxes) {
    for (const [kind, count, model, link] of [
      ["eth", eth, "nextio-vnet-2x10gbe", "eth-10g"],
      ["fc", fc, "nextio-vnet-2x8gfc", "fc-8g"],
    ] as const) {
      out.line(2, `${rng(`sa-${kind}-${box.id}`, 1, count)}:`);
      out.line(3, "kind: shared-adapter");
      out.field(3, "model", model);
      out.field(3, "ports", { [kind]: ADAPTER_PORTS });
      out.field(3, "bus", "pcie-gen2-x8");
      out.field(3, "link", link);
      out.field(3, "hosts", hosts(box.first, box.last));
      out.field(3, "arbitration", "round-robin");
    }
  }
  const array = ctx.study.file.storage.name;
  storageNode(out, ctx, boxes.length * fcPorts);
  lanNode(out, boxes.length * ethPorts);
  out.line(1, "links:");
  out.comment(2, "one PCIe cable per host to its box");
  for (const box of boxes)
    out.link(
      `${hosts(box.first, box.last)}:ext0/1`,
      `pbox-${box.id}:${rng("host", 1, box.last - box.first + 1)}`,
      "pcie-gen2-x8",
    );
  out.comment(2, "the shared adapters in the boxes' slots");
  for (const box of boxes) {
    out.link(`pbox-${box.id}:${rng("slot", 1, eth)}`, `${rng(`sa-eth-${box.id}`, 1, eth)}:bus`, "pcie-gen2-x8", {
      length: "0.3m",
    });
    out.link(
      `pbox-${box.id}:${rng("slot", eth + 1, eth + fc)}`,
      `${rng(`sa-fc-${box.id}`, 1, fc)}:bus`,
      "pcie-gen2-x8",
      { length: "0.3m" },
    );
  }
  out.comment(2, "shared adapters' network ports");
  boxes.forEach((box, k) => {
    out.link(
      `${rng(`sa-eth-${box.id}`, 1, eth)}:${rng("eth", 1, ADAPTER_PORTS)}`,
      `lan:${rng("p", k * ethPorts + 1, (k + 1) * ethPorts)}`,
      "eth-10g",
      { length: "30m" },
    );
  });
  boxes.forEach((box, k) => {
    out.link(
      `${rng(`sa-fc-${box.id}`, 1, fc)}:${rng("fc", 1, ADAPTER_PORTS)}`,
      `${array}:${rng("fc", k * fcPorts + 1, (k + 1) * fcPorts)}`,
      "fc-8g",
      { length: "10m" },
    );
  });
  workloadsAndSla(out, ctx, { lan: "vnic0", storage: "vhba0" });
  return out.toString();
}

/**
 * The box's hosts. vhba0 pins to the box's FC ports in blocks of consecutive
 * hosts: one node key with a ranged pin when the ports divide the hosts evenly
 * (the range zips with the key), else one key per block.
 */
function hostNodes(out: Text, ctx: GenContext, box: Box, fc: number): void {
  const count = box.last - box.first + 1;
  const ports: string[] = [];
  for (let a = 1; a <= fc; a++) for (let p = 1; p <= ADAPTER_PORTS; p++) ports.push(`sa-fc-${box.id}${a}:fc${p}`);
  const blocks: { first: number; last: number; pin: string }[] = [];
  if (count % ports.length === 0 || ports.length === 1) {
    const pin = ports.length === 1 ? ports[0]! : `${rng(`sa-fc-${box.id}`, 1, fc)}:${rng("fc", 1, ADAPTER_PORTS)}`;
    blocks.push({ first: box.first, last: box.last, pin });
  } else {
    for (let i = 0; i < count; i++) {
      const pin = ports[Math.floor((i * ports.length) / count)]!;
      const last = blocks.at(-1);
      if (last !== undefined && last.pin === pin) last.last = box.first + i;
      else blocks.push({ first: box.first + i, last: box.first + i, pin });
    }
  }
  for (const b of blocks) {
    out.line(2, `${hosts(b.first, b.last)}:`);
    out.line(3, "kind: server");
    out.field(3, "vms", ctx.study.file.vmsPerHost);
    out.field(3, "pcie", { slots: 1 });
    out.line(3, "adapters:");
    out.line(4, "- name: ext0");
    out.line(5, "type: pcie-extender");
    out.line(5, "link: pcie-gen2-x8");
    out.line(5, "ports: 1");
    out.line(5, "bus: pcie-gen2-x8");
    out.line(5, "model: pcie-extender-host-card");
    out.line(5, "vifs:");
    out.line(6, "- { name: vnic0, type: vnic, port: ext0/1 }");
    out.line(6, `- { name: vhba0, type: vhba, port: ext0/1, pin: ${JSON.stringify(b.pin)} }`);
  }
}
