import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { expandStudy } from "../../../src/design/index.js";
import type { RunResult } from "../../../src/metrics/result.js";
import { aggregate } from "../../../src/run/aggregate.js";
import { Replication } from "../../../src/run/replication.js";
import { parseStudy } from "../../../src/study/index.js";
import { parseTopology } from "../../../src/topology/load.js";

/**
 * A UCS domain of the built-in study with 2 LAN uplinks per fabric interconnect, hashing every flow
 * over them (no pin group): the backup's streams fill the drop-tail queue of the uplinks they land
 * on, where vm-lan frames are lost. With UCS QoS — a QoS policy putting a dedicated backup vNIC in
 * the Bronze system class — the backup fills only Bronze's queue and vm-lan (Best Effort) keeps its own.
 * (The built-in study's own policy, marking by workload, is checked at the planner's fidelity in
 * test/src/planner/ucs-qos-choice.test.ts.)
 */
const study = parseStudy(
  readFileSync(new URL("../../../topologies/studies/last-mile.yaml", import.meta.url), "utf8"),
  "last-mile.yaml",
);
if (!study.ok) throw new Error(JSON.stringify(study.issues));
// The study without its own QoS block (UCS's default classes: Best Effort and Fibre Channel only).
const { qos: _studyQos, ...plainFile } = study.study.file;
const plain = { ...study.study, file: plainFile };
const hashed = (text: string): string =>
  text.replace(/( {6}kind: fabric-interconnect\n)/g, "$1      uplinkPinning: flow-hash\n");
const RACK = hashed(expandStudy(plain, "ucs", { fiLanUplinks: 2 }));

/** The domain with a backup vNIC on the backup server whose QoS policy is Bronze; the backup uses it. */
function withQos(text: string): string {
  const i = text.indexOf("    host39:\n");
  const j = text.indexOf("    host40:\n");
  const host39 = text.slice(i, j).replace(
    "{ name: vhba1, type: vhba, port: vic0/1, committed: 4444Mbps, fabric: A }",
    `{ name: vhba1, type: vhba, port: vic0/1, committed: 3444Mbps, fabric: A }
            - { name: vnic-bk, type: vnic, port: vic0/1, committed: 1Gbps, peak: 10Gbps, fabric: A, qos: backup }`,
  );
  return (text.slice(0, i) + host39 + text.slice(j))
    .replace(
      "experiment: { duration: 20ms, warmup: 2ms, replications: 1, seed: 1 }",
      `experiment: { duration: 20ms, warmup: 2ms, replications: 1, seed: 1 }
qos:
  classes: { bronze: { enabled: true } }
  policies: { backup: { priority: bronze } }`,
    )
    .replace(/(- name: backup\n +on: host39 # group backup\n +via: )\[vnic1, vnic2\]/, "$1vnic-bk");
}
const WITH_QOS = withQos(RACK);

function run(text: string): RunResult {
  const loaded = parseTopology(text, "ucs-rack.yaml");
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  return aggregate(loaded.topology, [new Replication(loaded.topology, 0).result()], 0);
}
const row = (r: RunResult, workload: string) => r.sla.find((s) => s.workload === workload)!;

describe("a UCS domain hashing flows over its LAN uplinks", () => {
  it("without a QoS policy or pin group loses vm-lan frames at the FI uplinks", () => {
    expect(WITH_QOS).not.toBe(RACK);
    const r = run(RACK);
    expect(row(r, "vm-lan").status).not.toBe("met");
    const vmLan = r.workloads.find((w) => w.name === "vm-lan")!;
    expect(vmLan.dropped / vmLan.sent).toBeGreaterThan(0.001);
    expect(Object.keys(vmLan.dropReasons).every((k) => /^buffer overflow at fi-[ab]:eth1\//.test(k))).toBe(true);
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
    const uplinks = r.links.filter((l) => /^fi-[ab]:eth1\//.test(l.id));
    const bronzeDrops = uplinks.reduce((a, l) => a + l.classes!.find((c) => c.name === "bronze")!.dropped, 0);
    expect(bronzeDrops).toBeGreaterThan(0);
    for (const l of uplinks) expect(l.classes!.find((c) => c.name === "best-effort")!.dropped).toBe(0);
  });
});
