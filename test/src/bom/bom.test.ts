import { beforeAll, describe, expect, it } from "vitest";
import { bom, resultBom } from "../../../src/bom/bom.js";
import { CableChooser } from "../../../src/bom/cabling.js";
import type { Bom, BomItem } from "../../../src/bom/types.js";
import type { Catalog } from "../../../src/catalog/types.js";
import { formatBom } from "../../../src/report/bom-table.js";
import { catalog, topo } from "./helpers.js";

let cat: Catalog;
beforeAll(async () => {
  cat = await catalog();
});

function item(b: Bom, kind: string, role: "data" | "management" = "data"): BomItem {
  const i = b.items.find((x) => x.kind === kind && x.role === role);
  if (i === undefined) throw new Error(`no ${role} item ${kind}: ${b.items.map((x) => x.kind).join(", ")}`);
  return i;
}

function errors(b: Bom): string[] {
  return b.flags.filter((f) => f.severity === "error").map((f) => `${f.code} ${f.at}: ${f.message}`);
}

const HEAD = "name: t\ndesign: traditional\ntopology:\n  nodes:\n";

/** Three servers with one 10GbE port each on a 10-port ToR (a 48 x 10G + 4 x 40G model), one uplink at 30 m. */
const SMALL = `${HEAD}    host[1..3]:
      kind: server
      model: generic-2u-server-2010
      adapters:
        - { name: nic0, type: nic, link: eth-10g, ports: 1, bus: pcie-gen2-x8, model: generic-dual-10g-nic-82599 }
    tor:
      kind: ethernet-switch
      model: generic-trident-plus-48x10g
      ports: { eth: 8, up: 2 }
    lan:
      kind: lan
      ports: { p: 1 }
  links:
    - endpoints: ["host[1..3]:nic0/1", "tor:eth[1..3]"]
      type: eth-10g
    - endpoints: ["tor:up1", "lan:p1"]
      type: eth-10g
      length: 30m
`;

