import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DesignError, expandStudy } from "../../../src/design/index.js";
import { aggregate } from "../../../src/run/aggregate.js";
import { Replication } from "../../../src/run/replication.js";
import { parseStudy, type Study } from "../../../src/study/index.js";
import { formatIssues, parseTopology, type ResolvedTopology } from "../../../src/topology/index.js";

const STUDY = readFileSync(new URL("../../../topologies/studies/last-mile.yaml", import.meta.url), "utf8");

function study(): Study {
  const r = parseStudy(STUDY, "last-mile.yaml");
  if (!r.ok) throw new Error(formatIssues(r.issues));
  return r.study;
}

function ucs(overrides: Record<string, number>): ResolvedTopology {
  const r = parseTopology(expandStudy(study(), "ucs", overrides), "<ucs>");
  if (!r.ok) throw new Error(formatIssues(r.issues));
  return r.topology;
}

/** host → the FI uplink its LAN vNIC is pinned to (null: hashed). */
function pins(t: ResolvedTopology): Map<string, string | null> {
  const out = new Map<string, string | null>();
  for (const n of t.nodes) {
    if (n.kind !== "server") continue;
    const vnic = n.adapters.flatMap((a) => a.vifs).find((v) => v.name === "vnic-a");
    out.set(n.name, vnic?.pin ? `${vnic.pin.node}:${vnic.pin.port}` : null);
  }
  return out;
}

describe("the UCS LAN pin group", () => {
  it("is off by default: every vNIC hashed over the uplinks, as in the reference rack", () => {
    expect([...pins(ucs({})).values()].every((p) => p === null)).toBe(true);
  });

  it("keeps the last uplinks for the backup servers and pins every other host round robin to the rest", () => {
    const p = pins(ucs({ fiLanUplinks: 4, bulkPinGroup: 1 }));
    // host29-30 run the backup workload.
    expect(p.get("host29")).toBe("fi-a:eth1/4");
    expect(p.get("host30")).toBe("fi-a:eth1/4");
    expect(["host1", "host2", "host3", "host4"].map((h) => p.get(h))).toEqual([
      "fi-a:eth1/1",
      "fi-a:eth1/2",
      "fi-a:eth1/3",
      "fi-a:eth1/1",
    ]);
    const others = [...p].filter(([h]) => h !== "host29" && h !== "host30").map(([, port]) => port);
    expect(others).not.toContain("fi-a:eth1/4");
    const two = pins(ucs({ fiLanUplinks: 4, bulkPinGroup: 2 }));
    expect([two.get("host29"), two.get("host30")]).toEqual(["fi-a:eth1/3", "fi-a:eth1/4"]);
  });

  it("refuses a group that leaves no uplink for the other vNICs", () => {
    expect(() => expandStudy(study(), "ucs", { fiLanUplinks: 2, bulkPinGroup: 2 })).toThrow(DesignError);
  });

  // The effect it exists for (packet level, one replication each): with every vNIC hashed, a backup
  // TCP stream fills its uplink's drop-tail buffer and the vm-lan vNICs pinned there lose frames;
  // with the backup servers on their own uplink, vm-lan loses nothing.
  it("stops the backup streams' drop-tail losses from reaching vm-lan", () => {
    const vmLanDropped = (t: ResolvedTopology): number =>
      aggregate(t, [new Replication(t, 0).result()], 0).workloads.find((w) => w.name === "vm-lan")!.dropped;
    expect(vmLanDropped(ucs({ fiLanUplinks: 3 }))).toBeGreaterThan(0);
    expect(vmLanDropped(ucs({ fiLanUplinks: 3, bulkPinGroup: 1 }))).toBe(0);
  });
});
