import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Replication } from "../../../src/run/replication.js";
import { formatIssues, parseTopology } from "../../../src/topology/index.js";
import { estimateRun } from "../../../src/topology/semantic.js";

const BASE = `name: t
design: traditional
topology:
  nodes:
    host[1..2]: { kind: server, adapters: [ { name: nic0, type: nic, link: eth-10g, ports: 1, bus: pcie-gen2-x8 } ] }
    sw: { kind: ethernet-switch, ports: { eth: 4 } }
    lan: { kind: lan, ports: { p: 1 } }
  links:
    - { endpoints: ["host[1..2]:nic0/1", "sw:eth[1..2]"], type: eth-10g }
    - { endpoints: ["sw:eth3", "lan:p1"], type: eth-10g }
workloads:
  - { name: w, on: "host[1..2]", via: nic0/1, to: lan, pattern: poisson, rate: 100Mbps, size: 1500B }
sla:
  - { workload: w, metric: latency.p99, target: 1ms }
`;

function issues(text: string): string {
  const r = parseTopology(text, "t.yaml");
  if (r.ok) throw new Error("expected the file to be refused");
  return formatIssues(r.issues);
}

describe("one pass over schema and references", () => {
  it("reports the schema's problems and the references' together, and nothing about what the schema refused", () => {
    const text = BASE.replace("ports: { eth: 4 }", "ports: { eth: four }")
      .replace('"sw:eth3", "lan:p1"', '"sw:eth3", "nosuch:p1"')
      .replace("workload: w, metric", "workload: x, metric");
    // sw is refused by the schema: the links to it are not checked again; the others are.
    expect(issues(text)).toBe(
      'topology.nodes.sw.ports.eth: expected a whole number ≥ 1, got "four"'
        .replace(/^/, "t.yaml:6:48 ")
        .concat("\nt.yaml:10:32 topology.links[1].endpoints[1]: no node named nosuch")
        .concat("\nt.yaml:14:17 sla[0].workload: no workload named x; workloads are w"),
    );
  });

  it("does not report an SLA row for a workload the schema refused", () => {
    const text = BASE.replace("pattern: poisson, rate: 100Mbps", "pattern: poisson, rate: 100MBps");
    expect(issues(text)).toBe(
      't.yaml:12:80 workloads[0].rate: rates are in bits per second: "100MBps" is bytes per second; write "800Mbps"',
    );
  });
});

describe("the semantic pass", () => {
  it("reports east-west targets it cannot reach with the instance and the target", () => {
    const text = BASE.replace("to: lan, pattern", 'to: "host[1..2]", pattern')
      .replace(
        '    - { endpoints: ["host[1..2]:nic0/1", "sw:eth[1..2]"], type: eth-10g }\n',
        '    - { endpoints: ["host1:nic0/1", "sw:eth1"], type: eth-10g }\n    - { endpoints: ["host2:nic0/1", "lan:p1"], type: eth-10g }\n',
      )
      .replace('    - { endpoints: ["sw:eth3", "lan:p1"], type: eth-10g }\n', "");
    expect(issues(text)).toBe(
      "t.yaml:12:51 workloads[0].to: w has no path from host1 (via nic0/1) to host2; from host2 (via nic0/1) to host1",
    );
  });

  it("refuses arrivals more than 100 s apart", () => {
    expect(issues(BASE.replace("rate: 100Mbps, size: 1500B", "rate: 1Kbps, size: 1MiB"))).toBe(
      "t.yaml:12:80 workloads[0].rate: 1 Kb/s of 1 MiB messages is one message every 8389 s per instance; arrivals at most 100 s apart are simulated (raise the rate or shrink the size)",
    );
  });

  it("refuses a distribution the kernel cannot draw from (an exponential service time of 0)", () => {
    const text = BASE.replace(
      "    lan: { kind: lan, ports: { p: 1 } }",
      "    lan: { kind: lan, ports: { p: 1 } }\n    array: { kind: storage-array, ports: { fc: 1 }, service: { read: { exponential: 0s }, write: 1ms } }",
    );
    expect(issues(text)).toMatch(
      /^t\.yaml:8:64 topology\.nodes\.array\.service\.read: cannot draw from this distribution: .*mean must be > 0/,
    );
  });

  it("estimates a reference rack's events within a factor of 2 of what the run fires", () => {
    for (const name of ["traditional", "ucs"]) {
      const r = parseTopology(
        readFileSync(new URL(`../../../topologies/${name}-rack.yaml`, import.meta.url), "utf8"),
        name,
      );
      if (!r.ok) throw new Error(formatIssues(r.issues));
      const estimate = estimateRun(r.topology).eventsPerReplication;
      const actual = new Replication(r.topology, 0).result().events;
      expect(estimate / actual).toBeGreaterThan(0.5);
      expect(estimate / actual).toBeLessThan(2);
    }
  });
});
