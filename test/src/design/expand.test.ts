import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DesignError, expandStudy } from "../../../src/design/index.js";
import { parseStudy, type Study } from "../../../src/study/index.js";
import { formatIssues, parseTopology, type ResolvedTopology } from "../../../src/topology/index.js";
import type { Design } from "../../../src/topology/types.js";

const ROOT = new URL("../../../", import.meta.url);
const STUDY_FILE = "topologies/studies/last-mile.yaml";

function read(path: string): string {
  return readFileSync(new URL(path, ROOT), "utf8");
}

function study(): Study {
  const r = parseStudy(read(STUDY_FILE), STUDY_FILE);
  if (!r.ok) throw new Error(formatIssues(r.issues));
  return r.study;
}

function load(text: string, file: string): ResolvedTopology {
  const r = parseTopology(text, file);
  if (!r.ok) throw new Error(`${formatIssues(r.issues)}\n--- ${file}:\n${text}`);
  return r.topology;
}

/**
 * What the comparison leaves out: `description` only (free prose; the study
 * carries the racks' descriptions too, but a rewording must not fail the test).
 * Comments and key order never reach the resolved topology. Everything else —
 * name, design, experiment, nodes (order, ports, adapters, vifs, models),
 * links (order, endpoints, protocol, length, lossless, source index), workloads
 * (instances, via, targets), SLA rows, survive, faults — must be equal.
 */
function comparable(t: ResolvedTopology): Omit<ResolvedTopology, "description"> {
  const { description: _ignored, ...rest } = t;
  return rest;
}

function generated(design: Design, overrides: Record<string, number | string> = {}): ResolvedTopology {
  return load(expandStudy(study(), design, overrides), `<expand ${design}>`);
}

const DESIGNS: readonly Design[] = ["traditional", "director", "ucs", "mriov"];

describe("expand of the reference study reproduces the reference racks", () => {
  for (const design of DESIGNS) {
    it(`${design}: equals topologies/${design}-rack.yaml`, () => {
      const rack = load(read(`topologies/${design}-rack.yaml`), `${design}-rack.yaml`);
      const ours = generated(design);
      // Cheap, readable checks first so a failure says where it differs.
      expect(ours.nodes.map((n) => n.name)).toEqual(rack.nodes.map((n) => n.name));
      expect(ours.links.length).toBe(rack.links.length);
      expect(comparable(ours)).toEqual(comparable(rack));
      // The description is carried too (it is in the study), just not required.
      expect(ours.description).toBe(rack.description);
      // And the comparison is not vacuous: another parameter value differs.
      const other = {
        traditional: { torUplinks: 3 },
        director: { ibUplinks: 3 },
        ucs: { fiFcUplinks: 3 },
        mriov: { ethAdaptersPerBox: 1 },
      }[design];
      expect(comparable(generated(design, other))).not.toEqual(comparable(rack));
    });
  }

  it("the traditional file pins the host I/O with its source", () => {
    const text = expandStudy(study(), "traditional");
    expect(text).toContain("reference.md §5.1");
    expect(text).toContain("8 x 1GbE + 2 x 8G FC");
  });
});

function linksBetween(t: ResolvedTopology, a: RegExp, b: RegExp): number {
  return t.links.filter((l) => (a.test(l.a.node) && b.test(l.b.node)) || (a.test(l.b.node) && b.test(l.a.node))).length;
}

