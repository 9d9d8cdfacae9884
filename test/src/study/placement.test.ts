import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { expandStudy } from "../../../src/design/index.js";
import { parseStudy, type Study } from "../../../src/study/index.js";
import { groupOfHost, type HostRange, placeGroups } from "../../../src/study/placement.js";
import { formatIssues, parseTopology, type ResolvedTopology } from "../../../src/topology/index.js";

const STUDY = readFileSync(new URL("../../../topologies/studies/last-mile.yaml", import.meta.url), "utf8");

function study(text: string): Study {
  const r = parseStudy(text, "study.yaml");
  if (!r.ok) throw new Error(formatIssues(r.issues));
  return r.study;
}

const spreadText = (text: string) => text.replace(/^servers: 40.*$/m, "servers: 40\nplacement: spread");

const hostsIn = (ranges: readonly HostRange[]) =>
  ranges.flatMap((r) => Array.from({ length: r.last - r.first + 1 }, (_, i) => r.first + i));

describe("placeGroups", () => {
  it("grouped: the groups take consecutive hosts in file order, servers in no group last", () => {
    expect(placeGroups([3, 1, 2], 8, "grouped")).toEqual([
      [{ first: 1, last: 3 }],
      [{ first: 4, last: 4 }],
      [{ first: 5, last: 6 }],
    ]);
  });

  it("spread: the reference study's last mile lands in five different stretches of eight hosts", () => {
    const ranges = placeGroups([35, 1, 2, 1, 1], 40, "spread");
    expect(ranges.slice(1).map(hostsIn)).toEqual([[14], [6, 35], [21], [27]]);
    expect(new Set([14, 6, 35, 21, 27].map((h) => Math.ceil(h / 8))).size).toBe(5);
  });

  it("spread: every group gets exactly its count, the groups never share a host, and none bunches up", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 60 }), { minLength: 1, maxLength: 8 }),
        fc.nat(40),
        (counts, idle) => {
          const servers = counts.reduce((a, b) => a + b, 0) + idle;
          fc.pre(servers > 0);
          const ranges = placeGroups(counts, servers, "spread");
          const seen = new Set<number>();
          ranges.forEach((rs, g) => {
            const hosts = hostsIn(rs);
            expect(hosts.length).toBe(counts[g]);
            expect([...hosts].sort((a, b) => a - b)).toEqual(hosts);
            for (const h of hosts) {
              expect(h >= 1 && h <= servers && !seen.has(h)).toBe(true);
              seen.add(h);
            }
            // Evenly spread: consecutive hosts of a group less than twice the even spacing N / c apart.
            for (let i = 1; i < hosts.length; i++)
              expect(hosts[i]! - hosts[i - 1]!).toBeLessThan((2 * servers) / counts[g]!);
          });
        },
      ),
    );
  });

  it("refuses groups that do not fit", () => {
    expect(() => placeGroups([5, 6], 10, "spread")).toThrow(/11 hosts, more than the 10 servers/);
  });

  it("groupOfHost gives each host its group, -1 for servers in no group", () => {
    expect([...groupOfHost(placeGroups([2, 1], 4, "grouped"), 4)]).toEqual([-1, 0, 0, 1, -1]);
  });
});

describe("a study's placement", () => {
  it("is grouped by default and spread when the study says so", () => {
    expect(study(STUDY).file.placement).toBe("grouped");
    const s = study(spreadText(STUDY));
    expect(s.groups.find((g) => g.name === "database")!.ranges).toEqual([
      { first: 6, last: 6 },
      { first: 35, last: 35 },
    ]);
  });

  it("refuses a placement it does not know, naming the choices", () => {
    const r = parseStudy(STUDY.replace(/^servers: 40.*$/m, "servers: 40\nplacement: scattered"), "study.yaml");
    expect(r.ok).toBe(false);
    if (!r.ok) expect(formatIssues(r.issues)).toMatch(/study\.yaml:\d+:\d+ placement: .*grouped.*spread/);
  });

  /** The node each host's first cable reaches (its chassis IOM, PCIe box or switch). */
  function firstHop(t: ResolvedTopology, host: string): string[] {
    const peers = t.links.flatMap((l) => (l.a.node === host ? [l.b.node] : l.b.node === host ? [l.a.node] : []));
    return [...new Set(peers)].sort();
  }

  for (const [design, unit] of [
    ["ucs", /^iom\d+a$/],
    ["mriov", /^pbox-a/],
  ] as const) {
    it(`${design}: spread puts each last-mile server behind its own ${design === "ucs" ? "chassis" : "PCIe box"} where there are enough`, () => {
      const s = study(spreadText(STUDY));
      const r = parseTopology(expandStudy(s, design), `<expand ${design}>`);
      if (!r.ok) throw new Error(formatIssues(r.issues));
      const heavy = s.groups.filter((g) => g.class === "last-mile").flatMap((g) => hostsIn(g.ranges));
      const units = heavy.map((h) => firstHop(r.topology, `host${h}`).find((n) => unit.test(n)));
      expect(units.every((u) => u !== undefined)).toBe(true);
      const boxes = new Set(r.topology.nodes.filter((n) => unit.test(n.name)).map((n) => n.name)).size;
      // As many different units as there are last-mile servers, or every unit when there are fewer.
      expect(new Set(units).size).toBe(Math.min(heavy.length, boxes));
      // Grouped, they share the last unit.
      const g = study(STUDY);
      const rg = parseTopology(expandStudy(g, design), `<expand ${design}>`);
      if (!rg.ok) throw new Error(formatIssues(rg.issues));
      const grouped = g.groups.filter((x) => x.class === "last-mile").flatMap((x) => hostsIn(x.ranges));
      expect(new Set(grouped.map((h) => firstHop(rg.topology, `host${h}`).find((n) => unit.test(n)))).size).toBe(1);
    });
  }

  it("keeps every workload's instances: the same count spread as grouped", () => {
    for (const design of ["traditional", "director", "ucs", "mriov"] as const) {
      const count = (text: string) => {
        const r = parseTopology(expandStudy(study(text), design), design);
        if (!r.ok) throw new Error(formatIssues(r.issues));
        return r.topology.workloads.flatMap((w) => w.instances).length;
      };
      expect(count(spreadText(STUDY))).toBe(count(STUDY));
    }
  });
});
