import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { expandStudy } from "../../../src/design/index.js";
import { parseStudy, type Study } from "../../../src/study/index.js";
import { hostsAtShare, virtualizeFirst } from "../../../src/study/virtualize.js";
import { formatIssues } from "../../../src/topology/index.js";

const STUDY = readFileSync(new URL("../../../topologies/studies/last-mile.yaml", import.meta.url), "utf8");

function study(text: string): Study {
  const r = parseStudy(text, "study.yaml");
  if (!r.ok) throw new Error(formatIssues(r.issues));
  return r.study;
}

const groupsOf = (s: Study) => s.groups.map((g) => `${g.name}:${g.hosts}`);

describe("virtualizeFirst", () => {
  const site = study(STUDY);

  it("puts a share of the site's servers on the fabric, rounded to the nearest server", () => {
    expect([0.6, 0.7, 0.8, 0.9, 1].map((s) => hostsAtShare(site, s))).toEqual([24, 28, 32, 36, 40]);
    expect(() => hostsAtShare(site, 0)).toThrow(RangeError);
    expect(() => hostsAtShare(site, 1.01)).toThrow(RangeError);
  });

  it("virtualizes the already-virtualized groups first, then the last-mile groups in file order", () => {
    expect(groupsOf(virtualizeFirst(site, 24))).toEqual(["virtualized:24"]);
    expect(groupsOf(virtualizeFirst(site, 36))).toEqual(["virtualized:35", "latency-sensitive:1"]);
    expect(groupsOf(virtualizeFirst(site, 38))).toEqual(["virtualized:35", "latency-sensitive:1", "database:2"]);
    expect(groupsOf(virtualizeFirst(site, 40))).toEqual(groupsOf(site));
    expect(virtualizeFirst(site, 37).file.servers).toBe(37);
  });

  it("keeps only SLA rows of workloads still on the fabric", () => {
    const rows = (s: Study) => s.file.sla.map((r) => r.workload);
    expect(rows(virtualizeFirst(site, 24))).toEqual(["vm-lan"]);
    expect(rows(virtualizeFirst(site, 38))).toEqual(["db-io", "latency-sensitive", "vm-lan"]);
    expect(rows(virtualizeFirst(site, 40))).toEqual(rows(site));
  });

  it("drops east-west workloads whose target group has no host left on the fabric", () => {
    // latency-sensitive is an already-virtualized group: it comes right after the 35 others,
    // before the databases it talks to, which are not on the fabric at 36 servers.
    const sub = virtualizeFirst(site, 36);
    expect(groupsOf(sub)).toEqual(["virtualized:35", "latency-sensitive:1"]);
    expect(sub.groups[1]!.workloads).toEqual([]);
    expect(sub.file.sla.map((r) => r.workload)).toEqual(["vm-lan"]);
  });

  it("keeps the QoS marking of workloads still on the fabric only, so every share expands", () => {
    const marked = (s: Study) => s.file.qos?.ucs?.workloads;
    expect(marked(site)).toEqual({ "latency-sensitive": "messaging", backup: "backup" });
    expect(marked(virtualizeFirst(site, 36))).toEqual({});
    expect(marked(virtualizeFirst(site, 38))).toEqual({ "latency-sensitive": "messaging" });
    // The classes and policies stay: UCS's system classes are the domain's, whoever uses them.
    expect(virtualizeFirst(site, 24).file.qos?.ucs?.policies).toEqual(site.file.qos?.ucs?.policies);
    for (const n of [24, 36, 38, 39]) expect(() => expandStudy(virtualizeFirst(site, n), "ucs")).not.toThrow();
  });

  it("rejects no servers or more than the site has", () => {
    expect(() => virtualizeFirst(site, 0)).toThrow(RangeError);
    expect(() => virtualizeFirst(site, 41)).toThrow(RangeError);
  });
});
