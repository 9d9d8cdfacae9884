import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DEFAULT_HOST_IO, parseStudy, type Study } from "../../../src/study/index.js";
import { formatIssues } from "../../../src/topology/index.js";
import { DEFAULT_LIMITS, LARGE_LIMITS, type SizeLimits } from "../../../src/topology/size.js";

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
    expect(s.groups.map((g) => [g.name, g.class, g.ranges])).toEqual([
      ["virtualized", "virtualized", [{ first: 1, last: 35 }]],
      ["latency-sensitive", "virtualized", [{ first: 36, last: 36 }]],
      ["database", "last-mile", [{ first: 37, last: 38 }]],
      ["backup", "last-mile", [{ first: 39, last: 39 }]],
      ["storage-heavy", "last-mile", [{ first: 40, last: 40 }]],
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

  it("refuses a single port where a redundant design needs sides A and B, and sizes beyond 4,096 servers", () => {
    const text = TEXT.replace(
      "io: { eth: { ports: 2, link: eth-10g }, fc: { ports: 2, link: fc-8g } }",
      "io: { fc: { ports: 1, link: fc-8g } }",
    ).replace("sizes: [32, 64, 128, 256, 512]", "sizes: [3, 64, 5000]");
    const found = issues(text);
    expect(found).toMatch(
      /groups\[3\]\.io\.fc\.ports: group backup: 1 FC port per server; a redundant design needs at least 2/,
    );
    expect(found).toMatch(/sizes\[0\]: 3 servers cannot hold one server of each of the 5 groups/);
    expect(found).toMatch(
      /sizes\[2\]: 5,000 servers; a site size is at most 4,096 \(raise the limit with --allow-large\)/,
    );
  });

  it("takes sizes of thousands of servers: up to 4,096 by default, more under the raised limits", () => {
    const at = (sizes: string, limits: SizeLimits = DEFAULT_LIMITS) =>
      parseStudy(TEXT.replace("sizes: [32, 64, 128, 256, 512]", `sizes: [${sizes}]`), "study.yaml", { limits });
    expect(at("2048, 4096").ok).toBe(true);
    const over = at("8192");
    expect(over.ok).toBe(false);
    if (!over.ok) expect(over.issues.every((i) => i.budget === true)).toBe(true);
    expect(at("8192", LARGE_LIMITS).ok).toBe(true);
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

  it("reports QoS marking of a workload the study does not have", () => {
    const text = TEXT.replace(
      "workloads: { latency-sensitive: messaging, backup: backup }",
      "workloads: { latency-sensitve: messaging }",
    );
    expect(issues(text)).toMatch(
      /^study\.yaml:\d+:\d+ qos\.ucs\.workloads\.latency-sensitve: unknown workload "latency-sensitve" \(did you mean "latency-sensitive"\?\)$/m,
    );
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

describe("a study the design generators could not build", () => {
  it("refuses a storage array named like a generated node (host1, fi-a), which would collide in the topology", () => {
    expect(issues(TEXT.replace("storage: { name: array1", "storage: { name: host1"))).toBe(
      'study.yaml:14:18 storage.name: storage name "host1" collides with the nodes the design generators make (host1, lan, tor1, san-a, fi-a, iom1a, …); pick another, e.g. array1',
    );
    expect(issues(TEXT.replace("storage: { name: array1", "storage: { name: fi-a"))).toMatch(
      /^study\.yaml:14:18 storage\.name: storage name "fi-a" collides/,
    );
  });

  it("refuses a group named lan or storage: to: would not know which is meant", () => {
    expect(issues(TEXT.replace("  - name: backup # host39", "  - name: lan # host39"))).toBe(
      "study.yaml:45:11 groups[3].name: a group cannot be named lan: a workload's to: lan means the LAN",
    );
  });

  it("names every node the generators make at the reference values with one of the reserved patterns", async () => {
    const { expandStudy } = await import("../../../src/design/index.js");
    const { GENERATED_NODE_NAMES } = await import("../../../src/study/load.js");
    const { parse } = await import("yaml");
    const { expandNames } = await import("../../../src/topology/ranges.js");
    const study = load(TEXT);
    for (const design of study.designs) {
      const doc = parse(expandStudy(study, design)) as { topology: { nodes: Record<string, unknown> } };
      const names = Object.keys(doc.topology.nodes).flatMap((k) => {
        const r = expandNames(k);
        return r.ok ? [...r.value] : [k];
      });
      const storage = study.file.storage.name;
      const unmatched = names.filter((n) => n !== storage && !GENERATED_NODE_NAMES.some((re) => re.test(n)));
      expect({ design, unmatched }).toEqual({ design, unmatched: [] });
    }
  });

  it("refuses a reserved key anywhere in the file", () => {
    expect(issues(TEXT.replace("vmsPerHost: 8", "vmsPerHost: 8\n__proto__: { x: 1 }"))).toBe(
      `study.yaml:14:1 __proto__: "__proto__" is a reserved name (it would reach JavaScript's object prototype); rename the key`,
    );
  });
});

describe("an oversized study", () => {
  it("is refused by its size before any design is generated, naming the override", () => {
    const r = parseStudy(TEXT.replace("servers: 40 #", "servers: 100000 #"), "study.yaml");
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.every((i) => i.budget === true)).toBe(true);
    expect(formatIssues(r.issues)).toBe(
      "study.yaml:12:10 servers: the study describes 100,000 servers, more than the limit of 4,096; raise the limits with --allow-large\n" +
        "study.yaml:13:13 vmsPerHost: the study describes 800,000 VMs, more than the limit of 200,000; raise the limits with --allow-large",
    );
  });

  it("is refused when a generated topology's run would pass the event limit", () => {
    const r = parseStudy(TEXT.replace("duration: 20ms", "duration: 100s"), "study.yaml");
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.every((i) => i.budget === true)).toBe(true);
    // The issue points at the design's key in the file.
    const line = TEXT.split("\n").findIndex((l) => l.startsWith("  traditional:")) + 1;
    expect(formatIssues(r.issues).startsWith(`study.yaml:${line}:3 designs.traditional:`)).toBe(true);
    expect(formatIssues(r.issues)).toMatch(
      /^study\.yaml:\d+:3 designs\.traditional: the traditional topology generated at the study's current values: a run of 100 s × 1 replication would take about [\d.]+e9 events .*more than the limit of 5\.0e8/,
    );
  });

  it("refuses host I/O, years of ownership and price draws past their bounds before any design is generated", () => {
    // Found by the fuzz: 10^15 ports per server was accepted and ran `expand` out of memory.
    const text = TEXT.replace("fc: { ports: 4, link: fc-8g }", "fc: { ports: 1e15, link: fc-8g }")
      .replace("years: 3,", "years: 1e15,")
      .replace("draws: 1000 #", "draws: 1e15 #");
    const out = issues(text);
    expect(out).toMatch(/groups\[4\]\.io\.fc\.ports: 1000000000000000 is above 64: a server carries/);
    expect(out).toMatch(/cost\.years: 1000000000000000 is above 50: servers and switches are replaced/);
    expect(out).toMatch(/draws: 1000000000000000 is above 100,000: rank shares settle/);
    expect(issues(TEXT.replace("io: { eth: { ports: 8,", "io: { eth: { ports: 65,"))).toMatch(
      /io\.eth\.ports: 65 is above 64/,
    );
  });

  it("refuses a million servers in the schema (no site holds that many)", () => {
    expect(issues(TEXT.replace("servers: 40 #", "servers: 2000000 #"))).toMatch(
      /^study\.yaml:12:10 servers: 2000000 is above 1,000,000: a million servers is more than the largest data centres hold/,
    );
  });
});
