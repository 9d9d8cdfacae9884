import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DEFAULT_HOST_IO, parseStudy, type Study } from "../../../src/study/index.js";
import { formatIssues } from "../../../src/topology/index.js";

const STUDY_FILE = "topologies/studies/last-mile.yaml";
const TEXT = readFileSync(new URL(`../../../${STUDY_FILE}`, import.meta.url), "utf8");

function load(text: string): Study {
  const r = parseStudy(text, "study.yaml");
  if (!r.ok) throw new Error(formatIssues(r.issues));
  return r.study;
}

function issues(text: string): string {
  const r = parseStudy(text, "study.yaml");
  if (r.ok) throw new Error("expected the study to be rejected");
  return formatIssues(r.issues);
}

describe("the reference study", () => {
  it("parses, with its population, groups, SLAs and the four designs", () => {
    const s = load(TEXT);
    expect(s.file.name).toBe("last-mile");
    expect(s.file.servers).toBe(40);
    expect(s.file.vmsPerHost).toBe(8);
    expect(s.groups.map((g) => [g.name, g.class, g.first, g.last])).toEqual([
      ["virtualized", "virtualized", 1, 35],
      ["latency-sensitive", "virtualized", 36, 36],
      ["database", "last-mile", 37, 38],
      ["backup", "last-mile", 39, 39],
      ["storage-heavy", "last-mile", 40, 40],
    ]);
    // The last mile is the seed's 5-10 % of the site.
    const lastMile = s.groups.filter((g) => g.class === "last-mile").reduce((a, g) => a + g.hosts, 0);
    expect(lastMile / s.file.servers).toBe(0.1);
    expect(s.groups.flatMap((g) => g.workloads.map((w) => w.name))).toEqual([
      "vm-lan",
      "vm-disk",
      "latency-sensitive",
      "db-io",
      "db-lan",
      "backup",
      "storage-heavy",
    ]);
    expect(s.file.sla).toHaveLength(5);
    expect(s.file.survive).toBe("single-failure");
    expect(s.designs).toEqual(["traditional", "director", "ucs", "mriov"]);
  });

  it("gives every group its host I/O: its own, else the study's", () => {
    const s = load(TEXT);
    const io = Object.fromEntries(s.groups.map((g) => [g.name, g.hostIo]));
    expect(io.virtualized).toEqual({ eth: { ports: 8, link: "eth-1g" }, fc: { ports: 2, link: "fc-8g" } });
    expect(io.database).toEqual({ eth: { ports: 4, link: "eth-10g" }, fc: { ports: 2, link: "fc-8g" } });
    expect(io["storage-heavy"]!.fc.ports).toBe(4);
    // Without a study io, the 2010 baseline.
    expect(load(TEXT.replace(/^io: .*$/m, "")).groups[0]!.hostIo).toEqual(DEFAULT_HOST_IO);
  });

  it("gives every parameter its current value and its search space", () => {
    const s = load(TEXT);
    const ucs = s.parameters.ucs!;
    expect(ucs.iomUplinks).toMatchObject({ value: 2, candidates: [1, 2, 4, 8] });
    expect(ucs.fiLanUplinks).toMatchObject({ value: 4, candidates: [1, 2, 3, 4, 5, 6, 7, 8] });
    expect(ucs.fiModel).toMatchObject({ value: "6248up", candidates: ["6248up"] });
    expect(s.parameters.traditional!.access).toMatchObject({ value: "switch", candidates: ["switch", "fex"] });
    expect(s.parameters.mriov!.hostsPerBox).toMatchObject({ value: 16, candidates: [8, 16] });
  });

  it("fills in defaults for parameters the study leaves out, as fixed values", () => {
    const s = load(TEXT.replace("      iomUplinks: { value: 2, choices: [1, 2, 4, 8] }\n", ""));
    expect(s.parameters.ucs!.iomUplinks).toMatchObject({ value: 4, candidates: [4] });
  });

  it("refuses a single port where a redundant design needs sides A and B, and sizes beyond 1,000 servers", () => {
    const text = TEXT.replace(
      "io: { eth: { ports: 2, link: eth-10g }, fc: { ports: 2, link: fc-8g } }",
      "io: { fc: { ports: 1, link: fc-8g } }",
    ).replace("sizes: [32, 64, 128, 256, 512]", "sizes: [3, 64, 2048]");
    const found = issues(text);
    expect(found).toMatch(
      /groups\[3\]\.io\.fc\.ports: group backup: 1 FC port per server; a redundant design needs at least 2/,
    );
    expect(found).toMatch(/sizes\[0\]: 3 servers cannot hold one server of each of the 5 groups/);
    expect(found).toMatch(/sizes\[2\]: 2048 servers; a site size is at most 1000/);
  });
});