describe("counting a small rack by hand", () => {
  it("counts ports used against the ports of the whole switch bought, and the management network", () => {
    const b = bom(topo(SMALL), cat);
    expect(b.issues).toEqual([]);
    // The ToR: 3 host ports + 1 uplink used; bought whole: 48 + 4 = 52 ports, whatever the file declares (10).
    expect(item(b, "generic-trident-plus-48x10g")).toMatchObject({ count: 1, portsUsed: 4, portsInstalled: 52 });
    // Management: 3 servers (BMC) + the ToR = 4 ports on one 48 x 1GbE switch (52 ports with its uplinks).
    expect(item(b, "generic-48x1g-tor", "management")).toMatchObject({ count: 1, portsUsed: 4, portsInstalled: 52 });
    expect(b.totals).toMatchObject({
      adapters: 3,
      // 3 DAC (2 m, SFP+ to SFP+) + 1 OM3 fibre (30 m) + 4 Cat6 management cables.
      cables: 8,
      // Two SR optics on the one fibre link.
      optics: 2,
      switchPorts: 8,
      switchPortsInstalled: 104,
      switchingDevices: 2,
      rackUnits: 2,
      managementPorts: 4,
      lanPorts: 1,
      servers: 3,
    });
    expect(item(b, "sfp-plus-dac-passive").count).toBe(3);
    expect(item(b, "mmf-om3-lc-patch").count).toBe(1);
    expect(item(b, "sfp-10g-sr").count).toBe(2);
    expect(item(b, "cat6-patch", "management").count).toBe(4);
    // Every item priced, at the midpoints of the catalog's ranges: 3 NICs x $700 ($600-800), the Trident+ ToR
    // $26,000 ($20,000-32,000), the management switch $6,500 ($4,000-9,000), 3 DACs x $230 ($150-310),
    // 1 OM3 patch $37.50 ($15-60), 2 SR optics x $1,245 ($995-1,495), 4 Cat6 x $6.50 ($3-10).
    expect(b.totals.costUsd).toBe(3 * 700 + 26000 + 6500 + 3 * 230 + 37.5 + 2 * 1245 + 4 * 6.5);
    expect(b.totals.costRangeUsd).toEqual([
      3 * 600 + 20000 + 4000 + 3 * 150 + 15 + 2 * 995 + 4 * 3,
      3 * 800 + 32000 + 9000 + 3 * 310 + 60 + 2 * 1495 + 4 * 10,
    ]);
    expect(b.totals.unpricedItems).toBe(0);
    // 3 x 5.5 W + the ToR 225 W (200-250) + the management switch 62.5 W (40-85) + 3 x 0.2 W (DAC) + 2 x 1 W (SR)
    // + 0 (passive cables).
    expect(b.totals.watts).toBeCloseTo(3 * 5.5 + 225 + 62.5 + 0.6 + 2, 9);
    expect(b.totals.unknownWattsItems).toBe(0);
    expect(b.perServer).toMatchObject({ adapters: 1, cables: 8 / 3, optics: 2 / 3 });
    expect(b.servers.map((s) => [s.name, s.cables, s.slotsNeeded, s.slots])).toEqual([
      ["host1", 2, 1, 4],
      ["host2", 2, 1, 4],
      ["host3", 2, 1, 4],
    ]);
    expect(b.feasible).toBe(true);
  });

  it("leaves the management network out on request", () => {
    const b = bom(topo(SMALL), cat, { management: false });
    expect(b.totals).toMatchObject({ cables: 4, switchPorts: 4, switchingDevices: 1, managementPorts: 0 });
  });

  it("buys management switches whole: 50 servers need two 48-port switches", () => {
    const b = bom(topo(`${HEAD}    host[1..50]:\n      kind: server\n`), cat);
    expect(item(b, "generic-48x1g-tor", "management")).toMatchObject({ count: 2, portsUsed: 50, portsInstalled: 52 });
    expect(b.totals).toMatchObject({ cables: 50, switchPorts: 50, switchPortsInstalled: 104, rackUnits: 2 });
  });

  it("flags a switch declared with more ports than its model has", () => {
    const b = bom(topo(SMALL.replace("ports: { eth: 8, up: 2 }", "ports: { eth: 56, up: 2 }")), cat);
    expect(errors(b)).toEqual(["ports tor: 58 ports in the file; generic-trident-plus-48x10g has 52"]);
    expect(b.feasible).toBe(false);
  });

  it("prices energy over three years at a price per kWh and a PUE", () => {
    const b = bom(topo(SMALL), cat, { kwhPriceUsd: 0.2, pue: 1.5 });
    const watts = b.totals.watts!;
    expect(b.energy).toMatchObject({ kwhPriceUsd: 0.2, pue: 1.5, years: 3, partial: false });
    expect(b.energy.kwh).toBeCloseTo((watts * 1.5 * 8760 * 3) / 1000, 9);
    expect(b.energy.costUsd).toBeCloseTo(b.energy.kwh! * 0.2, 9);
    // Defaults: today's PUE and price from the catalog's cost model (never PUE 1.0), or the 2010 era's.
    const today = cat.costModel;
    expect(bom(topo(SMALL), cat).energy).toMatchObject({
      era: "today",
      kwhPriceUsd: today.kwhPriceUsd.today.value,
      pue: today.pue.today.value,
      years: 3,
    });
    expect(bom(topo(SMALL), cat, { era: "2010" }).energy).toMatchObject({ kwhPriceUsd: 0.1016, pue: 1.855 });
    expect(bom(topo(SMALL), cat).energy.pue).toBeGreaterThan(1.5);
  });
});

