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
        traditional: { accessUplinks: 1 },
        director: { ibUplinks: 3 },
        ucs: { fiFcUplinks: 3 },
        mriov: { ethAdaptersPerBox: 1 },
      }[design];
      expect(comparable(generated(design, other))).not.toEqual(comparable(rack));
    });
  }

  it("the traditional file pins the host I/O with its sources", () => {
    const text = expandStudy(study(), "traditional");
    expect(text).toContain("Intel Ethernet cloud white paper");
    expect(text).toContain("8 x 1GbE + 2 x 8G FC");
    expect(text).not.toContain("reference.md");
  });
});

function linksBetween(t: ResolvedTopology, a: RegExp, b: RegExp): number {
  return t.links.filter((l) => (a.test(l.a.node) && b.test(l.b.node)) || (a.test(l.b.node) && b.test(l.a.node))).length;
}

describe("parameters change the hardware", () => {
  it("ucs: IOM uplinks 2 → 4 doubles the IOM-FI links (5 chassis x 2 IOMs)", () => {
    expect(linksBetween(generated("ucs"), /^iom/, /^fi-/)).toBe(20);
    const four = generated("ucs", { iomUplinks: 4 });
    expect(linksBetween(four, /^iom/, /^fi-/)).toBe(40);
    // Same IOM model (2204XP, 4 fabric ports installed); only the cabling changes.
    const iom = generated("ucs").nodes.find((n) => n.name === "iom1a")!;
    expect(iom.model).toBe("cisco-ucs-2204xp");
    expect(iom.ports.filter((p) => p.group === "fabric" && p.peer !== null).map((p) => p.name)).toEqual([
      "fabric1",
      "fabric2",
    ]);
  });

  it("ucs: 8 IOM uplinks need the 2208XP, and 4 chassis fill a 6248UP's 32 ports: a second domain", () => {
    const eight = generated("ucs", { iomUplinks: 8 });
    expect(linksBetween(eight, /^iom/, /^fi-/)).toBe(80);
    expect(eight.nodes.find((n) => n.name === "iom4b")!.model).toBe("cisco-ucs-2208xp");
    expect(eight.nodes.filter((n) => n.kind === "fabric-interconnect").map((n) => n.name)).toEqual([
      "fi-a1",
      "fi-b1",
      "fi-a2",
      "fi-b2",
    ]);
  });

  it("traditional: FEX access puts the 1GbE ports on 2248TPs under a 5548UP pair", () => {
    const t = generated("traditional", { access: "fex" });
    const fex = t.nodes.filter((n) => n.kind === "fabric-extender");
    expect(fex.map((n) => n.model)).toEqual(Array(6).fill("cisco-nexus-2248tp"));
    expect(t.nodes.filter((n) => n.kind === "ethernet-switch").map((n) => [n.name, n.model])).toEqual([
      ["n5k-a1", "cisco-nexus-5548up"],
      ["n5k-b1", "cisco-nexus-5548up"],
    ]);
    // Each FEX single-homed: its fabric links go to its own side's parent.
    expect(linksBetween(t, /^fex-a/, /^n5k-a1$/)).toBe(6);
    expect(linksBetween(t, /^fex-a/, /^n5k-b/)).toBe(0);
  });

  it("traditional: one uplink fewer per access switch removes 8 LAN links", () => {
    expect(linksBetween(generated("traditional"), /^sw/, /^lan$/)).toBe(16);
    expect(linksBetween(generated("traditional", { accessUplinks: 1 }), /^sw/, /^lan$/)).toBe(8);
  });

  it("director: one Ethernet module more per director doubles the LAN ports", () => {
    expect(linksBetween(generated("director"), /^dir-/, /^lan$/)).toBe(8);
    expect(linksBetween(generated("director", { ethModules: 2 }), /^dir-/, /^lan$/)).toBe(16);
  });

  it("mriov: 8 hosts per box doubles the box pairs and their adapters", () => {
    const t = generated("mriov", { hostsPerBox: 8 });
    expect(t.nodes.filter((n) => n.kind === "pcie-switch").map((n) => n.name)).toEqual(
      [1, 2, 3, 4, 5].flatMap((i) => [`pbox-a${i}`, `pbox-b${i}`]),
    );
    const sa = t.nodes.find((n) => n.name === "sa-fc-b3-1");
    expect(sa?.kind === "shared-adapter" && sa.hosts).toEqual(Array.from({ length: 8 }, (_, i) => `host${17 + i}`));
  });

  it("mriov: 3 FC adapters per box spread the vHBAs over their 6 ports", () => {
    const t = generated("mriov", { fcAdaptersPerBox: 3 });
    const pins = new Set<string>();
    for (const n of t.nodes)
      if (n.kind === "server" && Number(n.name.slice(4)) <= 16)
        for (const a of n.adapters)
          for (const v of a.vifs) if (v.type === "vhba") pins.add(`${v.pin!.node}:${v.pin!.port}`);
    expect(pins.size).toBe(12);
  });

  it("refuses unknown parameters, out-of-range values and impossible combinations", () => {
    const s = study();
    expect(() => expandStudy(s, "ucs", { iomUplink: 2 })).toThrow(/unknown ucs parameter "iomUplink"/);
    expect(() => expandStudy(s, "ucs", { iomUplinks: 3 })).toThrow(/iomUplinks must be one of 1, 2, 4, 8/);
    expect(() => expandStudy(s, "traditional", { accessUplinks: 3 })).toThrow(DesignError);
    expect(() => expandStudy(s, "ucs", { fiLanUplinks: 12, fiFcUplinks: 8 })).toThrow(/expansion ports/);
    expect(() => expandStudy(s, "ucs", { fiModel: "6120xp", iomUplinks: 8 })).toThrow(/2104XP/);
  });
});

describe("a site of 44 servers (4 idle servers beyond the groups)", () => {
  function bigger(): Study {
    const r = parseStudy(read(STUDY_FILE).replace("servers: 40", "servers: 44"), STUDY_FILE);
    if (!r.ok) throw new Error(formatIssues(r.issues));
    return r.study;
  }

  it("ucs: a sixth, half-filled chassis", () => {
    const t = load(expandStudy(bigger(), "ucs"), "ucs44");
    const blades = t.nodes.filter((n) => n.kind === "server");
    expect(blades).toHaveLength(44);
    expect(blades.at(-1)).toMatchObject({ name: "host44", chassis: "chassis6" });
    expect(t.nodes.filter((n) => n.kind === "fabric-extender")).toHaveLength(12);
    expect(linksBetween(t, /^host/, /^iom6a$/)).toBe(4);
    expect(linksBetween(t, /^iom/, /^fi-/)).toBe(24);
  });

  it("mriov: a third box pair for the last 12 servers", () => {
    const t = load(expandStudy(bigger(), "mriov"), "mriov44");
    const box = t.nodes.find((n) => n.name === "sa-fc-a3-1");
    expect(box?.kind === "shared-adapter" && box.hosts).toEqual(Array.from({ length: 12 }, (_, i) => `host${33 + i}`));
  });

  it("director: a second IB expansion switch per side", () => {
    const t = load(expandStudy(bigger(), "director"), "director44");
    expect(t.nodes.filter((n) => n.kind === "ib-switch").map((n) => n.name)).toEqual([
      "ib-a1",
      "ib-a2",
      "ib-b1",
      "ib-b2",
    ]);
  });
});