describe("parameters change the hardware", () => {
  it("ucs: IOM uplinks 4 → 2 halves the IOM-FI links", () => {
    const four = generated("ucs");
    const two = generated("ucs", { iomUplinks: 2 });
    expect(linksBetween(four, /^iom/, /^fi-/)).toBe(32);
    expect(linksBetween(two, /^iom/, /^fi-/)).toBe(16);
    // Same IOM model (2204XP, 4 fabric ports installed); only the cabling changes.
    const iom = two.nodes.find((n) => n.name === "iom1a")!;
    expect(iom.model).toBe("cisco-ucs-2204xp");
    expect(iom.ports.filter((p) => p.group === "fabric" && p.peer !== null).map((p) => p.name)).toEqual([
      "fabric1",
      "fabric2",
    ]);
  });

  it("ucs: 8 IOM uplinks need the 2208XP", () => {
    const eight = generated("ucs", { iomUplinks: 8 });
    expect(linksBetween(eight, /^iom/, /^fi-/)).toBe(64);
    expect(eight.nodes.find((n) => n.name === "iom4b")!.model).toBe("cisco-ucs-2208xp");
  });

  it("traditional: 10GbE NICs are dual-port, so 2 NICs give 4 ToR switches and a 2-port team", () => {
    const t = generated("traditional", { nicLink: "eth-10g", teamPorts: 2 });
    const host = t.nodes.find((n) => n.name === "host1");
    expect(host?.kind).toBe("server");
    if (host?.kind !== "server") return;
    expect(host.adapters.map((a) => [a.name, a.link, a.ports.length])).toEqual([
      ["nic0", "eth-10g", 2],
      ["nic1", "eth-10g", 2],
      ["hba0", "fc-8g", 2],
    ]);
    expect(t.nodes.filter((n) => n.kind === "ethernet-switch").map((n) => n.name)).toEqual([
      "tor1",
      "tor2",
      "tor3",
      "tor4",
    ]);
    const vmLan = t.workloads.find((w) => w.name === "vm-lan")!;
    expect(vmLan.instances[0]!.via).toEqual({ kind: "ports", ports: ["nic1/1", "nic1/2"] });
  });

  it("traditional: one NIC fewer removes its four ToR switches and 128 cables", () => {
    const ref = generated("traditional");
    const t = generated("traditional", { nics: 1, teamPorts: 2 });
    expect(t.nodes.filter((n) => n.kind === "ethernet-switch")).toHaveLength(4);
    expect(ref.links.length - t.links.length).toBe(4 * 32 + 4 * 4); // host links + ToR uplinks
  });

  it("director: one Ethernet module per director halves the LAN ports", () => {
    const t = generated("director", { ethModules: 1 });
    expect(linksBetween(t, /^dir-/, /^lan$/)).toBe(8);
    expect(linksBetween(generated("director"), /^dir-/, /^lan$/)).toBe(16);
  });

  it("mriov: 8 hosts per shared adapter doubles the boxes and their adapters", () => {
    const t = generated("mriov", { hostsPerAdapter: 8 });
    expect(t.nodes.filter((n) => n.kind === "pcie-switch").map((n) => n.name)).toEqual([
      "pbox-a",
      "pbox-b",
      "pbox-c",
      "pbox-d",
    ]);
    const shared = t.nodes.filter((n) => n.kind === "shared-adapter");
    expect(shared).toHaveLength(16);
    const sa = shared.find((n) => n.name === "sa-fc-c1");
    expect(sa?.kind === "shared-adapter" && sa.hosts).toEqual([
      "host17",
      "host18",
      "host19",
      "host20",
      "host21",
      "host22",
      "host23",
      "host24",
    ]);
  });

  it("mriov: 3 FC adapters (6 ports) over 16 hosts still pins every host", () => {
    const t = generated("mriov", { fcAdaptersPerBox: 3 });
    const pins = new Set<string>();
    for (const n of t.nodes)
      if (n.kind === "server") {
        const pin = n.adapters[0]!.vifs.find((v) => v.name === "vhba0")!.pin!;
        pins.add(`${pin.node}:${pin.port}`);
      }
    expect(pins.size).toBe(12);
  });

  it("refuses unknown parameters, out-of-range values and impossible combinations", () => {
    const s = study();
    expect(() => expandStudy(s, "ucs", { iomUplink: 2 })).toThrow(/unknown ucs parameter "iomUplink"/);
    expect(() => expandStudy(s, "ucs", { iomUplinks: 3 })).toThrow(/iomUplinks must be one of 1, 2, 4, 8/);
    expect(() => expandStudy(s, "traditional", { nics: 1 })).toThrow(DesignError);
    expect(() => expandStudy(s, "ucs", { fiLanUplinks: 12, fiFcUplinks: 8 })).toThrow(/expansion module/);
  });
});

describe("a site of 36 servers (4 idle hosts beyond the groups)", () => {
  function bigger(): Study {
    const r = parseStudy(read(STUDY_FILE).replace("servers: 32", "servers: 36"), STUDY_FILE);
    if (!r.ok) throw new Error(formatIssues(r.issues));
    return r.study;
  }

  it("ucs: a fifth, half-filled chassis", () => {
    const t = load(expandStudy(bigger(), "ucs"), "ucs36");
    const blades = t.nodes.filter((n) => n.kind === "server");
    expect(blades).toHaveLength(36);
    expect(blades.at(-1)).toMatchObject({ name: "host36", chassis: "chassis5" });
    expect(t.nodes.filter((n) => n.kind === "fabric-extender")).toHaveLength(10);
    expect(linksBetween(t, /^host/, /^iom5a$/)).toBe(4);
    expect(linksBetween(t, /^iom/, /^fi-/)).toBe(40);
  });

  it("mriov: a third box for the last 4 hosts, each pinned to its own FC port", () => {
    const t = load(expandStudy(bigger(), "mriov"), "mriov36");
    const box = t.nodes.find((n) => n.name === "sa-fc-c1");
    expect(box?.kind === "shared-adapter" && box.hosts).toEqual(["host33", "host34", "host35", "host36"]);
  });

  it("director: 36 hosts + 4 uplinks do not fit one 36-port IB switch per fabric (not generated)", () => {
    expect(() => expandStudy(bigger(), "director")).toThrow(/exceed a 36-port InfiniBand switch/);
  });
});