describe("cables and optics", () => {
  const pick = (protocol: string, metres: number, a: Parameters<CableChooser["choose"]>[2] = null, b = a) => {
    const c = new CableChooser(cat).choose(protocol, metres, a, b);
    return [c.cable?.id ?? null, ...c.optics.map((o) => o.id), ...(c.warning === null ? [] : ["!"])];
  };

  it("uses DAC up to its reach (5 m at 10/25G, 3 m at 100G), then fibre with two optics", () => {
    expect(pick("eth-10g", 5, "sfp+")).toEqual(["sfp-plus-dac-passive"]);
    expect(pick("eth-10g", 6, "sfp+")).toEqual(["mmf-om3-lc-patch", "sfp-10g-sr", "sfp-10g-sr"]);
    expect(pick("eth-10g", 400, "sfp+")).toEqual(["smf-lc-patch", "sfp-10g-lr", "sfp-10g-lr"]);
    expect(pick("eth-25g", 5, "sfp28")).toEqual(["sfp28-dac-25g"]);
    expect(pick("eth-25g", 6, "sfp28")).toEqual(["mmf-om3-lc-patch", "sfp28-25g-sr", "sfp28-25g-sr"]);
    expect(pick("eth-100g", 3, "qsfp28")).toEqual(["qsfp28-dac-100g"]);
    expect(pick("eth-100g", 4, "qsfp28")).toEqual(["mmf-om3-mpo-trunk", "qsfp28-100g-sr4", "qsfp28-100g-sr4"]);
  });

  it("uses twisted pair between RJ45 ports and a copper SFP where RJ45 meets a cage", () => {
    expect(pick("eth-1g", 2)).toEqual(["cat6-patch"]);
    expect(pick("eth-1g", 2, "sfp", null)).toEqual(["cat6-patch", "glc-t"]);
    expect(pick("eth-10g", 10, "rj45")).toEqual(["cat6a-patch"]);
    expect(pick("eth-10g", 10, "rj45", "sfp+")).toEqual(["cat6a-patch", "sfp-10g-t"]);
  });

  it("gives Fibre Channel fibre and optics of its own speed; InfiniBand and PCIe their own cables", () => {
    expect(pick("fc-8g", 1, "sfp+")).toEqual(["mmf-om3-lc-patch", "fc-8g-sfp-plus-sw", "fc-8g-sfp-plus-sw"]);
    expect(pick("fc-16g", 10, "sfp+")).toEqual(["mmf-om3-lc-patch", "fc-16g-sfp-plus-sw", "fc-16g-sfp-plus-sw"]);
    expect(pick("fc-32g", 10)).toEqual(["mmf-om3-lc-patch", "fc-32g-sfp28-sw", "fc-32g-sfp28-sw"]);
    expect(pick("ib-qdr-4x", 2)).toEqual(["ib-qsfp-copper"]);
    expect(pick("ib-qdr-4x", 20)).toEqual(["ib-qsfp-aoc"]);
    expect(pick("ib-ddr-4x", 2)).toEqual(["ib-cx4-copper"]);
    // A QDR HCA's QSFP ports running DDR take a QSFP cable, not CX4.
    expect(pick("ib-ddr-4x", 2, "qsfp")).toEqual(["ib-qsfp-copper"]);
    expect(pick("pcie-gen2-x8", 2)).toEqual(["pcie-external-cable-x8"]);
    expect(pick("pcie-gen3-x4", 2)).toEqual(["pcie-external-cable-x4"]);
    expect(pick("pcie-gen4-x16", 10)).toEqual(["pcie-external-aoc-x16"]);
  });

  it("flags a length nothing reaches and uses the longest-reach option", () => {
    expect(pick("eth-10g", 20_000, "sfp+")).toEqual(["smf-lc-patch", "sfp-10g-lr", "sfp-10g-lr", "!"]);
  });

  it("does not count chassis midplane traces or in-box slots as cables", () => {
    const ucs = topo(`name: u
design: ucs
topology:
  nodes:
    blade[1..2]:
      kind: server
      chassis: ch1
      adapters:
        - { name: vic0, type: vic, link: eth-10g, ports: 2, bus: pcie-gen2-x16 }
    iom1:
      kind: fabric-extender
      chassis: ch1
      ports: { host: 8, fabric: 4 }
    fi:
      kind: fabric-interconnect
      ports: { p: 20 }
  links:
    - endpoints: ["blade[1..2]:vic0/1", "iom1:host[1..2]"]
      type: eth-10g
      length: 0.5m
    - endpoints: ["iom1:fabric1", "fi:p1"]
      type: eth-10g
      length: 3m
`);
    const b = bom(ucs, cat);
    // Two traces; one DAC IOM-FI and one management cable (the FI's; blades and IOMs have none of their own).
    expect(b.totals).toMatchObject({ traces: 2, cables: 2, optics: 0, chassis: 1, ioModules: 1, managementPorts: 1 });
    expect(item(b, "cisco-ucs-5108")).toMatchObject({ count: 1, defaulted: true, rackUnits: 6 });
    expect(b.totals.enclosureRackUnits).toBe(6);
    expect(b.servers[0]).toMatchObject({ model: "cisco-ucs-b200-m2", traces: 1, cables: 0 });
    // The IOM's host ports are midplane (backplane) ports: counted apart from its front-panel ports.
    expect(item(b, "cisco-ucs-2104xp")).toMatchObject({
      defaulted: true,
      portsUsed: 1,
      portsInstalled: 4,
      backplanePortsUsed: 2,
      backplanePortsInstalled: 8,
    });
    expect(b.totals).toMatchObject({
      backplanePorts: 2,
      backplanePortsInstalled: 8,
      backplanePortsInstalledUnknown: 0,
    });

    const mriov = topo(`name: m
design: mriov
topology:
  nodes:
    host[1..2]:
      kind: server
      adapters:
        - { name: ext0, type: pcie-extender, link: pcie-gen2-x8, ports: 1, bus: pcie-gen2-x8 }
    box:
      kind: pcie-switch
      mrAware: true
      ports: { host: 2, slot: 1 }
    sa1:
      kind: shared-adapter
      ports: { eth: 2 }
      bus: pcie-gen2-x8
      link: eth-10g
      hosts: host[1..2]
  links:
    - endpoints: ["host[1..2]:ext0/1", "box:host[1..2]"]
      type: pcie-gen2-x8
    - endpoints: ["box:slot1", "sa1:bus"]
      type: pcie-gen2-x8
      length: 0.3m
`);
    const m = bom(mriov, cat, { management: false });
    expect(m.totals).toMatchObject({ inBoxSlots: 1, cables: 2, adapters: 3 });
    expect(item(m, "nextio-vnet-io-maestro").defaulted).toBe(true);
    expect(item(m, "nextio-vnet-2x10gbe").count).toBe(1);
    expect(item(m, "pcie-external-cable-x8").count).toBe(2);
  });
});

