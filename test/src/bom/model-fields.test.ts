import { describe, expect, it } from "vitest";
import { formatIssues, parseTopology } from "../../../src/topology/index.js";

const FILE = `name: m
design: ucs
topology:
  nodes:
    blade[1..2]:
      kind: server
      model: cisco-ucs-b200-m2
      chassis: ch1
      chassisModel: cisco-ucs-5108
      adapters:
        - { name: vic0, type: vic, link: eth-10g, ports: 2, bus: pcie-gen2-x16, model: cisco-m81kr-vic }
    iom1:
      kind: fabric-extender
      model: cisco-ucs-2104xp
      chassis: ch1
      ports: { host: 8, fabric: 4 }
    fi:
      kind: fabric-interconnect
      model: cisco-ucs-6248up
      ports: { p: 32 }
      modules:
        - { name: eth1, link: eth-10g, ports: 8, model: cisco-ucs-fi-e16up }
    lan:
      kind: lan
      model: generic-core-network
      ports: { p: 1 }
`;

function issues(text: string): string {
  const r = parseTopology(text, "t.yaml");
  if (r.ok) throw new Error("expected the file to be rejected");
  return formatIssues(r.issues);
}

describe("model fields in topology files", () => {
  it("are optional on every node, adapter and module, and carried into the resolved topology", () => {
    const r = parseTopology(FILE, "t.yaml");
    if (!r.ok) throw new Error(formatIssues(r.issues));
    const [blade, , iom, fi, lan] = r.topology.nodes;
    expect(blade).toMatchObject({ model: "cisco-ucs-b200-m2", chassisModel: "cisco-ucs-5108" });
    expect(blade?.kind === "server" && blade.adapters[0]?.model).toBe("cisco-m81kr-vic");
    expect(iom).toMatchObject({ model: "cisco-ucs-2104xp", chassisModel: null });
    expect(fi?.kind === "fabric-interconnect" && fi.modules[0]?.model).toBe("cisco-ucs-fi-e16up");
    expect(lan?.model).toBe("generic-core-network");
    const plain = parseTopology(
      FILE.replace(/^\s+model: .*\n/gm, "").replace(/, model: [a-z0-9-]+ }/g, " }"),
      "t.yaml",
    );
    if (!plain.ok) throw new Error(formatIssues(plain.issues));
    expect(plain.topology.nodes.map((n) => n.model)).toEqual([null, null, null, null, null]);
  });

  it("must look like catalog ids; the catalog itself is checked by iovsim bom", () => {
    expect(issues(FILE.replace("model: cisco-ucs-6248up", "model: Cisco 6248UP"))).toBe(
      't.yaml:19:14 topology.nodes.fi.model: expected a catalog id like "cisco-ucs-6248up", got "Cisco 6248UP": lower-case letters, digits, . _ + or -',
    );
    // Unknown but well-formed ids load: the loader has no catalog.
    expect(parseTopology(FILE.replace("model: cisco-ucs-6248up", "model: no-such-fi"), "t.yaml").ok).toBe(true);
  });

  it("need a chassis name for chassisModel", () => {
    expect(issues(FILE.replace("      chassis: ch1\n      chassisModel", "      chassisModel"))).toMatch(
      /t\.yaml:8:21 topology\.nodes\.blade1\.chassisModel: chassisModel needs chassis \(the chassis name\) \(also in 1 more of blade\[1\.\.2\]\)/,
    );
  });
});
