/**
 * Switching boxes (bought whole) and director / fabric interconnect modules
 * (packed first-fit); the port licences they need. A chassis IOM's host ports
 * are midplane (backplane) ports: counted apart from the front-panel ports.
 */

import { blockCarries, blockFor, installedPorts, portBlocks } from "../catalog/catalog.js";
import { licencesNeeded } from "../catalog/cost-model.js";
import type { Figure, IoModuleEntry, PortLicence } from "../catalog/types.js";
import type { DirectorNode, ResolvedNode, ServerNode, SharedAdapterNode } from "../topology/types.js";
import { type BomState, plural, type Resolved } from "./state.js";

/** A switching box: one item, its own ports used (module ports apart) against its model's. */
export function switching(st: BomState, n: Exclude<ResolvedNode, ServerNode | SharedAdapterNode>): void {
  const r = st.nodeModels.get(n.name)!;
  const modulePorts = new Set(
    n.kind === "io-director" || n.kind === "fabric-interconnect" ? n.modules.flatMap((m) => m.ports) : [],
  );
  const own = n.ports.filter((p) => !modulePorts.has(p.name));
  const connected = own.filter((p) => p.peer !== null);
  // A blade in the IOM's own chassis is reached over the midplane: a backplane port (the BOM's trace rule).
  const backplane = connected.filter((p) => {
    if (n.kind !== "fabric-extender" || n.chassis === null || p.peer === null) return false;
    const peer = st.node(p.peer.node);
    return peer.kind === "server" && peer.chassis === n.chassis;
  }).length;
  const used = connected.length - backplane;
  st.add(r, "switching", n.name, { portsUsed: used, backplaneUsed: backplane });
  const e = r.entry;
  if (e !== null && "portLicence" in e && e.portLicence !== null)
    addLicences(st, r.id, e.portLicence, used, e.portLicence.included, n.name);
  if (e !== null) {
    const installed = installedPorts(e);
    if (installed !== null && own.length > installed) {
      st.flag("error", "ports", n.name, `${plural(own.length, "port")} in the file; ${r.id} has ${installed}`);
    }
    if (portBlocks(e).length > 0) {
      for (const p of own) {
        if (p.link === null) continue;
        const link = st.linkId(p.link);
        if (blockFor(e, link) === null) {
          st.flag(
            "warning",
            "model-link",
            n.name,
            `${r.id} has no ports that run ${link} (${p.name})`,
            `link|${n.name}|${link}`,
          );
        }
      }
    }
  }
  if (n.kind === "io-director" || n.kind === "fabric-interconnect") modules(st, n, r);
}

/** A licence draws no power. */
const NO_POWER: Figure = {
  value: 0,
  range: null,
  confidence: "solid",
  source: "a port licence is a software key: it draws no power",
  note: null,
};

/** Port licences for `used` ports of `owner` when `included` come with it (none bought when none is needed). */
function addLicences(st: BomState, owner: string, licence: PortLicence, used: number, included: number, at: string) {
  const n = licencesNeeded({ included, step: licence.step }, used);
  if (n === 0) return;
  const part = licence.partNumber === null ? "" : ` (${licence.partNumber})`;
  const name = `port licence for ${owner}${part}: ${licence.step === 1 ? "one port" : `${licence.step} ports`} each`;
  st.add({ entry: null, id: `${owner}/port-licence`, defaulted: false }, "licence", at, {
    count: n,
    own: { name, price: licence.listPriceUsd, power: NO_POWER },
  });
}

/**
 * A director's or fabric interconnect's modules. Topology modules are port
 * groups; physical modules are bought whole, and groups with the same model
 * share one physical module when its ports (of the right protocols) allow.
 */
function modules(st: BomState, n: DirectorNode, device: Resolved): void {
  const byModel = new Map<string, { r: Resolved<IoModuleEntry>; groups: DirectorNode["modules"][number][] }>();
  for (const m of n.modules) {
    const r = st.moduleModels.get(`${n.name}/${m.name}`)!;
    const g = byModel.get(r.id) ?? { r, groups: [] };
    g.groups.push(m);
    byModel.set(r.id, g);
  }
  let physical = 0;
  for (const { r, groups } of byModel.values()) {
    const e = r.entry;
    // First-fit packing: remaining free ports per block, per physical module.
    const bins: number[][] = [];
    let usedOnModel = 0;
    const capacity = e === null ? null : portBlocks(e).map((b) => b.count.value);
    for (const m of groups) {
      const used = m.ports.filter((p) => st.ports.get(n.name)?.get(p)?.peer != null).length;
      usedOnModel += used;
      const where = `${n.name}/${m.name}`;
      if (e !== null && e.fits.length > 0 && device.entry !== null && !e.fits.includes(device.id)) {
        st.flag(
          "warning",
          "fits",
          where,
          `${r.id} fits ${e.fits.join(", ")}, not ${device.id}`,
          `fits|${r.id}|${device.id}`,
        );
      }
      if (capacity === null || capacity.length === 0 || capacity.some((c) => c === null)) {
        // Ports unknown: one physical module per group.
        bins.push([]);
        st.add(r, "module", where, { portsUsed: used });
        continue;
      }
      const carrying = e === null ? [] : portBlocks(e).map((b) => blockCarries(b, m.link));
      if (!carrying.some(Boolean)) {
        st.flag("warning", "model-link", where, `${r.id} has no ports that run ${m.link}`, `link|${r.id}|${m.link}`);
      }
      const room = (bin: number[]) => bin.reduce((s, free, k) => s + (carrying[k] ? free : 0), 0);
      const fill = (bin: number[], n: number) => {
        let need = n;
        for (let k = 0; k < bin.length && need > 0; k++) {
          if (!carrying[k]) continue;
          const take = Math.min(need, bin[k]!);
          bin[k]! -= take;
          need -= take;
        }
      };
      const shared = bins.find((b) => room(b) >= m.ports.length);
      if (shared !== undefined) {
        fill(shared, m.ports.length);
        st.add(r, "module", where, { portsUsed: used, count: 0 });
        continue;
      }
      // New modules: as many as the group's ports need (a group may span several).
      const per = room((capacity as number[]).slice());
      const k = per === 0 ? 1 : Math.ceil(m.ports.length / per);
      for (let j = 0, left = m.ports.length; j < k; j++, left -= per) {
        const bin = (capacity as number[]).slice();
        fill(bin, Math.min(left, per));
        bins.push(bin);
      }
      if (k > 1) {
        st.flag(
          "warning",
          "module-span",
          where,
          `${plural(m.ports.length, "port")} of ${m.link} take ${k} × ${r.id} (${per} ports each)`,
        );
      }
      st.add(r, "module", where, { portsUsed: used, count: k });
    }
    physical += bins.length;
    // Licences are pooled over the node's modules of one model: each brings its included ports.
    if (e !== null && e.portLicence !== null)
      addLicences(st, r.id, e.portLicence, usedOnModel, e.portLicence.included * bins.length, `${n.name}/${r.id}`);
  }
  const slots =
    device.entry !== null && "moduleSlots" in device.entry ? (device.entry.moduleSlots?.value ?? null) : null;
  if (slots !== null && physical > slots) {
    st.flag(
      "error",
      "module-slots",
      n.name,
      `${plural(physical, "module")} to buy; ${device.id} has ${plural(slots, "slot")}`,
    );
  }
}
