import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { expandStudy } from "../../../src/design/index.js";
import { parseStudy } from "../../../src/study/index.js";
import { formatIssues, parseTopology, type ResolvedTopology } from "../../../src/topology/index.js";

const NODES = `topology:
  nodes:
    h1:
      kind: server
      adapters:
        - name: vic0
          type: vic
          link: eth-10g
          ports: 1
          bus: pcie-gen2-x8
          vifs:
            - { name: vnic0, type: vnic, port: vic0/1 }
            - { name: vhba0, type: vhba, port: vic0/1 }
    fi: { kind: fabric-interconnect, ports: { p: 4 } }
    lan: { kind: lan, ports: { p: 1 } }
    array1: { kind: storage-array, ports: { p: 1 } }
  links:
    - { endpoints: ["h1:vic0/1", "fi:p1"], type: eth-10g }
    - { endpoints: ["fi:p2", "lan:p1"], type: eth-10g }
    - { endpoints: ["fi:p3", "array1:p1"], type: eth-10g }
workloads:
  - { name: web, on: h1, via: vnic0, to: lan, pattern: poisson, rate: 1Gbps, size: 1500B }
  - { name: disk, on: h1, via: vhba0, to: array1, pattern: iops, iops: 100, read: 0.5, size: 8KiB }
`;

function file(design: string, extra = "", nodes = NODES): string {
  return `name: t\ndesign: ${design}\n${extra}\n${nodes}`;
}

function load(text: string): ResolvedTopology {
  const r = parseTopology(text, "t.yaml");
  if (!r.ok) throw new Error(formatIssues(r.issues));
  return r.topology;
}

/** `path: message` of each issue, sorted (positions are covered by load.test.ts). */
function problems(text: string): string[] {
  const r = parseTopology(text, "t.yaml");
  if (r.ok) throw new Error("expected the file to be rejected");
  return r.issues.map((i) => `${i.path}: ${i.message}`).sort();
}

describe("classes of service", () => {
  it("are UCS's system classes on a UCS design: best effort (the other CoS) and fc (CoS 3, no drop), weight 5 each", () => {
    const t = load(file("ucs"));
    expect(t.qos.system).toBe("ucs");
    expect(t.qos.classes.map((c) => [c.name, c.priorities, c.noDrop, c.weight])).toEqual([
      ["best-effort", [0, 1, 2, 4, 5, 6, 7], false, 5],
      ["fc", [3], true, 5],
    ]);
    expect(t.qos.fcoePriority).toBe(3);
  });

  it("are absent elsewhere unless the file asks: links behave as before", () => {
    const t = load(file("traditional"));
    expect(t.qos.system).toBeNull();
    expect(t.qos.classes).toEqual([]);
    expect(t.qos.infiniband).toBeNull();
  });

  it("take UCS's defaults for an enabled class and the file's overrides", () => {
    const t = load(
      file("ucs", "qos:\n  classes: { bronze: { enabled: true }, platinum: { enabled: true, weight: 2 } }"),
    );
    const by = Object.fromEntries(t.qos.classes.map((c) => [c.name, c]));
    expect(by.bronze).toMatchObject({ priorities: [1], noDrop: false, weight: 7 });
    expect(by.platinum).toMatchObject({ priorities: [5], noDrop: true, weight: 2 });
    expect(by["best-effort"]!.priorities).toEqual([0, 2, 4, 6, 7]);
  });

  it("refuse what UCS refuses, in its words", () => {
    expect(
      problems(
        file(
          "ucs",
          "qos:\n  classes: { fc: { enabled: false }, best-effort: { drop: false }, gold: { enabled: true, cos: 3 }, diamond: {} }",
        ),
      ),
    ).toEqual([
      "qos.classes.best-effort.drop: UCS's best-effort class is always drop",
      "qos.classes.diamond: UCS system classes are platinum, gold, silver, bronze, best-effort, fc; no diamond",
      "qos.classes.fc.cos: CoS 3 is already gold's",
      "qos.classes.fc.enabled: UCS's fc class cannot be disabled",
    ]);
  });

  it("check 802.1Qaz classes: shares add up to 100 %, a priority in one class, strict or bandwidth", () => {
    expect(
      problems(
        file(
          "traditional",
          "qos:\n  system: dcb\n  classes: { a: { cos: [0, 3], bandwidth: 60 }, b: { cos: 3, bandwidth: 30 }, c: { cos: 5 } }",
        ),
      ),
    ).toEqual(
      [
        "qos.classes.b.cos: priority 3 is already a's",
        "qos.classes.c.bandwidth: missing bandwidth (ETS percent) or strict: true",
        "qos.classes: ETS bandwidth shares add up to 90 %, not 100 %",
      ].sort(),
    );
  });

  it("put strict classes first, highest priority first, and unnamed priorities with priority 0", () => {
    const t = load(
      file(
        "traditional",
        "qos:\n  system: dcb\n  classes: { lan: { cos: 0, bandwidth: 100 }, voice: { cos: 5, strict: true }, ctl: { cos: 6, strict: true } }",
      ),
    );
    expect(t.qos.classes.map((c) => [c.name, c.tier, c.priorities])).toEqual([
      ["ctl", 0, [6]],
      ["voice", 1, [5]],
      ["lan", 2, [0, 1, 2, 3, 4, 7]],
    ]);
  });

  it("mark a vif through its QoS policy and a workload by name", () => {
    const nodes = NODES.replace(
      "{ name: vnic0, type: vnic, port: vic0/1 }",
      "{ name: vnic0, type: vnic, port: vic0/1, qos: bulk }",
    );
    const t = load(
      file(
        "ucs",
        "qos:\n  classes: { bronze: { enabled: true }, gold: { enabled: true } }\n  policies: { bulk: { priority: bronze } }\n  workloads: { web: gold }",
        nodes,
      ),
    );
    const vif = t.nodes.flatMap((n) => (n.kind === "server" ? n.adapters.flatMap((a) => a.vifs) : []))[0]!;
    expect(vif.priority).toBe(1);
    expect(t.workloads.find((w) => w.name === "web")!.priority).toBe(4);
  });

  it("name what they do not know", () => {
    expect(
      problems(file("ucs", "qos:\n  policies: { bulk: { priority: bronze } }\n  workloads: { nosuch: 3 }")),
    ).toEqual([
      "qos.policies.bulk.priority: no class named bronze; known: best-effort, fc",
      "qos.workloads.nosuch: no workload named nosuch",
    ]);
    expect(problems(file("traditional", "", NODES.replace("size: 1500B }", "size: 1500B, priority: 3 }")))).toEqual([
      "workloads[0].priority: a class of service needs qos classes (qos.system: ucs or dcb)",
    ]);
  });
});

