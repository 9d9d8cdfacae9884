import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse as parseYamlToJs } from "yaml";
import { formatIssues, parseTopology, type ResolvedTopology } from "../../../src/topology/index.js";

const FIXTURES = new URL("../../fixtures/topology/", import.meta.url);

function fixture(name: string): string {
  return readFileSync(new URL(name, FIXTURES), "utf8");
}

function load(text: string, file = "topo.yaml"): ResolvedTopology {
  const r = parseTopology(text, file);
  if (!r.ok) throw new Error(formatIssues(r.issues));
  return r.topology;
}

/** The printed issues of a broken file. */
function issues(text: string): string {
  const r = parseTopology(text, "topo.yaml");
  if (r.ok) throw new Error("expected the file to be rejected");
  return formatIssues(r.issues);
}

/** A small valid file; tests break one thing at a time. */
const BASE = `name: small
design: traditional
topology:
  nodes:
    host[1..2]:
      kind: server
      vms: 2
      pcie: { slots: 1 }
      adapters:
        - { name: nic0, type: nic, link: eth-10g, ports: 1, bus: pcie-gen2-x8, vfs: 4, maxVfs: 8 }
    tor:
      kind: ethernet-switch
      ports: { eth: 8, up: 2 }
      latency: 300ns
    lan:
      kind: lan
      ports: { p: 1 }
  links:
    - endpoints: ["host[1..2]:nic0/1", "tor:eth[1..2]"]
      type: eth-10g
    - endpoints: ["tor:up1", "lan:p1"]
      type: eth-10g
      delay: 1us
workloads:
  - name: web
    on: host[1..2]/vm[1..2]
    via: vf
    to: lan
    pattern: poisson
    rate: 100Mbps
    size: 1500B
sla:
  - { workload: web, metric: latency.p99, target: 1ms }
`;

function broken(from: string, to: string): string {
  if (!BASE.includes(from)) throw new Error(`BASE has no ${from}`);
  return BASE.replace(from, to);
}

describe("valid topologies of each design resolve", () => {
  it("two servers with NICs, an Ethernet switch and the LAN (traditional)", () => {
    const t = load(fixture("traditional.yaml"));
    expect(t.design).toBe("traditional");
    expect(t.nodes.map((n) => n.name)).toEqual(["host1", "host2", "tor", "lan"]);
    expect(t.links).toHaveLength(5);
    expect(t.workloads.map((w) => [w.name, w.instances.length])).toEqual([
      ["web", 8],
      ["east-west", 2],
    ]);
  });

  it("a Fibre Channel path: server HBA → fc-switch → storage array", () => {
    const t = load(fixture("fc-san.yaml"));
    expect(t.links.map((l) => `${l.a.node}:${l.a.port}~${l.b.node}:${l.b.port}`)).toContain("db4:hba0/1~fcsw-a:fc4");
    expect(t.links.every((l) => l.family === "fibre-channel" && l.lossless)).toBe(true);
    expect(t.nodes.find((n) => n.name === "array1")).toMatchObject({ media: "disk", concurrency: 32, service: null });
  });

  it("an I/O director with Ethernet and FC modules (director)", () => {
    const t = load(fixture("director.yaml"));
    const dir = t.nodes.find((n) => n.name === "dir1");
    expect(dir?.ports.map((p) => p.name).slice(-6)).toEqual(["eth1/1", "eth1/2", "eth1/3", "eth1/4", "fc1/1", "fc1/2"]);
    expect(t.nodes.map((n) => n.name).slice(0, 4)).toEqual(["srv01", "srv02", "srv03", "srv04"]);
    expect(t.faults).toEqual([
      { atTicks: 1_000_000_000, action: "fail", target: { kind: "module", node: "dir1", module: "fc1" } },
    ]);
  });

  it("blades, VICs, IOMs and fabric interconnects (ucs)", () => {
    const t = load(fixture("ucs.yaml"));
    expect(t.nodes).toHaveLength(24);
    expect(t.links).toHaveLength(4 * 8 + 2 * 8 + 2 + 2);
    expect(t.workloads.map((w) => w.instances.length)).toEqual([64, 16]);
  });

  it("a PCIe switch and a shared adapter (mriov), written in JSON", () => {
    const t = load(fixture("mriov.json"), "mriov.json");
    expect(t.experiment).toEqual({ durationTicks: 5e9, warmupTicks: 5e8, replications: 3, seed: 1 });
    expect(t.nodes.find((n) => n.name === "sa1")).toMatchObject({
      kind: "shared-adapter",
      hosts: ["host1", "host2", "host3", "host4"],
      weights: { host1: 2, host2: 1, host3: 1, host4: 1 },
      limitBps: { host3: 2e9, host4: 2e9 },
    });
  });

  it("the small base file used by the error tests", () => {
    expect(load(BASE).name).toBe("small");
  });
});