describe("infeasibility flags", () => {
  it("flags more slot-taking adapters than the server has slots; onboard ports take none", () => {
    const b = bom(
      topo(`${HEAD}    host1:
      kind: server
      model: generic-1u-server-2010
      adapters:
        - { name: nic0, type: nic, link: eth-1g, ports: 4, bus: pcie-gen2-x4, model: generic-quad-gbe-nic }
        - { name: nic1, type: nic, link: eth-1g, ports: 4, bus: pcie-gen2-x4, model: generic-quad-gbe-nic }
        - { name: hba0, type: hba, link: fc-8g, ports: 2, bus: pcie-gen2-x4, model: qlogic-qle2562 }
    host2:
      kind: server
      model: generic-1u-server-2010
      adapters:
        - { name: lom, type: nic, link: eth-1g, ports: 4, bus: pcie-gen2-x4, model: generic-onboard-quad-gbe }
        - { name: nic1, type: nic, link: eth-1g, ports: 4, bus: pcie-gen1-x4, model: generic-quad-gbe-nic }
        - { name: hba0, type: hba, link: fc-8g, ports: 2, bus: pcie-gen2-x4, model: qlogic-qle2562 }
`),
      cat,
    );
    expect(errors(b)).toEqual([
      "pcie-slots host1: 3 adapters need a slot each; model generic-1u-server-2010 has 2 slots",
    ]);
    expect(b.servers.map((s) => [s.slotsNeeded, s.slots])).toEqual([
      [3, 2],
      [2, 2],
    ]);
    // host1's nic cards sit on a Gen2 x4 bus but the card is Gen1: a warning, not an error.
    expect(b.flags.find((f) => f.code === "bus")?.message).toMatch(
      /faster than generic-quad-gbe-nic's PCIe Gen1 x4: .*\(and 1 more like it\)/,
    );
  });

  it("flags more vNICs/vHBAs than the adapter's budget", () => {
    const vifs = (n: number, port: string) =>
      Array.from({ length: n }, (_, i) => `            - { name: v${i + 1}, type: vnic, port: ${port} }`).join("\n");
    const b = bom(
      topo(`${HEAD}    host1:
      kind: server
      adapters:
        - name: cna0
          type: vic
          link: eth-10g
          ports: 2
          bus: pcie-gen2-x8
          model: cisco-m71kr
          vifs:
${vifs(3, "cna0/1")}
    host2:
      kind: server
      adapters:
        - name: vic0
          type: vic
          link: eth-10g
          ports: 2
          bus: pcie-gen2-x16
          model: cisco-m81kr-vic
          vifs:
${vifs(129, "vic0/1")}
`),
      cat,
    );
    expect(errors(b)).toEqual([
      "vif-budget host1/cna0: 3 vNICs; cisco-m71kr allows 2",
      "vif-budget host2/vic0: 129 vNICs + vHBAs; cisco-m81kr-vic allows 128",
    ]);
  });

  /** One blade with `vifs` vNICs on vic0/1, its IOM uplinked to a 6120XP with `uplinks` links. */
  function ucsBlade(vifs: number, uplinks: number, fi = "cisco-ucs-6120xp"): Bom {
    const list = Array.from({ length: vifs }, (_, i) => `            - { name: v${i + 1}, type: vnic, port: vic0/1 }`);
    return bom(
      topo(`name: u
design: ucs
topology:
  nodes:
    blade1:
      kind: server
      chassis: ch1
      adapters:
        - name: vic0
          type: vic
          link: eth-10g
          ports: 2
          bus: pcie-gen2-x16
          model: cisco-m81kr-vic
          vifs:
${list.join("\n")}
    iom1:
      kind: fabric-extender
      chassis: ch1
      model: cisco-ucs-2104xp
      ports: { host: 8, fabric: 4 }
    fi:
      kind: fabric-interconnect
      model: ${fi}
      ports: { p: 20 }
  links:
    - endpoints: ["blade1:vic0/1", "iom1:host1"]
      type: eth-10g
      length: 0.5m
    - endpoints: ["iom1:fabric[1..${uplinks}]", "fi:p[1..${uplinks}]"]
      type: eth-10g
      length: 3m
`),
      cat,
    );
  }

  it("applies the UCS 6100 VIF namespace: 15 x n - 2 per blade behind an IOM with n uplinks", () => {
    expect(errors(ucsBlade(13, 1))).toEqual([]);
    expect(errors(ucsBlade(14, 1))).toEqual([
      "vif-namespace blade1/vic0: 14 vNICs/vHBAs through iom1; cisco-ucs-6120xp gives a blade 15 × 1 uplinks − 2 = 13",
    ]);
    expect(errors(ucsBlade(28, 2))).toEqual([]);
    expect(errors(ucsBlade(29, 2))).toHaveLength(1);
    // A fabric interconnect whose namespace the catalog does not have: said, not guessed.
    const b = ucsBlade(40, 1, "cisco-ucs-6248up");
    expect(errors(b)).toEqual([]);
    expect(b.flags.map((f) => f.code)).toContain("vif-namespace-unknown");
  });

  it("flags more SR-IOV VFs than the NIC allows", () => {
    const b = bom(
      topo(`${HEAD}    host1:
      kind: server
      adapters:
        - { name: nic0, type: nic, link: eth-1g, ports: 2, bus: pcie-gen2-x4, vfs: 8, model: intel-82576-dual-gbe }
        - { name: nic1, type: nic, link: eth-10g, ports: 2, bus: pcie-gen2-x8, vfs: 63, model: generic-dual-10g-nic-82599 }
`),
      cat,
    );
    expect(errors(b)).toEqual(["vf-budget host1/nic0: 8 VFs per port; intel-82576-dual-gbe allows 7 per port"]);
    expect(b.servers[0]?.vfs).toBe(2 * 8 + 2 * 63);
  });

  it("packs port groups into whole modules and flags more modules than slots", () => {
    const fi = (eth: number, fc: number) =>
      bom(
        topo(`name: f
design: ucs
topology:
  nodes:
    fi:
      kind: fabric-interconnect
      model: cisco-ucs-6248up
      ports: { p: 32 }
      modules:
        - { name: eth1, link: eth-10g, ports: ${eth}, model: cisco-ucs-fi-e16up }
        - { name: fc1, link: fc-8g, ports: ${fc}, model: cisco-ucs-fi-e16up }
`),
        cat,
      );
    // 8 + 4 unified ports fit one 16-port module.
    expect(item(fi(8, 4), "cisco-ucs-fi-e16up")).toMatchObject({ count: 1, portsInstalled: 16 });
    expect(errors(fi(8, 4))).toEqual([]);
    // 12 + 8 do not: two modules, and the 6248UP has one expansion slot.
    expect(item(fi(12, 8), "cisco-ucs-fi-e16up").count).toBe(2);
    expect(errors(fi(12, 8))).toEqual(["module-slots fi: 2 modules to buy; cisco-ucs-6248up has 1 slot"]);

    const modules = Array.from({ length: 5 }, (_, i) => `        - { name: eth${i + 1}, link: eth-10g, ports: 4 }`);
    const d = bom(
      topo(`name: d
design: director
topology:
  nodes:
    dir:
      kind: io-director
      model: oracle-fi-f1-4
      ports: { ib: 24 }
      modules:
${modules.join("\n")}
`),
      cat,
    );
    // Default module for 4 x 10GbE on an F1-4: the 4 x 10GbE module, one per group.
    expect(item(d, "xsigo-mod-4x10gbe")).toMatchObject({ count: 5, defaulted: true });
    expect(errors(d)).toEqual(["module-slots dir: 5 modules to buy; oracle-fi-f1-4 has 4 slots"]);

    // A group larger than one module spans several: 4 x 10GbE on a VP780 takes four 1 x 10GbE modules.
    const vp = bom(
      topo(`name: v
design: director
topology:
  nodes:
    dir:
      kind: io-director
      model: xsigo-vp780
      ports: { ib: 24 }
      modules: [{ name: eth1, link: eth-10g, ports: 4 }]
`),
      cat,
    );
    expect(item(vp, "xsigo-mod-1x10gbe")).toMatchObject({ count: 4, portsInstalled: 1 });
    expect(vp.flags.map((f) => `${f.code} ${f.at}: ${f.message}`)).toContain(
      "module-span dir/eth1: 4 ports of eth-10g take 4 × xsigo-mod-1x10gbe (1 ports each)",
    );
  });

  it("picks a default fabric interconnect whose slots hold its modules", () => {
    const fi = (fixed: number, eth: number) =>
      bom(
        topo(`name: f
design: ucs
topology:
  nodes:
    fi:
      kind: fabric-interconnect
      ports: { p: ${fixed} }
      modules: [{ name: eth1, link: eth-10g, ports: ${eth} }]
`),
        cat,
      ).items.map((i) => `${i.count} ${i.kind}`);
    expect(fi(16, 4)).toEqual(expect.arrayContaining(["1 cisco-ucs-6120xp", "1 ucs-6100-exp-6x10ge"]));
    // 8 x 10GbE need two 6-port 6100 modules (one slot on a 6120XP): the 6248UP's 16-port module holds them.
    expect(fi(16, 8)).toEqual(expect.arrayContaining(["1 cisco-ucs-6248up", "1 cisco-ucs-fi-e16up"]));
    expect(fi(40, 8)).toEqual(expect.arrayContaining(["1 cisco-ucs-6140xp", "2 ucs-6100-exp-6x10ge"]));
  });

  it("flags more blades or IOMs than the chassis holds", () => {
    const b = bom(
      topo(`name: c
design: ucs
topology:
  nodes:
    blade[1..9]:
      kind: server
      chassis: ch1
      chassisModel: cisco-ucs-5108
    iom[1..3]:
      kind: fabric-extender
      chassis: ch1
      ports: { host: 8, fabric: 4 }
`),
      cat,
    );
    expect(errors(b)).toEqual([
      "chassis-slots ch1: 9 blades; cisco-ucs-5108 holds 8",
      "chassis-slots ch1: 3 IOMs; cisco-ucs-5108 holds 2",
    ]);
  });
});