describe("InfiniBand service levels and virtual lanes", () => {
  it("default on a director fabric to OpenSM's arbitration, storage on SL 1 → VL 1", () => {
    const t = load(file("director"));
    expect(t.qos.infiniband).toMatchObject({
      vls: 2,
      high: [4, 0],
      low: [0, 4],
      highLimitBytes: 0,
      storageSl: 1,
      lanSl: 0,
    });
    expect(t.qos.infiniband!.sl2vl.slice(0, 4)).toEqual([0, 1, 0, 1]);
  });

  it("refuse an SL mapped to a missing VL and a VL that could never send", () => {
    expect(
      problems(
        file(
          "traditional",
          "qos:\n  infiniband: { vls: 2, sl2vl: [0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], high: { vl0: 4 }, low: { vl0: 1 } }",
        ),
      ),
    ).toEqual(
      [
        "qos.infiniband.sl2vl[1]: SL 1 maps to VL 2, but ports have 2 data VLs (vl0 … vl1)",
        "qos.infiniband: vl0 is in both arbitration tables; give it one (both is not modelled)",
        "qos.infiniband: vl1 carries an SL but has no weight in either arbitration table: it could never send",
      ].sort(),
    );
  });
});

describe("transport", () => {
  it("defaults to open loop for messages, TCP for bulk, Linux's 200 ms minimum RTO and DCTCP's K", () => {
    const t = load(file("traditional"));
    expect(t.transport).toEqual({
      messages: "udp",
      bulk: "tcp",
      rtoMinTicks: 200e9,
      initialWindow: 10,
      ecnThresholdBytes: "auto",
    });
    expect(t.workloads.map((w) => w.transport)).toEqual(["udp", null]);
  });

  it("takes the file's and the workload's choice, and refuses one for storage I/O", () => {
    const t = load(file("traditional", "transport: { messages: tcp, rtoMin: 1ms, ecn: 30KB }"));
    expect(t.workloads[0]!.transport).toBe("tcp");
    expect(t.transport.rtoMinTicks).toBe(1e9);
    expect(t.transport.ecnThresholdBytes).toBe(30_000);
    expect(problems(file("traditional", "", NODES.replace("read: 0.5,", "read: 0.5, transport: tcp,")))).toEqual([
      "workloads[1].transport: storage I/O has no transport choice (its protocol is the link's: FC, FCoE, SRP)",
    ]);
  });
});

describe("a study's qos and transport", () => {
  const text = readFileSync(new URL("../../../topologies/studies/last-mile.yaml", import.meta.url), "utf8");
  // The built-in study has its UCS QoS policy (the backup in Bronze); a transport is added here.
  const withBlocks = `${text.trimEnd()}
transport: { messages: tcp }
`;
  const study = parseStudy(withBlocks, "last-mile.yaml");
  if (!study.ok) throw new Error(formatIssues(study.issues));

  it("reach the generated topologies: each design its own qos, every design the transport", () => {
    const ucs = load(expandStudy(study.study, "ucs", {}));
    expect(ucs.qos.classes.map((c) => c.name)).toContain("bronze");
    expect(ucs.workloads.find((w) => w.name === "backup")!.priority).toBe(1);
    expect(ucs.workloads.find((w) => w.name === "vm-lan")!.transport).toBe("tcp");
    const traditional = load(expandStudy(study.study, "traditional", {}));
    expect(traditional.qos.system).toBeNull();
    expect(traditional.transport.messages).toBe("tcp");
  });
});
