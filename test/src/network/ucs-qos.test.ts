import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { RunResult } from "../../../src/metrics/result.js";
import { aggregate } from "../../../src/run/aggregate.js";
import { Replication } from "../../../src/run/replication.js";
import { parseTopology } from "../../../src/topology/load.js";

/**
 * The UCS reference rack (topologies/ucs-rack.yaml) has no pin group: each vNIC is pinned to
 * one of fabric interconnect A's LAN uplinks in turn (end-host mode), and the backup's TCP
 * streams fill the drop-tail queue of the uplinks they land on, where vm-lan frames are lost. With UCS QoS — a QoS
 * policy putting a dedicated backup vNIC in the Bronze system class — the backup fills only
 * Bronze's queue and vm-lan (Best Effort) keeps its own.
 */
const RACK = readFileSync(new URL("../../../topologies/ucs-rack.yaml", import.meta.url), "utf8");

/** The rack with a backup vNIC on every blade whose QoS policy is Bronze; the backup uses it. */
const WITH_QOS = RACK.replace(
  "experiment: { duration: 20ms, warmup: 2ms, replications: 1, seed: 1 }",
  `experiment: { duration: 20ms, warmup: 2ms, replications: 1, seed: 1 }
qos:
  classes: { bronze: { enabled: true } }
  policies: { backup: { priority: bronze } }`,
)
  .replace(
    "            - { name: vhba-b, type: vhba, port: vic0/2, committed: 2Gbps, fabric: B }",
    `            - { name: vhba-b, type: vhba, port: vic0/2, committed: 2Gbps, fabric: B }
            - { name: vnic-bk, type: vnic, port: vic0/1, committed: 1Gbps, peak: 10Gbps, fabric: A, qos: backup }`,
  )
  .replace(/( {2}- name: backup\n {4}on: host\[29\.\.30\]\n {4}via: )vnic-a/, "$1vnic-bk");

function run(text: string): RunResult {
  const loaded = parseTopology(text, "ucs-rack.yaml");
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  return aggregate(loaded.topology, [new Replication(loaded.topology, 0).result()], 0);
}
const row = (r: RunResult, workload: string) => r.sla.find((s) => s.workload === workload)!;

describe("the UCS reference rack", () => {
  it("as published (no QoS policy, no pin group) loses vm-lan frames at FI A's uplinks", () => {
    expect(WITH_QOS).not.toBe(RACK);
    const r = run(RACK);
    expect(row(r, "vm-lan").status).toBe("missed");
    const vmLan = r.workloads.find((w) => w.name === "vm-lan")!;
    expect(Object.keys(vmLan.dropReasons).every((k) => k.startsWith("buffer overflow at fi-a:eth1/"))).toBe(true);
  });

  const r = run(WITH_QOS);

  it("meets its vm-lan target with a Bronze QoS policy on the backup vNIC, without a pin group", () => {
    expect(WITH_QOS).not.toMatch(/pin:/);
    expect(row(r, "vm-lan").status).toBe("met");
    expect(r.workloads.find((w) => w.name === "vm-lan")!.dropped).toBe(0);
    // Every other row still holds, the backup's among them.
    for (const s of r.sla) expect(s.status).toBe("met");
  });

  it("drops only Bronze frames at the uplinks the backup fills; Best Effort keeps its queue", () => {
    // With vNICs pinned, each backup vNIC gets an uplink of its own and drops nothing; hashing
    // every flow over the uplinks puts backup and vm-lan frames in the same queues, the case here.
    const hashed = run(WITH_QOS.replace(/( {6}kind: fabric-interconnect\n)/g, "$1      uplinkPinning: flow-hash\n"));
    expect(hashed.sla.find((s) => s.workload === "vm-lan")!.status).toBe("met");
    const uplinks = hashed.links.filter((l) => l.id.startsWith("fi-a:eth1/"));
    const bronzeDrops = uplinks.reduce((a, l) => a + l.classes!.find((c) => c.name === "bronze")!.dropped, 0);
    expect(bronzeDrops).toBeGreaterThan(0);
    for (const l of uplinks) expect(l.classes!.find((c) => c.name === "best-effort")!.dropped).toBe(0);
  });
});