const BROKEN = `name: broken
servers: 32
vmsPerHost: 8
groups:
  - name: virtualized
    class: virtualised
    hosts: 24
    workloads:
      - { name: vm-lan, vms: all, to: lan, pattern: poisson, rate: 40MBps, size: 4KiB }
  - name: database
    class: last-mile
    hosts: 4
    workloads:
      - { name: db-io, to: strage, pattern: iops, iops: 15000, size: 8KiB }
sla:
  - { workload: db-oi, metric: latency.p99, target: 2ms }
designs:
  ucs:
    parameters:
      iomUplinks: { value: 3, choices: [1, 2, 4, 8] }
      fiLanUplink: 8
`;

describe("a broken study", () => {
  it("reports schema problems with file:line:col and the path", () => {
    expect(issues(BROKEN)).toMatchInlineSnapshot(`
      "study.yaml:6:12 groups[0].class: unknown class "virtualised"; expected one of: virtualized, last-mile
      study.yaml:9:68 groups[0].workloads[0].rate: rates are in bits per second: "40MBps" is bytes per second; write "320Mbps""
    `);
  });

  it("reports cross-reference problems once the schema is satisfied", () => {
    const text = BROKEN.replace("virtualised", "virtualized").replace("40MBps", "40Mbps");
    expect(issues(text)).toMatchInlineSnapshot(`
      "study.yaml:14:28 groups[1].workloads[0].to: unknown target "strage" (did you mean "storage"?)
      study.yaml:16:17 sla[0].workload: unknown workload "db-oi" (did you mean "db-io"?)
      study.yaml:20:28 designs.ucs.parameters.iomUplinks.value: iomUplinks must be one of 1, 2, 4, 8, got 3
      study.yaml:21:20 designs.ucs.parameters.fiLanUplink: unknown ucs parameter "fiLanUplink" (did you mean "fiLanUplinks"?)"
    `);
  });

  it("reports too many hosts, too many VMs and a value outside the study's own range", () => {
    const text = `name: s
servers: 4
vmsPerHost: 2
groups:
  - { name: a, class: virtualized, hosts: 3, workloads: [{ name: w, vms: 4, to: lan, pattern: bulk, size: 1MiB }] }
  - { name: b, class: last-mile, hosts: 2 }
designs:
  director:
    parameters:
      ibUplinks: { value: 6, range: [1, 4] }
      fcModules: { value: 2, range: [1, 40] }
`;
    expect(issues(text)).toMatchInlineSnapshot(`
      "study.yaml:2:10 servers: the groups hold 5 hosts, more than the 4 servers
      study.yaml:5:74 groups[0].workloads[0].vms: 4 VMs per host, but vmsPerHost is 2
      study.yaml:10:27 designs.director.parameters.ibUplinks.value: ibUplinks = 6 lies outside the study's own range
      study.yaml:11:30 designs.director.parameters.fcModules.range: fcModules must be between 1 and 14, got 40"
    `);
  });

  it("a syntax error is one issue", () => {
    expect(issues("name: x\ngroups: [\n")).toMatch(/^study\.yaml:\d+:\d+ \(syntax\): /);
  });
});