describe("unknown prices", () => {
  const TWO = `${HEAD}    host[1..2]:
      kind: server
      adapters:
        - { name: nic0, type: nic, link: eth-1g, ports: 4, bus: pcie-gen1-x4, model: generic-quad-gbe-nic }
    tor:
      kind: ethernet-switch
      model: generic-48x1g-tor
      ports: { eth: 48 }
  links:
    - endpoints: ["host[1..2]:nic0/1", "tor:eth[1..2]"]
      type: eth-1g
`;

  /** The access switch, Cat6 and the QLE2562 HBA with unknown prices (and the HBA's power unknown). */
  const UNPRICED = `catalog: 1
entries:
  - id: generic-48x1g-tor
    class: ethernet-switch
    name: access switch, price unknown
    confidence: estimate
    source: test
    ports: [{ count: 48, link: eth-1g, medium: rj45 }, { count: 4, link: eth-10g, medium: sfp+, role: uplink }]
    rackUnits: 1
    watts: 39
    listPriceUsd: null
  - id: cat6-patch
    class: cable
    name: Cat6 patch, price unknown
    confidence: estimate
    source: test
    links: eth-1g
    medium: cat6
    reachM: 100
    watts: { value: 0, confidence: derived, note: passive }
    listPriceUsd: null
  - id: qlogic-qle2562
    class: hba
    name: 8G FC HBA, price and power unknown
    confidence: estimate
    source: test
    ports: [{ count: 2, link: [fc-8g, fc-4g], medium: sfp+ }]
    pcie: { gen: 2, lanes: 4, attach: card }
    watts: null
    listPriceUsd: null
`;

  it("are counted, never added as 0: the total is the known part and says how many items are unpriced", async () => {
    const b = bom(topo(TWO), await catalog(UNPRICED), { management: false });
    // 2 NICs at $425 (range $400-450); the switch and 2 Cat6 cables have no price.
    expect(b.totals).toMatchObject({ costUsd: 850, unpricedItems: 3, costRangeUsd: [800, 900] });
    expect(b.totals.unpricedKinds).toEqual(["generic-48x1g-tor", "cat6-patch"]);
    expect(item(b, "generic-48x1g-tor")).toMatchObject({ unitCostUsd: null, totalCostUsd: null });
    expect(formatBom(b)).toMatch(/list cost\s+≥ \$850 \(range \$800–\$900\); 3 items unpriced \(2 kinds\)/);
    expect(resultBom(b).totals).toEqual({
      adapters: 2,
      cables: 2,
      optics: 0,
      switchPorts: 2,
      rackUnits: 1,
      costUsd: 850,
      unpricedItems: 3,
      watts: 2 * 6.35 + 39,
    });
  });

  it("are null when nothing is priced, and a user catalog's prices fill them in", async () => {
    // An HBA whose price and power nobody knows (the built-in QLE2562 has estimates).
    const unknownHba = await catalog(`catalog: 1
entries:
  - id: qlogic-qle2562
    class: hba
    name: QLE2562 with unknown figures
    confidence: unverified
    source: none
    ports: [{ count: 2, link: [fc-8g, fc-4g], medium: sfp+ }]
    pcie: { gen: 2, lanes: 4, attach: card }
    watts: null
    listPriceUsd: null
`);
    const none = bom(
      topo(
        `${HEAD}    host1:\n      kind: server\n      adapters:\n        - { name: hba0, type: hba, link: fc-8g, ports: 2, bus: pcie-gen2-x4, model: qlogic-qle2562 }\n`,
      ),
      unknownHba,
      { management: false },
    );
    expect(none.totals).toMatchObject({ costUsd: null, unpricedItems: 1, watts: null, unknownWattsItems: 1 });
    expect(none.energy).toMatchObject({ kwh: null, costUsd: null, partial: true });

    const priced = await catalog(`catalog: 1
entries:
  - id: generic-48x1g-tor
    class: ethernet-switch
    name: our access switch
    confidence: solid
    source: our 2010 quote
    ports: [{ count: 48, link: eth-1g, medium: rj45 }, { count: 4, link: eth-10g, medium: sfp+, role: uplink }]
    rackUnits: 1
    watts: 40
    listPriceUsd: 1000
  - id: cat6-patch
    class: cable
    name: Cat6 patch
    confidence: rough
    source: our 2010 quote
    links: eth-1g
    medium: cat6
    reachM: 100
    watts: 0
    listPriceUsd: 5
`);
    const b = bom(topo(TWO), priced, { management: false });
    expect(b.totals).toMatchObject({ costUsd: 850 + 1000 + 10, unpricedItems: 0, unpricedKinds: [] });
    expect(formatBom(b)).toMatch(/list cost\s+\$1,860 \(range \$1,810–\$1,910\)\n/);
  });
});

describe("model ids", () => {
  it("are checked against the catalog by the BOM step, with the path of the field", () => {
    const b = bom(
      topo(
        SMALL.replace("model: generic-trident-plus-48x10g", "model: generic-trident-plus-48x10gx").replace(
          "model: generic-dual-10g-nic-82599",
          "model: cisco-ucs-5108",
        ),
      ),
      cat,
    );
    expect(b.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["topology.nodes.host1.adapters.0.model", "cisco-ucs-5108 is a chassis; a nic takes nic or cna or hca"],
      ["topology.nodes.host2.adapters.0.model", "cisco-ucs-5108 is a chassis; a nic takes nic or cna or hca"],
      ["topology.nodes.host3.adapters.0.model", "cisco-ucs-5108 is a chassis; a nic takes nic or cna or hca"],
      [
        "topology.nodes.tor.model",
        "no catalog entry generic-trident-plus-48x10gx (did you mean generic-trident-plus-48x10g?)",
      ],
    ]);
  });
});
