/** Servers, their adapters (slots, ports, VF and vNIC budgets) and shared adapters in PCIe boxes. */

import { blockCarries, installedPorts, portBlocks } from "../catalog/catalog.js";
import type { AdapterEntry, ServerEntry } from "../catalog/types.js";
import type { ResolvedAdapter, ServerNode, SharedAdapterNode } from "../topology/types.js";
import { type BomState, plural, type Resolved, type ServerTally } from "./state.js";

/** A server: its adapters as items, slots needed against slots available. */
export function server(st: BomState, n: ServerNode): void {
  const model = st.nodeModels.get(n.name) as Resolved<ServerEntry>;
  const tally: ServerTally = {
    name: n.name,
    model,
    chassis: n.chassis,
    adapters: n.adapters.length,
    slotsNeeded: 0,
    slots: n.pcieSlots ?? model.entry?.pcieSlots.value ?? null,
    cables: 0,
    traces: 0,
    vifs: 0,
    vfs: 0,
  };
  st.servers.set(n.name, tally);
  for (const a of n.adapters) {
    const at = `${n.name}/${a.name}`;
    const r = st.adapterModels.get(at)!;
    st.add(r, "adapter", at);
    const attach = r.entry?.pcie?.attach ?? "card";
    if (attach === "card" || attach === "mezzanine") tally.slotsNeeded++;
    tally.vifs += a.vifs.length;
    tally.vfs += a.vfs * a.ports.length;
    if (r.entry !== null) checkAdapter(st, a, r.entry, at);
  }
  if (tally.slots !== null && tally.slotsNeeded > tally.slots) {
    const source = n.pcieSlots !== null ? "pcie.slots" : `model ${model.id}`;
    st.flag(
      "error",
      "pcie-slots",
      n.name,
      `${plural(tally.slotsNeeded, "adapter")} need${tally.slotsNeeded === 1 ? "s" : ""} a slot each; ${source} has ${plural(tally.slots, "slot")}`,
    );
  } else if (tally.slots === null && tally.slotsNeeded > 0) {
    st.flag(
      "info",
      "pcie-slots-unknown",
      n.name,
      `PCIe slots of ${model.id} unknown: ${tally.slotsNeeded} adapters not checked`,
      `slots|${model.id}`,
    );
  }
}

/** An adapter against its model: ports, link protocol, bus width, VF and vNIC/vHBA budgets. */
function checkAdapter(st: BomState, a: ResolvedAdapter, e: AdapterEntry, at: string): void {
  const ports =
    e.ports === null
      ? null
      : e.ports.reduce<number | null>((s, b) => (s === null || b.count.value === null ? null : s + b.count.value), 0);
  if (ports !== null && a.ports.length > ports) {
    st.flag("error", "adapter-ports", at, `${plural(a.ports.length, "port")} in the file; ${e.id} has ${ports}`);
  }
  if (e.ports !== null && !e.ports.some((b) => blockCarries(b, a.link))) {
    st.flag("warning", "model-link", at, `${e.id}'s ports do not run ${a.link}`, `link|${e.id}|${a.link}`);
  }
  const bus = /^pcie-gen(\d)-x(\d+)$/.exec(a.bus);
  if (bus !== null && e.pcie !== null && e.pcie.attach !== "onboard" && e.pcie.attach !== "module") {
    const gen = Number(bus[1]);
    const lanes = Number(bus[2]);
    const slower = e.pcie.gen !== null && gen > e.pcie.gen;
    const narrower = e.pcie.lanes !== null && lanes > e.pcie.lanes;
    if (slower || narrower) {
      st.flag(
        "warning",
        "bus",
        at,
        `bus ${a.bus} is ${slower ? "faster" : "wider"} than ${e.id}'s PCIe Gen${e.pcie.gen ?? "?"} x${e.pcie.lanes ?? "?"}: the simulation gives it more host bandwidth than the card has`,
        `bus|${e.id}|${a.bus}`,
      );
    }
  }
  if (a.vfs > 0) {
    const perPort = e.maxVfsPerPort?.value ?? null;
    const device = e.maxVfs?.value ?? null;
    if (perPort !== null && a.vfs > perPort) {
      st.flag("error", "vf-budget", at, `${a.vfs} VFs per port; ${e.id} allows ${perPort} per port`);
    }
    if (device !== null && a.vfs * a.ports.length > device) {
      st.flag("error", "vf-budget", at, `${a.vfs * a.ports.length} VFs in all; ${e.id} allows ${device}`);
    }
    if (perPort === null && device === null) {
      st.flag("info", "vf-unknown", at, `VF limit of ${e.id} unknown: ${a.vfs} VFs per port not checked`, `vf|${e.id}`);
    }
  }
  const vnics = a.vifs.filter((v) => v.type === "vnic").length;
  const vhbas = a.vifs.length - vnics;
  const maxVifs = e.maxVifs?.value ?? null;
  if (maxVifs !== null && a.vifs.length > maxVifs) {
    st.flag("error", "vif-budget", at, `${a.vifs.length} vNICs + vHBAs; ${e.id} allows ${maxVifs}`);
  }
  const maxVnics = e.maxVnics?.value ?? null;
  const maxVhbas = e.maxVhbas?.value ?? null;
  if (maxVnics !== null && vnics > maxVnics)
    st.flag("error", "vif-budget", at, `${vnics} vNICs; ${e.id} allows ${maxVnics}`);
  if (maxVhbas !== null && vhbas > maxVhbas)
    st.flag("error", "vif-budget", at, `${vhbas} vHBAs; ${e.id} allows ${maxVhbas}`);
  if (a.vifs.length > 0 && maxVifs === null && maxVnics === null && maxVhbas === null && e.class !== "pcie-extender") {
    st.flag(
      "info",
      "vif-unknown",
      at,
      `vNIC/vHBA limit of ${e.id} unknown: ${a.vifs.length} not checked`,
      `vif|${e.id}`,
    );
  }
}

/** A shared adapter in a PCIe box: one adapter item; its ports and the box it fits. */
export function sharedAdapter(st: BomState, n: SharedAdapterNode): void {
  const r = st.nodeModels.get(n.name)!;
  st.add(r, "adapter", n.name);
  if (r.entry === null) return;
  const own = n.ports.filter((p) => p.group !== "bus").length;
  const ports = installedPorts(r.entry);
  if (ports !== null && own > ports)
    st.flag("error", "adapter-ports", n.name, `${plural(own, "port")} in the file; ${r.id} has ${ports}`);
  if (portBlocks(r.entry).length > 0 && !portBlocks(r.entry).some((b) => blockCarries(b, n.link))) {
    st.flag("warning", "model-link", n.name, `${r.id}'s ports do not run ${n.link}`, `link|${r.id}|${n.link}`);
  }
  // The box it sits in: the pcie-switch at the other end of its bus link.
  const bus = n.ports.find((p) => p.group === "bus");
  const box = bus?.peer === null || bus === undefined ? undefined : st.nodeModels.get(bus.peer.node);
  if (
    r.entry.class === "shared-adapter" &&
    r.entry.fits.length > 0 &&
    box?.entry != null &&
    !r.entry.fits.includes(box.id)
  ) {
    st.flag("warning", "fits", n.name, `${r.id} is made for ${r.entry.fits.join(", ")}, not ${box.id}`);
  }
}