describe("JSON input", () => {
  it("resolves to the same topology as the equivalent YAML", () => {
    const yaml = load(BASE);
    const data = JSON.parse(JSON.stringify(parseYamlToJs(BASE)));
    expect(load(JSON.stringify(data, null, 2), "topo.json")).toEqual(yaml);
    expect(load(JSON.stringify(data, null, "\t"), "topo.json")).toEqual(yaml);
  });

  it("reports problems with JSON line and column", () => {
    const text =
      '{\n  "name": "x",\n  "design": "ucs",\n  "topology": { "nodes": { "a": { "kind": "lan", "ports": { "p": "4" } } } }\n}\n';
    expect(issues(text)).toMatchInlineSnapshot(
      `"topo.yaml:4:66 topology.nodes.a.ports.p: expected a whole number ≥ 1, got "4""`,
    );
  });
});

describe("a broken file gets one line per problem, file:line:col path: message", () => {
  it("an unknown kind: one line listing the valid kinds", () => {
    expect(issues(broken("kind: ethernet-switch", "kind: ethernet-swtich"))).toMatchInlineSnapshot(
      `"topo.yaml:12:13 topology.nodes.tor.kind: unknown kind "ethernet-swtich"; expected one of: server, ethernet-switch, fc-switch, ib-switch, pcie-switch, io-director, fabric-interconnect, fabric-extender, shared-adapter, storage-array, lan"`,
    );
  });

  it("a dangling endpoint", () => {
    expect(issues(broken('"tor:up1", "lan:p1"', '"tor:up1", "lan2:p1"'))).toMatchInlineSnapshot(
      `"topo.yaml:21:30 topology.links[1].endpoints[1]: no node named lan2"`,
    );
  });

  it("an endpoint range that runs past the nodes", () => {
    expect(
      issues(broken('"host[1..2]:nic0/1", "tor:eth[1..2]"', '"host[1..3]:nic0/1", "tor:eth[5..7]"')),
    ).toMatchInlineSnapshot(`"topo.yaml:19:19 topology.links[0].endpoints[0]: no node named host3"`);
  });

  it("an unknown port, listing the node's ports", () => {
    expect(issues(broken('"tor:up1", "lan:p1"', '"tor:up9", "lan:p1"'))).toMatchInlineSnapshot(
      `"topo.yaml:21:19 topology.links[1].endpoints[0]: tor has no port up9; its ports are eth1 … eth8, up1, up2"`,
    );
  });

  it("a port used by two links, naming both", () => {
    expect(issues(broken('"tor:up1", "lan:p1"', '"tor:eth2", "lan:p1"'))).toMatchInlineSnapshot(
      `"topo.yaml:21:19 topology.links[1].endpoints[0]: tor:eth2 is used by two links: this one (to lan:p1) and topology.links[0] (to host2:nic0/1)"`,
    );
  });

  it("a link protocol that does not fit the port", () => {
    expect(issues(broken("type: eth-10g\n    - endpoints", "type: fc-8g\n    - endpoints"))).toMatchInlineSnapshot(`
      "topo.yaml:19:19 topology.links[0].endpoints[0]: host1:nic0/1 is an eth-10g port and cannot take an fc-8g link
      topo.yaml:19:19 topology.links[0].endpoints[0]: host2:nic0/1 is an eth-10g port and cannot take an fc-8g link
      topo.yaml:19:40 topology.links[0].endpoints[1]: tor:eth1 is an Ethernet port and cannot take an fc-8g link
      topo.yaml:19:40 topology.links[0].endpoints[1]: tor:eth2 is an Ethernet port and cannot take an fc-8g link"
    `);
  });

  it("a negative rate", () => {
    expect(issues(broken("rate: 100Mbps", "rate: -100Mbps"))).toMatchInlineSnapshot(
      `"topo.yaml:30:11 workloads[0].rate: expected a non-negative rate, got "-100Mbps""`,
    );
  });

  it("a zero size", () => {
    expect(issues(broken("size: 1500B", "size: 0B"))).toMatchInlineSnapshot(
      `"topo.yaml:31:11 workloads[0].size: expected a size above 0, got "0B""`,
    );
  });

  it("a byte rate, with the bit-rate hint", () => {
    expect(issues(broken("rate: 100Mbps", "rate: 10GBps"))).toMatchInlineSnapshot(
      `"topo.yaml:30:11 workloads[0].rate: rates are in bits per second: "10GBps" is bytes per second; write "80Gbps""`,
    );
  });

  it("a VF budget exceeded", () => {
    expect(issues(broken("vfs: 4, maxVfs: 8", "vfs: 16, maxVfs: 8"))).toMatchInlineSnapshot(
      `"topo.yaml:10:85 topology.nodes.host1.adapters[0].vfs: vfs 16 is more than maxVfs 8 (VFs per port) (also in 1 more of host[1..2])"`,
    );
  });

  it("more VFs wanted than the adapters have", () => {
    expect(issues(broken("vfs: 4, maxVfs: 8", "vfs: 0, maxVfs: 8"))).toMatchInlineSnapshot(`
      "topo.yaml:27:10 workloads[0].via: host1 has no SR-IOV VFs (no adapter sets vfs)
      topo.yaml:27:10 workloads[0].via: host2 has no SR-IOV VFs (no adapter sets vfs)"
    `);
  });

  it("endpoint ranges of unequal length", () => {
    expect(issues(broken('"tor:eth[1..2]"', '"tor:eth[1..4]"'))).toMatchInlineSnapshot(
      `"topo.yaml:19:7 topology.links[0].endpoints: endpoints expand to 2 and 4 names: ranges in the two endpoints must have equal length"`,
    );
  });

  it("a YAML syntax error: the first one only", () => {
    expect(issues(broken("      vms: 2\n", "      vms: 2\n     pcie: 3\n"))).toMatchInlineSnapshot(
      `"topo.yaml:8:1 (syntax): All mapping items must start at the same column"`,
    );
  });

  it("a range left unquoted inside a flow list", () => {
    expect(issues(broken("on: host[1..2]/vm[1..2]", "on: [host[1..2]/vm1]"))).toMatchInlineSnapshot(
      `"topo.yaml:26:14 (syntax): Missing , or : between flow sequence items (quote names with ranges inside [ ] or { }: "host[1..4]")"`,
    );
  });

  it("an unknown field, suggesting the one meant", () => {
    expect(issues(broken("latency: 300ns", "latncy: 300ns"))).toMatchInlineSnapshot(
      `"topo.yaml:14:15 topology.nodes.tor.latncy: unknown field "latncy" (did you mean "latency"?)"`,
    );
  });

  it("a bad unit on a time", () => {
    expect(issues(broken("delay: 1us", "delay: 5 parsecs"))).toMatchInlineSnapshot(
      `"topo.yaml:23:14 topology.links[1].delay: expected a time like "1.5us", got "5 parsecs" (units: ps, ns, us, ms, s)"`,
    );
  });

  it("a bare number where a unit is expected", () => {
    expect(issues(broken("target: 1ms", "target: 1"))).toMatchInlineSnapshot(
      `"topo.yaml:33:51 sla[0].target: expected a time like "1.5us", got the number 1 (units: ps, ns, us, ms, s)"`,
    );
  });

  it("a missing kind and a missing field", () => {
    expect(issues(broken("      kind: lan\n", "").replace("name: small\n", ""))).toMatchInlineSnapshot(`
      "topo.yaml:1:1 name: missing a topology name
      topo.yaml:14:5 topology.nodes.lan.kind: missing kind; expected one of: server, ethernet-switch, fc-switch, ib-switch, pcie-switch, io-director, fabric-interconnect, fabric-extender, shared-adapter, storage-array, lan"
    `);
  });

  it("a problem in a ranged node is reported once, in expanded names", () => {
    expect(issues(broken("type: nic,", "type: nick,"))).toMatchInlineSnapshot(
      `"topo.yaml:10:31 topology.nodes.host1.adapters[0].type: unknown adapter type "nick"; expected one of: nic, hba, cna, vic, hca, pcie-extender (also in 1 more of host[1..2])"`,
    );
  });

  it("duplicate names after expansion", () => {
    expect(issues(broken("    tor:\n", "    host2:\n"))).toMatchInlineSnapshot(
      `"topo.yaml:11:5 topology.nodes.host2: duplicate node name host2 (from host[1..2])"`,
    );
  });

  it("an empty file", () => {
    expect(issues("")).toMatchInlineSnapshot(
      `"topo.yaml:1:1 (top): the file is empty; a topology needs at least name, design and topology.nodes"`,
    );
  });

  it("sorts problems by line, then column", () => {
    const text = broken("rate: 100Mbps", "rate: 10GBps").replace("latency: 300ns", "latency: 3");
    expect(issues(text)).toMatchInlineSnapshot(`
      "topo.yaml:14:16 topology.nodes.tor.latency: expected a time like "1.5us", got the number 3 (units: ps, ns, us, ms, s)
      topo.yaml:30:11 workloads[0].rate: rates are in bits per second: "10GBps" is bytes per second; write "80Gbps""
    `);
  });
});
